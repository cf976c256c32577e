"""The workbook sheets of surveyapp/report_sheets.py, written and read back with openpyxl: the
heatmap's numbers are the snapshot's, withheld units say why, the colours are conditional
formats by band that skip text; the action plans' before and after are the pure scoring of
both periods."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from surveyapp import report_sheets
from surveyapp.services import heatmap, plans, reports, results
from tests.followup_builders import answer, build_world, close, pure_means


@pytest.fixture
def world(build, session):
    world = build_world(build)
    answer(world, build, world.period, seed=11)
    close(world.period, move_back_days=120)
    session.flush()
    return world


def _read(write) -> Workbook:
    book = Workbook(write_only=True)
    write(book)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return load_workbook(out)


def _same(number: float):
    """A float as it comes back from the file: openpyxl writes 15 significant digits."""
    return pytest.approx(number, rel=1e-14)


def _rows_by_code(sheet, code_column: int = 2, first: int = 5) -> dict:
    return {
        row[code_column - 1].value: row
        for row in sheet.iter_rows(min_row=first)
        if row[code_column - 1].value
    }


@pytest.mark.parametrize("locale", ["id", "en"])
def test_heatmap_sheet_holds_the_snapshot_numbers(world, locale):
    scope = reports.scope_for(world.org.admin, world.period, None)
    data = heatmap.heatmap(world.period, scope, locale)
    sheet = _read(lambda book: report_sheets.write_heatmap(book, data, locale))["Peta Panas"]
    head = report_sheets.heatmap_header_row(data)
    headers = [c.value for c in sheet[head]]
    codes = results.rules_for(world.period.version).value_codes
    assert headers[3 : 3 + len(codes)] == [f"{c.name} ({c.code})" for c in data.columns[:-1]]
    by_code = _rows_by_code(sheet, first=head + 2)
    published = {u.code: u for u in results.published(world.period).units}
    for code, unit in published.items():
        row = by_code[code]
        assert row[2].value == unit.submitted
        if unit.withheld:
            assert all(c.value is None for c in row[4:])
            continue
        for n, value in enumerate(codes):
            assert row[3 + n].value == _same(unit.values[value].mean)
            assert row[3 + n].number_format == "0.00"
        assert row[3 + len(codes)].value == _same(unit.overall.mean)
        assert row[4 + len(codes)].value == unit.band.label(locale)
    small = "fewer than 5" if locale == "en" else "kurang dari 5"
    protect = "protect another unit" if locale == "en" else "melindungi unit lain"
    assert small in by_code["A-2"][3].value
    assert protect in by_code["B-1"][3].value
    # The organisation row is first, numbers from the organisation's group.
    total = results.scope_result(world.period, None)
    assert sheet[f"D{head + 1}"].value == _same(total.values[codes[0]].mean)


def test_heatmap_colours_are_conditional_by_band_and_skip_text(world):
    scope = reports.scope_for(world.org.admin, world.period, None)
    data = heatmap.heatmap(world.period, scope, "id")
    sheet = _read(lambda book: report_sheets.write_heatmap(book, data, "id"))["Peta Panas"]
    (ranges,) = list(sheet.conditional_formatting)
    first = report_sheets.heatmap_header_row(data) + 1
    last_row = first + len(data.rows)
    assert str(ranges.sqref) == f"D{first}:K{last_row}"
    rules = ranges.rules
    assert [r.formula[0] for r in rules] == [
        f"AND(ISNUMBER(D{first}),D{first}>=85)",
        f"AND(ISNUMBER(D{first}),D{first}>=70)",
        f"AND(ISNUMBER(D{first}),D{first}>=55)",
        f"AND(ISNUMBER(D{first}),D{first}>=0)",
    ]
    assert all(r.stopIfTrue for r in rules)
    fills = [r.dxf.fill.bgColor.rgb for r in rules]
    assert fills == list(report_sheets.BAND_FILLS)
    # The legend names every band with its range, in the colour of its cells.
    legend = [sheet.cell(row, 1).value for row in range(3, 7)]
    assert legend == [
        "SB = Sangat Baik (mulai 85)",
        "B = Baik (mulai 70)",
        "C = Cukup (mulai 55)",
        "PP = Perlu Pengembangan (mulai 0)",
    ]
    assert [sheet.cell(row, 1).fill.start_color.rgb for row in range(3, 7)] == list(
        report_sheets.BAND_FILLS
    )


def test_plans_sheet_before_and_after_equal_the_pure_scoring(world, build, session):
    later = build.period([world.org.root])
    answer(world, build, later, seed=29)
    close(later)
    session.flush()
    for unit, focus in ((world.org.bidang_a1, ["BP", "AD"]), (world.a2, ["KO"])):
        plan = plans.create_plan(
            world.org.hr_a,
            world.period,
            reports.scope_for(world.org.hr_a, world.period, unit.id),
            focus=focus,
            goal="=SUM(A1)",
            actions=[plans.ActionInput("=cmd|' /C calc'!A0", "Kabid", date(2027, 3, 31), "done")],
        )
        plans.add_note(
            world.org.hr_a,
            plan,
            reports.scope_for(world.org.hr_a, world.period, unit.id),
            noted_on=date(2027, 1, 5),
            text="Mulai",
        )
    scope = reports.scope_for(world.org.hr_a, world.period, None)
    report = plans.plans_report(world.period, scope, "id")
    book = _read(lambda b: report_sheets.write_plans(b, report, "id"))
    sheet = book["Rencana Aksi"]
    assert later.name in sheet["A2"].value
    header = [c.value for c in sheet[4]]
    assert header[4] == f"Sebelum ({world.period.name})" and header[5] == f"Sesudah ({later.name})"
    rows = [r for r in sheet.iter_rows(min_row=5, max_row=7, values_only=True)]
    before = pure_means(world, world.period, world.org.bidang_a1)
    after = pure_means(world, later, world.org.bidang_a1)
    assert [r[3] for r in rows] == [
        "Berorientasi Pelayanan (BP)",
        "Adaptif (AD)",
        "Kompeten (KO)",
    ]
    for row, code in zip(rows[:2], ["BP", "AD"], strict=True):
        assert row[:3] == ("Bidang A1", "A-1", "Selesai")
        assert row[4] == pytest.approx(before[code], abs=1e-9)
        assert row[5] == pytest.approx(after[code], abs=1e-9)
        assert row[6] == pytest.approx(after[code] - before[code], abs=1e-9)
    # The withheld unit stays withheld on both sides, and says why.
    assert rows[2][4:6] == (None, None) and rows[2][6] is None
    assert "kurang dari 5" in rows[2][7]
    # Person-typed text never becomes a formula.
    actions = [r for r in sheet.iter_rows(values_only=True) if r and r[3] == "=cmd|' /C calc'!A0"]
    assert len(actions) == 2
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0")
    assert cell.data_type == "s"
    assert any(r and r[3] == "Mulai" for r in sheet.iter_rows(values_only=True))


def test_plans_sheet_without_plans_or_a_later_period(world):
    scope = reports.scope_for(world.org.admin, world.period, None)
    report = plans.plans_report(world.period, scope, "en")
    sheet = _read(lambda b: report_sheets.write_plans(b, report, "en"))["Rencana Aksi"]
    assert "next period" in sheet["A2"].value
    assert sheet["A4"].value == "No action plan yet."
