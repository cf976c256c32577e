"""A period's published culture map: per unit of the frozen tree, the numbers of
surveyapp/culture.py from the snapshot's counts, under the period's one suppression decision
(docs/privacy.md): a unit whose Likert result is withheld has no culture map either."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import culture, culture_sheet
from ..models import Period
from . import culture_map, privacy, results


@dataclass(frozen=True)
class UnitCultureRow:
    unit: results.UnitResult
    culture: culture.UnitCulture | None  # None: withheld, or nobody answered


def catalogue(period: Period) -> tuple[list[culture.Behaviour], int] | None:
    """The period version's list and number to choose; None without a culture map."""
    found = culture_map.listed(period.version)
    if found is None:
        return None
    return found.behaviours, found.pick


def group_culture(
    period: Period, path: str | None, listed: tuple | None = None
) -> culture.UnitCulture | None:
    """The published culture map of one group (a unit's subtree, or None: the organisation)."""
    listed = listed if listed is not None else catalogue(period)
    if listed is None:
        return None
    tree = results.published(period).tree
    group = path or results.ORGANISATION
    if group in tree.hidden or group not in tree.moments:
        return None
    behaviours, pick = listed
    return culture.unit_culture(
        tree.culture.get(group, {}), tree.moments[group].n, behaviours, pick
    )


def unit_rows(period: Period, root_path: str | None = None) -> list[UnitCultureRow]:
    """Every unit under root_path in tree order, with its culture map where published."""
    listed = catalogue(period)
    return [
        UnitCultureRow(unit, None if unit.withheld else group_culture(period, unit.path, listed))
        for unit in results.unit_results(period, root_path)
    ]


INDICES = ("health", "personal_alignment", "desired_alignment", "positive_energy")


def changes(
    period: Period, previous: Period | None, root_path: str | None = None
) -> dict[str, dict[str, float | None]]:
    """Per unit code: the change of each index since `previous` (a closed period); units
    matched by code, None where either side has no published culture map."""
    now = unit_rows(period, root_path)
    before = {r.unit.code: r.culture for r in unit_rows(previous)} if previous is not None else {}
    out = {}
    for row in now:
        old = before.get(row.unit.code)
        out[row.unit.code] = {
            name: (
                getattr(row.culture, name) - getattr(old, name)
                if row.culture is not None and old is not None
                else None
            )
            for name in INDICES
        }
    return out


# --- what the pages show -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    code: str
    text: str
    share: float  # of the respondents, 0-1
    limiting: bool
    matched: bool = False  # also in the top list it is compared with


@dataclass(frozen=True)
class IndexLine:
    name: str
    value: float
    change: float | None


@dataclass(frozen=True)
class GapLine:
    text: str
    current: float
    desired: float
    points: float


@dataclass(frozen=True)
class CulturePage:
    """A unit's culture map as HR reads it."""

    n: int
    pick: int
    lenses: list[tuple[str, str, list[Line]]]  # (lens, its name, the top N)
    indices: list[IndexLine]
    health: IndexLine
    band: str
    implementation: list[tuple[str, float]]  # (core value name, score; 100 = fair share)
    limiting: list[Line]
    gaps: list[GapLine]
    previous: Period | None


def index_names() -> dict[str, str]:
    return {
        "health": str(_l("Culture health score")),
        "personal_alignment": str(_l("Personal-organisation value alignment")),
        "desired_alignment": str(_l("Current-desired culture alignment")),
        "positive_energy": str(_l("Positive energy")),
    }


def unit_page(
    period: Period, path: str | None, code: str | None, locale: str, previous: Period | None
):
    """The culture map of the unit at `path` for the HR unit page; None when the version has
    none or the unit is withheld or empty (the caller already checked that results may be
    seen). `previous` is the page's previous closed period; a change is shown only when that
    period has a culture map too."""
    listed = catalogue(period)
    if listed is None:
        return None
    found = group_culture(period, path, listed)
    if found is None:
        return None
    rows = culture_map.listed(period.version).rows
    if previous is not None and culture_map.listed(previous.version) is None:
        previous = None
    change = changes(period, previous, path).get(code, {}) if previous is not None else {}
    tops = {lens: {b.id for b in found.top[lens]} for lens in culture.LENSES}
    compare = {
        culture.SELF: tops[culture.CURRENT],
        culture.CURRENT: tops[culture.SELF] | tops[culture.DESIRED],
        culture.DESIRED: tops[culture.CURRENT],
    }

    def line(behaviour, lens, matched=False) -> Line:
        return Line(
            behaviour.code,
            rows[behaviour.id].text(locale),
            found.shares[lens][behaviour.id],
            behaviour.limiting,
            matched,
        )

    names = index_names()
    english = locale.startswith("en")
    values = {
        code: (en if english else id_)
        for code, (id_, en) in culture_map.listed(period.version).value_names.items()
    }
    return CulturePage(
        n=found.n,
        pick=found.pick,
        lenses=[
            (
                lens,
                str(culture_map.LENS_NAMES[lens]),
                [line(b, lens, b.id in compare[lens]) for b in found.top[lens]],
            )
            for lens in culture.LENSES
        ],
        indices=[IndexLine(names[k], getattr(found, k), change.get(k)) for k in INDICES[1:]],
        health=IndexLine(names["health"], found.health, change.get("health")),
        band=found.band.label(locale),
        implementation=[(values[k], v) for k, v in found.implementation.items()],
        limiting=[
            line(b, culture.CURRENT, b.id in tops[culture.CURRENT])
            for b, _share in found.limiting_current
        ],
        gaps=[
            GapLine(rows[g.behaviour.id].text(locale), g.current, g.desired, g.points)
            for g in found.gaps
        ],
        previous=previous,
    )


@dataclass(frozen=True)
class MyCulture:
    """An employee's own choices, and (after close, where published) their unit's current and
    desired top N beside them."""

    pick: int
    mine: list[tuple[str, list[str]]]  # (lens name, my choices)
    unit_current: list[tuple[str, bool]] | None  # (text, I chose it for my unit today)
    unit_desired: list[tuple[str, bool]] | None
    unit_n: int | None


def my_culture(period: Period, response, locale: str) -> MyCulture | None:
    found = culture_map.section(period.version)
    if found is None:
        return None
    chosen = culture_map.choices(response)
    ordered = culture_map.ordered_behaviours(period, response.employee, response)
    rows = {b.id: b for b in found.behaviours}
    mine = [
        (
            str(culture_map.LENS_NAMES[lens]),
            [b.text(locale) for b in ordered if b.code in chosen[lens]],
        )
        for lens in culture.LENSES
    ]
    unit = None
    if privacy.results_published(period):
        unit = group_culture(period, response.unit_path)
        if unit is not None and unit.n < found_min_group(period):
            unit = None

    def beside(lens: str):
        if unit is None:
            return None
        return [(rows[b.id].text(locale), rows[b.id].code in chosen[lens]) for b in unit.top[lens]]

    return MyCulture(
        pick=found.pick,
        mine=mine,
        unit_current=beside(culture.CURRENT),
        unit_desired=beside(culture.DESIRED),
        unit_n=unit.n if unit is not None else None,
    )


def found_min_group(period: Period) -> int:
    """The unit average rule of services/personal: the unit reaches the minimum group size,
    whether or not the period hides individuals."""
    return period.version.min_group_size


def sheet_data(period: Period, root_path: str | None, locale: str):
    """The "Peta Budaya" sheet's lines for the units under root_path (culture_sheet.py), or
    None when the version has no culture map. Withheld units keep their line, without numbers."""
    found = culture_map.listed(period.version)
    if found is None:
        return None
    english = locale.startswith("en")

    def words(behaviour_id: int) -> str:
        return found.rows[behaviour_id].text("en" if english else "id")

    rows = []
    units = results.unit_results(period, root_path)
    base = min((u.depth for u in units), default=0)
    for unit in units:
        mine = None if unit.withheld else group_culture(period, unit.path)
        note = ""
        if unit.withheld:
            note = str(
                _l("withheld to protect another unit")
                if unit.withheld_reason == "complement"
                else _l("withheld (fewer than %(n)d)", n=period.version.min_group_size)
            )
        if mine is None:
            rows.append(
                culture_sheet.CultureRow(
                    unit.code, unit.name, unit.depth - base, unit.submitted, note=note
                )
            )
            continue
        rows.append(
            culture_sheet.CultureRow(
                code=unit.code,
                name=unit.name,
                depth=unit.depth - base,
                n=mine.n,
                health=mine.health,
                band=mine.band.label(locale),
                personal_alignment=mine.personal_alignment,
                desired_alignment=mine.desired_alignment,
                positive_energy=mine.positive_energy,
                top=[[words(b.id) for b in mine.top[lens]] for lens in culture.LENSES],
                gaps=[(words(g.behaviour.id), g.points) for g in mine.gaps],
            )
        )
    return culture_sheet.CultureSheet(
        pick=found.pick,
        lens_names=[str(culture_map.LENS_NAMES[lens]) for lens in culture.LENSES],
        rows=rows,
    )
