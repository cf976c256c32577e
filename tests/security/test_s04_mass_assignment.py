"""S04: extra form fields (role, unit, NIP, active, submitted_at, score) are ignored."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models import Response

EXTRA = {
    "role": "admin",
    "is_admin": "1",
    "is_hr": "1",
    "unit_id": "1",
    "unit": "1",
    "nip": "199912312020121999",
    "is_active": "0",
    "active": "0",
    "submitted_at": "2020-01-01",
    "score": "100",
    "state": "submitted",
    "employee_id": "1",
}


def test_s04_questionnaire_form_ignores_extra_fields(app, build, org, login, session):
    period = build.period([org.root])
    client = login(org.employee, app.test_client())
    item = period.version.items[0]
    client.post(f"/survey/{period.code}/page/1", data={f"item-{item.code}": "4", **EXTRA})
    session.refresh(org.employee)
    assert (org.employee.is_admin, org.employee.is_hr, org.employee.unit_id) == (
        False,
        False,
        org.bidang_a1.id,
    )
    response = session.scalar(sa.select(Response).where(Response.employee_id == org.employee.id))
    assert response.state == "draft" and response.submitted_at is None


def test_s04_account_and_language_forms_ignore_extra_fields(employee_client, org, session):
    employee_client.post("/locale", data={"lang": "en", **EXTRA})
    employee_client.post("/account/password", data={"current": "x", **EXTRA})
    session.refresh(org.employee)
    assert org.employee.is_admin is False and org.employee.active is True
    assert org.employee.nip != EXTRA["nip"] and org.employee.unit_id == org.bidang_a1.id


def test_s04_hr_cannot_change_anyone_through_admin_forms(hr_client, org, session):
    reply = hr_client.post(f"/admin/employees/{org.hr_a.id}", data={"is_admin": "1", **EXTRA})
    assert reply.status_code == 403
    session.refresh(org.hr_a)
    assert org.hr_a.is_admin is False
