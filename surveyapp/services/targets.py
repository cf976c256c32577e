"""Participation targets: what a period (or a unit of it) aims for, how far each unit of a
scope is from it, the daily submissions, and the projection at the current pace.

The arithmetic is the pure surveyapp/pace.py; here are only the queries, each a fixed number
of statements whatever the number of units (tests/integration/test_results_statements.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import to_user_timezone

from .. import pace
from ..extensions import db
from ..models import (
    PERIOD_CLOSED,
    RESPONSE_SUBMITTED,
    Employee,
    Period,
    PeriodUnit,
    Response,
    UnitTarget,
    utcnow,
)
from . import audit, org, results
from .participation import UnitParticipation, participation
from .results import _ancestors as ancestors

_TARGETS_KEY = "surveyapp.unit_targets"


class TargetError(ValueError):
    """A target the rules refuse; the message key says why."""


@dataclass(frozen=True)
class Target:
    percent: float  # 80.0
    minimum: int | None  # respondents, for the whole period only
    own: bool  # set for this unit (or the period itself), not inherited

    @property
    def rate(self) -> float:
        return self.percent / 100


def unit_targets(period: Period) -> dict[int, float]:
    """The period's per-unit targets by unit id: one query, once per database session."""
    cache = db.session.info.setdefault(_TARGETS_KEY, {})
    found = cache.get(period.id)
    if found is None:
        found = cache[period.id] = dict(
            db.session.execute(
                sa.select(UnitTarget.unit_id, UnitTarget.target_percent).where(
                    UnitTarget.period_id == period.id
                )
            ).all()
        )
    return found


def _forget(period: Period) -> None:
    db.session.info.get(_TARGETS_KEY, {}).pop(period.id, None)


def participation_target(period: Period, unit=None) -> Target:
    """The target of `unit` (a Unit, a PeriodUnit, a unit id, or None for the whole period):
    the unit's own, else that of the nearest unit above it in the period's frozen tree, else
    the period's. The minimum number of respondents belongs to the whole period only."""
    if unit is None:
        return Target(period.target_percent, period.min_respondents, True)
    unit_id = unit if isinstance(unit, int) else getattr(unit, "unit_id", None) or unit.id
    return all_targets(period).get(unit_id, Target(period.target_percent, None, False))


def all_targets(period: Period) -> dict[int, Target]:
    """participation_target for every unit of the period, in one pass down the frozen tree
    (parents come before their children in path order)."""
    own = unit_targets(period)
    out: dict[int, Target] = {}
    for u in results.period_units(period):
        if u.unit_id in own:
            out[u.unit_id] = Target(own[u.unit_id], None, True)
        elif u.parent_unit_id in out:
            out[u.unit_id] = Target(out[u.parent_unit_id].percent, None, False)
        else:
            out[u.unit_id] = Target(period.target_percent, None, False)
    return out


def set_period_target(
    period: Period,
    percent: float,
    minimum: int | None,
    reminder_days: str | None,
    *,
    actor: Employee | None = None,
) -> None:
    """Change a period's target, minimum number of respondents and reminder schedule; a
    closed period's numbers are final, so its target is too."""
    if period.state == PERIOD_CLOSED:
        raise TargetError("closed")
    if not 0 < percent <= 100:
        raise TargetError("percent_range")
    schedule = pace.parse_schedule(reminder_days)
    if schedule is None:
        raise TargetError("schedule")
    before = {
        "target_percent": period.target_percent,
        "min_respondents": period.min_respondents,
        "reminder_days": period.reminder_days,
    }
    period.target_percent = percent
    period.min_respondents = minimum
    period.reminder_days = ",".join(str(d) for d in schedule) or None
    db.session.flush()
    audit.record(
        "period_target_set",
        actor=actor,
        object_type="period",
        object_id=period.id,
        before=before,
        after={
            "target_percent": percent,
            "min_respondents": minimum,
            "reminder_days": period.reminder_days,
        },
    )


def set_unit_target(
    period: Period, unit_id: int, percent: float | None, *, actor: Employee | None = None
) -> None:
    """Set (or with None remove) a unit's own target; the unit must take part in the period."""
    if not any(u.unit_id == unit_id for u in results.period_units(period)) and not any(
        s.unit_id == unit_id for s in period.scope_units
    ):
        raise TargetError("unit_outside_period")
    if percent is not None and not 0 < percent <= 100:
        raise TargetError("percent_range")
    before = unit_targets(period).get(unit_id)
    row = db.session.get(UnitTarget, (period.id, unit_id))
    if percent is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(UnitTarget(period_id=period.id, unit_id=unit_id, target_percent=percent))
    else:
        row.target_percent = percent
    db.session.flush()
    _forget(period)
    audit.record(
        "unit_target_set",
        actor=actor,
        object_type="period",
        object_id=period.id,
        before={"unit_id": unit_id, "target_percent": before},
        after={"unit_id": unit_id, "target_percent": percent},
    )


def target_lines(period: Period) -> list[tuple[PeriodUnit | None, int, float]]:
    """The per-unit targets for the admin's period page: (frozen unit or None, id, percent)."""
    units = {u.unit_id: u for u in results.period_units(period)}
    return sorted(
        ((units.get(uid), uid, pct) for uid, pct in unit_targets(period).items()),
        key=lambda t: t[0].path if t[0] else "",
    )


# --- the dashboard ---------------------------------------------------------------------------


def daily_submissions(
    period: Period, root_path: str | None, per_unit: bool = True
) -> dict[str, dict[date, int]]:
    """Submissions per local day for each unit path of the scope, counting its subtree: one
    GROUP BY over the scope's responses, added up the tree in Python over units. Without
    `per_unit`, only the scope's own days (under root_path, or ORGANISATION): what a closed
    period's curve needs, grouped by day alone."""
    day = results.local_day(Response.submitted_at)
    scope = sa.true() if root_path is None else org.in_subtree(Response.unit_path, root_path)
    where = (Response.period_id == period.id, Response.state == RESPONSE_SUBMITTED, scope)
    if not per_unit:
        group = root_path or results.ORGANISATION
        if period.state == PERIOD_CLOSED:  # final: counted once, at close
            stored = results.published(period).tree.daily
            if stored is not None and group in stored:
                return {group: {date.fromisoformat(d): n for d, n in stored[group].items()}}
        rows = db.session.execute(
            sa.select(day, sa.func.count(Response.id)).where(*where).group_by(day)
        ).all()
        return {group: {results.as_date(d): n for d, n in rows}}
    rows = db.session.execute(
        sa.select(Response.unit_path, day, sa.func.count(Response.id))
        .where(*where)
        .group_by(Response.unit_path, day)
    ).all()
    out: dict[str, dict[date, int]] = {}
    for path, raw_day, count in rows:
        when = results.as_date(raw_day)
        for ancestor in ancestors(path) + [results.ORGANISATION]:
            bucket = out.setdefault(ancestor, {})
            bucket[when] = bucket.get(when, 0) + count
    return out


@dataclass(frozen=True)
class TargetRow:
    unit: UnitParticipation
    target: Target
    required: int
    gap: float | None
    projection: pace.Projection | None

    @property
    def missing(self) -> int:
        return max(self.required - self.unit.submitted, 0)

    @property
    def met(self) -> bool:
        return self.unit.eligible > 0 and self.missing == 0


@dataclass(frozen=True)
class Dashboard:
    rows: list[TargetRow]  # units of the scope, furthest below their target first
    total: TargetRow | None  # the scope as a whole
    curve: list[tuple[date, int]]  # cumulative submissions of the scope per day
    opened_on: date
    deadline: date
    today: date
    is_open: bool

    @property
    def furthest(self) -> list[TargetRow]:
        """The units the dashboard names first: those furthest below their target. The
        whole list (a city has hundreds of units) is the paged table under it."""
        return self.rows[:RANKING_SHOWN]


RANKING_SHOWN = 10


def _local_date(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def dashboard(
    period: Period,
    scope_path: str | None,
    units: list[UnitParticipation] | None = None,
    now: datetime | None = None,
) -> Dashboard:
    """Every unit of the scope against its target, ranked by distance to it, the scope's
    daily curve and the projection at the current pace (for an open period). `units` are
    the scope's participation rows when the caller has them already (one query fewer)."""
    now = now or utcnow()
    today = _local_date(now)
    # Answers are taken from the later of the two: the date it opens and the admin's opening.
    opened_on = _local_date(max(period.opens_at, period.opened_at or period.opens_at))
    deadline = _local_date(period.closes_at)
    is_open = period.state != PERIOD_CLOSED
    units = participation(period, scope_path) if units is None else units
    # Per-unit days only where they are used: the estimates of an open period.
    daily = daily_submissions(period, scope_path, per_unit=is_open)

    def row(
        unit: UnitParticipation, target: Target, path: str | None, estimate: bool = True
    ) -> TargetRow:
        projection = None
        if is_open and estimate:
            projection = pace.project(
                submitted=unit.submitted,
                eligible=unit.eligible,
                daily=daily.get(path or results.ORGANISATION, {}),
                today=today,
                opened_on=opened_on,
                deadline=deadline,
                target_percent=target.percent,
                minimum=target.minimum,
            )
        return TargetRow(
            unit,
            target,
            pace.required_submissions(unit.eligible, target.percent, target.minimum),
            pace.gap(unit.submitted, unit.eligible, target.percent),
            projection,
        )

    frozen = results.period_units(period)
    paths = {u.unit_id: u.path for u in frozen}
    targets = all_targets(period)
    # Ranked by the distance to target; the estimate only for the units the page names.
    rows = [row(u, targets[u.unit_id], paths.get(u.unit_id), estimate=False) for u in units]
    rows.sort(key=lambda r: (r.gap is None, r.gap if r.gap is not None else 0, r.unit.name))
    rows[:RANKING_SHOWN] = [
        row(r.unit, r.target, paths.get(r.unit.unit_id)) for r in rows[:RANKING_SHOWN]
    ]
    total = None
    if units:
        roots = [u for u in units if u.depth == 0]
        counts = roots[0] if len(roots) == 1 else _sum_roots(roots)
        # The whole period (its minimum number of respondents applies) or one unit's subtree.
        ids = set(paths)
        period_roots = [u.path for u in frozen if u.parent_unit_id not in ids]
        whole = scope_path is None or all(p.startswith(scope_path) for p in period_roots)
        target = participation_target(period, None) if whole else targets[counts.unit_id]
        total = row(counts, target, scope_path)
    last = min(today, deadline) if is_open else deadline
    first = min(opened_on, last)
    curve = pace.cumulative(daily.get(scope_path or results.ORGANISATION, {}), first, last)
    return Dashboard(rows, total, curve, opened_on, deadline, today, is_open)


def _sum_roots(roots: list[UnitParticipation]) -> UnitParticipation:
    """Several top units (an admin's whole period): their counts added."""
    return UnitParticipation(
        None,
        "",
        "",
        0,
        sum(u.eligible for u in roots),
        sum(u.submitted for u in roots),
        sum(u.drafts for u in roots),
    )
