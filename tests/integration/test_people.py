"""Admin: units and employees."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models import AuditLog, Unit
from surveyapp.services import accounts


def test_unit_move_rehangs_the_subtree_and_refuses_a_cycle(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/units/{org.dinas_a.id}",
        data={"name": "Dinas A", "parent": org.dinas_b.id, "active": "1"},
    )
    assert reply.status_code == 303
    session.expire_all()
    a1 = session.get(Unit, org.bidang_a1.id)
    assert a1.path.startswith(session.get(Unit, org.dinas_b.id).path) and a1.depth == 3
    cycle = admin_client.post(
        f"/admin/units/{org.dinas_b.id}", data={"name": "Dinas B", "parent": a1.id, "active": "1"}
    )
    assert cycle.status_code == 422  # shown next to the parent field, nothing moved
    assert "tidak dapat dipindahkan ke bawah dirinya sendiri" in cycle.get_data(as_text=True)
    assert session.get(Unit, org.dinas_b.id).parent_id == org.root.id


def test_roles_and_hr_scope_are_set_by_an_admin_and_audited(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}",
        data={
            "name": org.colleague.name,
            "unit": org.bidang_a1.id,
            "is_hr": "1",
            "hr_unit": org.dinas_a.id,
            "active": "1",
        },
    )
    assert reply.status_code == 303
    session.refresh(org.colleague)
    assert org.colleague.is_hr and org.colleague.hr_unit_id == org.dinas_a.id
    assert session.scalar(sa.select(AuditLog).where(AuditLog.action == "employee_changed"))


def test_deactivating_ends_the_sessions_and_keeps_the_person(
    app, admin_client, org, login, session
):
    theirs = login(org.employee, app.test_client())
    admin_client.post(
        f"/admin/employees/{org.employee.id}",
        data={"name": org.employee.name, "unit": org.bidang_a1.id},
    )
    session.refresh(org.employee)
    assert org.employee.active is False
    assert theirs.get("/").status_code == 302


def test_new_activation_code_works_once_and_is_shown_once(admin_client, org, session):
    page = admin_client.post(f"/admin/employees/{org.employee.id}/activation").get_data(
        as_text=True
    )
    code = page.split('<p class="big-number"><code>')[1].split("</code>")[0]
    session.refresh(org.employee)
    assert accounts.verify_code(org.employee.activation_code_hash, org.employee.nip, code)
    assert code not in admin_client.get(f"/admin/employees/{org.employee.id}").get_data(
        as_text=True
    )


def test_search_by_nip_or_name(admin_client, org):
    by_name = admin_client.get("/admin/employees?q=Rahmawati").get_data(as_text=True)
    assert org.employee.nip in by_name and org.other.nip not in by_name
    by_nip = admin_client.get(f"/admin/employees?q={org.other.nip[:14]}").get_data(as_text=True)
    assert "Made Wirawan" in by_nip
