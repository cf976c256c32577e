"""One rule for a field, wherever the value comes from: the admin's edit forms and the roster
import refuse the same values with the same words, and nothing is cut short to fit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.models import AuditLog, Employee, Unit
from surveyapp.services import imports
from tests.integration.test_imports import NIP_B, person, xlsx
from tests.integration.test_imports_rules import UNIT_HEADER

LONG_NAME = "N" * 201


def _row(session, person_id: int) -> dict:
    """Every column of a person's row, read from the database."""
    row = session.execute(sa.select(Employee.__table__).where(Employee.id == person_id)).one()
    return dict(row._mapping)


def _audited(session) -> int:
    return session.scalar(sa.select(sa.func.count(AuditLog.id)))


def _edit(person, **changes) -> dict:
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "jabatan": person.jabatan,
        "golongan": person.golongan,
        "jenis": person.jenis,
        "active": "1",
    }
    data.update(changes)
    return data


def _field_error(page: str, field: str) -> str:
    """The message the `field` macro shows next to a field ("" when there is none)."""
    marker = f'<p class="field-error" id="{field}-error">'
    return page.split(marker)[1].split("</p>")[0] if marker in page else ""


def _import_error(**cells) -> str:
    """The import's one error line for a row of a person with `cells` changed."""
    plan = imports.plan_employees(xlsx([person(NIP_B, **cells)]))
    (error,) = plan.errors
    return error.line()


@pytest.mark.parametrize(
    ("field", "value", "column", "cell", "message"),
    [
        ("email", "dewi @contoh.go.id", "G", "Email", "Ini bukan alamat email."),
        ("email", "dewi@contoh .go.id", "G", "Email", "Ini bukan alamat email."),
        ("name", LONG_NAME, "B", "Nama", "Paling banyak 200 karakter."),
        ("golongan", "G" * 21, "E", "Golongan", "Paling banyak 20 karakter."),
        ("jenis", "Honorer", "F", "Jenis", "Jenis harus PNS atau PPPK."),
    ],
)
def test_the_edit_form_and_the_import_refuse_alike_and_write_nothing(
    admin_client, org, session, field, value, column, cell, message
):
    before, audited = _row(session, org.colleague.id), _audited(session)
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague, **{field: value})
    )
    assert reply.status_code == 422
    assert _field_error(reply.text, field) == message  # next to its field
    if field != "jenis":  # a select offers only its choices
        assert f'value="{value}"' in reply.text  # what was typed is shown again, not cut short
    assert _row(session, org.colleague.id) == before and _audited(session) == audited
    assert _import_error(**{cell: value}) == f"row 2, column {column}: {message}"


def test_a_name_is_refused_in_english_too(admin_client, org, session):
    admin_client.post("/locale", data={"lang": "en"})
    before = _row(session, org.colleague.id)
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague, name=LONG_NAME)
    )
    assert reply.status_code == 422
    assert _field_error(reply.text, "name") == "At most 200 characters."
    assert _row(session, org.colleague.id) == before


def test_an_empty_name_is_required_in_the_form_and_in_the_file(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague, name="   ")
    )
    assert reply.status_code == 422
    assert _field_error(reply.text, "name") == "Isian ini wajib diisi."
    assert session.get(Employee, org.colleague.id).name == "Budi Santoso"
    assert _import_error(Nama="   ") == "row 2, column B: Sel ini wajib diisi."


def test_a_valid_edit_saves_the_normalised_values(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}",
        data=_edit(
            org.colleague,
            name="  Budi   Santoso\tPutra ",
            jabatan=" Pranata  Komputer ",
            jenis="pppk",
            golongan="ix",  # a PPPK grade (III/a is a PNS golongan)
            email=" Budi.S@Contoh.GO.ID ",
            is_hr="1",
        ),
    )
    assert reply.status_code == 303
    person = session.get(Employee, org.colleague.id)
    assert person.name == "Budi Santoso Putra" and person.jabatan == "Pranata Komputer"
    assert person.jenis == "PPPK" and person.email == "Budi.S@contoh.go.id"
    assert person.golongan == "IX"
    assert person.is_hr and person.hr_unit_id == org.bidang_a1.id
    (entry,) = session.scalars(sa.select(AuditLog).where(AuditLog.action == "employee_changed"))
    assert entry.after["name"] == "Budi Santoso Putra"


def test_the_import_stores_what_the_form_would_store(org, session):
    plan = imports.plan_employees(
        xlsx([person(NIP_B, Nama=" Dewi   Lestari ", Email="Dewi@Contoh.GO.ID", Jenis="pns")])
    )
    assert plan.ok, [e.line() for e in plan.errors]
    imports.apply_employees(plan, actor=org.admin).close()
    session.flush()
    dewi = session.scalar(sa.select(Employee).where(Employee.nip == NIP_B))
    assert (dewi.name, dewi.email, dewi.jenis) == ("Dewi Lestari", "Dewi@contoh.go.id", "PNS")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("DINAS C", "Kode unit tidak boleh mengandung spasi."),
        ("K" * 41, "Paling banyak 40 karakter."),
    ],
)
def test_the_unit_form_and_the_unit_import_refuse_a_code_alike(
    admin_client, org, session, code, message
):
    units = session.scalar(sa.select(sa.func.count(Unit.id)))
    reply = admin_client.post("/admin/units", data={"code": code, "name": "Dinas C"})
    assert reply.status_code == 422
    assert _field_error(reply.text, "code") == message
    plan = imports.plan_units(xlsx([[code, "Dinas C", "ROOT"]], header=UNIT_HEADER))
    assert [e.line() for e in plan.errors] == [f"row 2, column A: {message}"]
    assert session.scalar(sa.select(sa.func.count(Unit.id))) == units


def test_a_unit_name_is_refused_not_cut_short(admin_client, org, session):
    reply = admin_client.post(f"/admin/units/{org.dinas_a.id}", data={"name": "D" * 201})
    assert reply.status_code == 422
    assert _field_error(reply.text, "name") == "Paling banyak 200 karakter."
    unit = session.get(Unit, org.dinas_a.id)
    assert unit.name == "Dinas A" and unit.parent_id == org.root.id
    plan = imports.plan_units(xlsx([["DINAS-A", "D" * 201, "ROOT"]], header=UNIT_HEADER))
    assert [e.line() for e in plan.errors] == ["row 2, column B: Paling banyak 200 karakter."]


def test_a_control_character_is_refused_by_form_and_import(admin_client, org, session):
    reply = admin_client.post(
        f"/admin/employees/{org.colleague.id}", data=_edit(org.colleague, jabatan="Analis\x00")
    )
    assert reply.status_code == 422
    assert _field_error(reply.text, "jabatan") == "Karakter kendali (kontrol) tidak diperbolehkan."
    assert session.get(Employee, org.colleague.id).jabatan == "Analis"


def test_create_admin_refuses_a_name_the_import_refuses(runner, session):
    result = runner.invoke(
        args=["create-admin", "--nip", "198001012005011001", "--name", LONG_NAME],
        input="Sandi-Admin-Kuat-1\n",
    )
    assert result.exit_code != 0
    assert "Name refused: At most 200 characters." in result.output
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == 0
