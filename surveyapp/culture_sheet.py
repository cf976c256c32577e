"""The "Peta Budaya" sheet of the HR workbook: per unit the culture map's indices and band, the
top behaviours of each lens and the biggest gaps, a chart of the health score, and the
formulas (docs/culture-map.md).

Formatting only, like excel.py: the numbers arrive computed (services/culture_results
.sheet_data) and already withheld where the period's one suppression decision says so. The
sheet name is Indonesian in both locales, like every sheet of the workbook, because macros look
sheets up by name. It writes into a write-only openpyxl workbook, so it can be appended to the
HR workbook (excel.Report.extra_sheets) or written on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .excel import _height, _lines, print_setup
from .spreadsheet import text_cell

SHEET = "Peta Budaya"
INDEX_FORMAT = "0.00"
COUNT_FORMAT = "#,##0"
CHART_UNITS = 40  # bars in the chart: the scope and the level below it, at most this many


@dataclass(frozen=True)
class CultureRow:
    """One unit's line; the numbers are None where the unit is withheld or has no answers."""

    code: str
    name: str
    depth: int
    n: int
    health: float | None = None
    band: str | None = None
    personal_alignment: float | None = None
    desired_alignment: float | None = None
    positive_energy: float | None = None
    top: Sequence[Sequence[str]] = ()  # per lens, the top N in order
    gaps: Sequence[tuple[str, float]] = ()  # (behaviour, points)
    note: str = ""  # why the numbers are withheld


@dataclass(frozen=True)
class CultureSheet:
    pick: int
    lens_names: Sequence[str]  # in LENSES order
    rows: Sequence[CultureRow]


def write_culture_sheet(
    book: Workbook, data: CultureSheet, *, name: str = SHEET, period_name: str = ""
) -> WriteOnlyWorksheet:
    """Append the sheet to `book` (write-only) in the current locale and return it."""
    sheet = book.create_sheet(name)
    print_setup(sheet, period_name)  # before the rows: a write-only sheet writes them first
    bold = Font(bold=True)
    fill = PatternFill("solid", start_color="FFE9EDF2")

    def header(text: str) -> WriteOnlyCell:
        cell = text_cell(sheet, text)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def number(value, number_format: str = INDEX_FORMAT):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell

    def text(value, indent: int = 0) -> WriteOnlyCell:
        cell = text_cell(sheet, value)
        cell.alignment = Alignment(indent=min(indent, 15), vertical="top")
        return cell

    def wrapped(value) -> WriteOnlyCell:
        """A long list (top behaviours, gaps): wrapped in its column, never spilling right."""
        cell = text_cell(sheet, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def height_for(texts, column_widths) -> None:
        """Room in the row appended next for its wrapped texts."""
        lines = max((_lines(t, w) for t, w in zip(texts, column_widths, strict=False)), default=1)
        if lines > 1:
            sheet.row_dimensions[row_number + 1].height = _height(lines)

    headers = [
        _("Unit"),
        _("Unit code"),
        _("Respondents"),
        _("Culture health score"),
        _("Band"),
        _("Personal-organisation value alignment"),
        _("Current-desired culture alignment"),
        _("Positive energy"),
        *(_("Top %(n)d: %(lens)s", n=data.pick, lens=name) for name in data.lens_names),
        _("Biggest gaps (points)"),
        _("Note"),
    ]
    widths = [34, 14, 12, 14, 16, 18, 18, 12, 48, 48, 48, 48, 30]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    row_number = 0
    height_for(headers, widths)
    sheet.append([header(h) for h in headers])
    row_number = 1
    for row in data.rows:
        tops = ["; ".join(top) for top in (row.top or [()] * len(data.lens_names))]
        gaps = "; ".join(f"{name} (+{points:.1f})" for name, points in row.gaps)
        height_for([*tops, gaps, row.note], widths[8:])
        row_number += 1
        sheet.append(
            [
                text(row.name, row.depth),
                text(row.code),
                number(row.n, COUNT_FORMAT),
                number(row.health),
                text(row.band or ""),
                number(row.personal_alignment),
                number(row.desired_alignment),
                number(row.positive_energy),
                *(wrapped(top) for top in tops),
                wrapped(gaps),
                wrapped(row.note),
            ]
        )
    # The chart's table: the health score of the scope and the level below it.
    charted = [r for r in data.rows if r.depth <= 1 and r.health is not None][:CHART_UNITS]
    if charted:
        sheet.append([])
        top = row_number + 2
        sheet.append([header(_("Unit")), None, None, header(_("Culture health score"))])
        for row in charted:
            sheet.append([text(row.name), None, None, number(row.health)])
        last = top + len(charted)
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Culture health score by unit")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.legend = None
        chart.add_data(
            Reference(sheet, min_col=4, min_row=top, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
        chart.width, chart.height = 18, max(7.0, min(30.0, 2 + 0.6 * len(charted)))
        sheet.add_chart(chart, f"F{top}")
        row_number = last
    sheet.append([])
    for line in methodology(data.pick):
        sheet.append([text(line)])
    return sheet


def methodology(pick: int) -> list[str]:
    """The formulas in words, as docs/culture-map.md gives them, in the current locale."""
    return [
        _("How the culture map is computed"),
        _(
            "These indices are this application's own measure, not the official national "
            "BerAKHLAK index."
        ),
        _(
            "Each respondent chooses exactly %(n)d behaviours in each lens from the 21 BerAKHLAK "
            "behaviours and the limiting behaviours of the questionnaire version.",
            n=pick,
        ),
        _(
            "Top %(n)d: the most chosen behaviours of a lens; at equal counts a limiting "
            "behaviour comes first, then the order of the list.",
            n=pick,
        ),
        _(
            "Personal-organisation value alignment = behaviours in both the top %(n)d of "
            "Myself and of My unit today / %(n)d x 100.",
            n=pick,
        ),
        _(
            "Current-desired culture alignment = behaviours in both the top %(n)d of My unit "
            "today and of My unit as I wish it to be / %(n)d x 100.",
            n=pick,
        ),
        _(
            "Positive energy = votes for BerAKHLAK behaviours in My unit today / all votes in "
            "that lens x 100."
        ),
        _(
            "Implementation of a core value = (its three behaviours' votes in My unit today / "
            "all votes in that lens) / (3 / behaviours on the list) x 100; 100 is its fair "
            "share."
        ),
        _(
            "Culture health score = (personal-organisation alignment + current-desired "
            "alignment + positive energy) / 3. Band: A Sehat from 75, B Cukup Sehat from 50 "
            "to below 75, C Tidak Sehat below 50."
        ),
        _(
            "Gap = share of respondents choosing a behaviour for My unit as I wish it to be "
            "minus for My unit today, in percentage points."
        ),
        _(
            "A unit withheld by the privacy rule of the period is withheld here too; its "
            "culture map is not shown."
        ),
    ]
