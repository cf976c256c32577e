"""One employee's own result: the numbers of the scoring module, the unit's average where the
unit is large enough to show one, what to develop, and the trend over earlier periods."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .. import scoring
from ..extensions import db
from ..models import (
    CoreValue,
    Period,
    Response,
    Unit,
)
from . import privacy, responses, results

DEVELOP_VALUES = 2  # the lowest values whose behaviours are suggested


@dataclass(frozen=True)
class ValueLine:
    code: str
    name: str
    definition: str
    index: float
    band: str | None
    unit_mean: float | None


@dataclass(frozen=True)
class Development:
    name: str
    index: float
    behaviours: list[str]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    overall: float
    band: str | None


@dataclass(frozen=True)
class PersonalResult:
    period: Period
    values: list[ValueLine]
    overall: float
    band: str | None
    unit_name: str
    unit_overall: float | None
    unit_n: int | None
    unit_pending: str | None  # why the unit average is not shown yet, while the period is open
    develop: list[Development]
    trend: list[TrendPoint]
    thresholds: list[tuple[float, str]]  # (lower bound, name) of each band, for the chart


def personal_result(period: Period, response: Response, locale: str) -> PersonalResult:
    rules = results.rules_for(period.version)
    mine = scoring.person_result(responses.answers_by_code(response), rules)
    unit = _unit_average(period, response, rules)
    values = db.session.scalars(sa.select(CoreValue).order_by(CoreValue.position)).all()
    lines = [
        ValueLine(
            code=v.code,
            name=v.name(locale),
            definition=v.definition(locale),
            index=mine.value_indices[v.code],
            band=scoring.band_label(mine.value_band(v.code, rules.bands), locale),
            unit_mean=unit.values[v.code].mean if unit and v.code in unit.values else None,
        )
        for v in values
        if v.code in mine.value_indices
    ]
    by_code = {v.code: v for v in values}
    lowest = sorted(lines, key=lambda line: line.index)[:DEVELOP_VALUES]
    develop = [
        Development(
            line.name,
            line.index,
            [by_code[line.code].behaviour(n, locale) for n in (1, 2, 3)],
        )
        for line in lowest
    ]
    return PersonalResult(
        period=period,
        values=lines,
        overall=mine.overall,
        band=scoring.band_label(mine.band, locale),
        unit_name=db.session.get(Unit, response.unit_id).name,
        unit_overall=unit.overall.mean if unit and unit.overall else None,
        unit_n=unit.overall.n if unit and unit.overall else None,
        unit_pending=None
        if privacy.results_published(period)
        else privacy.results_pending_note(period),
        develop=develop,
        trend=_trend(period, response.employee_id, rules, locale, mine),
        thresholds=[(b.lower, b.label(locale)) for b in rules.bands],
    )


def _unit_average(period: Period, response: Response, rules: scoring.Rules):
    """The unit's numbers beside mine only once the period is closed (before, each new
    submission would move them by one colleague's answers), and only where the period
    publishes them and the unit reaches the minimum group size, whether or not the period
    hides individuals."""
    if not privacy.results_published(period):
        return None
    try:
        unit = results.scope_result(period, response.unit_path)
    except LookupError:
        return None
    if unit.withheld or unit.overall is None or unit.overall.n < rules.min_group_size:
        return None
    return unit


def _trend(period, employee_id: int, rules, locale: str, mine) -> list[TrendPoint]:
    """Earlier periods of the same questionnaire in which this person sent answers."""
    earlier = results.earlier_periods(period, limit=5, closed_only=False, employee_id=employee_id)
    points = []
    for past in earlier:
        found = results.person_results(past, employee_id=employee_id).get(employee_id)
        if found is not None:
            points.append(TrendPoint(past, found.overall, scoring.band_label(found.band, locale)))
    points.append(TrendPoint(period, mine.overall, scoring.band_label(mine.band, locale)))
    return points
