"""What HR sees: who has filled in, the unit results, and the data of the workbook.

Every unit HR names (in a URL, a query string or a form) is resolved here against the period's
snapshot and the one HR scope rule in services/org.py; the numbers come from
services/results.py and are only arranged here. Nothing here formats cells (excel.py does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..excel import STATUS_DRAFT, STATUS_NOT_STARTED, NonRespondentLine
from ..extensions import db
from ..models import (
    PERIOD_DRAFT,
    RESPONSE_SUBMITTED,
    Employee,
    Period,
    PeriodUnit,
    Response,
    RosterEntry,
)
from . import audit, org
from .participation import UnitParticipation, participation

NON_RESPONDENTS_PER_PAGE = 100


class NotVisible(LookupError):
    """The period or unit does not exist for this user; the view answers 404, whatever the
    reason, so that nobody learns which units exist outside their scope."""


@dataclass(frozen=True)
class Scope:
    """The unit subtree a page or a report covers; `path` None means the whole period."""

    path: str | None
    code: str
    name: str
    unit_id: int | None = None


def visible_periods(user: Employee) -> list[Period]:
    """Periods that have opened, newest first (a draft has no roster to report on)."""
    org.visible_root(user)  # PermissionError for someone without a scope
    return list(
        db.session.scalars(
            sa.select(Period).where(Period.state != PERIOD_DRAFT).order_by(Period.opens_at.desc())
        )
    )


def period_for(user: Employee, period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None or period.state == PERIOD_DRAFT:
        raise NotVisible
    org.visible_root(user)
    return period


def scope_for(user: Employee, period: Period, unit_id: int | None) -> Scope:
    """The unit the user asked for, as the period's snapshot knows it, if the user may see it;
    without a unit, the user's own scope (everything for an admin)."""
    root = org.visible_root(user)
    if unit_id is None:
        # The scope unit itself may be absent from the period while units below it take part.
        return (
            _whole_period(period)
            if root is None
            else Scope(root.path, root.code, root.name, root.id)
        )
    unit = db.session.scalar(
        sa.select(PeriodUnit).where(
            PeriodUnit.period_id == period.id, PeriodUnit.unit_id == unit_id
        )
    )
    if unit is None or not org.can_see_path(user, unit.path):
        raise NotVisible
    return Scope(unit.path, unit.code, unit.name, unit.unit_id)


def _whole_period(period: Period) -> Scope:
    units = list(
        db.session.scalars(
            sa.select(PeriodUnit).where(PeriodUnit.period_id == period.id).order_by(PeriodUnit.path)
        )
    )
    ids = {u.unit_id for u in units}
    roots = [u for u in units if u.parent_unit_id not in ids]
    if len(roots) == 1:
        return Scope(roots[0].path, roots[0].code, roots[0].name, roots[0].unit_id)
    return Scope(None, "semua", "", None)


# Participation ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    eligible: int
    submitted: int
    drafts: int

    @property
    def not_started(self) -> int:
        return self.eligible - self.submitted - self.drafts

    @property
    def rate(self) -> float | None:
        return self.submitted / self.eligible if self.eligible else None


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "eligible": lambda r: r.eligible,
    "submitted": lambda r: r.submitted,
    "drafts": lambda r: r.drafts,
    "not_started": lambda r: r.eligible - r.submitted - r.drafts,
    "rate": lambda r: -1 if r.rate is None else r.rate,
}


def participation_rows(
    period: Period, scope: Scope, sort: str | None = None, descending: bool = False
) -> list[UnitParticipation]:
    """The unit tree in tree order, or flat and sorted by one column."""
    rows = participation(period, scope.path)
    if sort in SORT_KEYS:
        rows = sorted(rows, key=SORT_KEYS[sort], reverse=descending)
    return rows


def participation_totals(period: Period, scope: Scope) -> Totals:
    """The whole scope counted once (summing unit rows would count nested units twice)."""
    submitted = sa.func.count(sa.case((Response.state == RESPONSE_SUBMITTED, 1)))
    drafts = sa.func.count(sa.case((Response.state != RESPONSE_SUBMITTED, 1)))
    query = (
        sa.select(sa.func.count(RosterEntry.id), submitted, drafts)
        .select_from(RosterEntry)
        .outerjoin(
            Response,
            sa.and_(
                Response.period_id == RosterEntry.period_id,
                Response.employee_id == RosterEntry.employee_id,
            ),
        )
        .where(RosterEntry.period_id == period.id)
    )
    if scope.path is not None:
        query = query.where(org.in_subtree(RosterEntry.unit_path, scope.path))
    eligible, done, draft = db.session.execute(query).one()
    return Totals(eligible, done, draft)


# Who has not submitted ------------------------------------------------------------------------
def _non_respondents_query(period: Period, scope: Scope):
    unit = sa.orm.aliased(PeriodUnit)
    query = (
        sa.select(Employee.nip, Employee.name, unit.name, Employee.jabatan, Response.state)
        .select_from(RosterEntry)
        .join(Employee, Employee.id == RosterEntry.employee_id)
        .join(
            unit,
            sa.and_(unit.period_id == RosterEntry.period_id, unit.unit_id == RosterEntry.unit_id),
        )
        .outerjoin(
            Response,
            sa.and_(
                Response.period_id == RosterEntry.period_id,
                Response.employee_id == RosterEntry.employee_id,
            ),
        )
        .where(
            RosterEntry.period_id == period.id,
            sa.or_(Response.id.is_(None), Response.state != RESPONSE_SUBMITTED),
        )
    )
    if scope.path is not None:
        query = query.where(org.in_subtree(RosterEntry.unit_path, scope.path))
    return query, unit


def _line(row) -> NonRespondentLine:
    status = STATUS_NOT_STARTED if row[4] is None else STATUS_DRAFT
    return NonRespondentLine(row[0], row[1], row[2], row[3], status)


@dataclass(frozen=True)
class NonRespondentPage:
    lines: list[NonRespondentLine]
    total: int
    page: int
    pages: int


def non_respondent_page(period: Period, scope: Scope, page: int = 1) -> NonRespondentPage:
    query, unit = _non_respondents_query(period, scope)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // NON_RESPONDENTS_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(unit.path, Employee.name, Employee.nip)
        .limit(NON_RESPONDENTS_PER_PAGE)
        .offset((page - 1) * NON_RESPONDENTS_PER_PAGE)
    )
    return NonRespondentPage([_line(r) for r in rows], total, page, pages)


def non_respondents(period: Period, scope: Scope) -> Iterator[NonRespondentLine]:
    """Every non-respondent in the scope, streamed in batches (the list of a big city is
    never held in memory at once)."""
    query, unit = _non_respondents_query(period, scope)
    result = db.session.execute(
        query.order_by(unit.path, Employee.name, Employee.nip).execution_options(yield_per=2000)
    )
    for row in result:
        yield _line(row)


# Downloads -------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].strip("-") or "x"


def report_filename(
    period: Period, scope: Scope, today: date, prefix: str = "laporan-berakhlak"
) -> str:
    """laporan-berakhlak-<period>-<unit>-<yyyymmdd>.xlsx, in characters safe in any header."""
    return f"{prefix}-{_slug(period.code)}-{_slug(scope.code)}-{today:%Y%m%d}.xlsx"


def record_download(
    user: Employee | None, period: Period, scope: Scope, filename: str, kind: str, ip: str | None
) -> None:
    audit.record(
        "report_downloaded" if user is not None else "report_exported",
        actor=user,
        object_type="period",
        object_id=period.id,
        after={"kind": kind, "unit": scope.code, "file": filename},
        ip=ip,
    )
