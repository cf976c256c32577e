"""The audit log page: filters, pages, and append-only down to the database."""

from __future__ import annotations

import ast
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

import surveyapp
from surveyapp.models import AuditLog
from surveyapp.services import audit


def _entry(session, action, actor=None, at=None, object_type="period", object_id=1, **extra):
    entry = audit.record(action, actor=actor, object_type=object_type, object_id=object_id, **extra)
    if at is not None:
        entry.at = at
    session.flush()
    return entry


def _rows(page: str) -> int:
    """How many entries the page lists."""
    return (
        page.split('<ol class="audit-lines">')[1]
        .split("</ol>")[0]
        .count('<p class="audit-sentence">')
    )


def _sentences(page: str) -> list[str]:
    return [part.split("</p>")[0] for part in page.split('<p class="audit-sentence">')[1:]]


def test_filters_by_person_action_period_and_local_dates(admin_client, build, org, session):
    period = build.period([org.root], code="2026-S2")
    other = build.period([org.root], code="2027-S1")
    # 1 March 2027 17:30 UTC is 2 March 00:30 in Jakarta: it belongs to 2 March.
    _entry(
        session,
        "period_closed",
        org.admin,
        datetime(2027, 3, 1, 17, 30, tzinfo=UTC),
        object_id=period.id,
    )
    _entry(
        session,
        "period_opened",
        org.hr_a,
        datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        object_id=other.id,
    )
    _entry(
        session,
        "version_edited",
        org.admin,
        datetime(2027, 3, 5, 9, 0, tzinfo=UTC),
        object_type="questionnaire_version",
        object_id=build.default_version().id,
    )
    window = "from=2027-01-01&to=2027-12-31"

    def page(query):
        return admin_client.get(f"/admin/audit?{window}&" + query).get_data(as_text=True)

    day = admin_client.get("/admin/audit?from=2027-03-02&to=2027-03-02").get_data(as_text=True)
    assert _sentences(day) == ["Admin Kota menutup periode 2026-S2"]
    early = admin_client.get("/admin/audit?from=2027-03-01&to=2027-03-01").get_data(as_text=True)
    assert _sentences(early) == ["Rina HR A membuka periode 2027-S1"]  # 09:00 UTC only
    assert _sentences(page("who=Rina")) == ["Rina HR A membuka periode 2027-S1"]
    assert _rows(page(f"who={org.admin.nip}")) == 2
    assert _sentences(page(f"period={period.id}")) == ["Admin Kota menutup periode 2026-S2"]
    assert _rows(page("action=period_opened")) == 1
    # The choice of action reads as words, grouped; the code is only the option's value.
    whole = page("")
    assert '<option value="period_closed">Periode ditutup</option>' in whole
    assert '<optgroup label="Bank soal">' in whole
    assert "period_closed" not in whole.split('<ol class="audit-lines">')[1]
    # Nonsense in the query string filters nothing out by accident and breaks nothing: a date
    # that is not one and a page that does not exist are refused with a message (S37).
    assert admin_client.get("/admin/audit?who=%27%22<x>").status_code == 200
    refused = admin_client.get("/admin/audit?from=kemarin")
    assert refused.status_code == 422 and "antara tahun 2000 dan 2100" in refused.text
    assert admin_client.get("/admin/audit?page=-4").status_code == 404
    assert admin_client.get("/admin/audit?period=dua").status_code == 404


def test_pages_of_fifty_newest_first(admin_client, org, session):
    for n in range(120):
        _entry(session, "unit_changed", org.admin, object_type="unit", object_id=n)
    first = admin_client.get("/admin/audit?action=unit_changed").get_data(as_text=True)
    assert _rows(first) == 50 and "Halaman 1 dari 3" in first
    assert first.count("Admin Kota mengubah unit") == 50
    last = admin_client.get("/admin/audit?action=unit_changed&page=3").get_data(as_text=True)
    assert _rows(last) == 20 and "Halaman 3 dari 3" in last
    assert "action=unit_changed" in last.split('class="pager"')[1]  # filters kept across pages


def test_entries_show_as_text_not_markup(admin_client, org, session):
    _entry(session, "item_added", org.admin, after={"text": "<script>alert(1)</script>"})
    page = admin_client.get("/admin/audit?action=item_added").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def _recorded_actions() -> set[str]:
    """Every action code the package passes to audit.record, read from its source."""
    root = Path(surveyapp.__file__).parent
    codes = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                first = node.args[0] if node.args else None
                codes |= {
                    n.value
                    for n in ast.walk(first)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                }
    return codes


def test_every_action_the_code_records_has_a_name_and_a_sentence(app):
    recorded = _recorded_actions()
    assert {"login", "report_downloaded", "item_edited", "version_edited"} <= recorded
    missing = sorted(recorded - set(audit.ACTIONS))
    assert not missing, f"add these to services/audit.ACTIONS: {missing}"
    with app.test_request_context():
        for locale in ("id", "en"):
            with force_locale(locale):
                for code, action in audit.ACTIONS.items():
                    assert str(action.name) and action.group in audit.GROUPS, code
                    # Every placeholder the sentence names is one describe() fills in.
                    str(action.sentence) % dict.fromkeys(SENTENCE_KEYS, "x")


SENTENCE_KEYS = ("actor", "employee", "unit", "period", "version", "code", "report", "file")
SENTENCE_KEYS += ("nip", "count")


def test_sentences_in_both_languages(admin_client, build, org, session):
    maruli = build.employee(org.root, admin=True, name="Maruli Simanjuntak")
    period = build.period([org.root], code="2026-S2")
    _entry(
        session,
        "report_downloaded",
        maruli,
        object_id=period.id,
        after={"kind": "workbook", "file": "x.xlsx", "job": "abc", "unit": "DISKOMINFO"},
    )
    version = build.default_version()
    _entry(
        session,
        "item_edited",
        org.admin,
        object_type="questionnaire_version",
        object_id=version.id,
        before={"code": "BP-1a", "reverse": False, "behaviour": 1},
        after={"code": "BP-2c", "reverse": True, "behaviour": 2},
    )
    _entry(
        session,
        "login_failed",
        None,
        object_type="nip",
        object_id="invalid",
        after={"reason": "bad_credentials"},
    )
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    said = _sentences(page)
    label = f"{version.questionnaire.name} v{version.number}"
    assert said[:3] == [
        "Percobaan masuk dengan NIP invalid gagal",
        f"Admin Kota mengubah butir BP-2c pada {label}",
        "Maruli Simanjuntak mengunduh laporan Excel DISKOMINFO, periode 2026-S2",
    ]
    # Changes as "field: before -> after", in words; no JSON.
    behaviour_1 = version.items[0].core_value.behaviour(1, "id")
    assert "Terbalik:</span>\n        <del>Tidak</del>" in page
    assert f"<del>{behaviour_1}</del>" in page
    assert "Alasan:</span>\n        NIP atau kata sandi salah" in page
    assert "{&#34;" not in page and '{"' not in page
    admin_client.post("/locale", data={"lang": "en", "next": "/"})
    english = _sentences(admin_client.get("/admin/audit").get_data(as_text=True))
    assert english[:3] == [
        "A login with NIP invalid failed",
        f"Admin Kota changed item BP-2c of {label}",
        "Maruli Simanjuntak downloaded the Excel report DISKOMINFO, period 2026-S2",
    ]


def test_employee_changes_name_units_not_ids(admin_client, build, org, session):
    person = org.employee
    admin_client.post(
        f"/admin/employees/{person.id}",
        data={
            "name": person.name,
            "jabatan": person.jabatan or "",
            "golongan": person.golongan or "",
            "jenis": person.jenis,
            "unit": str(org.dinas_b.id),
            "active": "y",
        },
    )
    page = admin_client.get("/admin/audit?action=employee_changed").get_data(as_text=True)
    assert _sentences(page) == [f"Admin Kota mengubah data {person.name}"]
    assert "<del>Bidang A1 (A-1)</del>" in page and "<ins>Dinas B (DINAS-B)</ins>" in page


def test_admin_home_shows_recent_activity_as_sentences(admin_client, build, org, session):
    period = build.period([org.root], code="2026-S2")
    _entry(session, "period_opened", org.admin, object_id=period.id)
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Admin Kota membuka periode 2026-S2" in page
    assert "period_opened" not in page


def test_the_filtered_log_downloads_as_a_workbook(admin_client, build, org, session):
    period = build.period([org.root], code="2026-S2")
    _entry(
        session,
        "period_extended",
        org.admin,
        datetime(2027, 3, 1, 17, 30, tzinfo=UTC),
        object_id=period.id,
        before={"closes_at": "2027-03-10T10:00:00+00:00"},
        after={"closes_at": "2027-03-20T10:00:00+00:00"},
        ip="10.0.0.7",
    )
    _entry(
        session,
        "period_opened",
        org.hr_a,
        datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        object_id=period.id,
    )
    _entry(
        session,
        "logout",
        org.admin,
        datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        object_type="employee",
        object_id=org.admin.id,
    )
    started = admin_client.post(
        "/admin/audit.xlsx", data={"who": "Admin", "period": str(period.id), "from": "2027-03-01"}
    )
    assert started.status_code == 303
    job = started.headers["Location"]
    status = admin_client.get(job + "/status").get_json()
    assert status["state"] == "done"
    book = load_workbook(io.BytesIO(admin_client.get(status["download_url"]).data))
    sheet = book["Log audit"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Waktu (WIB)", "Siapa", "Kegiatan", "Keterangan", "Perubahan", "Alamat IP"]
    # Only the admin's entry about the period: the HR officer's and the logout are left out.
    assert len(rows) == 2
    when, who, what, sentence, changes, ip = rows[1]
    assert when == datetime(2027, 3, 2, 0, 30)  # in Jakarta time
    assert (who, what, ip) == ("Admin Kota", "Batas waktu diperpanjang", "10.0.0.7")
    assert sentence == "Admin Kota memperpanjang batas waktu periode 2026-S2"
    assert changes == "Batas waktu: 10 Maret 2027, 17.00 WIB -> 20 Maret 2027, 17.00 WIB"
    # The download itself is in the log, as a sentence.
    page = admin_client.get("/admin/audit?action=job_file_downloaded").get_data(as_text=True)
    assert _sentences(page)[0].startswith("Admin Kota mengunduh berkas log-audit-")


def test_no_route_can_change_the_audit_log(app, admin_client, org, session):
    """Every route under /admin/audit reads only; writing verbs are refused there. The one
    POST starts the export, a job that only reads the log."""
    from surveyapp.services import jobs

    rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    posts = [r.rule for r in rules if "POST" in r.methods]
    assert posts == ["/admin/audit.xlsx"] and jobs.kinds(app)["audit_log"].read_only
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules if r.rule not in posts)
    entry = _entry(session, "period_opened", org.admin)
    count = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    for method in ("post", "put", "patch", "delete"):
        for url in ("/admin/audit", f"/admin/audit/{entry.id}"):
            reply = getattr(admin_client, method)(url, data={"action": "x"})
            assert reply.status_code in (404, 405)
    session.expire_all()
    assert entry.action == "period_opened"
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == count


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'harmless' WHERE id = :id",
        "UPDATE audit_log SET after = NULL WHERE id = :id",
        "UPDATE audit_log SET actor_id = NULL, action = 'x' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(org, session, statement):
    entry = _entry(session, "period_opened", org.admin, after={"state": "open"})
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.text(statement), {"id": entry.id})
    session.expire_all()
    assert (entry.action, entry.after, entry.actor_id) == (
        "period_opened",
        {"state": "open"},
        org.admin.id,
    )


def test_removing_an_account_keeps_its_entries_with_no_actor(build, org, session):
    """The one change the database allows: the foreign key's ON DELETE SET NULL."""
    leaver = build.employee(org.dinas_b, name="Pegawai Keluar")
    entry = _entry(session, "login", leaver, object_type="employee", object_id=leaver.id)
    session.execute(sa.text("DELETE FROM employees WHERE id = :id"), {"id": leaver.id})
    session.expire_all()
    assert entry.actor_id is None and entry.action == "login"
