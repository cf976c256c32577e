"""Participation targets and the projection at the current pace: pure arithmetic, no Flask
and no database, like scoring.py (docs/design.md "Participation targets and reminders").

The projection is an estimate and is always shown as one: it assumes the coming days bring
as many submissions as the recent ones did on average."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

PACE_WINDOW_DAYS = 7  # the "current pace" is the mean of the last seven whole days


@lru_cache(maxsize=256)
def _hundredths(percent: float) -> int:
    """A target in hundredths of a percent (82.5 -> 8250), exactly: targets are typed with at
    most two decimals ("82,5"), so whole numbers keep 80 % of 10 at 8, and a dashboard of 500
    units does integer arithmetic only."""
    return int(Fraction(str(round(percent, 2))) * 100)


def required_submissions(eligible: int, target_percent: float, minimum: int | None = None) -> int:
    """Submissions needed to meet the target: the rate rounded up to a whole person, and at
    least `minimum` when one is set (never more than the roster can give)."""
    needed = -(-_hundredths(target_percent) * eligible // 10_000)  # ceil, in whole numbers
    if minimum is not None:
        needed = max(needed, minimum)
    return needed


def meets_target(
    submitted: int, eligible: int, target_percent: float, minimum: int | None = None
) -> bool:
    return eligible > 0 and submitted >= required_submissions(eligible, target_percent, minimum)


def gap(submitted: int, eligible: int, target_percent: float) -> float | None:
    """The distance to the target in rate points (0.64 - 0.80 = -0.16): negative below it;
    None when nobody is eligible. Units are ranked by it, furthest below first."""
    if eligible <= 0:
        return None
    return submitted / eligible - _hundredths(target_percent) / 10_000


def pace(daily: Mapping[date, int], today: date, opened_on: date) -> float:
    """Submissions per day: the mean over the last PACE_WINDOW_DAYS whole days before today,
    not counting days before the period opened; on the day it opened, today's count."""
    first = max(opened_on, today - timedelta(days=PACE_WINDOW_DAYS))
    days = [first + timedelta(days=i) for i in range((today - first).days)]
    if not days:
        return float(daily.get(today, 0))
    return sum(daily.get(d, 0) for d in days) / len(days)


@dataclass(frozen=True)
class Projection:
    pace: float  # submissions per day
    days_left: int  # whole days after today up to and including the deadline's day
    submitted_at_deadline: float  # never more than the roster
    rate_at_deadline: float | None
    required: int
    reaches_target_on: date | None  # None: not by the deadline at this pace
    already_met: bool


def project(
    *,
    submitted: int,
    eligible: int,
    daily: Mapping[date, int],
    today: date,
    opened_on: date,
    deadline: date,
    target_percent: float,
    minimum: int | None = None,
) -> Projection:
    """Where participation ends at the current pace, and on which day it reaches the target."""
    speed = pace(daily, today, opened_on)
    days_left = max((deadline - today).days, 0)
    at_deadline = min(float(eligible), submitted + speed * days_left)
    required = required_submissions(eligible, target_percent, minimum)
    missing = required - submitted
    reaches = None
    if missing <= 0:
        reaches = today
    elif speed > 0 and required <= eligible:
        day = today + timedelta(days=math.ceil(missing / speed))
        reaches = day if day <= deadline else None
    return Projection(
        pace=speed,
        days_left=days_left,
        submitted_at_deadline=at_deadline,
        rate_at_deadline=at_deadline / eligible if eligible else None,
        required=required,
        reaches_target_on=reaches,
        already_met=missing <= 0,
    )


def cumulative(daily: Mapping[date, int], first: date, last: date) -> list[tuple[date, int]]:
    """Submissions up to and including each day from `first` to `last` (earlier days count
    towards the first)."""
    total = sum(n for d, n in daily.items() if d < first)
    out = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        total += daily.get(day, 0)
        out.append((day, total))
    return out


MAX_SCHEDULE_DAYS = 60


def parse_schedule(text: str | None) -> tuple[int, ...] | None:
    """ "7, 3,1" -> (7, 3, 1): days before the deadline, each from 0 to MAX_SCHEDULE_DAYS,
    largest first, no repeats; "" -> (); None for anything else (the caller says why)."""
    if text is None or not text.strip():
        return ()
    days = set()
    for part in text.split(","):
        part = part.strip()
        if not part.isascii() or not part.isdigit() or len(part) > 2:
            return None
        day = int(part)
        if day > MAX_SCHEDULE_DAYS:
            return None
        days.add(day)
    return tuple(sorted(days, reverse=True))
