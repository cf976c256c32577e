"""How a period's state changes: the one place for draft -> open -> closed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    PERIOD_CLOSED,
    PERIOD_DRAFT,
    PERIOD_OPEN,
    VERSION_PUBLISHED,
    Employee,
    Period,
    PeriodScope,
    PeriodUnit,
    QuestionnaireVersion,
    Response,
    RosterEntry,
    Unit,
    utcnow,
)
from . import audit, org, results, snapshots


class PeriodError(ValueError):
    """A state change that the period's rules refuse; the message key says why."""


def create_period(
    *,
    code: str,
    name: str,
    version: QuestionnaireVersion,
    opens_at: datetime,
    closes_at: datetime,
    scope_units: list[Unit],
    hide_individuals: bool = True,
    target_percent: float = 80.0,
    min_respondents: int | None = None,
    reminder_days: str | None = None,
    actor: Employee | None = None,
) -> Period:
    """A draft period on a published version: a draft version could still change under it."""
    if version is None or version.status != VERSION_PUBLISHED:
        raise PeriodError("version_not_published")
    if opens_at >= closes_at:
        raise PeriodError("closes_before_opens")
    if not scope_units or any(u is None or not u.active for u in scope_units):
        raise PeriodError("no_units")
    if db.session.scalar(sa.select(Period.id).where(Period.code == code)) is not None:
        raise PeriodError("code_taken")
    period = Period(
        code=code,
        name=name,
        version=version,
        opens_at=opens_at,
        closes_at=closes_at,
        hide_individuals=hide_individuals,
        target_percent=target_percent,
        min_respondents=min_respondents,
        reminder_days=reminder_days or None,
        state=PERIOD_DRAFT,
    )
    period.scope_units = [PeriodScope(unit_id=u.id) for u in scope_units]
    db.session.add(period)
    db.session.flush()
    audit.record(
        "period_created",
        actor=actor,
        object_type="period",
        object_id=period.id,
        after={"code": code, "name": name, "version_id": version.id},
    )
    return period


def open_period(period: Period, *, actor: Employee | None = None) -> int:
    """Open a draft period: freeze its version, snapshot the unit tree and the roster.

    Returns the number of eligible employees. Two INSERT ... SELECT statements, whatever the
    organisation's size.
    """
    if period.state != PERIOD_DRAFT:
        raise PeriodError("not_draft")
    if period.version.status != VERSION_PUBLISHED:
        raise PeriodError("version_not_published")
    roots = [s.unit for s in period.scope_units]
    in_scope = sa.or_(*(org.in_subtree(Unit.path, r.path) for r in roots))
    db.session.execute(
        sa.insert(PeriodUnit).from_select(
            ["period_id", "unit_id", "parent_unit_id", "code", "name", "path", "depth"],
            sa.select(
                sa.literal(period.id),
                Unit.id,
                Unit.parent_id,
                Unit.code,
                Unit.name,
                Unit.path,
                Unit.depth,
            ).where(in_scope),
        )
    )
    db.session.execute(
        sa.insert(RosterEntry).from_select(
            ["period_id", "employee_id", "unit_id", "unit_path"],
            sa.select(sa.literal(period.id), Employee.id, Employee.unit_id, Unit.path)
            .join(Unit, Employee.unit_id == Unit.id)
            .where(Employee.active.is_(True), in_scope),
        )
    )
    # Counted, not rowcount: psycopg reports -1 for INSERT ... SELECT.
    eligible = db.session.scalar(
        sa.select(sa.func.count(RosterEntry.id)).where(RosterEntry.period_id == period.id)
    )
    period.state = PERIOD_OPEN
    period.opened_at = utcnow()
    audit.record(
        "period_opened",
        actor=actor,
        object_type="period",
        object_id=period.id,
        before={"state": PERIOD_DRAFT},
        after={"state": PERIOD_OPEN, "eligible": eligible},
    )
    return eligible


def close_period(period: Period, *, actor: Employee | None = None, progress=None) -> None:
    """Close the period and compute its results once, in the same transaction: a closed
    period always has its snapshot. `progress(done, total)` follows the computation."""
    if period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    period.state = PERIOD_CLOSED
    period.closed_at = utcnow()
    snapshots.build(period, progress)
    audit.record(
        "period_closed",
        actor=actor,
        object_type="period",
        object_id=period.id,
        before={"state": PERIOD_OPEN},
        after={"state": PERIOD_CLOSED},
    )


def accepts_answers(period: Period, now: datetime | None = None) -> bool:
    """Open by state and inside its dates."""
    now = now or utcnow()
    return period.state == PERIOD_OPEN and period.opens_at <= now < period.closes_at


def open_periods_for(employee: Employee) -> list[Period]:
    """Open periods the employee is on the roster of, soonest deadline first."""
    return list(
        db.session.scalars(
            sa.select(Period)
            .join(RosterEntry, RosterEntry.period_id == Period.id)
            .where(RosterEntry.employee_id == employee.id, Period.state == PERIOD_OPEN)
            .order_by(Period.closes_at)
        )
    )


def past_periods_for(employee: Employee) -> list[Period]:
    return list(
        db.session.scalars(
            sa.select(Period)
            .join(RosterEntry, RosterEntry.period_id == Period.id)
            .where(RosterEntry.employee_id == employee.id, Period.state == PERIOD_CLOSED)
            .order_by(Period.closes_at.desc())
        )
    )


def extend_period(period: Period, closes_at: datetime, *, actor: Employee | None = None) -> None:
    """A later deadline for an open period (never an earlier one: that would cut people off)."""
    if period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    if closes_at <= period.closes_at or closes_at <= utcnow():
        raise PeriodError("not_later")
    before = period.closes_at
    period.closes_at = closes_at
    audit.record(
        "period_extended",
        actor=actor,
        object_type="period",
        object_id=period.id,
        before={"closes_at": before.isoformat()},
        after={"closes_at": closes_at.isoformat()},
    )


def add_late_joiner(period: Period, employee: Employee, *, actor: Employee | None = None) -> None:
    """Put someone who joined after the period opened on its roster, in their current unit."""
    if period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    if not employee.active:
        raise PeriodError("inactive")
    exists = db.session.scalar(
        sa.select(RosterEntry.id).where(
            RosterEntry.period_id == period.id, RosterEntry.employee_id == employee.id
        )
    )
    if exists:
        raise PeriodError("already_on_roster")
    in_period = db.session.scalar(
        sa.select(PeriodUnit.id).where(
            PeriodUnit.period_id == period.id, PeriodUnit.unit_id == employee.unit_id
        )
    )
    if in_period is None:
        raise PeriodError("unit_not_in_period")
    db.session.add(
        RosterEntry(
            period_id=period.id,
            employee_id=employee.id,
            unit_id=employee.unit_id,
            unit_path=employee.unit.path,
        )
    )
    audit.record(
        "roster_added",
        actor=actor,
        object_type="period",
        object_id=period.id,
        after={"employee_id": employee.id, "nip": employee.nip},
    )


def reopen_response(response, *, actor: Employee) -> None:
    """S05: only an admin turns a submitted response back into a draft, and it is audited."""
    from ..models import RESPONSE_DRAFT, RESPONSE_SUBMITTED

    if not actor.is_admin:
        raise PermissionError("admin only")
    if response.state != RESPONSE_SUBMITTED:
        raise PeriodError("not_submitted")
    if response.period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    before = {"state": response.state, "submitted_at": response.submitted_at.isoformat()}
    response.state = RESPONSE_DRAFT
    response.submitted_at = None
    results.forget_value_sums(response.id)
    audit.record(
        "response_reopened",
        actor=actor,
        object_type="response",
        object_id=response.id,
        before=before,
        after={"state": RESPONSE_DRAFT, "employee_id": response.employee_id},
    )


def published_versions() -> list[QuestionnaireVersion]:
    """The versions a new period may use: published ones only (a draft could still change
    under the period's answers)."""
    return list(
        db.session.scalars(
            sa.select(QuestionnaireVersion)
            .where(QuestionnaireVersion.status == VERSION_PUBLISHED)
            .order_by(QuestionnaireVersion.id)
        )
    )


def active_units() -> list[Unit]:
    """Units a new period may cover, in tree order."""
    return list(
        db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.path))
    )


def period_counts(period: Period) -> tuple[int, int]:
    """How many are on the period's roster, and how many of them have submitted."""
    query = results.roster_with_responses(period).add_columns(*results.count_columns())
    eligible, submitted, _drafts = db.session.execute(query).one()
    return eligible, submitted


def response_of(period: Period, employee: Employee):
    """The person's response in the period, or None."""
    return db.session.scalar(
        sa.select(Response).where(
            Response.period_id == period.id, Response.employee_id == employee.id
        )
    )


def by_code(code: str) -> Period | None:
    return db.session.scalar(sa.select(Period).where(Period.code == code))
