"""Two more sheets of the HR workbook: "Peta Panas" (the heatmap) and "Rencana Aksi" (action
plans with the before and after of their focus values), docs/design.md "Heatmap and action
plans".

Formatting only, as in excel.py: the numbers arrive computed (services/heatmap.heatmap,
services/plans.plans_report) and nothing here queries the database. Each writer adds one sheet
to a write-only workbook (excel.new_sheet), so the workbook of excel.py can call it among its
own sheets.
Sheet names come from the caller (excel.SHEET_NAMES: fixed per workbook language, never from
the catalogue); every person-supplied text goes through spreadsheet.text_cell. Colour is never
the only sign: the heatmap's legend gives each band's range, the index is a number in its
cell, and a withheld unit says why in words.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .excel import INDEX_FORMAT, _lines, new_sheet, print_setup
from .scoring import WITHHELD_COMPLEMENT
from .spreadsheet import text_cell

HEATMAP_SHEET = "Peta Panas"
PLANS_SHEET = "Rencana Aksi"
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "#,##0"
# The page's colours (static/css/hr.css, heat-0 to heat-3), as fills for the band levels.
BAND_FILLS = ("FFCDEBD6", "FFE4F1C2", "FFFBE6B2", "FFF7CDC8")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFE9EDF2")


def _fill(argb: str) -> PatternFill:
    return PatternFill("solid", start_color=argb, end_color=argb, bgColor=argb)


def _text(sheet, value, *, bold: bool = False, indent: int = 0, fill: str | None = None):
    cell = text_cell(sheet, value)
    if bold:
        cell.font = _BOLD
    if indent:
        cell.alignment = Alignment(indent=min(indent, 15))
    if fill:
        cell.fill = _fill(fill)
    return cell


def _header(sheet, value):
    cell = _text(sheet, value, bold=True)
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _number(sheet, value, number_format: str, bold: bool = False):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    if bold:
        cell.font = _BOLD
    return cell


def _withheld(reason: str | None, min_group_size: int) -> str:
    if reason == WITHHELD_COMPLEMENT:
        return _("Withheld to protect another unit (see Metodologi)")
    if reason == "absent":
        return _("did not take part")
    return _("Withheld: fewer than %(n)d respondents", n=min_group_size)


def _next_header_height(sheet, headings: list[str], widths: list[float]) -> None:
    """Room for the wrapped header texts of the row appended next."""
    sheet.next_height(max(_lines(h, w) for h, w in zip(headings, widths, strict=False)))


def _widths(sheet, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


# Peta Panas ------------------------------------------------------------------------------------
def write_heatmap(book: Workbook, heatmap, locale: str, *, name: str = HEATMAP_SHEET):
    """The heatmap of services/heatmap.heatmap as a sheet: a legend, then per unit its code,
    respondents, the value indices and overall (numbers with two decimals) and the overall
    band in words. The index cells are coloured by conditional formats, one per band, that
    look only at numeric cells (a withheld unit's note never takes a colour)."""
    with force_locale(locale):
        return _write_heatmap(book, heatmap, name)


def heatmap_header_row(heatmap) -> int:
    """Title, "Bands:", one legend row per band (in its colour), a note, then the header."""
    return 3 + len(heatmap.bands) + 1


def _write_heatmap(book: Workbook, heatmap, name: str):
    sheet = new_sheet(book, name)
    header_row = heatmap_header_row(heatmap)
    print_setup(sheet, heatmap.period.name, header_row=header_row, freeze="B")
    columns = heatmap.columns
    first = 4  # A unit, B code, C respondents, then the indices
    last = first + len(columns) - 1
    widths = [40, 18, 12, *([13] * len(columns)), 20]
    _widths(sheet, widths)
    title = _text(
        sheet,
        _(
            "Heatmap: %(scope)s, %(period)s",
            scope=_scope_name(heatmap.scope),
            period=heatmap.period.name,
        ),
    )
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([_text(sheet, _("Bands:"), bold=True)])
    for key in heatmap.bands:
        sheet.append(
            [
                _text(
                    sheet,
                    _(
                        "%(short)s = %(label)s (from %(n)s)",
                        short=key.short,
                        label=key.label,
                        n=f"{key.band.lower:g}",
                    ),
                    fill=BAND_FILLS[key.level],
                )
            ]
        )
    sheet.append([_text(sheet, _("Each unit over its whole subtree; index 0 to 100."))])
    headings = [
        _("Unit"),
        _("Unit code"),
        _("Submitted"),
        *(f"{c.name} ({c.code})" if c.code != "overall" else c.name for c in columns),
        _("Band"),
    ]
    _next_header_height(sheet, headings, widths)
    sheet.append(
        [
            _header(sheet, _("Unit")),
            _header(sheet, _("Unit code")),
            _header(sheet, _("Submitted")),
            *(
                _header(sheet, f"{c.name} ({c.code})" if c.code != "overall" else c.name)
                for c in columns
            ),
            _header(sheet, _("Band")),
        ]
    )
    sheet.append(
        _heatmap_row(sheet, heatmap, heatmap.organisation, _("The whole organisation"), bold=True)
    )
    for row in heatmap.rows:
        sheet.append(_heatmap_row(sheet, heatmap, row, row.name, indent=row.depth))
    last_row = header_row + 1 + len(heatmap.rows)
    span = f"{get_column_letter(first)}{header_row + 1}:{get_column_letter(last)}{last_row}"
    top_left = f"{get_column_letter(first)}{header_row + 1}"
    for key in heatmap.bands:  # best band first; the first that matches wins
        sheet.conditional_formatting.add(
            span,
            FormulaRule(
                formula=[f"AND(ISNUMBER({top_left}),{top_left}>={key.band.lower:g})"],
                fill=_fill(BAND_FILLS[key.level]),
                stopIfTrue=True,
            ),
        )
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last + 1)}{last_row}"
    return sheet


def _scope_name(scope) -> str:
    return scope.name or _("The whole organisation")


def _heatmap_row(sheet, heatmap, row, name, *, bold: bool = False, indent: int = 0) -> list:
    cells = [
        _text(sheet, name, bold=bold, indent=indent),
        _text(sheet, row.code or "", bold=bold),
        _number(sheet, row.submitted, COUNT_FORMAT, bold),
    ]
    if row.withheld:
        return [*cells, _text(sheet, _withheld(row.withheld_reason, heatmap.min_group_size))]
    for column in heatmap.columns:
        cell = row.cells.get(column.code)
        cells.append(_number(sheet, cell.mean if cell else None, INDEX_FORMAT, bold))
    overall = row.cells.get(heatmap.columns[-1].code)
    cells.append(_text(sheet, overall.band.label, bold=bold) if overall and overall.band else None)
    return cells


# Rencana Aksi ----------------------------------------------------------------------------------
def write_plans(book: Workbook, report, locale: str, *, name: str = PLANS_SHEET):
    """The plans of services/plans.plans_report: one row per focus value of each plan (status,
    before, after, change, and why a side is withheld), then every action, then every
    progress note: the evidence an HR office attaches to the Evaluasi Budaya Kerja."""
    with force_locale(locale):
        return _write_plans(book, report, name)


def _write_plans(book: Workbook, report, name: str):
    sheet = new_sheet(book, name)
    print_setup(sheet, report.period_name)
    widths = [36, 18, 14, 30, 18, 18, 12, 44]
    _widths(sheet, widths)
    title = _text(
        sheet,
        _(
            "Action plans: %(scope)s, after %(period)s",
            scope=report.scope_name,
            period=report.period_name,
        ),
    )
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    if report.later_name:
        sheet.append([_text(sheet, _("Measured again in %(period)s.", period=report.later_name))])
    else:
        sheet.append(
            [_text(sheet, _("Measured again when the next period of this questionnaire closes."))]
        )
    sheet.append([])
    if not report.plans:
        sheet.append([_text(sheet, _("No action plan yet."))])
        return sheet
    before = _("Before (%(period)s)", period=report.period_name)
    after = _("After (%(period)s)", period=report.later_name or "–")
    _next_header_height(sheet, [before, after], widths[4:6])
    sheet.append(
        [
            _header(sheet, _("Unit")),
            _header(sheet, _("Unit code")),
            _header(sheet, _("Status")),
            _header(sheet, _("Focus values")),
            _header(sheet, before),
            _header(sheet, after),
            _header(sheet, _("Change")),
            _header(sheet, _("Note")),
        ]
    )
    for plan in report.plans:
        for focus in plan.focus:
            notes = []
            if focus.before_withheld:
                notes.append(_withheld(focus.before_withheld, report.min_group_size))
            if report.later_name and focus.after_withheld:
                notes.append(_withheld(focus.after_withheld, report.min_group_size))
            sheet.append(
                [
                    _text(sheet, plan.unit_name),
                    _text(sheet, plan.unit_code),
                    _text(sheet, plan.status),
                    _text(sheet, f"{focus.name} ({focus.code})"),
                    _number(sheet, focus.before, INDEX_FORMAT),
                    _number(sheet, focus.after, INDEX_FORMAT),
                    _number(sheet, focus.change, "+0.00;-0.00;0.00"),
                    _text(sheet, "; ".join(dict.fromkeys(notes))) if notes else None,
                ]
            )
    sheet.append([])
    sheet.append(
        [
            _header(sheet, _("Unit")),
            _header(sheet, _("Unit code")),
            _header(sheet, _("Status")),
            _header(sheet, _("What")),
            _header(sheet, _("Who")),
            _header(sheet, _("Due date")),
        ]
    )
    for plan in report.plans:
        for what, who, due, status in plan.actions:
            sheet.append(
                [
                    _text(sheet, plan.unit_name),
                    _text(sheet, plan.unit_code),
                    _text(sheet, status),
                    _text(sheet, what),
                    _text(sheet, who),
                    _number(sheet, due, DATE_FORMAT),
                ]
            )
    if any(plan.notes for plan in report.plans):
        sheet.append([])
        sheet.append(
            [
                _header(sheet, _("Unit")),
                _header(sheet, _("Unit code")),
                _header(sheet, _("Date")),
                _header(sheet, _("Progress note")),
            ]
        )
        for plan in report.plans:
            for noted_on, text in plan.notes:
                sheet.append(
                    [
                        _text(sheet, plan.unit_name),
                        _text(sheet, plan.unit_code),
                        _number(sheet, noted_on, DATE_FORMAT),
                        _text(sheet, text),
                    ]
                )
    return sheet
