"""Admin: a whole period cycle from the browser, the roster import, the audit log."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.i18n import local_tz
from surveyapp.models import AuditLog, Employee, Period, RosterEntry
from tests.integration.test_imports import NIP_A, NIP_B, person, xlsx


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def test_period_cycle_create_open_extend_join_reopen_close(app, admin_client, org, build, session):
    now = datetime.now(local_tz()).replace(tzinfo=None)
    created = admin_client.post(
        "/admin/periods/new",
        data={
            "code": "2027-S1",
            "name": "Semester I 2027",
            "version": build.default_version().id,
            "opens_at": _local(now - timedelta(hours=1)),
            "closes_at": _local(now + timedelta(days=14)),
            "units": [org.dinas_a.id],
            "hide_individuals": "y",
        },
    )
    assert created.status_code == 302
    period = session.scalar(sa.select(Period).where(Period.code == "2027-S1"))
    assert period.state == "draft"
    # Entered in WIB, stored in UTC: 7 hours earlier.
    assert (
        abs(
            (
                period.closes_at.replace(tzinfo=None)
                - (now + timedelta(days=14) - timedelta(hours=7))
            ).total_seconds()
        )
        < 60
    )
    base = f"/admin/periods/{period.id}"
    assert admin_client.post(f"{base}/open").status_code == 303
    session.refresh(period)
    roster = session.scalars(
        sa.select(RosterEntry.employee_id).where(RosterEntry.period_id == period.id)
    ).all()
    assert org.employee.id in roster and org.other.id not in roster  # Dinas B is out of scope
    # Extend: later only.
    earlier = admin_client.post(
        f"{base}/extend", data={"closes_at": _local(now + timedelta(days=1))}
    )
    assert "lebih lambat" in admin_client.get(earlier.headers["Location"]).get_data(as_text=True)
    admin_client.post(f"{base}/extend", data={"closes_at": _local(now + timedelta(days=30))})
    session.refresh(period)
    assert period.closes_at.replace(tzinfo=None) > (now + timedelta(days=29))
    # A late joiner in Dinas A.
    newcomer = build.employee(org.dinas_a, name="Pegawai Baru")
    admin_client.post(f"{base}/roster", data={"joiner-nips": newcomer.nip})
    assert session.scalar(
        sa.select(RosterEntry.id).where(
            RosterEntry.period_id == period.id, RosterEntry.employee_id == newcomer.id
        )
    )
    # S05: reopening a submitted response is the admin's, and audited with before/after.
    response = build.response(period, org.employee)
    admin_client.post(f"{base}/reopen", data={"reopen-nip": org.employee.nip})
    session.refresh(response)
    assert response.state == "draft" and response.submitted_at is None
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "response_reopened"))
    assert entry.actor_id == org.admin.id and entry.before["state"] == "submitted"
    assert admin_client.post(f"{base}/close").status_code == 303
    session.refresh(period)
    assert period.state == "closed"


def test_s05_hr_and_employees_cannot_reopen(hr_client, employee_client, build, org, session):
    period = build.period([org.root])
    response = build.response(period, org.employee)
    for client in (hr_client, employee_client):
        reply = client.post(
            f"/admin/periods/{period.id}/reopen", data={"reopen-nip": org.employee.nip}
        )
        assert reply.status_code == 403
    session.refresh(response)
    assert response.state == "submitted"


def test_web_import_preview_commit_and_codes_downloaded_once(admin_client, org, session):
    before = session.scalar(sa.select(sa.func.count(Employee.id)))
    upload = {"kind": "employees", "file": (xlsx([person(), person(NIP_B)]), "roster.xlsx")}
    preview = admin_client.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Akan dibuat" in page and "Dewi Lestari" in page
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == before  # a preview only
    token = page.split("/admin/imports/")[1].split("/commit")[0]
    started = admin_client.post(
        f"/admin/imports/{token}/commit", data={"kind": "employees", "deactivate": "0"}
    )
    assert started.status_code == 303
    job_url = started.headers["Location"]
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == before + 2
    first = admin_client.get(job_url + "/download")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(first.data)).active
    assert sorted(sheet.cell(r, 1).value for r in (2, 3)) == sorted([NIP_A, NIP_B])
    assert admin_client.get(job_url + "/download").status_code == 404  # handed out once


def test_web_import_with_errors_shows_them_and_writes_nothing(admin_client, org, session):
    before = session.scalar(sa.select(sa.func.count(Employee.id)))
    upload = {"kind": "employees", "file": (xlsx([person("123")]), "roster.xlsx")}
    page = admin_client.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    )
    text = page.get_data(as_text=True)
    assert "NIP terdiri atas 18 digit; yang ini 3 digit." in text
    assert "/commit" not in text
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == before


def test_web_import_refuses_a_file_that_is_not_xlsx(admin_client, session):
    upload = {"kind": "units", "file": (io.BytesIO(b"not a workbook"), "units.xlsx")}
    reply = admin_client.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    )
    assert reply.status_code == 422
    assert "bukan berkas Excel" in reply.get_data(as_text=True)


def test_audit_log_filters_and_is_append_only(app, admin_client, org, client):
    client.post("/login", data={"nip": org.employee.nip, "password": "salah-sandi-99"})
    failed = f"Percobaan masuk dengan NIP {org.employee.nip} gagal"
    page = admin_client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert failed in page and "membuat periode" not in page
    by_person = admin_client.get(f"/admin/audit?who={org.employee.nip}").get_data(as_text=True)
    assert failed in by_person
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules if "xlsx" not in r.rule)
