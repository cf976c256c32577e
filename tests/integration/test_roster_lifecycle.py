"""The roster's life around an open period (issue 20): people imported while a period is open
reach it, late joiners come by list, the command line keeps the activation codes, the done page
says what happened, the template imports cleanly, and golongan follows the jenis."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.models import AuditLog, Employee, Response, RosterEntry
from surveyapp.services import imports, periods
from tests.integration.test_imports import NIP_A, NIP_B, person, xlsx

NIP_C = "199203032016042003"


def _on_roster(session, period, employee_id) -> RosterEntry | None:
    return session.scalar(
        sa.select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.employee_id == employee_id
        )
    )


def _by_nip(session, nip) -> Employee:
    return session.scalar(sa.select(Employee).where(Employee.nip == nip))


def _preview(admin_client, rows):
    upload = {"kind": "employees", "file": (xlsx(rows), "roster.xlsx")}
    page = admin_client.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    )
    assert page.status_code == 200, page.text
    return page.text, page.text.split("/admin/imports/")[1].split("/commit")[0]


# --- an import while a period is open ---------------------------------------------------------


def test_preview_offers_the_open_period_and_the_commit_adds_new_and_moved_people(
    admin_client, build, org, session
):
    period = build.period([org.dinas_a])  # DINAS-A and A-1 are in it, DINAS-B is not
    build.response(period, org.employee, submitted=True)
    rows = [
        person(NIP_A, "A-1"),  # new, in the period's units
        person(NIP_B, "DINAS-B"),  # new, outside them
        person(org.other.nip, "DINAS-A", Nama=org.other.name),  # moves into the period's units
        person(org.employee.nip, "DINAS-B", Nama=org.employee.name),  # moves out, answered
    ]
    page, token = _preview(admin_client, rows)
    assert "Periode yang sedang berjalan" in page and period.code in page
    assert f"→ {period.code}" in page  # per person: the period they would join
    assert 'name="join" value="1" checked' in page  # offered, on by default
    table = page.split('id="open-periods-title"')[1].split("</table>")[0]
    cells = [c.split(">")[-1] for c in table.split("</td>")[:-1]]
    assert cells == ["1", "1", "1"]  # new, others coming in, moved but staying
    assert "1 pegawai baru berada di unit yang tidak tercakup" in page
    assert _on_roster(session, period, org.other.id) is None  # a preview writes nothing

    done = admin_client.post(
        f"/admin/imports/{token}/commit", data={"kind": "employees", "join": "1"}
    )
    assert done.status_code == 303
    new_a, new_b = _by_nip(session, NIP_A), _by_nip(session, NIP_B)
    entry = _on_roster(session, period, new_a.id)
    assert (entry.unit_id, entry.unit_path) == (org.bidang_a1.id, org.bidang_a1.path)
    assert _on_roster(session, period, new_b.id) is None  # no open period covers DINAS-B
    moved_in = _on_roster(session, period, org.other.id)
    assert moved_in.unit_id == org.dinas_a.id
    # The person who moved out keeps their place, in the unit they had, and their response.
    stayed = _on_roster(session, period, org.employee.id)
    assert stayed.unit_id == org.bidang_a1.id
    response = session.scalar(sa.select(Response).where(Response.employee_id == org.employee.id))
    assert response.state == "submitted" and response.unit_id == org.bidang_a1.id
    assert session.get(Employee, org.employee.id).unit_id == org.dinas_b.id
    # The done page says what happened.
    page = admin_client.get(done.headers["Location"]).text
    assert "2</strong> akun dibuat" in page and "2</strong> akun diperbarui" in page
    assert f"2 orang ditambahkan ke daftar peserta periode {period.code}" in page


def test_unticking_the_offer_leaves_the_rosters_alone(admin_client, build, org, session):
    period = build.period([org.dinas_a])
    _page, token = _preview(admin_client, [person(NIP_A, "A-1")])
    admin_client.post(f"/admin/imports/{token}/commit", data={"kind": "employees"})
    assert _on_roster(session, period, _by_nip(session, NIP_A).id) is None


def test_an_employee_on_no_open_period_is_told_whom_to_ask(app, build, org, login, session):
    build.period([org.dinas_b])
    newcomer = build.employee(org.bidang_a1, name="Pegawai Baru")
    page = login(newcomer, app.test_client()).get("/").text
    assert "tidak ada periode penilaian yang dibuka untuk Anda" in page
    assert "petugas SDM Anda: Rina HR A" in page  # DINAS-A's HR officer, not DINAS-B's
    assert "Agus HR B" not in page
    assert "Admin Kota" in page.split("administrator")[1]


# --- late joiners by list -------------------------------------------------------------------


def test_late_joiners_by_a_pasted_list_all_or_nothing(admin_client, build, org, session):
    period = build.period([org.dinas_a])
    first = build.employee(org.bidang_a1, name="Pegawai Satu")
    second = build.employee(org.dinas_a, name="Pegawai Dua")
    elsewhere = build.employee(org.dinas_b, name="Pegawai Dinas B")
    url = f"/admin/periods/{period.id}/roster"
    spaced = f"{first.nip[:8]} {first.nip[8:14]} {first.nip[14]} {first.nip[15:]}"
    bad = "\n".join(
        [spaced, "12345", "198001012005011999", org.employee.nip, elsewhere.nip, first.nip]
    )
    entries = session.scalar(sa.select(sa.func.count(RosterEntry.id)))
    reply = admin_client.post(url, data={"joiner-nips": bad})
    assert reply.status_code == 422
    page = reply.text
    assert "5 baris ditolak, jadi tidak ada yang ditambahkan" in page
    problems = page.split("<caption>")[1].split("</table>")[0]
    for line, message in (
        (2, "Bukan NIP: NIP terdiri atas 18 digit."),
        (3, "Tidak ada pegawai dengan NIP ini."),
        (4, "Siti Rahmawati sudah terdaftar sebagai peserta; hapus baris ini."),
        (5, "Pegawai Dinas B: unit DINAS-B tidak termasuk dalam periode."),
        (6, "Sudah ada di baris 1."),
    ):
        assert f">{line}</td>" in problems and message in problems
    assert spaced in page  # the list comes back as typed
    assert session.scalar(sa.select(sa.func.count(RosterEntry.id))) == entries

    good = f"{spaced}\n\n{second.nip}\n"
    done = admin_client.post(url, data={"joiner-nips": good})
    assert done.status_code == 303
    assert (
        "2 orang ditambahkan ke daftar peserta." in admin_client.get(done.headers["Location"]).text
    )
    for who, unit in ((first, org.bidang_a1), (second, org.dinas_a)):
        entry = _on_roster(session, period, who.id)
        assert (entry.unit_id, entry.unit_path) == (unit.id, unit.path)


def test_everyone_one_import_created_joins_at_once(admin_client, build, org, session):
    period = build.period([org.dinas_a])
    plan = imports.plan_employees(
        xlsx([person(NIP_A, "A-1"), person(NIP_B, "DINAS-A"), person(NIP_C, "DINAS-B")])
    )
    imports.apply_employees(plan, actor=org.admin)  # not joined at import time
    session.flush()
    entry = session.scalar(
        sa.select(AuditLog)
        .where(AuditLog.action == "employees_imported")
        .order_by(AuditLog.id.desc())
    )
    page = admin_client.get(f"/admin/periods/{period.id}").text
    assert "3 akun dibuat" in page  # the import is offered by its count
    reply = admin_client.post(
        f"/admin/periods/{period.id}/roster/import", data={"byimport-entry": str(entry.id)}
    )
    message = admin_client.get(reply.headers["Location"]).text
    assert "Dari 3 akun yang dibuat impor itu, 2 ditambahkan" in message
    assert "1 tidak aktif atau berada di unit di luar periode" in message
    assert _on_roster(session, period, _by_nip(session, NIP_A).id)
    assert _on_roster(session, period, _by_nip(session, NIP_B).id)
    assert _on_roster(session, period, _by_nip(session, NIP_C).id) is None
    # Again: nothing more, and nothing refused.
    again = periods.add_import_to_period(period, entry.id, actor=org.admin)
    assert (again.added, again.already, again.outside) == (0, 2, 1)


# --- the command line -------------------------------------------------------------------------


def test_cli_import_into_a_missing_instance_folder_keeps_the_codes(
    app, runner, org, session, tmp_path, monkeypatch
):
    missing = tmp_path / "srv" / "instance"  # the database lives elsewhere; no instance/ yet
    monkeypatch.setattr(app, "instance_path", str(missing))
    path = xlsx([person(), person(NIP_B)], path=tmp_path / "roster.xlsx")
    done = runner.invoke(args=["import-employees", str(path)])
    assert done.exit_code == 0, done.output
    codes_file = Path(done.stdout.strip().splitlines()[-1].split(": ", 1)[1])
    assert codes_file.parent == missing and (missing.stat().st_mode & 0o777) == 0o700
    sheet = load_workbook(codes_file).active
    assert sorted(sheet.cell(r, 1).value for r in (2, 3)) == sorted([NIP_A, NIP_B])
    assert _by_nip(session, NIP_A) is not None


def test_cli_codes_output_and_a_failed_write_imports_nothing(app, runner, org, session, tmp_path):
    path = xlsx([person()], path=tmp_path / "roster.xlsx")
    target = tmp_path / "new" / "folder" / "kode.xlsx"
    done = runner.invoke(args=["import-employees", str(path), "--codes-output", str(target)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().endswith(f"activation codes for 1 new accounts: {target}")
    assert load_workbook(target).active.cell(2, 1).value == NIP_A
    # A file that exists is refused before anything is written.
    again = xlsx([person(NIP_B)], path=tmp_path / "roster2.xlsx")
    refused = runner.invoke(args=["import-employees", str(again), "--codes-output", str(target)])
    assert refused.exit_code == 1 and "exists" in refused.output
    assert _by_nip(session, NIP_B) is None
    # A folder that cannot be made: the import is refused, nothing is written.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    failed = runner.invoke(
        args=["import-employees", str(again), "--codes-output", str(blocker / "kode.xlsx")]
    )
    assert failed.exit_code != 0
    assert _by_nip(session, NIP_B) is None


def test_cli_import_joins_open_periods_unless_told_not_to(runner, build, org, session, tmp_path):
    period = build.period([org.dinas_a])
    path = xlsx([person(NIP_A, "A-1")], path=tmp_path / "roster.xlsx")
    done = runner.invoke(args=["import-employees", str(path), "--no-join-open-periods"])
    assert done.exit_code == 0, done.output
    assert _on_roster(session, period, _by_nip(session, NIP_A).id) is None
    path = xlsx([person(NIP_B, "A-1")], path=tmp_path / "roster2.xlsx")
    done = runner.invoke(args=["import-employees", str(path)])
    assert f"joined {period.code} 1" in done.stdout
    assert _on_roster(session, period, _by_nip(session, NIP_B).id)


# --- the done page ----------------------------------------------------------------------------


def test_the_done_page_explains_the_one_time_codes(admin_client, org, session):
    rows = [person(), person(org.other.nip, "DINAS-A", Nama="Made Wirawan")]
    upload = {"kind": "employees", "file": (xlsx(rows), "roster.xlsx"), "deactivate_missing": "y"}
    page = admin_client.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    ).text
    token = page.split("/admin/imports/")[1].split("/commit")[0]
    started = admin_client.post(
        f"/admin/imports/{token}/commit", data={"kind": "employees", "deactivate": "1"}
    )
    job_url = started.headers["Location"]
    page = admin_client.get(job_url).text
    deactivated = session.scalar(
        sa.select(sa.func.count(Employee.id)).where(Employee.active.is_(False))
    )
    assert "1</strong> akun dibuat" in page and "1</strong> akun diperbarui" in page
    assert f"{deactivated}</strong> akun dinonaktifkan" in page and deactivated == 4
    assert "kode aktivasi sekali pakai" in page
    assert "/activate" in page  # how to hand them out: where people use the code
    assert "dihapus begitu diunduh" in page  # when the file disappears
    assert admin_client.get(job_url + "/download").status_code == 200
    after = admin_client.get(job_url).text
    assert "sudah diunduh, jadi berkasnya sudah tidak ada" in after


# --- the template -----------------------------------------------------------------------------


def test_the_template_round_trip(admin_client, org, session):
    reply = admin_client.get("/admin/imports/template.xlsx")
    assert reply.status_code == 200
    book = load_workbook(io.BytesIO(reply.data))
    assert book.sheetnames == ["Pegawai", "Petunjuk"]
    sheet = book["Pegawai"]
    headers = [c.value for c in sheet[1]]
    assert headers == imports.EMPLOYEE_COLUMNS + imports.OPTIONAL_EMPLOYEE_COLUMNS
    assert sheet["A2"].number_format == "@" and sheet["A3"].number_format == "@"
    notes = [str(c.value) for row in book["Petunjuk"].iter_rows() for c in row if c.value]
    assert any("18 digit" in n for n in notes) and "Golongan" in notes
    # The example row alone is refused (its unit CONTOH does not exist): never imported by mistake.
    example = io.BytesIO(reply.data)
    plan = imports.plan_employees(example)
    assert [e.line() for e in plan.errors] == ["row 2, column C: Kode unit CONTOH tidak dikenal."]
    # Filled in as an admin would: over the example row and below it.
    fill = {"NIP": NIP_A, "Kode Unit": "A-1", "Golongan": "IX", "Jenis": "PPPK"}
    for col, name in enumerate(headers, 1):
        if name in fill:
            sheet.cell(2, col, fill[name])
    sheet.append([NIP_B, "Budi Hartono", "DINAS-B", "", "iv/b", "pns", "", "hr"])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    plan = imports.plan_employees(filled)
    assert plan.ok, [e.line() for e in plan.errors]
    imports.apply_employees(plan, actor=org.admin)
    session.flush()
    a, b = _by_nip(session, NIP_A), _by_nip(session, NIP_B)
    assert (a.golongan, a.jenis, a.unit_id) == ("IX", "PPPK", org.bidang_a1.id)
    assert (b.golongan, b.jenis, b.is_hr) == ("IV/b", "PNS", True)


def test_the_template_explains_in_english_in_the_en_locale(admin_client):
    admin_client.post("/locale", data={"lang": "en"})
    book = load_workbook(io.BytesIO(admin_client.get("/admin/imports/template.xlsx").data))
    notes = " ".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row if c.value)
    assert "How to fill in this roster" in notes and "18 digits" in notes
    assert [c.value for c in book["Pegawai"][1]][:3] == ["NIP", "Nama", "Kode Unit"]


def test_the_import_page_links_to_the_template(admin_client):
    assert "/admin/imports/template.xlsx" in admin_client.get("/admin/imports").text


# --- golongan ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("golongan", "jenis", "message"),
    [
        ("III/z", "PNS", "III/z bukan golongan"),
        ("IV/f", "PNS", "IV/f bukan golongan"),
        ("I/e", "PNS", "I/e bukan golongan"),
        ("XVIII", "PPPK", "XVIII bukan golongan"),
        ("IX", "PNS", "IX adalah golongan PPPK"),
        ("III/a", "PPPK", "III/a adalah golongan PNS"),
    ],
)
def test_golongan_is_checked_against_the_jenis_per_row(org, session, golongan, jenis, message):
    before = session.scalar(sa.select(sa.func.count(Employee.id)))
    plan = imports.plan_employees(xlsx([person(NIP_B, Golongan=golongan, Jenis=jenis)]))
    (error,) = plan.errors
    assert (error.row, error.column) == (2, "E") and message in error.message
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == before


def test_golongan_edges_are_accepted(org, session):
    rows = [
        person(NIP_A, Golongan="I/a", Jenis="PNS"),
        person(NIP_B, Golongan="IV/e", Jenis="PNS"),
        person(NIP_C, Golongan="XVII", Jenis="PPPK"),
        person("199404042017051004", Golongan="I", Jenis="PPPK"),
        person("199505052018061005", Golongan="", Jenis="PNS"),
    ]
    plan = imports.plan_employees(xlsx(rows))
    assert plan.ok, [e.line() for e in plan.errors]


def test_the_edit_form_refuses_a_golongan_that_does_not_suit_the_jenis(admin_client, org, session):
    colleague = org.colleague
    data = {
        "name": colleague.name,
        "unit": colleague.unit_id,
        "jabatan": colleague.jabatan,
        "golongan": "IX",
        "jenis": "PNS",
        "active": "1",
    }
    reply = admin_client.post(f"/admin/employees/{colleague.id}", data=data)
    assert reply.status_code == 422
    assert 'id="golongan-error">IX adalah golongan PPPK' in reply.text
    assert session.get(Employee, colleague.id).golongan == "III/a"
    data.update(golongan="ix", jenis="pppk")
    assert admin_client.post(f"/admin/employees/{colleague.id}", data=data).status_code == 303
    assert session.get(Employee, colleague.id).golongan == "IX"
