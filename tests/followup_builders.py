"""A closed period whose units show every case of the privacy rule, for the heatmap and the
action plans: shown units, one withheld for being small, one withheld to protect another."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from surveyapp import scoring
from surveyapp.extensions import db
from surveyapp.models import Employee, Period, RosterEntry, Unit
from surveyapp.services import periods, results


@dataclass
class Followup:
    org: object
    a2: Unit
    b1: Unit
    period: Period
    answers: dict[int, dict[str, int]] = field(default_factory=dict)  # employee id -> answers
    people: dict[int, Employee] = field(default_factory=dict)


def build_world(build) -> Followup:
    """ROOT > DINAS-A > (A-1: 8 respondents, A-2: 3, withheld as small), DINAS-A itself 5;
    ROOT > DINAS-B (2 of its own) > B-1 (5, withheld to protect DINAS-B's own two); ROOT 5 of
    its own. The period is left open: `answer` and `close` finish it."""
    org = build.standard_org()
    a2 = build.unit("A-2", "Bidang A2", org.dinas_a)
    b1 = build.unit("B-1", "Bidang B1", org.dinas_b)
    extra = {org.bidang_a1: 6, org.dinas_a: 4, a2: 3, b1: 5, org.root: 4}
    for unit, n in extra.items():
        for _ in range(n):
            build.employee(unit)
    period = build.period([org.root])
    return Followup(org, a2, b1, period)


def answer(world: Followup, build, period: Period, seed: int, skip=()) -> None:
    """Every person on the period's roster submits random answers (reproducible by seed)."""
    rnd = random.Random(seed)
    items = period.version.items
    roster = db.session.scalars(
        sa.select(RosterEntry).where(RosterEntry.period_id == period.id).order_by(RosterEntry.id)
    ).all()
    for entry in roster:
        if entry.employee_id in skip:
            continue
        values = {item.code: rnd.randint(1, 5) for item in items}
        world.answers.setdefault(period.id, {})[entry.employee_id] = values
        world.people[entry.employee_id] = entry.employee
        build.response(period, entry.employee, values)


def close(period: Period, move_back_days: int = 0) -> None:
    periods.close_period(period)
    if move_back_days:
        period.opens_at = period.opens_at - timedelta(days=move_back_days)


def pure_means(world: Followup, period: Period, unit: Unit) -> dict[str, float]:
    """The unit's value means and overall by the pure scoring module, from the raw answers of
    the people whose roster unit lies in its subtree: no SQL, no snapshot."""
    rules = results.rules_for(period.version)
    inside = db.session.scalars(
        sa.select(RosterEntry.employee_id).where(
            RosterEntry.period_id == period.id, RosterEntry.unit_path.startswith(unit.path)
        )
    ).all()
    answers = world.answers[period.id]
    people = [scoring.person_result(answers[e], rules) for e in inside if e in answers]
    group = scoring.group_result(people, len(inside), rules, False)
    means = {code: agg.mean for code, agg in group.values.items()}
    means[results.OVERALL] = group.overall.mean
    return means
