"""Action plans (docs/design.md "Heatmap and action plans"): made after the close, inside the
HR scope only (404 outside), every change audited, bad input refused with a clear message and
nothing written, and the focus values measured again in the next closed period, equal to the
pure scoring of both periods and withheld wherever the privacy rule withholds."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp import scoring
from surveyapp.i18n import format_number
from surveyapp.models import ActionPlan, AuditLog, PlanAction, PlanNote
from surveyapp.services import plans, reports, results
from tests.followup_builders import answer, build_world, close, pure_means


@pytest.fixture
def world(build, session):
    world = build_world(build)
    answer(world, build, world.period, seed=11)
    close(world.period, move_back_days=120)
    session.flush()
    return world


@pytest.fixture
def two_periods(world, build, session):
    """The same questionnaire measured again: a second period, other answers, closed."""
    later = build.period([world.org.root])
    answer(world, build, later, seed=29)
    close(later)
    session.flush()
    world.later = later
    return world


def _form(
    focus=("AD",),
    actions=(("Coaching mingguan", "Kepala Bidang", "2027-03-31", "planned"),),
    **extra,
):
    data = {"focus": list(focus), "goal": "Pelayanan lebih cepat"}
    for n, (what, who, due, status) in enumerate(actions):
        data.update(
            {
                f"actions-{n}-what": what,
                f"actions-{n}-who": who,
                f"actions-{n}-due": due,
                f"actions-{n}-status": status,
            }
        )
    data.update(extra)
    return data


def _count(model) -> int:
    from surveyapp.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _audit(action: str) -> list[AuditLog]:
    from surveyapp.extensions import db

    return list(
        db.session.scalars(
            sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        )
    )


def _new_url(world, unit):
    return f"/hr/periods/{world.period.id}/units/{unit.id}/plan"


def _make(world, user, unit, **kwargs):
    scope = reports.scope_for(user, world.period, unit.id)
    defaults = {
        "focus": ["AD"],
        "goal": "",
        "actions": [plans.ActionInput("Coaching", "Kepala Bidang", date(2027, 3, 31), "planned")],
    }
    defaults.update(kwargs)
    return plans.create_plan(user, world.period, scope, **defaults)


# Making a plan ---------------------------------------------------------------------------------
def test_hr_makes_a_plan_and_it_is_audited(app, world, login):
    client = login(world.org.hr_a, app.test_client())
    page = client.get(_new_url(world, world.org.bidang_a1))
    assert page.status_code == 200
    created = client.post(_new_url(world, world.org.bidang_a1), data=_form(focus=("AD", "BP")))
    assert created.status_code == 303
    plan = _one_plan()
    assert plan.focus == ["BP", "AD"]  # BerAKHLAK order, whatever the order ticked
    assert [(a.what, a.who, a.due, a.status) for a in plan.actions] == [
        ("Coaching mingguan", "Kepala Bidang", date(2027, 3, 31), "planned")
    ]
    entry = _audit("plan_created")[-1]
    assert entry.actor_id == world.org.hr_a.id
    assert entry.object_id == str(plan.id)
    assert entry.after["unit"] == "A-1" and entry.after["focus"] == ["BP", "AD"]
    assert entry.after["actions"][0]["due"] == "2027-03-31"
    # The unit page now leads to the plan, and a second "new" goes to the same plan.
    again = client.get(_new_url(world, world.org.bidang_a1))
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/hr/plans/{plan.id}")


def _one_plan() -> ActionPlan:
    from surveyapp.extensions import db

    return db.session.scalars(sa.select(ActionPlan)).one()


def test_empty_action_rows_are_skipped(app, world, login):
    client = login(world.org.hr_a, app.test_client())
    data = _form(
        actions=(("Apel pagi", "Sekretaris", "2027-01-15", "in_progress"), ("", "", "", "planned"))
    )
    assert client.post(_new_url(world, world.org.bidang_a1), data=data).status_code == 303
    assert [a.what for a in _one_plan().actions] == ["Apel pagi"]


def test_the_page_suggests_the_lowest_values_and_those_below_the_organisation(world):
    scope = reports.scope_for(world.org.hr_a, world.period, world.org.bidang_a1.id)
    offered = plans.suggestions(world.period, scope, "id")
    mine = pure_means(world, world.period, world.org.bidang_a1)
    organisation = pure_means(world, world.period, world.org.root)  # one root: the organisation
    lowest = sorted(scoring.VALUE_CODES, key=lambda c: mine[c])[:2]
    below = sorted((mine[c] - organisation[c], c) for c in scoring.VALUE_CODES)
    below = [c for d, c in below if d < 0][:2]
    assert {s.code for s in offered if s.lowest} == set(lowest)
    assert {s.code for s in offered if s.below} == set(below)
    for s in offered:
        assert s.mean == pytest.approx(mine[s.code], abs=1e-9)


def test_a_withheld_unit_gets_no_suggestion(world):
    scope = reports.scope_for(world.org.hr_a, world.period, world.a2.id)
    assert not any(
        s.suggested or s.mean is not None for s in plans.suggestions(world.period, scope, "id")
    )


# Bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _form(actions=(("Coaching", "Kabid", "2027-02-30", "planned"),)),
            "Masukkan tanggal yang valid",
        ),
        (
            _form(actions=(("Coaching", "Kabid", "٢٠٢٧-٠١-٠١", "planned"),)),
            "Masukkan tanggal yang valid",
        ),
        (_form(actions=(("Coaching", "Kabid", "", "planned"),)), "Isian ini wajib diisi"),
        (_form(focus=()), "Pilih setidaknya satu nilai fokus"),
        (_form(focus=("BP", "AK", "KO", "HA")), "Pilih paling banyak 3 nilai fokus"),
        (_form(focus=("XX",)), "bukan pilihan yang sah"),
        (
            _form(actions=(("x" * 301, "Kabid", "2027-01-01", "planned"),)),
            "Paling banyak 300 karakter",
        ),
        (_form(actions=(("Coaching", "", "2027-01-01", "planned"),)), "Isian ini wajib diisi"),
        (
            _form(actions=(("Coaching", "Kabid", "2027-01-01", "finished"),)),
            "Pilihan tidak valid",
        ),
        (_form(goal="y" * 1001), "Paling banyak 1000 karakter"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(app, world, login, data, message):
    client = login(world.org.hr_a, app.test_client())
    audits = _count(AuditLog)
    page = client.post(_new_url(world, world.org.bidang_a1), data=data)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert message.lower() in html.lower(), html[html.find("field-error") - 200 :][:600]
    assert "Tidak ada yang disimpan" in html
    assert _count(ActionPlan) == 0 and _count(PlanAction) == 0
    assert _count(AuditLog) == audits


def test_the_service_refuses_the_same_input_for_any_caller(world):
    with pytest.raises(plans.PlanRefused) as refused:
        _make(world, world.org.hr_a, world.org.bidang_a1, focus=[])
    assert refused.value.field == "focus"
    bad = plans.ActionInput("x" * 301, "Kabid", date(2027, 1, 1), "planned")
    with pytest.raises(plans.PlanRefused):
        _make(world, world.org.hr_a, world.org.bidang_a1, actions=[bad])
    assert _count(ActionPlan) == 0


def test_one_plan_per_unit_and_period(world):
    _make(world, world.org.hr_a, world.org.bidang_a1)
    with pytest.raises(plans.PlanRefused):
        _make(world, world.org.admin, world.org.bidang_a1)
    assert _count(ActionPlan) == 1


def test_no_plan_before_the_period_closes(app, world, build, login):
    open_period = build.period([world.org.root])
    client = login(world.org.hr_a, app.test_client())
    url = f"/hr/periods/{open_period.id}/units/{world.org.bidang_a1.id}/plan"
    assert client.get(url).status_code == 404
    assert client.post(url, data=_form()).status_code == 404
    scope = reports.scope_for(world.org.hr_a, open_period, world.org.bidang_a1.id)
    with pytest.raises(plans.PlanRefused):
        plans.create_plan(world.org.hr_a, open_period, scope, focus=["AD"], goal="", actions=[])
    assert _count(ActionPlan) == 0


# Scope -----------------------------------------------------------------------------------------
def test_every_plan_action_outside_the_scope_is_404_and_writes_nothing(app, world, login):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    outsider = login(world.org.hr_b, app.test_client())
    audits, notes = _count(AuditLog), _count(PlanNote)
    assert outsider.get(f"/hr/plans/{plan.id}").status_code == 404
    assert outsider.get(f"/hr/plans/{plan.id}/edit").status_code == 404
    edit = _form(lock_version=str(plan.lock_version))
    assert outsider.post(f"/hr/plans/{plan.id}/edit", data=edit).status_code == 404
    note = {"noted_on": "2027-01-10", "text": "Sudah berjalan"}
    assert outsider.post(f"/hr/plans/{plan.id}/notes", data=note).status_code == 404
    assert outsider.get(_new_url(world, world.org.bidang_a1)).status_code == 404
    assert outsider.post(_new_url(world, world.org.dinas_a), data=_form()).status_code == 404
    assert outsider.get("/hr/plans/999999").status_code == 404
    assert "Bidang A1" not in outsider.get("/hr/plans").get_data(as_text=True)
    assert (_count(AuditLog), _count(PlanNote), _count(ActionPlan)) == (audits, notes, 1)
    # HR of a unit below the plan's sees nothing above its own unit either.
    above = _make(world, world.org.hr_a, world.org.dinas_a)
    below_hr = login(_hr_of(world, world.org.bidang_a1), app.test_client())
    assert below_hr.get(f"/hr/plans/{above.id}").status_code == 404
    assert below_hr.get(f"/hr/plans/{plan.id}").status_code == 200


def _hr_of(world, unit):
    from surveyapp.extensions import db
    from tests.factories import Builder

    return Builder(db.session).employee(unit, hr_unit=unit)


def test_hr_above_the_unit_and_admins_see_and_edit_the_plan(app, world, build, login):
    plan = _make(world, _hr_of(world, world.org.bidang_a1), world.org.bidang_a1)
    for person in (world.org.hr_a, world.org.admin, _hr_of(world, world.org.root)):
        client = login(person, app.test_client())
        assert client.get(f"/hr/plans/{plan.id}").status_code == 200
        assert "Bidang A1" in client.get("/hr/plans").get_data(as_text=True)
    employee = login(world.org.employee, app.test_client())
    assert employee.get(f"/hr/plans/{plan.id}").status_code == 403


# Changes and notes -----------------------------------------------------------------------------
def test_an_edit_is_audited_with_before_and_after(app, world, login):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    client = login(world.org.admin, app.test_client())
    data = _form(
        focus=("AD", "KO"),
        actions=(
            ("Coaching", "Kepala Bidang", "2027-03-31", "done"),
            ("Forum", "Sekretaris", "2027-04-30", "in_progress"),
        ),
        lock_version=str(plan.lock_version),
    )
    assert client.post(f"/hr/plans/{plan.id}/edit", data=data).status_code == 303
    entry = _audit("plan_changed")[-1]
    assert entry.actor_id == world.org.admin.id
    assert entry.before["focus"] == ["AD"] and entry.after["focus"] == ["KO", "AD"]
    assert [a["status"] for a in entry.after["actions"]] == ["done", "in_progress"]
    assert entry.before["actions"][0]["status"] == "planned"
    from surveyapp.extensions import db

    db.session.refresh(plan)
    assert plans.plan_status(plan.actions) == "in_progress"
    # Saving the same again changes nothing and writes no entry.
    again = dict(data, lock_version=str(plan.lock_version))
    assert client.post(f"/hr/plans/{plan.id}/edit", data=again).status_code == 303
    assert len(_audit("plan_changed")) == 1


def test_a_stale_edit_is_refused_and_writes_nothing(app, world, login):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    client = login(world.org.hr_a, app.test_client())
    stale = _form(
        focus=("KL",), lock_version=str(plan.lock_version - 1 if plan.lock_version > 1 else 99)
    )
    page = client.post(f"/hr/plans/{plan.id}/edit", data=stale)
    assert page.status_code == 422
    assert "Orang lain mengubah rencana ini" in page.get_data(as_text=True)
    assert _one_plan().focus == ["AD"] and not _audit("plan_changed")


def test_a_progress_note_is_dated_and_audited(app, world, login):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    client = login(world.org.hr_a, app.test_client())
    text = "Coaching pertama selesai.\n\nPeserta 12 orang."
    done = client.post(f"/hr/plans/{plan.id}/notes", data={"noted_on": "2027-01-10", "text": text})
    assert done.status_code == 303
    note = plan.notes[0]
    assert (note.noted_on, note.text, note.author_id) == (
        date(2027, 1, 10),
        text,
        world.org.hr_a.id,
    )
    entry = _audit("plan_note_added")[-1]
    assert entry.object_id == str(plan.id) and entry.after["text"] == text
    page = client.get(f"/hr/plans/{plan.id}").get_data(as_text=True)
    assert "10 Januari 2027" in page and "Peserta 12 orang." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"noted_on": "2027-13-01", "text": "ok"}, "Masukkan tanggal yang valid"),
        ({"noted_on": "", "text": "ok"}, "Isian ini wajib diisi"),
        ({"noted_on": "2027-01-10", "text": "   "}, "Isian ini wajib diisi"),
        ({"noted_on": "2027-01-10", "text": "z" * 2001}, "Paling banyak 2000 karakter"),
    ],
)
def test_a_bad_note_is_refused_and_writes_nothing(app, world, login, data, message):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    client = login(world.org.hr_a, app.test_client())
    audits = _count(AuditLog)
    page = client.post(f"/hr/plans/{plan.id}/notes", data=data)
    assert page.status_code == 422
    assert message.lower() in page.get_data(as_text=True).lower()
    assert _count(PlanNote) == 0 and _count(AuditLog) == audits


def test_plan_status_follows_the_actions():
    def of(*statuses):
        return plans.plan_status([PlanAction(status=s) for s in statuses])

    assert of() == "planned"
    assert of("planned", "planned") == "planned"
    assert of("planned", "in_progress") == "in_progress"
    assert of("done", "planned") == "in_progress"
    assert of("done", "cancelled") == "done"
    assert of("cancelled", "cancelled") == "cancelled"


# Measured again --------------------------------------------------------------------------------
def test_before_and_after_equal_the_pure_scoring_of_both_periods(app, two_periods, login):
    world = two_periods
    plan = _make(world, world.org.hr_a, world.org.bidang_a1, focus=["AD", "BP"])
    follow = plans.followup(plan, "id")
    assert follow.later.id == world.later.id
    before = pure_means(world, world.period, world.org.bidang_a1)
    after = pure_means(world, world.later, world.org.bidang_a1)
    assert [c.code for c in follow.changes] == ["BP", "AD"]
    for change in follow.changes:
        assert change.before == pytest.approx(before[change.code], abs=1e-9)
        assert change.after == pytest.approx(after[change.code], abs=1e-9)
        assert change.change == pytest.approx(after[change.code] - before[change.code], abs=1e-9)
    client = login(world.org.hr_a, app.test_client())
    html = client.get(f"/hr/plans/{plan.id}").get_data(as_text=True)
    ad = follow.changes[1]
    with app.test_request_context():
        sign = "+" if ad.change > 0 else "−"
        line = f"<strong>Adaptif</strong> {format_number(ad.before)} → {format_number(ad.after)}, "
        assert line in html
        assert f"{sign}{format_number(abs(ad.change))}</span>" in html
    assert world.later.name in html


def test_withheld_stays_withheld_before_and_after(app, two_periods, login):
    world = two_periods
    small = _make(world, world.org.hr_a, world.a2, focus=["AD"])
    protecting = _make(world, world.org.admin, world.b1, focus=["KO"])
    for plan, reason in (
        (small, scoring.WITHHELD_SMALL),
        (protecting, scoring.WITHHELD_COMPLEMENT),
    ):
        (change,) = plans.followup(plan, "id").changes
        assert (change.before, change.after, change.change) == (None, None, None)
        assert change.before_withheld == reason and change.after_withheld == reason
    client = login(world.org.admin, app.test_client())
    html = client.get(f"/hr/plans/{small.id}").get_data(as_text=True)
    assert html.count("tidak ditampilkan (kurang dari 5)") == 2
    published = results.published(world.period).group(world.a2.path)
    assert published.withheld


def test_without_a_later_period_only_before_is_shown(app, world, login):
    plan = _make(world, world.org.hr_a, world.org.bidang_a1)
    follow = plans.followup(plan, "id")
    assert follow.later is None
    assert follow.changes[0].before is not None and follow.changes[0].after is None
    client = login(world.org.hr_a, app.test_client())
    assert "Diukur lagi" in client.get(f"/hr/plans/{plan.id}").get_data(as_text=True)
