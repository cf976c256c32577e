"""The "Peta Budaya" sheet read back: real numbers, person text kept as text, withheld units
without numbers, a chart over its own table, and the formulas under it."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from surveyapp import culture_sheet
from surveyapp.culture_sheet import CultureRow, CultureSheet

DATA = CultureSheet(
    pick=3,
    lens_names=["Diri saya", "Unit saya saat ini", "Unit saya yang saya harapkan"],
    rows=[
        CultureRow(
            code="ROOT",
            name="=Pemkot Uji",  # a name that would run as a formula
            depth=0,
            n=12,
            health=2600 / 63,
            band="C Tidak Sehat",
            personal_alignment=100 / 3,
            desired_alignment=100 / 3,
            positive_energy=400 / 7,
            top=[["A", "B", "C"], ["Saling menyalahkan", "A", "Pilih kasih"], ["A", "B", "D"]],
            gaps=[("D", 42.857), ("B", 28.571)],
        ),
        CultureRow(code="A-1", name="Bidang A1", depth=1, n=3, note="disembunyikan (< 5)"),
        CultureRow(
            code="B",
            name="Dinas B",
            depth=1,
            n=9,
            health=80.0,
            band="A Sehat",
            personal_alignment=80.0,
            desired_alignment=70.0,
            positive_energy=90.0,
            top=[["A"], ["B"], ["C"]],
        ),
    ],
)


def _read(app, locale="id"):
    with app.app_context(), force_locale(locale):
        book = Workbook(write_only=True)
        culture_sheet.write_culture_sheet(book, DATA)
        buffer = io.BytesIO()
        book.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_sheet_reads_back_with_numbers_text_and_a_chart(app, locale):
    book = _read(app, locale)
    assert book.sheetnames == ["Peta Budaya"]  # the same name in both locales
    sheet = book["Peta Budaya"]
    header = [c.value for c in sheet[1]]
    assert header[0] == ("Unit" if locale == "en" else "Unit kerja")
    assert header[3] == ("Culture health score" if locale == "en" else "Skor kesehatan budaya")
    assert header[8].endswith("Diri saya") and header[8].startswith(
        "Top 3" if locale == "en" else "3"
    )
    root = [c.value for c in sheet[2]]
    assert root[0] == "=Pemkot Uji" and sheet["A2"].data_type == "s"  # text, never a formula
    assert root[2] == 12 and isinstance(root[3], float) and root[3] == 2600 / 63
    assert sheet["D2"].number_format == "0.00"
    assert root[4] == "C Tidak Sehat"
    assert root[9] == "Saling menyalahkan; A; Pilih kasih"
    assert root[11] == "D (+42.9); B (+28.6)"
    withheld = [c.value for c in sheet[3]]
    assert withheld[1] == "A-1" and withheld[3] is None and withheld[12] == "disembunyikan (< 5)"
    # The chart's table: units with a health score (the scope and the level below).
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    table = [v for v in values if v[0] in ("Bidang A1", "Dinas B", "=Pemkot Uji")]
    assert [(v[0], v[3]) for v in table] == [("=Pemkot Uji", 2600 / 63), ("Dinas B", 80.0)]
    assert len(sheet._charts) == 1
    words = " ".join(str(v[0]) for v in values if v[0])
    official = "not the official" if locale == "en" else "bukan Indeks BerAKHLAK nasional"
    assert official in words
    assert "/ 3" in words  # the health score's formula
