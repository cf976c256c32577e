"""The HR workbook of docs/design.md "The HR workbook", and the list of who has not filled in.

This module only formats: every number arrives already computed (services/reports.py gathers
them from services/results.py and passes a `Report` in), and nothing here queries the database.
Rows are streamed with openpyxl's write-only mode, so the Pegawai sheet of 100,000 people costs
no more memory than the one of 100. Every person-supplied string goes through
`spreadsheet.text_cell`; headers follow the report's locale, sheet names never change because
people's macros and scripts look sheets up by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .scoring import WITHHELD_COMPLEMENT
from .spreadsheet import text_cell

SHEETS = ("Ringkasan", "Pegawai", "Butir", "Grafik", "Metodologi")
STATUS_SUBMITTED, STATUS_DRAFT, STATUS_NOT_STARTED = "submitted", "draft", "not_started"

INDEX_FORMAT = "0.00"
SD_FORMAT = "0.00"
ALPHA_FORMAT = "0.000"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
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
    # Sheets other modules write after Metodologi (culture_sheet.py: "Peta Budaya").
    extra_sheets: Sequence[Callable[[Workbook], Any]] = field(default_factory=tuple)
    # Set while the period's results are not published: the workbook is then a participation
    # workbook (counts, and who has not filled in where individuals are shown), and this text
    # says when results come.
    results_pending: str | None = None
    non_respondents: Iterable[NonRespondentLine] | None = None


class _CellSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows hold ready cells (or None, or plain values).

    openpyxl probes every appended value by assigning it to a scratch cell, which raises and
    catches a ValueError (with a formatted message) for each cell that carries a number format;
    on 100,000 x 17 cells that probe alone costs a third of the time. Pinned by
    tests/unit/test_excel.py (same cells as openpyxl's own append) for openpyxl 3.1.
    """

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
            cell.alignment = Alignment(indent=min(indent, 15))
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


def _fit(texts: Iterable[str], least: float, most: float) -> float:
    longest = max((len(t) for t in texts), default=0)
    return max(least, min(most, longest + 2))


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

    def step(self, rows: int) -> None:
        self.done += rows
        self.progress(min(self.done, self.total), self.total)

    def write(self, output: Output) -> None:
        if self.report.results_pending is not None:
            self.participation()
            self.book.save(output)
            self.progress(self.total, self.total)
            return
        self.summary()
        if self.report.people is not None and not self.report.hide_individuals:
            self.people()
        self.items()
        self.charts()
        self.methodology()
        for add in self.report.extra_sheets:
            add(self.book)
        self.book.save(output)
        self.progress(self.total, self.total)

    # Participation workbook ------------------------------------------------------------------
    def participation(self) -> None:
        """Ringkasan with counts and rates under a title that says what the file is not."""
        report = self.report
        self.book.properties.title = _(
            "Participation report: %(period)s", period=report.period_name
        )
        sheet = new_sheet(self.book, SHEETS[0])
        st = _Styles(sheet)
        headers = [
            _("Unit"),
            _("Unit code"),
            _("Eligible"),
            _("Submitted"),
            _("Draft"),
            _("Not started"),
            _("Participation"),
        ]
        _set_widths(
            sheet,
            [
                _fit([u.name for u in report.units], 24, 60) + 2,
                _fit([u.code for u in report.units], 10, 24),
                12,
                12,
                12,
                14,
                13,
            ],
        )
        sheet.freeze_panes = "C7"
        title = st.text(_("Participation report (no results yet)"), bold=True)
        title.font = Font(bold=True, size=14)
        sheet.append([title])
        sheet.append([st.text(f"{report.period_name} ({report.period_code})")])
        sheet.append([st.text(_("Scope: %(scope)s", scope=report.scope_name))])
        sheet.append([st.text(report.results_pending)])
        local = report.generated_at.astimezone(self.tz)
        sheet.append(
            [
                st.text(
                    _(
                        "Generated at %(when)s by %(who)s",
                        when=f"{local:%Y-%m-%d %H:%M} {report.timezone_label}",
                        who=report.generated_by,
                    )
                )
            ]
        )
        sheet.append([st.header(h) for h in headers])
        for unit in report.units:
            sheet.append(self._participation_row(st, unit, indent=unit.depth))
        self.step(len(report.units))
        sheet.append(self._participation_row(st, report.total, bold=True, name=_("Total")))
        self.step(1)
        sheet.auto_filter.ref = f"A6:{get_column_letter(len(headers))}{len(report.units) + 6}"
        if report.non_respondents is not None:
            non_respondent_sheet(self.book, report.non_respondents, report.period_name)

    def _participation_row(
        self, st: _Styles, unit: UnitLine, *, indent: int = 0, bold: bool = False, name=None
    ) -> list:
        return [
            st.text(unit.name if name is None else name, bold=bold, indent=indent),
            st.text(unit.code, bold=bold),
            st.number(unit.eligible, COUNT_FORMAT, bold),
            st.number(unit.submitted, COUNT_FORMAT, bold),
            st.number(unit.drafts, COUNT_FORMAT, bold),
            st.number(unit.eligible - unit.submitted - unit.drafts, COUNT_FORMAT, bold),
            st.number(unit.participation, PERCENT_FORMAT, bold),
        ]

    # Ringkasan -------------------------------------------------------------------------------
    def _index_headers(self) -> list[str]:
        return [f"{v.name} ({v.code})" for v in self.report.values] + [_("Overall index")]

    def summary(self) -> None:
        report = self.report
        sheet = new_sheet(self.book, SHEETS[0])
        st = _Styles(sheet)
        headers = [
            _("Unit"),
            _("Unit code"),
            _("Eligible"),
            _("Submitted"),
            _("Participation"),
            *self._index_headers(),
            _("Band"),
            _("Note"),
        ]
        first_index = 6
        last_index = first_index + len(report.values)
        names = [u.name for u in report.units]
        _set_widths(
            sheet,
            [
                _fit(names, 24, 60) + 2,
                _fit([u.code for u in report.units], 10, 20),
                12,
                12,
                13,
                *([14] * (len(report.values) + 1)),
                _fit([b.label for b in report.bands], 12, 24),
                30,
            ],
        )
        sheet.freeze_panes = "C2"
        sheet.append([st.header(h) for h in headers])
        for unit in report.units:
            sheet.append(self._unit_row(st, unit, indent=unit.depth))
        self.step(len(report.units))
        sheet.append(self._unit_row(st, report.total, bold=True, name=_("Total")))
        self.step(1)
        last_row = len(report.units) + 2
        if last_row > 1:
            span = f"{get_column_letter(first_index)}2:{get_column_letter(last_index)}{last_row}"
            sheet.conditional_formatting.add(span, self._colour_scale())
        _autofilter(sheet, len(headers), last_row - 1)

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
            st.number(unit.eligible, COUNT_FORMAT, bold),
            st.number(unit.submitted, COUNT_FORMAT, bold),
            st.number(unit.participation, PERCENT_FORMAT, bold),
        ]
        if unit.withheld:
            row += [None] * (len(self.report.values) + 2)
            row.append(st.text(self._withheld_note(unit.withheld_reason)))
            return row
        row += [st.number(unit.indices.get(v.code), INDEX_FORMAT, bold) for v in self.report.values]
        row.append(st.number(unit.overall, INDEX_FORMAT, bold))
        row.append(st.text(unit.band, bold=bold) if unit.band else None)
        return row

    def _withheld_note(self, reason: str | None = None) -> str:
        if reason == WITHHELD_COMPLEMENT:
            return _("Withheld to protect another unit (see Metodologi)")
        return _("Withheld: fewer than %(n)d respondents", n=self.report.min_group_size)

    # Pegawai ---------------------------------------------------------------------------------
    def people(self) -> None:
        report = self.report
        sheet = new_sheet(self.book, SHEETS[1])
        st = _Styles(sheet)
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
            _("Position (jabatan)"),
            _("Grade (golongan)"),
            _("Status"),
            _("Submitted at (%(zone)s)", zone=report.timezone_label),
            *self._index_headers(),
            _("Band"),
            _("Quality flags"),
        ]
        _set_widths(sheet, [21, 32, 32, 30, 10, 15, 17, *([12] * (len(report.values) + 1)), 20, 24])
        sheet.freeze_panes = "C2"
        sheet.append([st.header(h) for h in headers])
        status_cells = {key: st.text(label) for key, label in statuses.items()}
        when = _ColumnCell(sheet, DATETIME_FORMAT)
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
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{rows + 1}"

    def _scale(self) -> list[tuple[int, str]]:
        """Each scale point with its word (`scale_labels` has one per point, lowest first)."""
        points = range(self.report.scale_min, self.report.scale_max + 1)
        return list(zip(points, self.report.scale_labels, strict=True))

    # Butir -----------------------------------------------------------------------------------
    def items(self) -> None:
        report = self.report
        sheet = new_sheet(self.book, SHEETS[2])
        st = _Styles(sheet)
        points = list(range(report.scale_min, report.scale_max + 1))
        point_headers = [f"{p} ({label})" for p, label in self._scale()]
        headers = [
            _("Item code"),
            _("Value"),
            _("Statement"),
            _("Reverse-keyed"),
            "n",
            _("Mean"),
            _("SD"),
            *point_headers,
        ]
        _set_widths(sheet, [10, 8, 70, 12, 8, 9, 9, *[_fit([h], 10, 18) for h in point_headers]])
        sheet.freeze_panes = "D2"
        sheet.append([st.header(h) for h in headers])
        yes, no = _("Yes"), _("No")
        for item in report.items:
            text = st.text(item.text)
            text.alignment = Alignment(wrap_text=True, vertical="top")
            row = [
                st.text(item.code),
                st.text(item.value_code),
                text,
                yes if item.reverse else no,
                st.number(item.n, COUNT_FORMAT),
                st.number(item.mean, INDEX_FORMAT),
                st.number(item.sd, SD_FORMAT),
            ]
            if item.withheld:
                row[5:7] = [st.text(self._withheld_note(report.total.withheld_reason))]
            elif item.n:
                row += [st.number(item.counts.get(p, 0), COUNT_FORMAT) for p in points]
            sheet.append(row)
        self.step(len(report.items))
        _autofilter(sheet, len(headers), len(report.items) + 1)

    # Grafik ----------------------------------------------------------------------------------
    def charts(self) -> None:
        """Native charts; each draws from a small table on this sheet, so the numbers behind
        a chart stay readable and checkable."""
        report = self.report
        sheet = new_sheet(self.book, SHEETS[3])
        st = _Styles(sheet)
        _set_widths(sheet, [34, *([12] * (len(report.values) + 1))])
        rows = 0
        anchor = 2  # top row of the next chart, in column L (right of the widest table)

        def append(cells: list) -> int:
            nonlocal rows
            sheet.append(cells)
            rows += 1
            return rows

        def place(chart, height_cm: float) -> None:
            nonlocal anchor
            chart.width, chart.height = 18, height_cm
            sheet.add_chart(chart, f"L{anchor}")
            anchor += int(height_cm * 2) + 2  # a default row is about half a centimetre

        # 1. Value indices of the whole scope
        header = append([st.header(_("Value")), st.header(_("Index"))])
        for value in report.values:
            index = None if report.total.withheld else report.total.indices.get(value.code)
            last = append([st.text(value.name), st.number(index, INDEX_FORMAT)])
        if report.total.withheld:
            append([st.text(self._withheld_note(report.total.withheld_reason))])
        elif report.values:
            chart = BarChart()
            chart.type = "bar"
            chart.title = _("Value indices: %(scope)s", scope=report.scope_name)
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
            chart.legend = None
            chart.add_data(
                Reference(sheet, min_col=2, min_row=header, max_row=last), titles_from_data=True
            )
            chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
            place(chart, 9)
        # 2. Participation by unit: the scope and the level below it, so the bars stay legible
        units = [u for u in report.units if u.depth <= 1][:40]
        if units:
            append([])
            header = append([st.header(_("Unit")), st.header(_("Participation"))])
            for unit in units:
                last = append([st.text(unit.name), st.number(unit.participation, PERCENT_FORMAT)])
            chart = BarChart()
            chart.type = "bar"
            chart.title = _("Participation by unit")
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
            chart.y_axis.number_format = "0%"
            chart.legend = None
            chart.add_data(
                Reference(sheet, min_col=2, min_row=header, max_row=last), titles_from_data=True
            )
            chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
            place(chart, max(7.0, min(30.0, 2 + 0.6 * len(units))))
        # 3. Trend over this and earlier periods of the same questionnaire, where they exist
        if len(report.trend) >= 2:
            append([])
            header = append(
                [st.header(_("Period"))]
                + [st.header(v.code) for v in report.values]
                + [st.header(_("Overall index"))]
            )
            for point in report.trend:
                last = append(
                    [st.text(point.label)]
                    + [st.number(point.indices.get(v.code), INDEX_FORMAT) for v in report.values]
                    + [st.number(point.overall, INDEX_FORMAT)]
                )
            chart = LineChart()
            chart.title = _("Trend over periods")
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
            chart.add_data(
                Reference(
                    sheet, min_col=2, max_col=len(report.values) + 2, min_row=header, max_row=last
                ),
                titles_from_data=True,
            )
            chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
            place(chart, 9)

    # Metodologi ------------------------------------------------------------------------------
    def methodology(self) -> None:
        report = self.report
        sheet = new_sheet(self.book, SHEETS[4])
        st = _Styles(sheet)
        _set_widths(sheet, [30, 90])
        wrap = Alignment(wrap_text=True, vertical="top")

        def line(label: str, value: Any) -> None:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell = st.number(value, COUNT_FORMAT if isinstance(value, int) else ALPHA_FORMAT)
            else:
                cell = st.text(value)
                cell.alignment = wrap
            sheet.append([st.text(label, bold=True), cell])

        def at(moment: datetime) -> str:
            local = moment.astimezone(self.tz)
            return f"{local:%Y-%m-%d %H:%M} {report.timezone_label}"

        sheet.append([st.header(_("Aspect")), st.header(_("Description"))])
        line(_("Period"), f"{report.period_name} ({report.period_code})")
        line(_("Period runs"), f"{at(report.opens_at)} – {at(report.closes_at)}")
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
            _("Value index"),
            _(
                "(mean item score of the value − %(lo)d) / (%(hi)d − %(lo)d) × 100, from 0 to 100.",
                lo=report.scale_min,
                hi=report.scale_max,
            ),
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
        line(_("Scope"), f"{report.scope_name} ({report.scope_code})")
        line(_("Generated at"), at(report.generated_at))
        line(_("Generated by"), report.generated_by)


# The list of who has not filled in --------------------------------------------------------------
@dataclass(frozen=True)
class NonRespondentLine:
    nip: str
    name: str
    unit: str
    jabatan: str
    status: str  # STATUS_DRAFT / STATUS_NOT_STARTED


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
    sheet = new_sheet(book, "Belum mengisi")
    st = _Styles(sheet)
    headers = [_("NIP"), _("Name"), _("Unit"), _("Position (jabatan)"), _("Status")]
    _set_widths(sheet, [21, 32, 32, 30, 15])
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
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A2:E{count + 2}"
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
