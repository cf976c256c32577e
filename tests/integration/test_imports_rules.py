"""Roster imports: every S17 rejection through the web and the command line (message shown,
nothing written, no upload left behind), and the upsert rules an admin relies on."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from surveyapp import xlsx_reader
from surveyapp.extensions import db
from surveyapp.models import AuditLog, Employee, Unit
from surveyapp.services import imports
from tests.factories import count_statements
from tests.integration.test_imports import HEADER, NIP_A, NIP_B, person, xlsx

UNIT_HEADER = imports.UNIT_COLUMNS


def _people(session) -> int:
    return session.scalar(sa.select(sa.func.count(Employee.id)))


def _units(session) -> int:
    return session.scalar(sa.select(sa.func.count(Unit.id)))


def _imported(session) -> int:
    return session.scalar(
        sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action.like("%_imported"))
    )


def _uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


def _bytes(target) -> bytes:
    return target.getvalue() if isinstance(target, io.BytesIO) else Path(target).read_bytes()


def _workbook_with_sheet(sheet_xml: str) -> bytes:
    """A real workbook whose first sheet is replaced by `sheet_xml`."""
    book = Workbook()
    book.active.append(["NIP"])
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def _last_row_at(number: int, header=(*HEADER, "Nama Unit", "Kode Induk")) -> bytes:
    """A header and one cell in row `number`: Excel counts every row up to it."""
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header)
    )
    return _workbook_with_sheet(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{cells}</row>'
        f'<row r="{number}"><c r="B{number}" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )


def _zip_bomb() -> bytes:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 60_000_000)
    return bomb.getvalue()


BAD_FILES = {
    "not_xlsx": (b"NIP;Nama\n198506122010011101;Dewi\n", "bukan berkas Excel (.xlsx)"),
    "zip_bomb": (_zip_bomb(), "jauh melebihi ukurannya"),
    "rows_over_200000": (_last_row_at(200_002), "Lebih dari 200.000 baris"),
    "damaged_sheet": (_workbook_with_sheet("<worksheet><sheetData><row"), "rusak"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_s17_bad_file_through_the_web_shows_why_and_writes_nothing(
    app, admin_client, org, session, case
):
    data, message = BAD_FILES[case]
    people, units, uploads = _people(session), _units(session), _uploads(app)
    for kind in ("employees", "units"):
        reply = admin_client.post(
            "/admin/imports",
            data={"kind": kind, "file": (io.BytesIO(data), "roster.xlsx")},
            content_type="multipart/form-data",
            follow_redirects=True,  # to the check's job, then its preview
        )
        assert reply.status_code == 422
        assert message in reply.text
        assert "/commit" not in reply.text
    assert (_people(session), _units(session), _imported(session)) == (people, units, 0)
    assert _uploads(app) == uploads


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_s17_bad_file_on_the_command_line_exits_1_and_writes_nothing(
    runner, org, session, tmp_path, case
):
    data, message = BAD_FILES[case]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(data)
    people = _people(session)
    result = runner.invoke(args=["import-employees", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert _people(session) == people and _imported(session) == 0


def test_s17_exactly_200000_rows_is_the_limit():
    sheet = xlsx_reader.open_sheet(io.BytesIO(_last_row_at(200_001)), ["NIP"])
    assert [number for number, _ in sheet.rows] == [200_001]
    with pytest.raises(xlsx_reader.SpreadsheetRejected, match="200.000"):
        list(xlsx_reader.open_sheet(io.BytesIO(_last_row_at(200_002)), ["NIP"]).rows)


def test_s17_a_20_mb_upload_is_refused_with_413_and_writes_nothing(app, admin_client, session):
    people, uploads = _people(session), _uploads(app)
    big = os.urandom(20 * 1024 * 1024)
    reply = admin_client.post(
        "/admin/imports",
        data={"kind": "employees", "file": (io.BytesIO(big), "roster.xlsx")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 413
    assert "Berkas terlalu besar" in reply.text
    assert _people(session) == people and _uploads(app) == uploads


def test_s17_a_20_mb_file_on_the_command_line_is_refused(runner, org, session, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(os.urandom(20 * 1024 * 1024))
    people = _people(session)
    result = runner.invoke(args=["import-employees", str(path)])
    assert result.exit_code == 1
    assert "lebih besar dari 15 MB" in result.output
    assert _people(session) == people


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (person(""), "A", "Sel ini wajib diisi."),
        (person(unit=""), "C", "Sel ini wajib diisi."),
        (person(Jenis=""), "F", "Sel ini wajib diisi."),
        (person(Nama="N" * 201), "B", "Paling banyak 200 karakter."),
        (person(Peran="superadmin"), "H", "Peran superadmin tidak dikenal"),
        (person(Email="dewi at contoh"), "G", "Ini bukan alamat email."),
    ],
)
def test_s17_more_bad_cells_through_the_web(admin_client, org, session, row, column, message):
    people = _people(session)
    reply = admin_client.post(
        "/admin/imports",
        data={"kind": "employees", "file": (xlsx([person(NIP_B), row]), "roster.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the check's job, then its preview
    )
    assert reply.status_code == 422
    assert f"<td>3</td><td>{column}</td><td>{message}" in reply.text
    assert "/commit" not in reply.text
    assert _people(session) == people


def test_s17_every_row_error_is_listed_by_the_command_line(runner, org, session, tmp_path):
    path = xlsx(
        [
            person(NIP_A),
            person(NIP_A),  # duplicate
            person(198506122010011101),  # a number
            person("1985061220100111", unit="NOPE"),  # 16 digits, unknown unit
        ],
        path=tmp_path / "roster.xlsx",
    )
    people = _people(session)
    result = runner.invoke(args=["import-employees", str(path), "--deactivate-missing"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "row 3, column A: NIP ini sudah ada di baris 2.",
        "row 4, column A: NIP tersimpan sebagai angka sehingga Excel membuang digit "
        "terakhirnya. Ubah format kolom NIP menjadi Teks lalu ketik ulang NIP-nya.",
        "row 5, column A: NIP terdiri atas 18 digit; yang ini 16 digit.",
        "row 5, column C: Kode unit NOPE tidak dikenal.",
    ]
    assert _people(session) == people
    assert all(p.active for p in session.scalars(sa.select(Employee)))


def test_s17_unit_cycle_on_the_command_line_writes_nothing(runner, org, session, tmp_path):
    path = xlsx(
        [["DINAS-A", "Dinas A", "A-1"], ["BARU", "Unit Baru", "ROOT"]],
        header=UNIT_HEADER,
        path=tmp_path / "units.xlsx",
    )
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "row 2, column C: Induk ini membuat unit menjadi leluhurnya sendiri (siklus)."
    ]
    assert session.scalar(sa.select(Unit).where(Unit.code == "BARU")) is None
    assert session.get(Unit, org.dinas_a.id).parent_id == org.root.id


def test_s17_inactive_unit_code_is_refused(org, session):
    org.dinas_b.active = False
    session.flush()
    plan = imports.plan_employees(xlsx([person(unit="DINAS-B")]))
    assert [e.line() for e in plan.errors] == ["row 2, column C: Unit DINAS-B tidak aktif."]


def test_s17_headers_are_case_insensitive_but_a_missing_column_is_named():
    reordered = ["nama", "NIP", "kode unit", "JABATAN", "golongan", "Jenis"]
    plan = imports.plan_employees(
        xlsx([["Dewi", NIP_A, "NOPE", "Analis", "III/a", "PNS"]], header=reordered)
    )
    assert [e.line() for e in plan.errors] == ["row 2, column C: Kode unit NOPE tidak dikenal."]
    with pytest.raises(xlsx_reader.SpreadsheetRejected, match="Kolom yang tidak ada: Jenis"):
        imports.plan_employees(xlsx([[NIP_A]], header=HEADER[:5]))
    with pytest.raises(xlsx_reader.SpreadsheetRejected, match="Kolom nip muncul dua kali"):
        imports.plan_employees(xlsx([], header=[*HEADER, "nip"]))


# --- upsert rules ----------------------------------------------------------------------------


def _apply(file, actor, **kw):
    plan = imports.plan_employees(file, actor=actor, **kw)
    assert plan.ok, [e.line() for e in plan.errors]
    codes = imports.apply_employees(plan, actor=actor)
    db.session.flush()
    return plan, list(codes)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org, session):
    rows = [person(NIP_A, Peran="hr"), person(NIP_B, Email="b@contoh.go.id")]
    first, codes = _apply(xlsx(rows), org.admin)
    assert first.counts()["create"] == 2 and len(codes) == 2
    again = imports.plan_employees(xlsx(rows), actor=org.admin)
    assert again.counts() == {"rows": 2, "create": 0, "update": 0, "deactivate": 0, "errors": 0}


def test_without_a_peran_or_email_column_roles_and_emails_are_kept(org, session):
    org.colleague.email = "budi@contoh.go.id"
    session.flush()
    header = HEADER[:6]
    row = [org.colleague.nip, "Budi Santoso", "A-1", "Kepala Seksi", "III/d", "PNS"]
    hr_row = [org.hr_a.nip, org.hr_a.name, "DINAS-A", "Analis", "III/a", "PNS"]
    plan, _ = _apply(xlsx([row, hr_row], header=header), org.admin)
    assert plan.counts()["update"] == 1  # only the colleague's jabatan and golongan changed
    session.expire_all()
    assert session.get(Employee, org.colleague.id).email == "budi@contoh.go.id"
    assert session.get(Employee, org.colleague.id).jabatan == "Kepala Seksi"
    hr = session.get(Employee, org.hr_a.id)
    assert hr.is_hr and hr.hr_unit_id == org.dinas_a.id


def test_hr_role_from_the_file_gets_a_scope_and_losing_it_clears_the_scope(org, session):
    _apply(xlsx([person(org.colleague.nip, "A-1", Nama="Budi", Peran="pegawai, HR")]), org.admin)
    session.expire_all()
    person_ = session.get(Employee, org.colleague.id)
    assert person_.is_hr and person_.hr_unit_id == org.bidang_a1.id
    _apply(xlsx([person(org.hr_a.nip, "DINAS-A", Nama=org.hr_a.name, Peran="")]), org.admin)
    session.expire_all()
    hr = session.get(Employee, org.hr_a.id)
    assert not hr.is_hr and hr.hr_unit_id is None


def test_the_file_cannot_take_the_importing_admins_role(org, session):
    plan = imports.plan_employees(
        xlsx([person(org.admin.nip, "ROOT", Nama="Admin Kota", Peran="pegawai")]), actor=org.admin
    )
    assert [e.line() for e in plan.errors] == [
        "row 2, column H: Anda tidak dapat mencabut peran admin Anda sendiri."
    ]


def test_deactivate_missing_spares_the_importing_admin_and_ends_sessions(org, session):
    versions = {p.id: p.session_version for p in session.scalars(sa.select(Employee))}
    plan, _ = _apply(
        xlsx([person(org.employee.nip, "A-1", Nama=org.employee.name)]),
        org.admin,
        deactivate_missing=True,
    )
    assert plan.counts()["deactivate"] == len(versions) - 2  # not the listed one, not the admin
    session.expire_all()
    admin = session.get(Employee, org.admin.id)
    assert admin.active and admin.session_version == versions[org.admin.id]
    other = session.get(Employee, org.other.id)
    assert not other.active and other.session_version == versions[org.other.id] + 1
    assert _people(session) == len(versions)  # nobody deleted


def test_web_preview_names_who_would_be_deactivated(admin_client, org, session):
    reply = admin_client.post(
        "/admin/imports",
        data={
            "kind": "employees",
            "deactivate_missing": "y",
            "file": (xlsx([person(org.employee.nip, "A-1", Nama="Siti Rahmawati")]), "r.xlsx"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,  # to the check's job, then its preview
    )
    assert reply.status_code == 200
    assert "Akan dinonaktifkan" in reply.text and "Made Wirawan" in reply.text
    assert "Admin Kota" not in reply.text.split("Akan dinonaktifkan")[1]
    assert session.get(Employee, org.other.id).active  # a preview only


def test_web_commit_rechecks_the_stored_file_and_removes_it(app, admin_client, org, session):
    reply = admin_client.post(
        "/admin/imports",
        data={"kind": "employees", "file": (xlsx([person()]), "roster.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the check's job, then its preview
    )
    token = reply.text.split("/admin/imports/")[1].split("/commit")[0]
    stored = imports.upload_path(app, token)
    assert stored.stat().st_mode & 0o077 == 0  # readable by the app's user only
    stored.write_bytes(_bytes(xlsx([person("123")])))  # the file changed in between
    started = admin_client.post(f"/admin/imports/{token}/commit", data={"kind": "employees"})
    job = admin_client.get(started.headers["Location"]).text
    assert "tidak lagi lolos pemeriksaan" in job
    assert session.scalar(sa.select(Employee).where(Employee.nip == NIP_A)) is None


def test_old_uploads_are_forgotten_by_jobs_cleanup(app, runner, admin_client, org):
    for path in _uploads(app):  # whatever earlier tests left
        path.unlink()
    for _ in range(2):
        admin_client.post(
            "/admin/imports",
            data={"kind": "employees", "file": (xlsx([person()]), "roster.xlsx")},
            content_type="multipart/form-data",
            follow_redirects=True,  # to the check's job, then its preview
        )
    old, fresh = _uploads(app)
    day_ago = old.stat().st_mtime - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    result = runner.invoke(args=["jobs-cleanup"])
    assert result.output.strip().endswith("uploads 1")
    assert _uploads(app) == [fresh]


def _statements_to_import(org, n: int, offset: int, mover) -> int:
    """New people and one move; statements counted for the write only."""
    news = [person(f"19900101201503{offset + i:04d}", "A-1", Nama=f"P {i}") for i in range(n)]
    moved = [person(mover.nip, "DINAS-B", Nama=mover.name)]
    plan = imports.plan_employees(xlsx(news + moved), actor=org.admin)
    with count_statements() as statements:
        codes = imports.apply_employees(plan, actor=org.admin)
        db.session.flush()
    assert len(codes) == n
    return len(statements)


def test_import_writes_in_bulk_not_row_by_row(org, session):
    small = _statements_to_import(org, 20, 0, org.employee)
    large = _statements_to_import(org, 200, 1000, org.colleague)
    assert small == large


# --- one way in: the command line and the job both import through run_import ---------------


def test_run_import_writes_nothing_on_a_dry_run_or_an_error_and_hands_back_the_codes(org, session):
    before = _people(session)
    dry = imports.run_import(xlsx([person()]), "employees", dry_run=True)
    assert dry.ok and not dry.applied and dry.codes is None and dry.counts["create"] == 1
    bad = imports.run_import(xlsx([person(), person(NIP_A)]), "employees", actor=org.admin)
    assert not bad.ok and not bad.applied
    assert [e.line() for e in bad.errors] == ["row 3, column A: NIP ini sudah ada di baris 2."]
    assert _people(session) == before
    phases: list[str] = []
    done = imports.run_import(
        xlsx([person()]), "employees", actor=org.admin, progress=phases.append
    )
    assert done.applied and phases == ["check", "write"]
    assert [nip for nip, _name, _code in done.codes] == [NIP_A]
    done.codes.close()
    units = imports.run_import(
        xlsx([["BARU", "Unit Baru", "ROOT"]], header=UNIT_HEADER), "units", actor=org.admin
    )
    assert units.applied and units.codes is None and units.counts["create"] == 1
    session.flush()
    assert _people(session) == before + 1
    assert session.scalar(sa.select(Unit).where(Unit.code == "BARU")).parent_id == org.root.id


def test_the_command_line_and_the_job_both_import_through_run_import(
    app, runner, admin_client, org, session, tmp_path, monkeypatch
):
    calls = []
    real = imports.run_import

    def spy(source, kind, **options):
        calls.append((kind, options.get("dry_run", False)))
        return real(source, kind, **options)

    monkeypatch.setattr(imports, "run_import", spy)
    path = xlsx([person()], path=tmp_path / "roster.xlsx")
    assert runner.invoke(args=["import-employees", str(path), "--dry-run"]).exit_code == 0
    reply = admin_client.post(
        "/admin/imports",
        data={"kind": "employees", "file": (xlsx([person()]), "roster.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    token = reply.text.split("/admin/imports/")[1].split("/commit")[0]
    admin_client.post(f"/admin/imports/{token}/commit", data={"kind": "employees"})
    assert calls == [("employees", True), ("employees", False)]
    assert session.scalar(sa.select(Employee).where(Employee.nip == NIP_A)) is not None
