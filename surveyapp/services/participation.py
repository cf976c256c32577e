"""Who has filled in: eligible and submitted counts per unit subtree, in one query."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import RESPONSE_SUBMITTED, Period, PeriodUnit, Response, RosterEntry


@dataclass(frozen=True)
class UnitParticipation:
    unit_id: int
    code: str
    name: str
    depth: int
    eligible: int
    submitted: int
    drafts: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.eligible if self.eligible else None


def participation(period: Period, root_path: str | None) -> list[UnitParticipation]:
    """Each unit of the period's snapshot under root_path (None: all), counting its subtree."""
    pu = aliased(PeriodUnit)
    subtree = RosterEntry.unit_path.startswith(pu.path, autoescape=False)
    submitted = sa.func.count(sa.case((Response.state == RESPONSE_SUBMITTED, 1)))
    drafts = sa.func.count(sa.case((Response.state != RESPONSE_SUBMITTED, 1)))
    query = (
        sa.select(
            pu.unit_id,
            pu.code,
            pu.name,
            pu.depth,
            pu.path,
            sa.func.count(RosterEntry.id),
            submitted,
            drafts,
        )
        .select_from(pu)
        .outerjoin(RosterEntry, sa.and_(RosterEntry.period_id == pu.period_id, subtree))
        .outerjoin(
            Response,
            sa.and_(
                Response.period_id == RosterEntry.period_id,
                Response.employee_id == RosterEntry.employee_id,
            ),
        )
        .where(pu.period_id == period.id)
        .group_by(pu.unit_id, pu.code, pu.name, pu.depth, pu.path)
        .order_by(pu.path)
    )
    if root_path is not None:
        query = query.where(pu.path.startswith(root_path, autoescape=True))
    rows = db.session.execute(query).all()
    base = min((r.depth for r in rows), default=0)
    return [UnitParticipation(r[0], r[1], r[2], r[3] - base, r[5], r[6], r[7]) for r in rows]
