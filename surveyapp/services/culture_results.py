"""A period's published culture map: per unit of the frozen tree, the numbers of
surveyapp/culture.py from the snapshot's counts, under the period's one suppression decision
(docs/privacy.md): a unit whose Likert result is withheld has no culture map either."""

from __future__ import annotations

from dataclasses import dataclass

from .. import culture
from ..models import Period
from . import culture_map, results


@dataclass(frozen=True)
class UnitCultureRow:
    unit: results.UnitResult
    culture: culture.UnitCulture | None  # None: withheld, or nobody answered


def catalogue(period: Period) -> tuple[list[culture.Behaviour], int] | None:
    """The period version's list and number to choose; None without a culture map."""
    found = culture_map.section(period.version)
    if found is None:
        return None
    return culture_map.catalogue(period.version), found.pick


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
