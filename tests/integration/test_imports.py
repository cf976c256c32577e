"""Roster imports (S17): every bad file or row is refused with a clear message, nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from surveyapp.models import Employee, Unit
from surveyapp.services import accounts, imports
from surveyapp.xlsx_reader import MAX_ROWS, SpreadsheetRejected

HEADER = ["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis", "Email", "Peran"]
NIP_A = "198506122010011101"
NIP_B = "199001012015032002"


def xlsx(rows, header=HEADER, path=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    target = path or io.BytesIO()
    book.save(target)
    if not path:
        target.seek(0)
    return target


def person(nip=NIP_A, unit="DINAS-A", **overrides):
    row = {
        "NIP": nip,
        "Nama": "Dewi Lestari",
        "Kode Unit": unit,
        "Jabatan": "Analis",
        "Golongan": "III/b",
        "Jenis": "PNS",
        "Email": "",
        "Peran": "",
    }
    row.update(overrides)
    return [row[h] for h in HEADER]


def _count(session, model=Employee):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _plan(file, **kw):
    return imports.plan_employees(file, **kw)


def test_a_good_file_creates_updates_and_issues_activation_codes(org, session):
    before = _count(session)
    plan = _plan(
        xlsx(
            [
                person(),
                person(NIP_B, "A-1", Peran="pegawai, hr"),
                person(org.other.nip, "DINAS-A", Nama="Made Wirawan"),
            ]
        )
    )
    assert plan.ok, [e.line() for e in plan.errors]
    assert plan.counts() == {"rows": 3, "create": 2, "update": 1, "deactivate": 0, "errors": 0}
    codes = imports.apply_employees(plan, actor=org.admin)
    session.flush()
    assert _count(session) == before + 2
    hr = session.scalar(sa.select(Employee).where(Employee.nip == NIP_B))
    assert hr.is_hr and hr.hr_unit_id == org.bidang_a1.id and hr.password_hash is None
    nip, _name, code = next(c for c in codes if c[0] == NIP_B)
    assert accounts.verify_code(hr.activation_code_hash, nip, code)
    session.refresh(org.other)
    assert org.other.unit_id == org.dinas_a.id  # moved by the import


def test_deactivate_missing_never_deletes(org, session):
    before = _count(session)
    plan = _plan(
        xlsx([person(org.employee.nip, "A-1", Nama=org.employee.name)]), deactivate_missing=True
    )
    assert plan.ok and len(plan.deactivate) == before - 1
    imports.apply_employees(plan, actor=org.admin)
    session.flush()
    assert _count(session) == before
    session.refresh(org.colleague)
    assert org.colleague.active is False


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (person("19850612201001110"), "A", "NIP terdiri atas 18 digit; yang ini 17 digit."),
        (person("1985061220100111012"), "A", "NIP terdiri atas 18 digit; yang ini 19 digit."),
        (person(198506122010011101), "A", "Ubah format kolom NIP menjadi Teks"),
        (person(unit="NOPE"), "C", "Kode unit NOPE tidak dikenal."),
        (person(Nama=""), "B", "Sel ini wajib diisi."),
        (person(Jenis="Honorer"), "F", "Jenis harus PNS atau PPPK."),
        (person(Peran="pegawai, raja"), "H", "Peran raja tidak dikenal"),
    ],
)
def test_s17_bad_rows_are_named_by_row_and_column_and_nothing_is_written(
    org, session, row, column, message
):
    before = _count(session)
    plan = _plan(xlsx([person(NIP_B), row]))
    assert not plan.ok
    (error,) = plan.errors
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    with pytest.raises(ValueError):
        imports.apply_employees(plan, actor=org.admin)
    assert _count(session) == before


def test_s17_duplicate_nip_in_one_file(org, session):
    plan = _plan(xlsx([person(), person(NIP_B), person(NIP_A)]))
    assert [e.line() for e in plan.errors] == ["row 4, column A: NIP ini sudah ada di baris 2."]


def test_s17_unit_cycle_and_unknown_parent(org, session):
    rows = [["X1", "Satu", "X2"], ["X2", "Dua", "X1"], ["X3", "Tiga", "ZZ"]]
    plan = imports.plan_units(xlsx(rows, header=imports.UNIT_COLUMNS))
    lines = [e.line() for e in plan.errors]
    assert "row 2, column C: Induk ini membuat unit menjadi leluhurnya sendiri (siklus)." in lines
    assert "row 4, column C: Kode unit ZZ tidak dikenal." in lines
    assert _count(session, Unit) == 4


def test_units_import_creates_children_after_parents_and_moves_subtrees(org, session):
    rows = [["B-1", "Bidang B1", "DINAS-B"], ["DINAS-B", "Dinas B Baru", "DINAS-A"]]
    plan = imports.plan_units(xlsx(rows, header=imports.UNIT_COLUMNS))
    assert plan.ok and plan.counts()["create"] == 1 and plan.counts()["update"] == 1
    imports.apply_units(plan, actor=org.admin)
    session.flush()
    b1 = session.scalar(sa.select(Unit).where(Unit.code == "B-1"))
    dinas_b = session.get(Unit, org.dinas_b.id)
    assert dinas_b.path.startswith(org.dinas_a.path) and b1.path.startswith(dinas_b.path)
    assert b1.depth == dinas_b.depth + 1 == org.dinas_a.depth + 2


def test_s17_a_renamed_file_that_is_not_xlsx():
    with pytest.raises(SpreadsheetRejected, match="bukan berkas Excel"):
        imports.plan_employees(io.BytesIO(b"NIP;Nama\n1985;Dewi\n"))


def test_s17_zip_bomb_is_refused_before_unpacking():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 50_000_000)
    bomb.seek(0)
    with pytest.raises(SpreadsheetRejected, match="jauh melebihi ukurannya"):
        imports.plan_employees(bomb)


def test_s17_xml_entity_tricks_do_not_expand(tmp_path):
    """A billion-laughs sharedStrings part: defusedxml refuses it; the import says so."""
    path = xlsx([person()], path=tmp_path / "ok.xlsx")
    evil = tmp_path / "evil.xlsx"
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol2;</t></si></sst>'
    )
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(evil, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = laughs.encode()
            target.writestr(info, data)
    try:
        plan = imports.plan_employees(str(evil))
    except SpreadsheetRejected:
        return  # refused outright: fine
    seen = repr(plan.preview) + repr([e.line() for e in plan.errors])
    assert "lollol" not in seen  # the entity was never expanded
    assert not plan.ok


def test_s17_more_than_the_row_limit(monkeypatch):
    monkeypatch.setattr("surveyapp.xlsx_reader.MAX_ROWS", 3)
    with pytest.raises(SpreadsheetRejected, match="Lebih dari"):
        imports.plan_employees(xlsx([person(f"1985061220100111{i:02d}") for i in range(5)]))
    assert MAX_ROWS == 200_000


def test_s17_oversized_file(monkeypatch):
    monkeypatch.setattr("surveyapp.xlsx_reader.MAX_FILE_BYTES", 1024)
    with pytest.raises(SpreadsheetRejected, match="lebih besar dari"):
        imports.plan_employees(xlsx([person()] * 50))


def test_cli_prints_every_error_and_writes_nothing(runner, org, session, tmp_path):
    path = xlsx([person("123"), person(unit="NOPE")], path=tmp_path / "roster.xlsx")
    before = _count(session)
    result = runner.invoke(args=["import-employees", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "row 2, column A: NIP terdiri atas 18 digit; yang ini 3 digit.",
        "row 3, column C: Kode unit NOPE tidak dikenal.",
    ]
    assert _count(session) == before


def test_cli_dry_run_then_import_with_activation_codes(runner, org, session, tmp_path):
    path = xlsx([person(), person(NIP_B)], path=tmp_path / "roster.xlsx")
    before = _count(session)
    dry = runner.invoke(args=["import-employees", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "create=2" in dry.stdout and _count(session) == before
    done = runner.invoke(args=["import-employees", str(path)])
    assert done.exit_code == 0, done.output
    assert _count(session) == before + 2
    codes_file = done.stdout.strip().splitlines()[-1].split(": ", 1)[1]
    sheet = load_workbook(codes_file).active
    assert sorted(sheet.cell(r, 1).value for r in (2, 3)) == sorted([NIP_A, NIP_B])
