"""Who has filled in: eligible, submitted and draft counts per unit subtree, in two queries."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import PERIOD_CLOSED, Period
from . import results


@dataclass(frozen=True)
class UnitParticipation(results.Counts):
    unit_id: int
    code: str
    name: str
    depth: int
    eligible: int
    submitted: int
    drafts: int


def participation(period: Period, root_path: str | None) -> list[UnitParticipation]:
    """Each unit of the period's frozen tree under root_path (None: all), counting its subtree.

    A closed period's counts are final and come from its results snapshot (no query over the
    roster); an open period's are counted per exact roster unit in one GROUP BY and added up
    the tree in Python over units, without reading any answers.
    """
    if period.state == PERIOD_CLOSED:
        tree = results.published(period).tree
        units = [u for u in tree.units if root_path is None or u["path"].startswith(root_path)]
        base = min((u["depth"] for u in units), default=0)
        return [
            UnitParticipation(
                u["unit_id"],
                u["code"],
                u["name"],
                u["depth"] - base,
                tree.tallies[u["path"]].eligible,
                tree.tallies[u["path"]].submitted,
                tree.tallies[u["path"]].drafts,
            )
            for u in units
        ]
    units, _direct, subtree = results.subtree_counts(period, root_path)
    base = min((u.depth for u in units), default=0)
    return [
        UnitParticipation(
            u.unit_id,
            u.code,
            u.name,
            u.depth - base,
            subtree[u.path].eligible,
            subtree[u.path].submitted,
            subtree[u.path].drafts,
        )
        for u in units
    ]
