"""Admin periods: every refusal says why and writes nothing; S05 reopening is the admin's
alone and leaves an audit entry with before and after."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from surveyapp.models import (
    Answer,
    AuditLog,
    Period,
    PeriodScope,
    QuestionnaireVersion,
    Response,
    RosterEntry,
    utcnow,
)
from surveyapp.services import periods, questionnaires, responses


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def _counts(session) -> tuple[int, ...]:
    """Rows a refused request must not have written."""
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Period, PeriodScope, RosterEntry, Response, Answer, AuditLog)
    )


def _create_form(build, org, **changes):
    now = datetime.now(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None)
    data = {
        "code": "2027-S2",
        "name": "Semester II 2027",
        "version": str(build.default_version().id),
        "opens_at": _local(now + timedelta(days=1)),
        "closes_at": _local(now + timedelta(days=15)),
        "units": [str(org.dinas_a.id)],
    }
    data.update(changes)
    return data


def _draft_version(build, org, session):
    return questionnaires.new_draft(build.default_version(), actor=org.admin)


def test_times_are_entered_in_the_instance_zone_and_stored_in_utc(
    app, admin_client, build, org, session, monkeypatch
):
    monkeypatch.setitem(app.config, "TIMEZONE", "Asia/Jayapura")  # WIT, UTC+9
    data = _create_form(build, org, opens_at="2027-01-04T08:00", closes_at="2027-01-18T16:00")
    assert admin_client.post("/admin/periods/new", data=data).status_code == 302
    period = session.scalar(sa.select(Period).where(Period.code == "2027-S2"))
    assert period.opens_at.replace(tzinfo=None) == datetime(2027, 1, 3, 23, 0)
    assert period.closes_at.replace(tzinfo=None) == datetime(2027, 1, 18, 7, 0)
    page = admin_client.get(f"/admin/periods/{period.id}").get_data(as_text=True)
    assert "4 Januari 2027, 08.00 WIT" in page
    assert not period.hide_individuals  # the box was not ticked


def test_the_new_period_form_offers_published_versions_only(admin_client, build, org, session):
    draft = _draft_version(build, org, session)
    page = admin_client.get("/admin/periods/new").get_data(as_text=True)
    versions = page.split('name="version"')[1].split("</select>")[0]
    assert f'value="{build.default_version().id}"' in versions
    assert f'value="{draft.id}"' not in versions


@pytest.mark.parametrize(
    "change, message",
    [
        ({"closes_at": "2020-01-01T08:00"}, "harus ditutup setelah dibuka"),
        ({"units": []}, "wajib diisi"),
        ({"units": ["999999"]}, "bukan pilihan yang sah"),
        ({"code": "kode dengan spasi"}, "Huruf, angka, dan tanda hubung"),
        ({"opens_at": "besok pagi"}, "Masukkan tanggal yang valid antara tahun 2000 dan 2100"),
        ({"opens_at": "0001-01-01T00:00"}, "antara tahun 2000 dan 2100"),  # S37: no overflow
        ({"closes_at": "٢٠٢٧-٠١-١٨T08:00"}, "antara tahun 2000 dan 2100"),
        ({"name": ""}, "wajib diisi"),
    ],
)
def test_a_bad_period_is_refused_and_nothing_is_written(
    admin_client, build, org, session, change, message
):
    before = _counts(session)
    reply = admin_client.post("/admin/periods/new", data=_create_form(build, org, **change))
    assert reply.status_code == 422
    assert message in reply.get_data(as_text=True)
    assert _counts(session) == before


def test_a_draft_version_is_refused_for_a_period_even_when_forged(
    admin_client, build, org, session
):
    draft = _draft_version(build, org, session)
    before = _counts(session)
    reply = admin_client.post(
        "/admin/periods/new", data=_create_form(build, org, version=str(draft.id))
    )
    assert reply.status_code == 422
    assert _counts(session) == before
    with pytest.raises(periods.PeriodError, match="version_not_published"):
        build.period([org.root], version=draft, state="draft")
    assert _counts(session) == before


def test_a_period_code_is_used_once(admin_client, build, org, session):
    build.period([org.root], code="2027-S2")
    before = _counts(session)
    reply = admin_client.post("/admin/periods/new", data=_create_form(build, org))
    assert reply.status_code == 422
    assert "sudah dipakai" in reply.get_data(as_text=True)
    assert _counts(session) == before


def test_open_snapshots_the_roster_once_and_a_second_open_is_refused(
    admin_client, build, org, session
):
    period = build.period([org.dinas_a], state="draft")
    assert admin_client.post(f"/admin/periods/{period.id}/open").status_code == 303
    session.expire_all()
    roster = dict(
        session.execute(
            sa.select(RosterEntry.employee_id, RosterEntry.unit_id).where(
                RosterEntry.period_id == period.id
            )
        ).all()
    )
    assert roster == {
        org.employee.id: org.bidang_a1.id,
        org.colleague.id: org.bidang_a1.id,
        org.hr_a.id: org.dinas_a.id,
    }
    # Later transfers do not move anyone in this period's roster.
    org.employee.unit = org.dinas_b
    session.flush()
    before = _counts(session)
    reply = admin_client.post(f"/admin/periods/{period.id}/open")
    page = admin_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Hanya periode berstatus draf" in page
    assert _counts(session) == before
    assert (
        session.scalar(
            sa.select(RosterEntry.unit_id).where(
                RosterEntry.period_id == period.id, RosterEntry.employee_id == org.employee.id
            )
        )
        == org.bidang_a1.id
    )


def test_open_refuses_a_version_that_is_not_published(build, org, session):
    period = build.period([org.root], state="draft")
    session.execute(
        sa.update(QuestionnaireVersion)
        .where(QuestionnaireVersion.id == period.version_id)
        .values(status="draft")
    )
    session.expire_all()
    before = _counts(session)
    with pytest.raises(periods.PeriodError, match="version_not_published"):
        periods.open_period(period, actor=org.admin)
    assert _counts(session) == before and period.state == "draft"


def test_extend_refuses_an_earlier_or_past_deadline_and_a_period_that_is_not_open(
    admin_client, build, org, session
):
    period = build.period([org.root], days_left=10)
    closes = period.closes_at
    jakarta = ZoneInfo("Asia/Jakarta")
    for when in (closes - timedelta(days=1), utcnow() - timedelta(hours=1), closes):
        local = _local(when.astimezone(jakarta))
        before = _counts(session)
        admin_client.post(f"/admin/periods/{period.id}/extend", data={"closes_at": local})
        session.expire_all()
        assert period.closes_at == closes.replace(second=0, microsecond=0) or (
            period.closes_at == closes
        )
        assert _counts(session) == before
    draft = build.period([org.root], state="draft")
    later = _local((draft.closes_at + timedelta(days=5)).astimezone(jakarta))
    reply = admin_client.post(f"/admin/periods/{draft.id}/extend", data={"closes_at": later})
    assert "tidak sedang dibuka" in admin_client.get(reply.headers["Location"]).get_data(
        as_text=True
    )
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "period_extended"))
    assert entry is None


def test_extend_moves_the_deadline_and_records_before_and_after(admin_client, build, org, session):
    period = build.period([org.root], days_left=2)
    old = period.closes_at
    new_local = (old + timedelta(days=7)).astimezone(ZoneInfo("Asia/Jakarta"))
    admin_client.post(f"/admin/periods/{period.id}/extend", data={"closes_at": _local(new_local)})
    session.expire_all()
    assert period.closes_at > old + timedelta(days=6)
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "period_extended"))
    assert entry.before["closes_at"] == old.isoformat() and entry.actor_id == org.admin.id


def test_late_joiner_is_added_in_their_unit_and_every_refusal_writes_nothing(
    admin_client, build, org, session
):
    period = build.period([org.dinas_a])
    newcomer = build.employee(org.bidang_a1, name="Pegawai Pindahan")
    elsewhere = build.employee(org.dinas_b, name="Pegawai Dinas B")
    gone = build.employee(org.bidang_a1, name="Pegawai Nonaktif", active=False)
    url = f"/admin/periods/{period.id}/roster"
    for nip, message in (
        ("123", "Bukan NIP"),
        ("198001012005011999", "Tidak ada pegawai dengan NIP ini."),
        (org.employee.nip, "sudah terdaftar sebagai peserta"),
        (elsewhere.nip, "tidak termasuk dalam periode"),
        (gone.nip, "tidak aktif"),
    ):
        before = _counts(session)
        reply = admin_client.post(url, data={"joiner-nips": nip})
        assert reply.status_code == 422 and message in reply.get_data(as_text=True)
        assert _counts(session) == before
    admin_client.post(url, data={"joiner-nips": newcomer.nip})
    entry = session.scalar(
        sa.select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.employee_id == newcomer.id
        )
    )
    assert entry.unit_id == org.bidang_a1.id and entry.unit_path == org.bidang_a1.path
    # The late joiner can now start answering.
    assert responses.start_response(period, newcomer).state == "draft"
    closed = build.period([org.dinas_a], state="closed")
    before = _counts(session)
    admin_client.post(f"/admin/periods/{closed.id}/roster", data={"joiner-nips": newcomer.nip})
    assert _counts(session) == before


def test_close_refuses_a_draft_and_a_closed_period_takes_no_more_answers(
    admin_client, build, org, session
):
    draft = build.period([org.root], state="draft")
    before = _counts(session)
    admin_client.post(f"/admin/periods/{draft.id}/close")
    session.expire_all()
    assert draft.state == "draft" and _counts(session) == before
    period = build.period([org.root])
    response = build.response(period, org.employee, 3, submitted=False)
    assert admin_client.post(f"/admin/periods/{period.id}/close").status_code == 303
    session.expire_all()
    assert period.state == "closed"
    with pytest.raises(responses.ResponseError, match="period_closed"):
        responses.save_answers(response, {period.version.items[0].id: 5})


def test_s05_reopen_keeps_answers_and_audits_before_and_after(admin_client, build, org, session):
    period = build.period([org.root])
    response = build.response(period, org.employee, 4)
    submitted_at = response.submitted_at
    answers = sorted(session.execute(sa.select(Answer.item_id, Answer.value)).all())
    admin_client.post(f"/admin/periods/{period.id}/reopen", data={"reopen-nip": org.employee.nip})
    session.expire_all()
    assert response.state == "draft" and response.submitted_at is None
    assert sorted(session.execute(sa.select(Answer.item_id, Answer.value)).all()) == answers
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "response_reopened"))
    assert entry.actor_id == org.admin.id and entry.object_id == str(response.id)
    assert entry.before == {"state": "submitted", "submitted_at": submitted_at.isoformat()}
    assert entry.after == {"state": "draft", "employee_id": org.employee.id}
    # The employee can change an answer and submit again.
    first = period.version.items[0]
    responses.save_answers(response, {first.id: 2})
    assert responses.submit(response) is True


def test_s05_reopen_refusals_write_nothing(admin_client, build, org, session):
    period = build.period([org.root])
    draft = build.response(period, org.colleague, 3, submitted=False)
    submitted = build.response(period, org.employee, 4)
    url = f"/admin/periods/{period.id}/reopen"
    for nip, message in (
        (org.colleague.nip, "belum dikirim"),  # a draft: nothing to reopen
        (org.other.nip, "belum dikirim"),  # no response at all
        ("199001012015031000", "Tidak ada pegawai dengan NIP ini"),
    ):
        before = _counts(session)
        reply = admin_client.post(url, data={"reopen-nip": nip})
        assert message in admin_client.get(reply.headers["Location"]).get_data(as_text=True)
        assert _counts(session) == before
    periods.close_period(period, actor=org.admin)
    session.flush()
    before = _counts(session)
    admin_client.post(url, data={"reopen-nip": org.employee.nip})
    session.expire_all()
    assert submitted.state == "submitted" and draft.state == "draft"
    assert _counts(session) == before


def test_s05_only_an_admin_may_reopen_even_through_the_service(build, org, session):
    period = build.period([org.root])
    response = build.response(period, org.employee, 4)
    before = _counts(session)
    for actor in (org.hr_a, org.employee):
        with pytest.raises(PermissionError):
            periods.reopen_response(response, actor=actor)
    assert response.state == "submitted" and _counts(session) == before


def test_units_are_a_tree_of_checkboxes_and_the_zone_reads_wib(admin_client, build, org, session):
    page = admin_client.get("/admin/periods/new").get_data(as_text=True)
    assert "<select multiple" not in page and "· ·" not in page
    tree = page.split("data-unit-tree")[1].split("</fieldset>")[0]
    # Bidang A1 is listed inside Dinas A's item, which is inside the root's.
    root = tree.index(f'value="{org.root.id}"')
    dinas_a = tree.index(f'value="{org.dinas_a.id}"')
    bidang = tree.index(f'value="{org.bidang_a1.id}"')
    dinas_b = tree.index(f'value="{org.dinas_b.id}"')
    assert root < dinas_a < bidang < dinas_b
    between = tree[dinas_a:bidang]
    assert between.count("<ul") == 1 and "</li>" not in between  # a child list of Dinas A
    assert 'type="checkbox" name="units"' in tree
    assert "setiap unit di bawahnya" in tree  # said on the page for a browser without JS
    assert 'type="search"' in tree and "unit_tree.js" in page
    assert "Waktu dalam WIB (Waktu Indonesia Barat)." in page
    assert "Asia/Jakarta" not in page
    admin_client.post("/locale", data={"lang": "en", "next": "/"})
    english = admin_client.get("/admin/periods/new").get_data(as_text=True)
    assert "Times are in WIB (Western Indonesia Time)." in english


def test_a_ticked_parent_stands_for_its_subtree(admin_client, build, org, session):
    """A browser without the script sends the parent and some children ticked; the period's
    scope is the parent alone, and the roster holds the whole subtree."""
    data = _create_form(
        build,
        org,
        units=[str(org.dinas_a.id), str(org.bidang_a1.id), str(org.dinas_b.id)],
    )
    assert admin_client.post("/admin/periods/new", data=data).status_code == 302
    period = session.scalar(sa.select(Period).where(Period.code == "2027-S2"))
    assert sorted(s.unit_id for s in period.scope_units) == sorted([org.dinas_a.id, org.dinas_b.id])
    periods.open_period(period, actor=org.admin)
    on_roster = set(
        session.scalars(
            sa.select(RosterEntry.employee_id).where(RosterEntry.period_id == period.id)
        )
    )
    # Bidang A1's people come with Dinas A; the root's admin is not in scope.
    assert {org.employee.id, org.colleague.id, org.hr_a.id, org.other.id} <= on_roster
    assert org.admin.id not in on_roster


def test_a_refused_period_keeps_the_units_ticked(admin_client, build, org, session):
    data = _create_form(build, org, name="", units=[str(org.bidang_a1.id)])
    page = admin_client.post("/admin/periods/new", data=data).get_data(as_text=True)
    assert f'value="{org.bidang_a1.id}" checked' in page
    assert f'value="{org.dinas_b.id}" checked' not in page
