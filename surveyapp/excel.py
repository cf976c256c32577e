"""The HR workbook of docs/design.md "The HR workbook", and the list of who has not filled in.

This module only formats: every number arrives already computed (services/reports.py gathers
them from services/results.py and passes a `Report` in), and nothing here queries the database.
Rows are streamed with openpyxl's write-only mode, so the Pegawai sheet of 100,000 people costs
no more memory than the one of 100. Every person-supplied string goes through
`spreadsheet.text_cell`; headers follow the report's locale, sheet names never change because
people's macros and scripts look sheets up by name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from . import i18n
from .scoring import WITHHELD_COMPLEMENT
from .spreadsheet import text_cell

STATUS_SUBMITTED, STATUS_DRAFT, STATUS_NOT_STARTED = "submitted", "draft", "not_started"


@dataclass(frozen=True)
class SheetName:
    """A sheet's fixed name in each workbook language: scripts and macros look sheets up by
    name, so names never come from the catalogue (a translator's edit would break them)."""

    id: str
    en: str

    def __call__(self, locale: str) -> str:
        return self.en if (locale or "").lower().startswith("en") else self.id


SHEET_NAMES: dict[str, SheetName] = {
    "leadership": SheetName("Ringkasan Pimpinan", "Leadership summary"),
    "summary": SheetName("Ringkasan", "Summary"),
    "values": SheetName("Nilai dasar", "Core values"),
    "changes": SheetName("Perubahan", "Change"),
    "people": SheetName("Pegawai", "Employees"),
    "behaviours": SheetName("Perilaku", "Behaviours"),
    "items": SheetName("Butir", "Items"),
    "charts": SheetName("Grafik", "Charts"),
    "methodology": SheetName("Metodologi", "Methodology"),
    "heatmap": SheetName("Peta Panas", "Heatmap"),
    "plans": SheetName("Rencana Aksi", "Action plans"),
    "culture": SheetName("Peta Budaya", "Culture map"),
    "non_respondents": SheetName("Belum mengisi", "Not submitted"),
    "activation_codes": SheetName("Kode aktivasi", "Activation codes"),
}

INDEX_FORMAT = "0.00"
SD_FORMAT = "0.00"
ALPHA_FORMAT = "0.000"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
# Dates as the workbook's language writes them (LCID 0421 Indonesian, 0809 English (UK)),
# whatever the language of the spreadsheet program that opens the file.
DATETIME_FORMATS = {"id": "[$-421]d mmmm yyyy hh.mm", "en": "[$-809]d mmmm yyyy hh:mm"}
TITLE_ROWS = 5  # report name, period, scope, generated on/by, a blank or a note
HEADER_ROW = TITLE_ROWS + 1  # the header of a sheet's table, repeated on every printed page
LINE_HEIGHT = 15.0  # points of one line of 11-point text
PAPER_A4 = 9  # the paperSize code of A4 (ECMA-376)
PROGRESS_EVERY = 2_000  # Pegawai rows between two progress reports

Progress = Callable[[int, int], None]
Output = str | PathLike | IO[bytes]


@dataclass(frozen=True)
class ValueHeading:
    code: str
    name: str


@dataclass(frozen=True)
class UnitLine:
    """One unit's subtree numbers; `indices` is empty and `withheld` true for a small group."""

    code: str
    name: str
    depth: int
    eligible: int
    submitted: int
    participation: float | None
    indices: Mapping[str, float | None]
    overall: float | None
    band: str | None
    withheld: bool = False
    unit_id: int | None = None  # for links on the results page; the workbook ignores it
    drafts: int = 0
    withheld_reason: str | None = None  # scoring.WITHHELD_SMALL or WITHHELD_COMPLEMENT
    # change of each value's (and OVERALL's) index since the previous closed period
    changes: Mapping[str, float | None] = field(default_factory=dict)

    @property
    def not_started(self) -> int:
        return self.eligible - self.submitted - self.drafts


@dataclass(frozen=True)
class PersonLine:
    nip: str
    name: str
    unit: str
    jabatan: str
    golongan: str
    status: str  # STATUS_SUBMITTED / STATUS_DRAFT / STATUS_NOT_STARTED
    submitted_at: datetime | None  # aware (UTC); shown in the report's time zone
    indices: Mapping[str, float | None]
    overall: float | None
    band: str | None
    flags: tuple[str, ...] = ()  # scoring.QualityFlags.codes()
    unit_code: str = ""


@dataclass(frozen=True)
class ItemLine:
    code: str
    value_code: str
    text: str
    reverse: bool
    n: int
    mean: float | None
    sd: float | None
    counts: Mapping[int, int]  # every scale point, zeros included
    withheld: bool = False  # then only n is shown: the counts of a small group are its answers
    score: float | None = None  # mean item score: a reverse-keyed item's answers mirrored
    index: float | None = None  # the mean score on 0-100, like a value index


OVERALL = "overall"  # the code of the overall index among value codes (services/results)


@dataclass(frozen=True)
class ValueStat:
    """A core value's numbers over the scope (code OVERALL: the overall index): index, n, SD,
    band, change since the previous period, and how many people fall in each band."""

    code: str
    name: str
    mean: float | None
    sd: float | None
    n: int
    band: str | None
    change: float | None = None
    band_counts: Mapping[str, int] = field(default_factory=dict)  # band label -> people


@dataclass(frozen=True)
class BehaviourLine:
    """One of the behaviour guides (panduan perilaku) of a value, scored over its items."""

    value_code: str
    number: int
    text: str
    items: tuple[str, ...]
    index: float | None  # None where the scope is withheld or the behaviour has no item


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the period's name
    indices: Mapping[str, float | None]
    overall: float | None


@dataclass(frozen=True)
class BandLine:
    lower: float
    label: str


@dataclass
class Report:
    """Everything the workbook shows, already computed and already in the report's language."""

    locale: str
    period_code: str
    period_name: str
    opens_at: datetime
    closes_at: datetime
    questionnaire: str
    version_number: int
    scale_min: int
    scale_max: int
    scale_labels: Sequence[str]  # one word per scale point, lowest first
    bands: Sequence[BandLine]
    weights: Mapping[str, float]
    min_group_size: int
    min_alpha_respondents: int
    hide_individuals: bool
    scope_code: str
    scope_name: str
    generated_at: datetime
    generated_by: str
    values: Sequence[ValueHeading]
    units: Sequence[UnitLine]
    total: UnitLine
    items: Sequence[ItemLine]
    alpha: Mapping[str, float | None]
    trend: Sequence[TrendPoint] = ()
    # None when the period hides individuals: then there is no Pegawai sheet at all.
    people: Iterable[PersonLine] | None = None
    people_count: int = 0  # for progress only; the rows themselves are streamed
    timezone: str = "Asia/Jakarta"
    timezone_label: str = "WIB"
    reverse_items: Sequence[str] = field(default_factory=tuple)
    # Set while the period's results are not published: the workbook is then a participation
    # workbook (counts, and who has not filled in where individuals are shown), and this text
    # says when results come.
    results_pending: str | None = None
    non_respondents: Iterable[NonRespondentLine] | None = None
    # Added by issue 18; empty where the scope is withheld.
    value_stats: Sequence[ValueStat] = ()  # each value, then OVERALL
    behaviours: Sequence[BehaviourLine] = ()
    weakest_items: Sequence[ItemLine] = ()
    top_units: Sequence[UnitLine] = ()  # the units just below the scope, to compare
    above: Sequence[UnitLine] = ()  # top units shown and above the scope's overall index
    below: Sequence[UnitLine] = ()
    # services/heatmap.Heatmap and services/plans.PlansReport (report_sheets.py writes them);
    # None in a participation workbook.
    heatmap: Any = None
    plans: Any = None
    culture: Any = None  # services/culture_results.CultureSheet (culture_sheet.py writes it)
    strongest: ValueStat | None = None
    weakest: ValueStat | None = None
    previous_period: str | None = None  # the name of the period changes are measured against
    participation_target: float | None = None


class _CellSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows hold ready cells (or None, or plain values).

    openpyxl probes every appended value by assigning it to a scratch cell, which raises and
    catches a ValueError (with a formatted message) for each cell that carries a number format;
    on 100,000 x 17 cells that probe alone costs a third of the time. Pinned by
    tests/unit/test_excel.py (same cells as openpyxl's own append) for openpyxl 3.1.
    """

    rows_written = 0

    def append(self, row) -> None:
        super().append(row)
        self.rows_written += 1

    def next_height(self, lines: int) -> None:
        """The height of the row appended next, for text wrapped over `lines` lines."""
        if lines > 1:
            self.row_dimensions[self.rows_written + 1].height = _height(lines)

    def _values_to_row(self, values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            cell = value if isinstance(value, Cell) else Cell(self, value=value)
            cell.column = col_idx
            cell.row = row_idx
            yield cell


def new_sheet(book: Workbook, title: str) -> _CellSheet:
    sheet = _CellSheet(parent=book, title=title)
    book._add_sheet(sheet)
    return sheet


def print_setup(
    sheet: _CellSheet,
    period_name: str,
    *,
    header_row: int | None = None,
    freeze: str = "A",
    one_page: bool = False,
) -> None:
    """How every sheet of the workbook prints: landscape A4, one page wide, the table header
    (header_row) repeated on every page and frozen on screen, "Halaman N dari M" below."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = PAPER_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = False
    footer = sheet.HeaderFooter.oddFooter
    footer.center.text = _("Page &P of &N")
    footer.left.text = f"{sheet.title} – {period_name}".replace("&", "&&")
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = f"{freeze}{header_row + 1}"


class _Styles:
    """Cells styled once per sheet and reused row after row (a streamed row is written as soon
    as it is appended, so one styled cell per column is enough)."""

    def __init__(self, sheet: _CellSheet):
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.header_fill = PatternFill("solid", start_color="FFE9EDF2")

    def number(self, value: Any, number_format: str, bold: bool = False) -> Cell | None:
        if value is None:
            return None
        cell = Cell(self.sheet, value=value)
        cell.number_format = number_format
        if bold:
            cell.font = self.bold
        return cell

    def header(self, text: str) -> Cell:
        cell = text_cell(self.sheet, text)
        cell.font = self.bold
        cell.fill = self.header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def text(self, value: Any, bold: bool = False, indent: int = 0) -> Cell:
        cell = text_cell(self.sheet, value)
        if bold:
            cell.font = self.bold
        if indent:
            # Excel and LibreOffice show an indent only on left-aligned text.
            cell.alignment = Alignment(horizontal="left", indent=min(indent * 2, 15))
        return cell


class _ColumnCell:
    """One reusable styled cell for a column of a streamed sheet."""

    __slots__ = ("cell",)

    def __init__(self, sheet: _CellSheet, number_format: str):
        self.cell = Cell(sheet, value=0)
        self.cell.number_format = number_format

    def __call__(self, value: Any) -> Cell | None:
        if value is None:
            return None
        self.cell.value = value
        return self.cell


def _set_widths(sheet: _CellSheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _fit(texts: Iterable[str | None], least: float, most: float) -> float:
    """A column width that shows the longest text whole, between `least` and `most`."""
    longest = max((len(t) for t in texts if t), default=0)
    return max(least, min(most, longest * 1.1 + 2))


def _lines(text: str | None, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (by words)."""
    if not text:
        return 1
    room = max(int(width * 1.1) - 1, 1)  # proportional text: narrower than the digit 0
    lines, used = 1, 0
    for word in str(text).split():
        size = len(word)
        if used and used + 1 + size > room:
            lines, used = lines + 1, 0
        used = size if not used else used + 1 + size
        while used > room:
            lines, used = lines + 1, used - room
    return lines


def _top(row: list) -> list:
    """A row whose text wraps over several lines: every cell aligned to the top, so numbers
    sit beside the first line of their statement."""
    for cell in row:
        if isinstance(cell, Cell):
            old = cell.alignment
            cell.alignment = Alignment(
                horizontal=old.horizontal,
                indent=old.indent,
                wrap_text=old.wrap_text,
                vertical="top",
            )
    return row


def _height(lines: int) -> float:
    return min(409.0, LINE_HEIGHT * lines + 2)


def _autofilter(sheet: _CellSheet, columns: int, last_row: int) -> None:
    """Set after the rows (it is written at the end); freeze panes must come before them."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(last_row, 1)}"


def write_report(report: Report, output: Output, progress: Progress | None = None) -> None:
    """Write the whole workbook to `output` (a path or a binary stream).

    `progress(done, total)` is called as rows are written (units, people, items); a background
    job turns it into the progress bar of a big export.
    """
    with force_locale(report.locale):
        _Writer(report, progress).write(output)


class _Writer:
    def __init__(self, report: Report, progress: Progress | None):
        self.report = report
        self.progress = progress or (lambda done, total: None)
        people = report.people_count if report.people is not None else 0
        self.total = len(report.units) + 1 + people + len(report.items)
        self.done = 0
        self.book = Workbook(write_only=True)
        self.tz = ZoneInfo(report.timezone)
        self.english = (report.locale or "").lower().startswith("en")

    def step(self, rows: int) -> None:
        self.done += rows
        self.progress(min(self.done, self.total), self.total)

    def write(self, output: Output) -> None:
        pending = self.report.results_pending is not None
        self.book.properties.title = self.report_title()
        for _key, sheet_writer in PARTICIPATION_SHEETS if pending else RESULT_SHEETS:
            sheet_writer(self)
        self.book.save(output)
        self.progress(self.total, self.total)

    # Every sheet -----------------------------------------------------------------------------
    def report_title(self) -> str:
        if self.report.results_pending is not None:
            return _("Participation report (no results yet)")
        return _("BerAKHLAK self-assessment report")

    def when(self, moment: datetime) -> str:
        """19 November 2026, 12.55 WIB in the workbook's language (Babel's long month)."""
        return i18n.format_datetime(moment)

    def begin(
        self,
        key: str,
        widths: Sequence[float],
        headers: Sequence[str] | None = None,
        *,
        freeze: str = "A",
        one_page: bool = False,
    ) -> tuple[_CellSheet, _Styles]:
        """A new sheet with its title block, page setup and (with `headers`) its table header
        on row HEADER_ROW, repeated on every printed page and frozen on screen."""
        report = self.report
        sheet = new_sheet(self.book, SHEET_NAMES[key](report.locale))
        st = _Styles(sheet)
        _set_widths(sheet, widths)
        print_setup(
            sheet,
            report.period_name,
            header_row=HEADER_ROW if headers else None,
            freeze=freeze,
            one_page=one_page,
        )
        if headers:
            lines = max(_lines(h, w) for h, w in zip(headers, widths, strict=False))
            sheet.row_dimensions[HEADER_ROW].height = _height(lines)
        title = st.text(self.report_title(), bold=True)
        title.font = Font(bold=True, size=14)
        sheet.row_dimensions[1].height = 20
        sheet.append([title])
        sheet.append(
            [
                st.text(_("Period"), bold=True),
                st.text(f"{report.period_name} ({report.period_code})"),
            ]
        )
        sheet.append(
            [
                st.text(_("Scope"), bold=True),
                st.text(f"{report.scope_name} ({report.scope_code})"),
            ]
        )
        sheet.append(
            [
                st.text(_("Generated"), bold=True),
                st.text(
                    _(
                        "%(when)s by %(who)s",
                        when=self.when(report.generated_at),
                        who=report.generated_by,
                    )
                ),
            ]
        )
        if report.results_pending is not None:
            sheet.append([st.text(_("Results"), bold=True), st.text(report.results_pending)])
        else:
            sheet.append([])
        if headers:
            sheet.append([st.header(h) for h in headers])
        return sheet, st

    def _withheld_note(self, reason: str | None = None) -> str:
        if reason == WITHHELD_COMPLEMENT:
            return _("Withheld to protect another unit (see Metodologi)")
        return _("Withheld: fewer than %(n)d respondents", n=self.report.min_group_size)

    def _index_headers(self) -> list[str]:
        return [f"{v.name} ({v.code})" for v in self.report.values] + [_("Overall index")]

    def _unit_widths(self) -> tuple[float, float]:
        units = [*self.report.units, self.report.total]
        return (
            _fit([u.name for u in units], 24, 60) + 2 * max((u.depth for u in units), default=0),
            _fit([u.code for u in units], 10, 40),
        )

    def _counts(self, st: _Styles, unit: UnitLine, bold: bool) -> list:
        return [
            st.number(unit.eligible, COUNT_FORMAT, bold),
            st.number(unit.submitted, COUNT_FORMAT, bold),
            st.number(unit.drafts, COUNT_FORMAT, bold),
            st.number(unit.not_started, COUNT_FORMAT, bold),
            st.number(unit.participation, PERCENT_FORMAT, bold),
        ]

    def _count_headers(self) -> list[str]:
        return [_("Eligible"), _("Submitted"), _("Draft"), _("Not started"), _("Participation")]

    # Participation workbook ------------------------------------------------------------------
    def participation(self) -> None:
        """Ringkasan with counts and rates under a title that says what the file is not."""
        report = self.report
        headers = [_("Unit"), _("Unit code"), *self._count_headers()]
        sheet, st = self.begin("summary", [*self._unit_widths(), 12, 12, 12, 14, 13], headers)
        sheet.freeze_panes = f"C{HEADER_ROW + 1}"
        for unit in report.units:
            sheet.append(
                [
                    st.text(unit.name, indent=unit.depth),
                    st.text(unit.code),
                    *self._counts(st, unit, False),
                ]
            )
        self.step(len(report.units))
        sheet.append(
            [st.text(_("Total"), bold=True), st.text(report.total.code, bold=True)]
            + self._counts(st, report.total, True)
        )
        self.step(1)
        last = HEADER_ROW + len(report.units)
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{last}"

    def non_respondents(self) -> None:
        if self.report.non_respondents is not None:
            non_respondent_sheet(self.book, self.report.non_respondents, self.report.period_name)

    # Ringkasan Pimpinan ----------------------------------------------------------------------
    def leadership(self) -> None:
        """One printed page for the head of the region: the numbers a decision starts from."""
        report = self.report
        total = report.total
        listed = [f"{u.name} ({u.code})" for u in [*report.above[:5], *report.below[:5]]]
        widths = [34, 14, 16, 20, 3, _fit(listed, 40, 70), 20, 12]
        sheet, st = self.begin("leadership", widths, one_page=True)
        section = Font(bold=True, size=12)

        def heading(text: str) -> Cell:
            cell = st.text(text, bold=True)
            cell.font = section
            return cell

        target = report.participation_target
        reached = (
            None if target is None or total.participation is None else total.participation >= target
        )
        sheet.append([heading(_("Key figures"))])
        sheet.append(
            [
                st.text(_("Participation"), bold=True),
                st.number(total.participation, PERCENT_FORMAT, True),
                st.text(
                    _(
                        "%(submitted)s of %(eligible)s",
                        submitted=i18n.format_number(total.submitted, 0),
                        eligible=i18n.format_number(total.eligible, 0),
                    )
                ),
                st.text(
                    ""
                    if target is None
                    else _("target %(target)s", target=i18n.format_percent(target, 0))
                ),
                None,
                st.text(
                    ""
                    if reached is None
                    else (_("Target reached") if reached else _("Target not reached"))
                ),
            ]
        )
        stats = {s.code: s for s in report.value_stats}
        overall = stats.get(OVERALL)
        change_text = self._change_words(overall.change) if overall is not None else ""
        if total.withheld or overall is None:
            sheet.append(
                [
                    st.text(_("Overall index"), bold=True),
                    st.text(self._withheld_note(total.withheld_reason)),
                ]
            )
        else:
            sheet.append(
                [
                    st.text(_("Overall index"), bold=True),
                    st.number(overall.mean, INDEX_FORMAT, True),
                    st.text(overall.band or ""),
                    st.number(overall.change, CHANGE_FORMAT),
                    None,
                    st.text(change_text),
                ]
            )
            for label, stat in (
                (_("Strongest core value"), report.strongest),
                (_("Weakest core value"), report.weakest),
            ):
                if stat is not None:
                    sheet.append(
                        [
                            st.text(label, bold=True),
                            st.number(stat.mean, INDEX_FORMAT),
                            st.text(stat.name),
                        ]
                    )
        sheet.append([])
        sheet.append([heading(_("In brief"))])
        wrap = Alignment(wrap_text=True, vertical="top")
        last_column = get_column_letter(len(widths))
        for sentence in self._sentences():
            cell = st.text(sentence)
            cell.alignment = wrap
            sheet.next_height(_lines(sentence, sum(widths) * 0.9))
            row = sheet.rows_written + 1
            sheet.merged_cells.add(f"A{row}:{last_column}{row}")
            sheet.append([cell])
        sheet.append([])
        # Two tables side by side: the values on the left, the units on the right.
        left: list[list] = [
            [
                st.header(_("Core value")),
                st.header(_("Index")),
                st.header(_("Band")),
                st.header(self._change_header()),
            ]
        ]
        if not total.withheld:
            for stat in report.value_stats:
                bold = stat.code == OVERALL
                left.append(
                    [
                        st.text(stat.name, bold=bold),
                        st.number(stat.mean, INDEX_FORMAT, bold),
                        st.text(stat.band or "", bold=bold),
                        st.number(stat.change, CHANGE_FORMAT, bold),
                    ]
                )
        right: list[list] = []
        for title, units in (
            (_("Units above the organisation"), report.above),
            (_("Units below the organisation"), report.below),
        ):
            right.append(
                [st.header(title), st.header(_("Overall index")), st.header(_("Difference"))]
            )
            shown = list(units)[:5]
            for unit in shown:
                right.append(
                    [
                        st.text(f"{unit.name} ({unit.code})"),
                        st.number(unit.overall, INDEX_FORMAT),
                        st.number(
                            unit.overall - total.overall
                            if unit.overall is not None and total.overall is not None
                            else None,
                            CHANGE_FORMAT,
                        ),
                    ]
                )
            if len(units) > len(shown):
                right.append(
                    [st.text(_("and %(n)d more (see Ringkasan)", n=len(units) - len(shown)))]
                )
            if not units:
                right.append([st.text("–")])
        for i in range(max(len(left), len(right))):
            if i == 0:
                sheet.next_height(max(2, _lines(self._change_header(), widths[3])))
            cells = left[i] if i < len(left) else [None] * 4
            cells = cells + [None] * (5 - len(cells))
            if i < len(right):
                cells += right[i]
            sheet.append(cells)
        sheet.append([])
        sheet.append(
            [
                st.text(
                    _(
                        "Only units whose results are shown are compared (privacy rule, see "
                        "Metodologi). Index from 0 to 100."
                    )
                )
            ]
        )

    def _change_header(self) -> str:
        if self.report.previous_period:
            return _("Change since %(period)s", period=self.report.previous_period)
        return _("Change since the previous period")

    def _change_words(self, change: float | None) -> str:
        previous = self.report.previous_period
        if previous is None:
            return _("No earlier closed period to compare with.")
        if change is None:
            return _("No comparable number in %(period)s.", period=previous)
        size = i18n.format_number(abs(change))
        if round(change, 2) > 0:
            return _("Up %(points)s points since %(period)s.", points=size, period=previous)
        if round(change, 2) < 0:
            return _("Down %(points)s points since %(period)s.", points=size, period=previous)
        return _("Unchanged since %(period)s.", period=previous)

    def _sentences(self) -> list[str]:
        """Three plain sentences from the numbers: participation, the index, the values."""
        report = self.report
        total = report.total
        rate = i18n.format_percent(total.participation)
        target = report.participation_target
        if target is None or total.participation is None:
            first = _(
                "%(rate)s of the employees sent their answers (%(submitted)d of %(eligible)d).",
                rate=rate,
                submitted=total.submitted,
                eligible=total.eligible,
            )
        elif total.participation >= target:
            first = _(
                "%(rate)s of the employees sent their answers, reaching the target of %(target)s.",
                rate=rate,
                target=i18n.format_percent(target, 0),
            )
        else:
            first = _(
                "%(rate)s of the employees sent their answers, below the target of %(target)s: "
                "%(missing)d more answers were needed.",
                rate=rate,
                target=i18n.format_percent(target, 0),
                missing=max(0, math.ceil(target * total.eligible - 1e-9) - total.submitted),
            )
        stats = {s.code: s for s in report.value_stats}
        overall = stats.get(OVERALL)
        if total.withheld or overall is None or overall.mean is None:
            return [
                first,
                _("The results of this scope are withheld to protect the people who answered."),
                _("See the Metodologi sheet for the privacy rule."),
            ]
        second = _(
            "The overall index is %(index)s (%(band)s). %(change)s",
            index=i18n.format_number(overall.mean),
            band=overall.band or "–",
            change=self._change_words(overall.change),
        )
        third = ""
        if report.strongest is not None and report.weakest is not None:
            third = _(
                "The strongest core value is %(strong)s (%(strong_index)s); the one to develop "
                "first is %(weak)s (%(weak_index)s).",
                strong=report.strongest.name,
                strong_index=i18n.format_number(report.strongest.mean),
                weak=report.weakest.name,
                weak_index=i18n.format_number(report.weakest.mean),
            )
        return [first, second, third]

    # Ringkasan -------------------------------------------------------------------------------
    def summary(self) -> None:
        report = self.report
        headers = [
            _("Unit"),
            _("Unit code"),
            *self._count_headers(),
            *self._index_headers(),
            _("Band"),
            _("Note"),
        ]
        first_index = 8
        last_index = first_index + len(report.values)
        widths = [
            *self._unit_widths(),
            12,
            12,
            10,
            12,
            13,
            *([13] * (len(report.values) + 1)),
            _fit([b.label for b in report.bands], 12, 24),
            30,
        ]
        sheet, st = self.begin("summary", widths, headers, freeze="C")
        for unit in report.units:
            sheet.append(self._unit_row(st, unit, indent=unit.depth))
        self.step(len(report.units))
        sheet.append(self._unit_row(st, report.total, bold=True, name=_("Total")))
        self.step(1)
        last_row = HEADER_ROW + len(report.units) + 1
        if report.units:
            span = (
                f"{get_column_letter(first_index)}{HEADER_ROW + 1}:"
                f"{get_column_letter(last_index)}{last_row}"
            )
            sheet.conditional_formatting.add(span, self._colour_scale())
        sheet.auto_filter.ref = (
            f"A{HEADER_ROW}:{get_column_letter(len(headers))}{HEADER_ROW + len(report.units)}"
        )

    def _colour_scale(self) -> ColorScaleRule:
        lowers = sorted({b.lower for b in self.report.bands if b.lower > 0})
        middle = lowers[len(lowers) // 2] if lowers else 50
        return ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="FFF8696B",
            mid_type="num",
            mid_value=middle,
            mid_color="FFFFEB84",
            end_type="num",
            end_value=100,
            end_color="FF63BE7B",
        )

    def _unit_row(
        self, st: _Styles, unit: UnitLine, *, indent: int = 0, bold: bool = False, name=None
    ) -> list:
        row: list = [
            st.text(unit.name if name is None else name, bold=bold, indent=indent),
            st.text(unit.code, bold=bold),
            *self._counts(st, unit, bold),
        ]
        if unit.withheld:
            row += [None] * (len(self.report.values) + 2)
            row.append(st.text(self._withheld_note(unit.withheld_reason)))
            return row
        row += [st.number(unit.indices.get(v.code), INDEX_FORMAT, bold) for v in self.report.values]
        row.append(st.number(unit.overall, INDEX_FORMAT, bold))
        row.append(st.text(unit.band, bold=bold) if unit.band else None)
        return row

    # Nilai dasar -----------------------------------------------------------------------------
    def values(self) -> None:
        """Per value: index with its n and SD, band, change, and the people in each band."""
        report = self.report
        bands = [b.label for b in sorted(report.bands, key=lambda b: -b.lower)]
        headers = [
            _("Core value"),
            _("Code"),
            _("Index"),
            "n",
            _("SD"),
            _("Band"),
            self._change_header(),
            *[_("People: %(band)s", band=b) for b in bands],
        ]
        widths = [
            _fit([v.name for v in report.values] + [_("Overall index")], 20, 40),
            8,
            10,
            8,
            8,
            _fit(bands, 12, 24),
            16,
            *([14] * len(bands)),
        ]
        sheet, st = self.begin("values", widths, headers, freeze="B")
        if report.total.withheld or not report.value_stats:
            sheet.append([st.text(self._withheld_note(report.total.withheld_reason))])
            return
        for stat in report.value_stats:
            bold = stat.code == OVERALL
            sheet.append(
                [
                    st.text(stat.name, bold=bold),
                    st.text("" if bold else stat.code, bold=bold),
                    st.number(stat.mean, INDEX_FORMAT, bold),
                    st.number(stat.n, COUNT_FORMAT, bold),
                    st.number(stat.sd, SD_FORMAT, bold),
                    st.text(stat.band or "", bold=bold),
                    st.number(stat.change, CHANGE_FORMAT, bold),
                    *[st.number(stat.band_counts.get(b, 0), COUNT_FORMAT, bold) for b in bands],
                ]
            )

    # Perubahan -------------------------------------------------------------------------------
    def changes(self) -> None:
        """Per unit and value: the index now minus the index of the previous closed period,
        each side as its own period published it (blank where either side is withheld)."""
        report = self.report
        headers = [_("Unit"), _("Unit code"), *self._index_headers()]
        widths = [*self._unit_widths(), *([13] * (len(report.values) + 1))]
        sheet, st = self.begin("changes", widths, headers, freeze="C")
        if report.previous_period is None:
            sheet.append([st.text(_("No earlier closed period to compare with."))])
            return
        sheet.append([st.text(self._change_header(), bold=True)])
        codes = [v.code for v in report.values] + [OVERALL]
        for unit in [*report.units, report.total]:
            is_total = unit is report.total
            sheet.append(
                [
                    st.text(
                        _("Total") if is_total else unit.name,
                        bold=is_total,
                        indent=0 if is_total else unit.depth,
                    ),
                    st.text(unit.code, bold=is_total),
                    *[st.number(unit.changes.get(c), CHANGE_FORMAT, is_total) for c in codes],
                ]
            )

    # Pegawai ---------------------------------------------------------------------------------
    def people(self) -> None:
        report = self.report
        if report.people is None or report.hide_individuals:
            return
        statuses = {
            STATUS_SUBMITTED: _("Submitted"),
            STATUS_DRAFT: _("Draft"),
            STATUS_NOT_STARTED: _("Not filled in"),
        }
        flag_names = {"straight_lining": _("Same answer everywhere"), "too_fast": _("Too fast")}
        headers = [
            _("NIP"),
            _("Name"),
            _("Unit"),
            _("Unit code"),
            _("Position (jabatan)"),
            _("Grade (golongan)"),
            _("Status"),
            _("Submitted at (%(zone)s)", zone=report.timezone_label),
            *self._index_headers(),
            _("Band"),
            _("Quality flags"),
        ]
        widths = [21, 32, 32, self._unit_widths()[1], 30, 10, 15, 20]
        widths += [*([12] * (len(report.values) + 1)), 20, 24]
        sheet, st = self.begin("people", widths, headers, freeze="C")
        status_cells = {key: st.text(label) for key, label in statuses.items()}
        when = _ColumnCell(sheet, DATETIME_FORMATS["en" if self.english else "id"])
        index_cells = [_ColumnCell(sheet, INDEX_FORMAT) for _v in report.values]
        overall = _ColumnCell(sheet, INDEX_FORMAT)
        codes = [v.code for v in report.values]
        tz = self.tz
        rows = 0
        for person in report.people:
            submitted_at = person.submitted_at
            row = [
                text_cell(sheet, person.nip),
                text_cell(sheet, person.name),
                text_cell(sheet, person.unit),
                text_cell(sheet, person.unit_code),
                text_cell(sheet, person.jabatan),
                text_cell(sheet, person.golongan),
                status_cells[person.status],
                when(
                    submitted_at.astimezone(tz).replace(tzinfo=None)
                    if submitted_at is not None
                    else None
                ),
            ]
            indices = person.indices
            if indices:
                row += [
                    cell(indices.get(code)) for cell, code in zip(index_cells, codes, strict=True)
                ]
                row.append(overall(person.overall))
                row.append(text_cell(sheet, person.band) if person.band else None)
            else:
                row += [None] * (len(codes) + 2)
            if person.flags:
                row.append("; ".join(flag_names.get(f, f) for f in person.flags))
            sheet.append(row)
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                self.step(PROGRESS_EVERY)
        self.step(rows % PROGRESS_EVERY)
        sheet.auto_filter.ref = (
            f"A{HEADER_ROW}:{get_column_letter(len(headers))}{HEADER_ROW + rows}"
        )

    def _scale(self) -> list[tuple[int, str]]:
        """Each scale point with its word (`scale_labels` has one per point, lowest first)."""
        points = range(self.report.scale_min, self.report.scale_max + 1)
        return list(zip(points, self.report.scale_labels, strict=True))

    def _reverse_word(self, reverse: bool) -> str:
        return _("Yes (score mirrored)") if reverse else _("No")

    # Perilaku --------------------------------------------------------------------------------
    def behaviours(self) -> None:
        """The 21 behaviours scored over their items, then the scope's five weakest items."""
        report = self.report
        headers = [_("Core value"), _("Behaviour"), _("Behaviour guide"), _("Items"), _("Index")]
        widths = [12, 11, 70, _fit([self._reverse_word(True)], 22, 24), 10]
        sheet, st = self.begin("behaviours", widths, headers, freeze="C")
        wrap = Alignment(wrap_text=True, vertical="top")
        withheld = report.total.withheld
        for line in report.behaviours:
            text = st.text(line.text)
            text.alignment = wrap
            sheet.next_height(_lines(line.text, 70))
            sheet.append(
                _top(
                    [
                        st.text(line.value_code),
                        st.number(line.number, "0"),
                        text,
                        st.text(", ".join(line.items)),
                        st.text(self._withheld_note(report.total.withheld_reason))
                        if withheld
                        else st.number(line.index, INDEX_FORMAT),
                    ]
                )
            )
        if withheld or not report.weakest_items:
            return
        sheet.append([])
        sheet.append([st.text(_("The five weakest items"), bold=True)])
        sheet.append(
            [
                st.header(_("Item code")),
                st.header(_("Core value")),
                st.header(_("Statement")),
                st.header(_("Reverse-keyed")),
                st.header(_("Index")),
            ]
        )
        for item in report.weakest_items:
            text = st.text(item.text)
            text.alignment = wrap
            sheet.next_height(_lines(item.text, 70))
            sheet.append(
                _top(
                    [
                        st.text(item.code),
                        st.text(item.value_code),
                        text,
                        st.text(self._reverse_word(item.reverse)),
                        st.number(item.index, INDEX_FORMAT),
                    ]
                )
            )

    # Butir -----------------------------------------------------------------------------------
    def items(self) -> None:
        report = self.report
        points = list(range(report.scale_min, report.scale_max + 1))
        point_headers = [f"{p} ({label})" for p, label in self._scale()]
        headers = [
            _("Item code"),
            _("Core value"),
            _("Statement"),
            _("Reverse-keyed"),
            "n",
            _("Mean answer"),
            _("Mean score"),
            _("SD"),
            *point_headers,
        ]
        reverse_width = _fit([self._reverse_word(True), _("Reverse-keyed")], 10, 24)
        widths = [
            10,
            8,
            60,
            reverse_width,
            8,
            10,
            10,
            8,
            *[_fit([h], 10, 16) for h in point_headers],
        ]
        sheet, st = self.begin("items", widths, headers, freeze="D")
        wrap = Alignment(wrap_text=True, vertical="top")
        for item in report.items:
            text = st.text(item.text)
            text.alignment = wrap
            sheet.next_height(_lines(text.value, 60))
            row = [
                st.text(item.code),
                st.text(item.value_code),
                text,
                st.text(self._reverse_word(item.reverse)),
                st.number(item.n, COUNT_FORMAT),
                st.number(item.mean, INDEX_FORMAT),
                st.number(item.score, INDEX_FORMAT),
                st.number(item.sd, SD_FORMAT),
            ]
            if item.withheld:
                row[5:8] = [st.text(self._withheld_note(report.total.withheld_reason))]
            elif item.n:
                row += [st.number(item.counts.get(p, 0), COUNT_FORMAT) for p in points]
            sheet.append(_top(row))
        self.step(len(report.items))
        sheet.auto_filter.ref = (
            f"A{HEADER_ROW}:{get_column_letter(len(headers))}{HEADER_ROW + len(report.items)}"
        )

    # Grafik ----------------------------------------------------------------------------------
    def charts(self) -> None:
        """Native charts, each beside (or under) the small table it draws from, so the numbers
        behind a chart stay readable and checkable, and each on a printed page of its own."""
        report = self.report
        total = report.total
        names = [u.name for u in report.top_units] + [v.name for v in report.values]
        sheet, st = self.begin("charts", [_fit(names, 30, 60), 14, 14, 14, 3, *([14] * 3)])
        rows = TITLE_ROWS
        blocks = 0
        top = rows + 1

        def append(cells: list) -> int:
            nonlocal rows
            sheet.append(cells)
            rows += 1
            return rows

        def new_block() -> None:
            nonlocal blocks, top
            if blocks:
                sheet.row_breaks.append(Break(id=rows))
            blocks += 1
            top = rows + 1

        def place(chart, height_cm: float, beside: bool = True) -> None:
            """The chart right of its table (column F) or under it; blank rows keep the next
            block, which starts a new page, below the chart."""
            chart.width, chart.height = 20, height_cm
            _axes_shown(chart)
            sheet.add_chart(chart, f"F{top}" if beside else f"A{rows + 2}")
            end = (top if beside else rows + 2) + math.ceil(height_cm / 0.53) + 1
            while rows < end:
                append([])

        # 1. Value indices of the whole scope
        new_block()
        header = append([st.header(_("Core value")), st.header(_("Index"))])
        if total.withheld:
            append([st.text(self._withheld_note(total.withheld_reason))])
        else:
            for value in report.values:
                last = append(
                    [st.text(value.name), st.number(total.indices.get(value.code), INDEX_FORMAT)]
                )
            if report.values:
                chart = BarChart()
                chart.type = "bar"
                chart.title = _("Core value indices: %(scope)s", scope=report.scope_name)
                chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
                chart.x_axis.scaling.orientation = "maxMin"  # the first value on top
                chart.legend = None
                chart.add_data(
                    Reference(sheet, min_col=2, min_row=header, max_row=last),
                    titles_from_data=True,
                )
                chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
                place(chart, 9)
        # 2. The units just below the scope, by overall index, against the scope's own
        shown = sorted(
            (u for u in report.top_units if not u.withheld and u.overall is not None),
            key=lambda u: -u.overall,
        )
        if shown and not total.withheld and total.overall is not None:
            new_block()
            sheet.row_dimensions[rows + 1].height = _height(2)
            header = append(
                [
                    st.header(_("Unit")),
                    st.header(_("Unit code")),
                    st.header(_("Overall index")),
                    st.header(_("Organisation")),
                ]
            )
            for unit in shown:
                last = append(
                    [
                        st.text(unit.name),
                        st.text(unit.code),
                        st.number(unit.overall, INDEX_FORMAT),
                        st.number(total.overall, INDEX_FORMAT),
                    ]
                )
            chart = self._compare_chart(
                sheet, header, last, _("Overall index by unit"), (0, 100), INDEX_FORMAT
            )
            place(chart, max(11.0, min(18.0, 6 + 0.5 * len(shown))))
        # 3. Participation of the units just below the scope, against the scope's own
        units = sorted(
            (u for u in report.top_units if u.participation is not None),
            key=lambda u: -u.participation,
        )
        if units:
            new_block()
            sheet.row_dimensions[rows + 1].height = _height(2)
            header = append(
                [
                    st.header(_("Unit")),
                    st.header(_("Unit code")),
                    st.header(_("Participation")),
                    st.header(_("Organisation")),
                ]
            )
            for unit in units:
                last = append(
                    [
                        st.text(unit.name),
                        st.text(unit.code),
                        st.number(unit.participation, PERCENT_FORMAT),
                        st.number(total.participation, PERCENT_FORMAT),
                    ]
                )
            chart = self._compare_chart(
                sheet, header, last, _("Participation by unit"), (0, 1), "0%"
            )
            place(chart, max(11.0, min(18.0, 6 + 0.5 * len(units))))
        # 4. This period against earlier ones: one group of bars per value, one bar a period
        if len(report.trend) >= 2:
            new_block()
            sheet.row_dimensions[rows + 1].height = _height(
                max(_lines(p.label, 14) for p in report.trend)
            )
            header = append(
                [st.header(_("Core value"))] + [st.header(p.label) for p in report.trend]
            )
            for value in report.values:
                last = append(
                    [st.text(value.name)]
                    + [st.number(p.indices.get(value.code), INDEX_FORMAT) for p in report.trend]
                )
            last = append(
                [st.text(_("Overall index"))]
                + [st.number(p.overall, INDEX_FORMAT) for p in report.trend]
            )
            chart = BarChart()
            chart.type = "col"
            chart.grouping = "clustered"
            chart.title = _("Change over periods")
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
            chart.add_data(
                Reference(
                    sheet, min_col=2, max_col=len(report.trend) + 1, min_row=header, max_row=last
                ),
                titles_from_data=True,
            )
            chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
            chart.legend.position = "b"
            _label_text(chart.x_axis, rotate=True)
            place(chart, 11, beside=False)

    def _compare_chart(self, sheet, header: int, last: int, title: str, span, fmt) -> BarChart:
        """Columns of the units (sorted, named by their codes, which the table beside spells
        out), the organisation's value as a line across them."""
        bars = BarChart()
        bars.type = "col"
        bars.title = title
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = span
        bars.y_axis.number_format = fmt
        bars.add_data(
            Reference(sheet, min_col=3, min_row=header, max_row=last), titles_from_data=True
        )
        categories = Reference(sheet, min_col=2, min_row=header + 1, max_row=last)
        bars.set_categories(categories)
        line = LineChart()
        line.add_data(
            Reference(sheet, min_col=4, min_row=header, max_row=last), titles_from_data=True
        )
        line.set_categories(categories)
        line.series[0].graphicalProperties.line.solidFill = "C0504D"
        line.series[0].graphicalProperties.line.width = 28575
        line.series[0].marker.symbol = "none"
        bars.x_axis.tickLblSkip = 1
        _label_text(bars.x_axis, rotate=True)
        bars.legend.position = "b"
        bars += line
        return bars

    # Metodologi ------------------------------------------------------------------------------
    def heatmap(self) -> None:
        """Peta Panas: written by report_sheets.py (imported here, as it builds on this module)."""
        if self.report.heatmap is None:
            return
        from .report_sheets import write_heatmap

        report = self.report
        name = SHEET_NAMES["heatmap"](report.locale)
        write_heatmap(self.book, report.heatmap, report.locale, name=name)

    def plans(self) -> None:
        """Rencana Aksi: the plans made after this period, with their before and after."""
        if self.report.plans is None:
            return
        from .report_sheets import write_plans

        report = self.report
        write_plans(
            self.book, report.plans, report.locale, name=SHEET_NAMES["plans"](report.locale)
        )

    def culture(self) -> None:
        """Peta Budaya, where the version has a culture map (culture_sheet.py)."""
        if self.report.culture is None:
            return
        from .culture_sheet import write_culture_sheet

        name = SHEET_NAMES["culture"](self.report.locale)
        write_culture_sheet(
            self.book, self.report.culture, name=name, period_name=self.report.period_name
        )

    def methodology(self) -> None:
        report = self.report
        labels_width = 34
        sheet, st = self.begin(
            "methodology", [labels_width, 100], [_("Aspect"), _("Description")], freeze="A"
        )
        wrap = Alignment(wrap_text=True, vertical="top")
        top = Alignment(vertical="top", wrap_text=True)

        def line(label: str, value: Any) -> None:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell = st.number(value, COUNT_FORMAT if isinstance(value, int) else ALPHA_FORMAT)
                cell.alignment = Alignment(horizontal="left", vertical="top")
                lines = 1
            else:
                cell = st.text(value)
                cell.alignment = wrap
                lines = _lines(cell.value, 100)
            label_cell = st.text(label, bold=True)
            label_cell.alignment = top
            sheet.next_height(max(lines, _lines(label, labels_width)))
            sheet.append([label_cell, cell])

        line(_("Period"), f"{report.period_name} ({report.period_code})")
        line(_("Period runs"), f"{self.when(report.opens_at)} – {self.when(report.closes_at)}")
        line(
            _("Questionnaire"),
            f"{report.questionnaire}, " + _("version %(n)d", n=report.version_number),
        )
        line(_("Answer scale"), ", ".join(f"{p} = {label}" for p, label in self._scale()))
        line(
            _("Reverse-keyed items"),
            ", ".join(report.reverse_items) if report.reverse_items else _("None"),
        )
        line(
            _("Item score"),
            _(
                "The answer; for a reverse-keyed item %(lo)d + %(hi)d − answer.",
                lo=report.scale_min,
                hi=report.scale_max,
            ),
        )
        line(
            _("Mean answer and mean score"),
            _(
                "Butir shows both: the mean of what people ticked, and the mean item score, "
                "where a reverse-keyed item's answers are mirrored so that high is always good."
            ),
        )
        line(
            _("Core value index"),
            _(
                "(mean item score of the value − %(lo)d) / (%(hi)d − %(lo)d) × 100, from 0 to 100.",
                lo=report.scale_min,
                hi=report.scale_max,
            ),
        )
        line(
            _("Behaviour index"),
            _("The same, over the items of one behaviour guide of the value (Perilaku)."),
        )
        weights = ", ".join(f"{v.code} {report.weights.get(v.code, 1):g}" for v in report.values)
        line(
            _("Overall index"), _("Weighted mean of the value indices (weights: %(w)s).", w=weights)
        )
        line(
            _("Unit result"),
            _(
                "Mean and standard deviation (n − 1) over the submitted responses of the unit "
                "and every unit below it; participation = submitted / eligible."
            ),
        )
        bands = "; ".join(
            f"≥ {b.lower:g}: {b.label}" for b in sorted(report.bands, key=lambda b: -b.lower)
        )
        line(_("Bands"), bands)
        if report.participation_target is not None:
            line(
                _("Participation target"),
                i18n.format_percent(report.participation_target, 0),
            )
        line(
            _("Change"),
            _(
                "The index now minus the index of %(period)s, each as its own period "
                "published it; blank where either is withheld.",
                period=report.previous_period or _("the previous closed period"),
            ),
        )
        line(_("Minimum group size"), report.min_group_size)
        line(
            _("Individual results"),
            _("Hidden: groups below the minimum size are withheld and there is no Pegawai sheet.")
            if report.hide_individuals
            else _("Visible to HR (Pegawai sheet)."),
        )
        if report.hide_individuals:
            line(
                _("Privacy rule"),
                _(
                    "A group's numbers are withheld when fewer than %(n)d people have sent "
                    "their answers. Some larger units are withheld as well, where subtracting "
                    "their numbers from those of the unit above would reveal a group of fewer "
                    "than %(n)d people. The decision is made once for the whole organisation, "
                    "so every report shows the same numbers for the same unit, whatever its "
                    "scope. Results appear only after the period is closed.",
                    n=report.min_group_size,
                ),
            )
        line(
            _("Reliability"),
            _(
                "Cronbach's alpha per value; withheld below %(n)d respondents.",
                n=report.min_alpha_respondents,
            ),
        )
        for value in report.values:
            alpha = report.alpha.get(value.code)
            line(f"  alpha {value.code} – {value.name}", alpha if alpha is not None else "–")
        if report.culture is not None:  # Peta Budaya: its formulas, as on its own sheet
            from .culture_sheet import methodology as culture_formulas

            heading, *formulas = culture_formulas(report.culture.pick)
            for number, formula in enumerate(formulas, 1):
                line(heading if number == 1 else "", formula)
        line(_("Scope"), f"{report.scope_name} ({report.scope_code})")
        line(_("Generated at"), self.when(report.generated_at))
        line(_("Generated by"), report.generated_by)


def _axes_shown(chart) -> None:
    """Say explicitly that the axes are shown: files from openpyxl 3.1 open in Excel without
    axes otherwise (its default for `delete` is left to the reader)."""
    charts = [chart, *getattr(chart, "_charts", [])]
    for part in charts:
        for axis in (getattr(part, "x_axis", None), getattr(part, "y_axis", None)):
            if axis is not None:
                axis.delete = False


def _label_text(axis, rotate: bool = False) -> None:
    """Category labels at 9 points, turned 45 degrees when `rotate`, so long unit names all
    show instead of every second one."""
    properties = CharacterProperties(sz=900)
    body = {"rot": -2700000, "vert": "horz"} if rotate else {}

    axis.txPr = RichText(
        bodyPr=RichTextProperties(**body),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)],
    )


SheetWriter = Callable[[_Writer], None]

# The sheets of a results workbook, in order. Another module adds its sheet by inserting
# (key, function) here and its names in SHEET_NAMES; a function writes nothing when its sheet
# does not apply (Pegawai where individuals are hidden).
RESULT_SHEETS: list[tuple[str, SheetWriter]] = [
    ("leadership", _Writer.leadership),
    ("summary", _Writer.summary),
    ("values", _Writer.values),
    ("changes", _Writer.changes),
    ("heatmap", _Writer.heatmap),
    ("people", _Writer.people),
    ("behaviours", _Writer.behaviours),
    ("items", _Writer.items),
    ("charts", _Writer.charts),
    ("plans", _Writer.plans),
    ("culture", _Writer.culture),
    ("methodology", _Writer.methodology),
]
# The participation workbook of a period whose results are not published (docs/privacy.md).
PARTICIPATION_SHEETS: list[tuple[str, SheetWriter]] = [
    ("summary", _Writer.participation),
    ("non_respondents", _Writer.non_respondents),
]


# The list of who has not filled in --------------------------------------------------------------
@dataclass(frozen=True)
class NonRespondentLine:
    nip: str
    name: str
    unit: str
    jabatan: str
    status: str  # STATUS_DRAFT / STATUS_NOT_STARTED
    unit_code: str = ""
    employee_id: int | None = None  # the page's tick boxes (reminders); not in the workbook


def write_non_respondents(
    rows: Iterable[NonRespondentLine], output: Output, *, locale: str, period_name: str
) -> int:
    """The list HR forwards to unit heads; returns the number of people written."""
    with force_locale(locale):
        book = Workbook(write_only=True)
        count = non_respondent_sheet(book, rows, period_name)
        book.save(output)
        return count


def non_respondent_sheet(
    book: Workbook, rows: Iterable[NonRespondentLine], period_name: str
) -> int:
    """The "Belum mengisi" sheet: one row per person who has not submitted."""
    sheet = new_sheet(book, SHEET_NAMES["non_respondents"](str(get_locale())))
    st = _Styles(sheet)
    headers = [
        _("NIP"),
        _("Name"),
        _("Unit"),
        _("Position (jabatan)"),
        _("Status"),
        _("Unit code"),
    ]
    _set_widths(sheet, [21, 32, 32, 30, 15, 16])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "2:2"
    sheet.HeaderFooter.oddFooter.center.text = _("Page &P of &N")
    sheet.freeze_panes = "A3"
    sheet.append([st.text(_("Not yet submitted: %(period)s", period=period_name), bold=True)])
    sheet.append([st.header(h) for h in headers])
    statuses = {STATUS_DRAFT: _("Draft"), STATUS_NOT_STARTED: _("Not filled in")}
    count = 0
    for line in rows:
        sheet.append(
            [
                text_cell(sheet, line.nip),
                text_cell(sheet, line.name),
                text_cell(sheet, line.unit),
                text_cell(sheet, line.jabatan),
                statuses[line.status],
                text_cell(sheet, line.unit_code),
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A2:F{count + 2}"
    return count


def write_activation_codes(rows: Iterable[tuple[str, str, str]], output: Output) -> int:
    """NIP, name and one-time activation code of new accounts, for HR to hand out."""
    book = Workbook(write_only=True)
    sheet = new_sheet(book, "Kode aktivasi")
    st = _Styles(sheet)
    _set_widths(sheet, [21, 36, 16])
    sheet.freeze_panes = "A2"
    sheet.append([st.header(h) for h in (_("NIP"), _("Name"), _("Activation code"))])
    count = 0
    for nip, name, code in rows:
        sheet.append([text_cell(sheet, nip), text_cell(sheet, name), text_cell(sheet, code)])
        count += 1
    book.save(output)
    return count


# --- the roster template an admin downloads from the import page --------------------------------

ROSTER_EXAMPLE = {
    "NIP": "199001012015031001",
    "Nama": "Dewi Lestari",
    "Kode Unit": "CONTOH",
    "Jabatan": "Analis Kebijakan Ahli Pertama",
    "Golongan": "III/a",
    "Jenis": "PNS",
    "Email": "dewi.lestari@contoh.go.id",
    "Peran": "pegawai",
}
TEXT_ROWS = 5000  # rows of the NIP column formatted as Text ahead of typing


def _roster_help() -> dict[str, tuple[str, str]]:
    """Per column: required or optional, and what to enter (the import's rules, in words)."""
    required, optional = _("Required"), _("Optional")
    return {
        "NIP": (
            required,
            _(
                "18 digits, typed as text: the column is formatted as Text, so Excel keeps "
                "every digit. Spaces and dots are allowed. Each NIP once in the file."
            ),
        ),
        "Nama": (required, _("Full name with titles, at most 200 characters.")),
        "Kode Unit": (
            required,
            _(
                "The code of an existing, active unit (see Administration > Units). The "
                "example's CONTOH is not a unit: the import refuses it."
            ),
        ),
        "Jabatan": (optional, _("Position, at most 200 characters; may be empty.")),
        "Golongan": (
            optional,
            _(
                "PNS: I/a to IV/e (I to III have a to d, IV has a to e), for example III/b. "
                "PPPK: a grade from I to XVII, for example IX. May be empty."
            ),
        ),
        "Jenis": (required, _("PNS or PPPK.")),
        "Email": (
            optional,
            _("Optional column. One address. Without this column, e-mails are left as they are."),
        ),
        "Peran": (
            optional,
            _(
                "Optional column: pegawai, hr or admin, separated by commas. An HR officer's "
                "scope starts at their own unit. Without this column, roles are left as they are."
            ),
        ),
    }


def write_roster_template(columns: Sequence[str], output: Output, *, locale: str = "id") -> None:
    """The employees roster template: sheet "Pegawai" with the headers the import reads, one
    example row and the NIP column formatted as Text; sheet "Petunjuk" explains each column
    in the locale's language. Headers and sheet names are the import's, in both locales."""
    from openpyxl.worksheet.datavalidation import DataValidation

    with force_locale(locale):
        book = Workbook()
        sheet = book.active
        sheet.title = "Pegawai"
        bold = Font(bold=True)
        for col, name in enumerate(columns, 1):
            cell = sheet.cell(1, col, name)
            cell.font = bold
            value = ROSTER_EXAMPLE.get(name)
            example = sheet.cell(2, col, value)
            example.number_format = "@"  # every example cell is text, as typed
            sheet.column_dimensions[get_column_letter(col)].width = max(14, len(value or "") + 2)
        nip = get_column_letter(list(columns).index("NIP") + 1)
        sheet.column_dimensions[nip].number_format = "@"
        for row in range(3, TEXT_ROWS + 2):
            sheet[f"{nip}{row}"].number_format = "@"  # a NIP typed here stays 18 digits
        sheet.freeze_panes = "A2"
        if "Jenis" in columns:
            jenis = get_column_letter(list(columns).index("Jenis") + 1)
            rule = DataValidation(type="list", formula1='"PNS,PPPK"', allow_blank=False)
            rule.add(f"{jenis}2:{jenis}{TEXT_ROWS + 1}")
            sheet.add_data_validation(rule)
        notes = book.create_sheet("Petunjuk")
        notes.append([_("How to fill in this roster")])
        notes["A1"].font = Font(bold=True, size=13)
        for line in (
            _(
                "Fill in one row per employee on the sheet Pegawai, from row 2. Row 2 is an "
                "example: type over it or delete it."
            ),
            _(
                "Keep the headers of row 1 as they are. Columns may be in any order; other "
                "columns are ignored."
            ),
            _(
                "Upload the file on Administration > Import the roster. Nothing is written "
                "until you have seen the preview; a file with any error writes nothing."
            ),
        ):
            notes.append([line])
        notes.append([])
        header = [_("Column"), _("Required or optional"), _("What to enter"), _("Example")]
        notes.append(header)
        for cell in notes[notes.max_row]:
            cell.font = bold
        help_text = _roster_help()
        for name in columns:
            need, what = help_text.get(name, ("", ""))
            notes.append([name, need, what, ROSTER_EXAMPLE.get(name, "")])
        for col, width in zip("ABCD", (16, 20, 80, 30), strict=True):
            notes.column_dimensions[col].width = width
        for row in notes.iter_rows(min_row=1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        book.save(output)


def write_audit_log(lines, output: Output, *, timezone: str, zone_label: str) -> int:
    """The audit log as the admin filtered it (services/audit.Line): when, who, what, the
    sentence and the changes, one entry a row. Returns the number of entries written."""
    tz = ZoneInfo(timezone)
    book = Workbook(write_only=True)
    sheet = new_sheet(book, "Log audit")
    st = _Styles(sheet)
    _set_widths(sheet, [18, 28, 26, 60, 60, 16])
    sheet.freeze_panes = "A2"
    headers = (
        _("When (%(zone)s)", zone=zone_label),
        _("Who"),
        _("What happened"),
        _("Description"),
        _("Changes"),
        _("Address"),
    )
    sheet.append([st.header(h) for h in headers])
    when = _ColumnCell(sheet, "yyyy-mm-dd hh:mm")
    count = 0
    for line in lines:
        changes = "\n".join(
            f"{c.field}: {c.after}"
            if c.before is None
            else f"{c.field}: {c.before}"
            if c.after is None
            else f"{c.field}: {c.before} -> {c.after}"
            for c in line.changes
        )
        sheet.append(
            [
                when(line.at.astimezone(tz).replace(tzinfo=None)),
                text_cell(sheet, line.who),
                text_cell(sheet, line.action),
                text_cell(sheet, line.sentence),
                text_cell(sheet, changes) if changes else None,
                text_cell(sheet, line.ip) if line.ip else None,
            ]
        )
        count += 1
    _autofilter(sheet, len(headers), count + 1)
    book.save(output)
    return count
