"""Admin: the unit tree and the employees, through the pages an admin uses."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models import AuditLog, Employee, Unit


def _audit(session, action):
    return session.scalars(sa.select(AuditLog).where(AuditLog.action == action)).all()


def _units(session):
    return session.scalar(sa.select(sa.func.count(Unit.id)))


# --- units -----------------------------------------------------------------------------------


def test_tree_lists_units_in_tree_order_with_active_people(admin_client, org):
    page = admin_client.get("/admin/units").get_data(as_text=True)
    order = [
        page.index(name) for name in ("Pemerintah Kota Uji", "Dinas A", "Bidang A1", "Dinas B")
    ]
    assert order == sorted(order)
    assert 'class="indent-2"' in page  # Bidang A1 sits two levels down


def test_create_unit_under_a_parent_sets_path_and_audits(admin_client, org, session):
    reply = admin_client.post(
        "/admin/units", data={"code": "A-2", "name": "Bidang A2", "parent": org.dinas_a.id}
    )
    assert reply.status_code == 303
    unit = session.scalar(sa.select(Unit).where(Unit.code == "A-2"))
    assert unit.path == f"{org.dinas_a.path}{unit.id}/" and unit.depth == 2
    (entry,) = _audit(session, "unit_created")
    assert entry.actor_id == org.admin.id and entry.after["parent"] == "DINAS-A"


def _field_error(page: str, field: str) -> str:
    """The error shown next to a field by the `field` macro (empty when there is none)."""
    marker = f'<p class="field-error" id="{field}-error">'
    return page.split(marker)[1].split("</p>")[0] if marker in page else ""


def test_create_unit_refuses_a_taken_code_and_a_forged_parent(admin_client, org, session):
    before = _units(session)
    taken = admin_client.post("/admin/units", data={"code": "DINAS-A", "name": "Lagi"})
    assert taken.status_code == 422
    assert _field_error(taken.text, "code") == "Kode unit ini sudah dipakai."
    assert 'value="Lagi"' in taken.text  # what was typed is kept
    forged = admin_client.post("/admin/units", data={"code": "NEW", "name": "N", "parent": 99999})
    assert forged.status_code == 422
    assert _field_error(forged.text, "parent") == "Unit induk yang dipilih tidak ada."
    assert _units(session) == before
    assert not _audit(session, "unit_created")


def test_rename_keeps_the_place_and_is_audited_with_before_and_after(admin_client, org, session):
    admin_client.post(
        f"/admin/units/{org.dinas_a.id}", data={"name": "Dinas A Baru", "parent": org.root.id}
    )
    unit = session.get(Unit, org.dinas_a.id)
    assert unit.name == "Dinas A Baru" and unit.parent_id == org.root.id
    (entry,) = _audit(session, "unit_changed")
    assert entry.before["name"] == "Dinas A" and entry.after["name"] == "Dinas A Baru"


def test_move_with_a_forged_parent_is_refused_not_made_a_root(admin_client, org, session):
    path = org.dinas_a.path
    reply = admin_client.post(
        f"/admin/units/{org.dinas_a.id}", data={"name": "Dinas A", "parent": 99999}
    )
    assert reply.status_code == 422
    assert _field_error(reply.text, "parent") == "Unit induk yang dipilih tidak ada."
    assert session.get(Unit, org.dinas_a.id).path == path


def test_move_to_the_root_updates_every_descendant(admin_client, org, session):
    admin_client.post(f"/admin/units/{org.dinas_a.id}", data={"name": "Dinas A"})
    dinas_a = session.get(Unit, org.dinas_a.id)
    a1 = session.get(Unit, org.bidang_a1.id)
    assert dinas_a.path == f"/{dinas_a.id}/" and dinas_a.depth == 0 and dinas_a.parent_id is None
    assert a1.path == f"/{dinas_a.id}/{a1.id}/" and a1.depth == 1


def test_unit_page_offers_no_parent_inside_its_own_subtree(admin_client, org):
    page = admin_client.get(f"/admin/units/{org.dinas_a.id}").text
    parent_select = page.split('name="parent"')[1].split("</select>")[0]
    assert f'value="{org.dinas_b.id}"' in parent_select
    assert f'value="{org.bidang_a1.id}"' not in parent_select  # a cycle is not even offered


def test_deactivate_refuses_a_unit_with_active_people_or_subunits(admin_client, org, session):
    reply = admin_client.post(f"/admin/units/{org.dinas_a.id}/active", data={"active": "0"})
    page = admin_client.get(reply.headers["Location"]).text
    assert "masih memiliki 1 subunit aktif dan 1 pegawai aktif" in page
    assert session.get(Unit, org.dinas_a.id).active is True
    assert not _audit(session, "unit_deactivated")


def test_deactivate_an_empty_unit_then_it_cannot_receive_people_or_children(
    admin_client, build, org, session
):
    empty = build.unit("KOSONG", "Unit Kosong", org.root)
    session.flush()  # its path
    admin_client.post(f"/admin/units/{empty.id}/active", data={"active": "0"})
    assert session.get(Unit, empty.id).active is False
    assert len(_audit(session, "unit_deactivated")) == 1
    child = admin_client.post(
        "/admin/units", data={"code": "ANAK", "name": "Anak", "parent": empty.id}
    )
    assert child.status_code == 422 and "Unit induk tidak aktif" in _field_error(
        child.text, "parent"
    )
    moved = admin_client.post(
        f"/admin/employees/{org.colleague.id}",
        data={"name": org.colleague.name, "unit": empty.id, "jenis": "PNS", "active": "1"},
    )
    assert moved.status_code == 422 and "Unit itu tidak aktif" in _field_error(moved.text, "unit")
    assert session.get(Employee, org.colleague.id).unit_id == org.bidang_a1.id
    assert session.scalar(sa.select(Unit).where(Unit.code == "ANAK")) is None


def test_units_are_never_deleted_and_there_is_no_delete_route(app):
    methods = {m for rule in app.url_map.iter_rules() for m in rule.methods}
    assert "DELETE" not in methods


# --- employees -------------------------------------------------------------------------------


def _edit(person, **changes):
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "jabatan": person.jabatan,
        "golongan": person.golongan,
        "jenis": person.jenis,
        "active": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_search_is_paginated(admin_client, build, org):
    for n in range(55):
        build.employee(org.dinas_b, name=f"Wulan Sari {n:02d}", nip=f"1990020220150320{n:02d}")
    first = admin_client.get("/admin/employees?q=wulan").text
    assert "55 pegawai" in first and "Halaman 1 dari 2" in first
    assert "Wulan Sari 00" in first and "Wulan Sari 54" not in first
    second = admin_client.get("/admin/employees?q=wulan&page=2").text
    assert "Wulan Sari 54" in second and "Wulan Sari 00" not in second


def test_search_treats_percent_and_underscore_as_text(admin_client, org):
    page = admin_client.get("/admin/employees?q=%25").text
    assert "0 pegawai" in page
    by_spaced_nip = admin_client.get(
        "/admin/employees", query_string={"q": f"{org.other.nip[:8]} {org.other.nip[8:14]}"}
    ).text
    assert "Made Wirawan" in by_spaced_nip


def test_edit_with_a_forged_unit_or_scope_changes_nothing(admin_client, org, session):
    for data in (
        _edit(org.colleague, unit=99999),
        _edit(org.colleague, is_hr="1", hr_unit=99999),
    ):
        reply = admin_client.post(f"/admin/employees/{org.colleague.id}", data=data)
        assert reply.status_code == 422 and "Pilih unit yang ada." in reply.text
    person = session.get(Employee, org.colleague.id)
    assert person.unit_id == org.bidang_a1.id and not person.is_hr and person.hr_unit_id is None
    assert not _audit(session, "employee_changed")


def test_a_refused_edit_shows_what_was_typed(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}",
        data=_edit(org.colleague, jabatan="Pranata Komputer", email="bukan-surel"),
    )
    assert reply.status_code == 422
    assert "Ini bukan alamat email." in reply.text and 'value="Pranata Komputer"' in reply.text
    assert session.get(Employee, org.colleague.id).jabatan == "Analis"


def test_hr_scope_defaults_to_their_own_unit_and_is_removed_with_the_role(
    admin_client, org, session
):
    admin_client.post(f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague, is_hr="1"))
    person = session.get(Employee, org.colleague.id)
    assert person.is_hr and person.hr_unit_id == org.bidang_a1.id
    admin_client.post(f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague))
    person = session.get(Employee, org.colleague.id)
    assert not person.is_hr and person.hr_unit_id is None
    first, second = _audit(session, "employee_changed")
    assert first.after == {"is_hr": True, "hr_unit_id": org.bidang_a1.id}
    assert second.before == {"is_hr": True, "hr_unit_id": org.bidang_a1.id}


def test_an_admin_keeps_their_own_role_and_account(admin_client, org, session):
    no_role = admin_client.post(f"/admin/employees/{org.admin.id}", data=_edit(org.admin))
    assert no_role.status_code == 422 and "peran admin Anda sendiri" in no_role.text
    no_account = admin_client.post(
        f"/admin/employees/{org.admin.id}", data=_edit(org.admin, is_admin="1", active=None)
    )
    assert no_account.status_code == 422 and "akun Anda sendiri" in no_account.text
    admin = session.get(Employee, org.admin.id)
    assert admin.is_admin and admin.active


def test_deactivating_a_person_with_responses_keeps_them_and_their_answers(
    admin_client, build, org, session
):
    period = build.period([org.root])
    response = build.response(period, org.employee)
    admin_client.post(f"/admin/employees/{org.employee.id}", data=_edit(org.employee, active=None))
    person = session.get(Employee, org.employee.id)
    assert person.active is False
    assert session.get(type(response), response.id).state == "submitted"


def test_no_activation_code_for_an_inactive_account(admin_client, build, org, session):
    gone = build.employee(org.dinas_b, active=False)
    reply = admin_client.post(f"/admin/employees/{gone.id}/activation")
    assert "Akun ini tidak aktif" in admin_client.get(reply.headers["Location"]).text
    assert session.get(Employee, gone.id).activation_code_hash is None


def test_activation_code_page_is_not_cached_and_is_audited(admin_client, org, session):
    reply = admin_client.post(f"/admin/employees/{org.employee.id}/activation")
    assert reply.headers["Cache-Control"] == "no-store"
    (entry,) = _audit(session, "activation_code_issued")
    assert entry.actor_id == org.admin.id and entry.object_id == str(org.employee.id)
