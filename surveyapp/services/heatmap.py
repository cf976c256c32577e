"""The heatmap of a closed period: the units of a scope against the seven values and the
overall index (docs/design.md "Heatmap and action plans").

Every number comes from the period's published results (results.published, the snapshot of a
closed period), so a cell is exactly what the unit page and the workbook show, and a withheld
unit stays withheld here with the same reason (docs/privacy.md). Only arranging happens here:
order, the difference to the organisation, and which band each cell falls in.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, gettext

from .. import scoring
from ..excel import ValueHeading
from ..models import Period
from . import privacy, results
from .reports import Scope, tree_order, value_headings

OVERALL = results.OVERALL
MODE_INDEX, MODE_DIFFERENCE = "index", "diff"
MODES = (MODE_INDEX, MODE_DIFFERENCE)
COLOUR_LEVELS = 4  # heat-0 (the best band) to heat-3 (the lowest): CSS and the workbook


@dataclass(frozen=True)
class BandKey:
    """A band as the heatmap shows it: its name, a short form for the cells, and its colour
    level (0 the best band); the legend lists them, so colour is never the only sign."""

    band: scoring.Band
    label: str
    short: str
    level: int


@dataclass(frozen=True)
class Cell:
    mean: float | None
    difference: float | None  # mean minus the organisation's; None where either is missing
    band: BandKey | None


@dataclass(frozen=True)
class Row:
    unit_id: int | None
    code: str | None
    name: str | None
    depth: int
    submitted: int
    withheld_reason: str | None  # scoring.WITHHELD_*; then `cells` is empty
    cells: dict[str, Cell]  # value code (and OVERALL) -> cell

    @property
    def withheld(self) -> bool:
        return self.withheld_reason is not None


@dataclass(frozen=True)
class Heatmap:
    period: Period
    scope: Scope
    columns: list[ValueHeading]  # the values, then OVERALL
    rows: list[Row]
    organisation: Row
    bands: list[BandKey]  # best first
    min_group_size: int
    sort: str | None
    descending: bool


def sort_keys(version) -> set[str]:
    """The columns a heatmap may be sorted by: the name, each value code, overall."""
    return {"name", OVERALL, *results.rules_for(version).value_codes}


def band_keys(bands, locale: str) -> list[BandKey]:
    """The version's bands best first, each with a short form (the initials of its name, or
    the name itself where two bands would share initials) and a colour level spread over
    COLOUR_LEVELS."""
    ordered = sorted(bands, key=lambda b: b.lower, reverse=True)
    labels = [b.label(locale) for b in ordered]
    initials = ["".join(word[0] for word in label.split()).upper() for label in labels]
    unique = len(set(initials)) == len(initials)
    last = max(len(ordered) - 1, 1)
    return [
        BandKey(
            band,
            label,
            short if unique else label,
            round(i * (COLOUR_LEVELS - 1) / last),
        )
        for i, (band, label, short) in enumerate(zip(ordered, labels, initials, strict=True))
    ]


def _row(result, codes, keys: list[BandKey], organisation: dict[str, float | None]) -> Row:
    by_band = {key.band: key for key in keys}
    cells: dict[str, Cell] = {}
    if not result.withheld:
        means = {code: _mean(result.values.get(code)) for code in codes}
        means[OVERALL] = _mean(result.overall)
        bands = [key.band for key in keys]
        for code, mean in means.items():
            cells[code] = Cell(
                mean,
                scoring.change(mean, organisation.get(code)),
                by_band.get(scoring.band_for(mean, bands)),
            )
    return Row(
        unit_id=result.unit_id,
        code=result.code,
        name=result.name,
        depth=result.depth,
        submitted=result.submitted,
        withheld_reason=(result.withheld_reason or scoring.WITHHELD_SMALL)
        if result.withheld
        else None,
        cells=cells,
    )


def _mean(agg: scoring.Aggregate | None) -> float | None:
    return agg.mean if agg is not None else None


def heatmap(
    period: Period,
    scope: Scope,
    locale: str,
    sort: str | None = None,
    descending: bool = False,
) -> Heatmap:
    """The scope's units in tree order (or sorted by one column, withheld and empty cells
    last whichever the direction) with the organisation as the reference row. Only for a
    period whose results are published (LookupError otherwise: the view says when)."""
    if not privacy.results_published(period):
        raise LookupError("the period's results are not published")
    version = period.version
    rules = results.rules_for(version)
    codes = rules.value_codes
    keys = band_keys(rules.bands, locale)
    total = results.scope_result(period, None)
    org_means = {code: _mean(total.values.get(code)) for code in codes}
    org_means[OVERALL] = _mean(total.overall)
    organisation = _row(total, codes, keys, {})
    units = tree_order(results.unit_results(period, scope.path))  # as HR sees the tree
    rows = [_row(r, codes, keys, org_means) for r in units]
    if sort not in sort_keys(version):
        sort = None
    if sort == "name":
        rows.sort(key=lambda r: (r.name or "").casefold(), reverse=descending)
    elif sort is not None:
        shown = [r for r in rows if r.cells.get(sort) and r.cells[sort].mean is not None]
        empty = [r for r in rows if r not in shown]
        shown.sort(key=lambda r: r.cells[sort].mean, reverse=descending)
        rows = shown + empty
    with force_locale(locale):
        overall = ValueHeading(OVERALL, gettext("Overall index"))
    return Heatmap(
        period=period,
        scope=scope,
        columns=[*value_headings(version, locale), overall],
        rows=rows,
        organisation=organisation,
        bands=keys,
        min_group_size=rules.min_group_size,
        sort=sort,
        descending=descending,
    )
