"""What HR sees: who has filled in, the unit results, and the data of the workbook.

Every unit HR names (in a URL, a query string or a form) is resolved here against the period's
snapshot and the one HR scope rule in services/org.py; the numbers come from
services/results.py and are only arranged here. Nothing here formats cells (excel.py does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext
from flask_sqlalchemy.pagination import Pagination

from .. import scoring
from ..excel import (
    OVERALL,
    STATUS_DRAFT,
    STATUS_NOT_STARTED,
    STATUS_SUBMITTED,
    BandLine,
    BehaviourLine,
    ItemLine,
    NonRespondentLine,
    PersonLine,
    Report,
    TrendPoint,
    UnitLine,
    ValueHeading,
    ValueStat,
)
from ..extensions import db
from ..i18n import tz_abbreviation
from ..models import (
    PERIOD_CLOSED,
    PERIOD_DRAFT,
    RESPONSE_SUBMITTED,
    Employee,
    Period,
    PeriodUnit,
    Response,
    RosterEntry,
    utcnow,
)
from . import audit, culture_results, org, paging, privacy, results, targets
from .participation import UnitParticipation, participation

NON_RESPONDENTS_PER_PAGE = 100
UNITS_PER_PAGE = 50  # rows of the HR dashboard's unit table


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
    unit = _period_unit(period, unit_id)
    if unit is None or not org.can_see_path(user, unit.path):
        raise NotVisible
    return Scope(unit.path, unit.code, unit.name, unit.unit_id)


def _period_unit(period: Period, unit_id: int | None) -> PeriodUnit | None:
    return next((u for u in results.period_units(period) if u.unit_id == unit_id), None)


def period_by_code(code: str) -> Period:
    """For the command line, which is trusted with every period and unit."""
    period = db.session.scalar(sa.select(Period).where(Period.code == code))
    if period is None or period.state == PERIOD_DRAFT:
        raise NotVisible(code)
    return period


def scope_by_code(period: Period, unit_code: str | None) -> Scope:
    if unit_code is None:
        return _whole_period(period)
    unit = db.session.scalar(
        sa.select(PeriodUnit).where(PeriodUnit.period_id == period.id, PeriodUnit.code == unit_code)
    )
    if unit is None:
        raise NotVisible(unit_code)
    return Scope(unit.path, unit.code, unit.name, unit.unit_id)


def _whole_period(period: Period) -> Scope:
    units = results.period_units(period)
    ids = {u.unit_id for u in units}
    roots = [u for u in units if u.parent_unit_id not in ids]
    if len(roots) == 1:
        return Scope(roots[0].path, roots[0].code, roots[0].name, roots[0].unit_id)
    return Scope(None, "semua", "", None)


# Participation ---------------------------------------------------------------------------------
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
    return sorted_rows(participation(period, scope.path), sort, descending)


def sorted_rows(
    rows: list[UnitParticipation], sort: str | None, descending: bool = False
) -> list[UnitParticipation]:
    if sort in SORT_KEYS:
        return sorted(rows, key=SORT_KEYS[sort], reverse=descending)
    return rows


def participation_totals(period: Period, scope: Scope) -> results.Tally:
    """The whole scope counted once (summing unit rows would count nested units twice); a
    closed period's from its snapshot."""
    if period.state == PERIOD_CLOSED:
        found = results.published(period).tree.tallies.get(scope.path or results.ORGANISATION)
        if found is not None:
            return found
    query = results.roster_with_responses(period, scope.path).add_columns(*results.count_columns())
    return results.Tally(*db.session.execute(query).one())


# Who has not submitted ------------------------------------------------------------------------
def _roster_query(period: Period, scope: Scope):
    """The period's roster in the scope, each person with their snapshot unit (`unit`) and
    response (outer join): the base of both lists of people; callers choose the columns."""
    unit = sa.orm.aliased(PeriodUnit)
    query = (
        results.roster_with_responses(period, scope.path)
        .add_columns(RosterEntry.id)
        .join(Employee, Employee.id == RosterEntry.employee_id)
        .join(
            unit,
            sa.and_(unit.period_id == RosterEntry.period_id, unit.unit_id == RosterEntry.unit_id),
        )
    )
    return query, unit


class _LineBundle(sa.orm.Bundle):
    """The columns of one non-respondent handed back as a NonRespondentLine, one object per
    row: what db.paginate (which takes the first column of each row) and the stream need."""

    def create_row_processor(self, query, procs, labels):
        def line(row) -> NonRespondentLine:
            nip, name, unit, jabatan, state, code, employee_id = (proc(row) for proc in procs)
            status = STATUS_NOT_STARTED if state is None else STATUS_DRAFT
            return NonRespondentLine(nip, name, unit, jabatan, status, code, employee_id)

        return line


def _non_respondents_query(period: Period, scope: Scope) -> sa.Select:
    """Everyone in the scope without a submitted response, in the order of both lists."""
    query, unit = _roster_query(period, scope)
    columns = _LineBundle(
        "line",
        Employee.nip,
        Employee.name,
        unit.name,
        Employee.jabatan,
        Response.state,
        unit.code,
        Employee.id,
    )
    return (
        query.with_only_columns(columns)
        .where(sa.or_(Response.id.is_(None), Response.state != RESPONSE_SUBMITTED))
        .order_by(unit.path, Employee.name, Employee.nip)
    )


def non_respondent_page(period: Period, scope: Scope, page: int = 1) -> Pagination:
    """One page of the list on screen; its items are NonRespondentLines."""
    return paging.paginate(
        _non_respondents_query(period, scope), page, per_page=NON_RESPONDENTS_PER_PAGE
    )


def non_respondents(period: Period, scope: Scope) -> Iterator[NonRespondentLine]:
    """Every non-respondent in the scope, streamed in batches (the list of a big city is
    never held in memory at once)."""
    query = _non_respondents_query(period, scope).execution_options(yield_per=2000)
    yield from db.session.scalars(query)


# Downloads -------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].strip("-") or "x"


FILE_PREFIXES = {
    "workbook": {"id": "laporan-berakhlak", "en": "berakhlak-report"},
    "non_respondents": {"id": "belum-mengisi", "en": "not-submitted"},
}


def report_filename(
    period: Period, scope: Scope, today: date, kind: str = "workbook", locale: str = "id"
) -> str:
    """laporan-berakhlak-<period>-<unit>-<yyyymmdd>.xlsx (berakhlak-report-... in English), in
    characters safe in any header."""
    prefix = FILE_PREFIXES[kind]["en" if (locale or "").startswith("en") else "id"]
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


# The workbook and the unit results page ---------------------------------------------------------
TREND_PERIODS = 5  # earlier periods of the same questionnaire shown in the trend chart


def value_headings(version, locale: str) -> list[ValueHeading]:
    seen: dict[str, ValueHeading] = {}
    for item in results.version_items(version):
        value = item.core_value
        seen.setdefault(value.code, ValueHeading(value.code, value.name(locale)))
    return [seen[code] for code in scoring.VALUE_CODES if code in seen]


def _unit_line(result, locale: str, depth: int, changes=None) -> UnitLine:
    withheld = bool(result.withheld)
    return UnitLine(
        code=result.code,
        name=result.name,
        depth=depth,
        eligible=result.eligible,
        submitted=result.submitted,
        participation=result.participation,
        indices={} if withheld else {code: agg.mean for code, agg in result.values.items()},
        overall=None if withheld or result.overall is None else result.overall.mean,
        band=None if withheld else scoring.band_label(result.band, locale),
        withheld=withheld,
        unit_id=result.unit_id,
        drafts=result.drafts,
        withheld_reason=result.withheld_reason,
        changes=dict(changes or {}),
    )


def _item_lines(version, stats, locale: str) -> list[ItemLine]:
    """results.item_statistics rows in the report's language, with the mean score (reverse
    keying applied) and its index; a withheld row has only n."""
    lo, hi = version.scale_min, version.scale_max
    lines = []
    for row in stats:
        score = scoring.mean_item_score(row.mean, row.item.reverse, lo, hi)
        lines.append(
            ItemLine(
                row.item.code,
                row.value_code,
                row.item.text(locale),
                row.item.reverse,
                row.n,
                row.mean,
                row.sd,
                dict(row.counts),
                row.withheld,
                score,
                None if score is None else scoring.value_index(score, lo, hi),
            )
        )
    return lines


def _trend(period: Period, scope: Scope, current: UnitLine) -> list[TrendPoint]:
    """One scope result per earlier period: a handful of periods, never a query per unit."""
    points = []
    for earlier in results.earlier_periods(period, limit=TREND_PERIODS):
        try:
            result = results.scope_result(earlier, scope.path)
        except LookupError:  # the unit did not take part in that period
            continue
        if result.withheld or result.overall is None:
            continue
        indices = {code: agg.mean for code, agg in result.values.items()}
        points.append(TrendPoint(earlier.name, indices, result.overall.mean))
    if points and not current.withheld:
        points.append(TrendPoint(period.name, current.indices, current.overall))
    return points


def _people(
    period: Period, scope: Scope, locale: str, indices: dict[int, results.PersonIndices]
) -> Iterator[PersonLine]:
    """Every eligible person of the scope with their own numbers (`indices`, by employee id),
    streamed from the roster."""
    query, unit = _roster_query(period, scope)
    query = (
        query.with_only_columns(
            Employee.id,
            Employee.nip,
            Employee.name,
            unit.name,
            Employee.jabatan,
            Employee.golongan,
            Response.state,
            Response.submitted_at,
            unit.code,
        )
        .order_by(unit.path, Employee.name, Employee.nip)
        .execution_options(yield_per=2000)
    )
    for row in db.session.execute(query):
        person = indices.get(row[0]) if row[6] == RESPONSE_SUBMITTED else None
        status = {None: STATUS_NOT_STARTED, RESPONSE_SUBMITTED: STATUS_SUBMITTED}.get(
            row[6], STATUS_DRAFT
        )
        yield PersonLine(
            nip=row[1],
            name=row[2],
            unit=row[3],
            jabatan=row[4],
            golongan=row[5],
            status=status,
            submitted_at=row[7],
            indices=dict(person.value_indices) if person else {},
            overall=person.overall if person else None,
            band=scoring.band_label(person.band, locale) if person else None,
            flags=tuple(person.flags.codes()) if person else (),
            unit_code=row[8],
        )


def _roster_count(period: Period, scope: Scope) -> int:
    query = sa.select(sa.func.count(RosterEntry.id)).where(RosterEntry.period_id == period.id)
    if scope.path is not None:
        query = query.where(org.in_subtree(RosterEntry.unit_path, scope.path))
    return db.session.scalar(query)


def tree_order(rows: list) -> list:
    """Rows of a unit tree (tree order by internal path, each with `depth` and `name`) in the
    order HR sees the tree: each unit's children by name, each followed by its own subtree."""
    roots: list[tuple] = []
    stack: list[tuple] = []  # (depth, children list of that node)
    for row in rows:
        node = (row, [])
        while stack and stack[-1][0] >= row.depth:
            stack.pop()
        (stack[-1][1] if stack else roots).append(node)
        stack.append((row.depth, node[1]))

    def walk(nodes):
        for row, children in sorted(nodes, key=lambda n: (n[0].name.casefold(), n[0].code)):
            yield row
            yield from walk(children)

    return list(walk(roots))


def workbook_report(period: Period, scope: Scope, *, actor: Employee | None, locale: str) -> Report:
    """Gather the workbook's numbers from services/results.py; excel.write_report formats them.

    Before the period's results are published the workbook is a participation workbook, for
    every user: a file travels further than a page (services/privacy)."""
    version = period.version
    rules = results.rules_for(version)
    hidden = period.hide_individuals
    published = privacy.results_published(period)
    extra: dict = {}
    indices: dict[int, results.PersonIndices] = {}
    if published:
        previous = results.previous_period(period)
        changes = results.value_changes(period, previous, scope.path) if previous else {}
        unit_results = tree_order(results.unit_results(period, scope.path))
        base = min((r.depth for r in unit_results), default=0)
        units = [
            _unit_line(r, locale, r.depth - base, changes.get(r.code, {})) for r in unit_results
        ]
        current = _scope_result(period, scope)
        total = _unit_line(current, locale, 0, _scope_changes(scope, current, previous, changes))
        stats = results.item_statistics(period, scope.path)
        alpha = {} if total.withheld else results.alpha_by_value(period, scope.path)
        # Every person's indices once per workbook, where used: the band counts of a scope
        # that is shown and the Pegawai sheet of a period that shows individuals.
        if not hidden or not total.withheld:
            indices = results.person_results(period, scope.path)
        extra = _analysis(
            scope, version, rules, current, total, units, stats, locale, indices.values()
        )
        extra["previous_period"] = previous.name if previous is not None else None
        from . import heatmap, plans  # both build on this module's Scope

        extra["heatmap"] = heatmap.heatmap(period, scope, locale)
        extra["plans"] = plans.plans_report(period, scope, locale)
        with force_locale(locale):
            extra["culture"] = culture_results.sheet_data(period, scope.path, locale)
    else:
        rows = tree_order(_participation_rows(period, scope))
        units = [_participation_line(r, r.depth) for r in rows]
        total = _participation_line(participation_totals(period, scope), 0, scope)
        stats, alpha = [], {}
    with force_locale(locale):
        scope_name = scope.name or gettext("The whole organisation")
        generated_by = actor.name if actor is not None else gettext("command line")
        pending = None if published else privacy.results_pending_note(period)
    people_shown = published and not hidden
    return Report(
        locale=locale,
        period_code=period.code,
        period_name=period.name,
        opens_at=period.opens_at,
        closes_at=period.closes_at,
        questionnaire=version.questionnaire.name,
        version_number=version.number,
        scale_min=version.scale_min,
        scale_max=version.scale_max,
        scale_labels=[label for _point, label in version.scale(locale)],
        bands=[BandLine(b.lower, b.label(locale)) for b in rules.bands],
        weights=dict(rules.weights),
        min_group_size=rules.min_group_size,
        min_alpha_respondents=rules.min_alpha_respondents,
        hide_individuals=hidden,
        scope_code=scope.code,
        scope_name=scope_name,
        generated_at=utcnow(),
        generated_by=generated_by,
        values=value_headings(version, locale),
        units=units,
        total=total,
        items=_item_lines(version, stats, locale),
        alpha=alpha,
        trend=_trend(period, scope, total) if published else [],
        people=_people(period, scope, locale, indices) if people_shown else None,
        people_count=_roster_count(period, scope) if people_shown else 0,
        timezone=current_app.config["TIMEZONE"],
        timezone_label=tz_abbreviation(),
        reverse_items=[i.code for i in results.version_items(version) if i.reverse],
        results_pending=pending,
        non_respondents=None if published or hidden else non_respondents(period, scope),
        top_units=[u for u in units if u.depth == (0 if scope.path is None else 1)],
        participation_target=targets.participation_target(period, scope.unit_id).rate,
        **extra,
    )


def _scope_changes(scope: Scope, current, previous: Period | None, changes: dict) -> dict:
    """The scope's own change per value: its unit's row, or for a period of several top units
    (no scope unit) the organisation against the previous period's organisation."""
    if previous is None:
        return {}
    if scope.path is not None:
        return changes.get(scope.code, {})
    before = results.published(previous).total
    row = {
        code: scoring.change(
            _agg_mean(current.values.get(code)), _agg_mean(before.values.get(code))
        )
        for code in current.values
    }
    row[OVERALL] = scoring.change(_agg_mean(current.overall), _agg_mean(before.overall))
    return row


def _agg_mean(agg) -> float | None:
    return agg.mean if agg is not None else None


WEAKEST_ITEMS = 5


def _analysis(scope, version, rules, current, total, units, stats, locale, people) -> dict:
    """What an analyst computes next, from the same published numbers: per value n, SD and the
    people in each band, the behaviours, the weakest items, the units above and below the
    scope and the strongest and weakest values. Empty where the scope is withheld."""
    if total.withheld:
        return {}
    headings = value_headings(version, locale)
    band_names = {b: b.label(locale) for b in rules.bands}
    counts: dict[str, dict[str, int]] = {v.code: {} for v in headings}
    counts[OVERALL] = {}
    for person in people:
        indices = person.value_indices
        for code in counts:
            band = (
                person.band if code == OVERALL else scoring.band_for(indices.get(code), rules.bands)
            )
            if band is not None:
                label = band_names[band]
                counts[code][label] = counts[code].get(label, 0) + 1
    value_stats = []
    for heading in headings:
        agg = current.values.get(heading.code)
        value_stats.append(
            ValueStat(
                heading.code,
                heading.name,
                _agg_mean(agg),
                agg.sd if agg else None,
                agg.n if agg else 0,
                scoring.band_label(scoring.band_for(_agg_mean(agg), rules.bands), locale),
                total.changes.get(heading.code),
                counts[heading.code],
            )
        )
    with force_locale(locale):
        overall_name = gettext("Overall index")
    agg = current.overall
    value_stats.append(
        ValueStat(
            OVERALL,
            overall_name,
            _agg_mean(agg),
            agg.sd if agg else None,
            agg.n if agg else 0,
            total.band,
            total.changes.get(OVERALL),
            counts[OVERALL],
        )
    )
    # By index, a tie in the fixed BerAKHLAK order (rounded: sums in another order differ in
    # the last bits).
    ranked = sorted(
        (v for v in value_stats[:-1] if v.mean is not None), key=lambda v: round(v.mean, 9)
    )
    items = _item_lines(version, stats, locale)
    by_value_behaviour: dict[tuple[str, int], list[ItemLine]] = {}
    for line, row in zip(items, stats, strict=True):
        by_value_behaviour.setdefault((row.value_code, row.item.behaviour), []).append(line)
    behaviours = []
    values_by_code = {i.core_value.code: i.core_value for i in results.version_items(version)}
    for code in scoring.VALUE_CODES:
        value = values_by_code.get(code)
        if value is None:
            continue
        for number in range(1, len(value.behaviours) + 1):
            lines = by_value_behaviour.get((code, number), [])
            scores = [x.score for x in lines if x.score is not None]
            index = (
                scoring.value_index(sum(scores) / len(scores), rules.scale_min, rules.scale_max)
                if scores
                else None
            )
            behaviours.append(
                BehaviourLine(
                    code,
                    number,
                    value.behaviour(number, locale),
                    tuple(x.code for x in lines),
                    index,
                )
            )
    scored = sorted((x for x in items if x.index is not None), key=lambda x: (x.index, x.code))
    top = [u for u in units if u.depth == (0 if scope.path is None else 1)]
    shown = [u for u in top if not u.withheld and u.overall is not None]
    mark = total.overall
    return {
        "value_stats": value_stats,
        "behaviours": behaviours,
        "weakest_items": scored[:WEAKEST_ITEMS],
        "above": sorted(
            (u for u in shown if mark is not None and u.overall > mark), key=lambda u: -u.overall
        ),
        "below": sorted(
            (u for u in shown if mark is not None and u.overall < mark), key=lambda u: u.overall
        ),
        "strongest": ranked[-1] if ranked else None,
        "weakest": ranked[0] if ranked else None,
    }


def _participation_rows(period: Period, scope: Scope) -> list[UnitParticipation]:
    """The scope's units with their counts; NotVisible, like _scope_result, when the scope
    unit itself is not part of the period."""
    rows = participation(period, scope.path)
    if scope.path is not None and not any(r.unit_id == scope.unit_id for r in rows):
        raise NotVisible
    return rows


def _participation_line(counts, depth: int, unit=None) -> UnitLine:
    """A line of counts only: a unit's participation row, or (with `unit` a Scope) the
    scope's totals."""
    unit = unit or counts
    return UnitLine(
        code=unit.code,
        name=unit.name,
        depth=depth,
        eligible=counts.eligible,
        submitted=counts.submitted,
        participation=counts.rate,
        indices={},
        overall=None,
        band=None,
        unit_id=unit.unit_id,
        drafts=counts.drafts,
    )


@dataclass(frozen=True)
class ValueLine:
    code: str
    name: str
    mean: float | None
    sd: float | None
    n: int
    band: str | None
    previous: float | None
    change: float | None


@dataclass
class UnitPage(results.Counts):
    """The unit results page. While results are not published (services/privacy) it carries
    participation only: `results_shown` false, and none of the fields after it."""

    period: Period
    scope: Scope
    parent: Scope | None
    eligible: int
    submitted: int
    drafts: int
    participation: float | None
    min_group_size: int
    min_alpha_respondents: int
    results_shown: bool = True
    pending_note: str | None = None  # when results appear, while they do not
    subunits: list[UnitLine] = field(default_factory=list)
    previous: Period | None = None
    withheld: bool = False
    withheld_reason: str | None = None
    values: list[ValueLine] = field(default_factory=list)
    overall: ValueLine | None = None
    items: list[ItemLine] = field(default_factory=list)
    alpha: dict = field(default_factory=dict)
    scale: list[tuple[int, str]] = field(default_factory=list)
    thresholds: list[tuple[float, str]] = field(default_factory=list)  # (lower bound, band name)


def _value_line(code, name, agg, change, band, locale) -> ValueLine:
    """A value's numbers; the previous index is read back from results' change, so both
    periods' units are matched the way results.value_changes matches them (by code)."""
    mean = agg.mean if agg is not None else None
    previous = mean - change if mean is not None and change is not None else None
    return ValueLine(
        code,
        name,
        mean,
        agg.sd if agg is not None else None,
        agg.n if agg is not None else 0,
        scoring.band_label(band, locale),
        previous,
        change,
    )


def _scope_result(period: Period, scope: Scope):
    try:
        return results.scope_result(period, scope.path)
    except LookupError:  # an HR scope unit that is not itself part of the period
        raise NotVisible from None


def unit_page(user: Employee, period: Period, scope: Scope, locale: str) -> UnitPage:
    """The unit results page: the scope unit, its subunits side by side, items and alpha; or,
    before the period's results are published, its participation only."""
    version = period.version
    rules = results.rules_for(version)
    if not privacy.may_see_results(user, period):
        return _participation_page(user, period, scope, rules)
    current = _scope_result(period, scope)
    unit_results = results.unit_results(period, scope.path)
    previous_period = results.previous_period(period)
    changes: dict = {}
    if previous_period is not None and not current.withheld:
        changes = results.value_changes(period, previous_period, scope.path).get(scope.code, {})
    withheld = bool(current.withheld)
    values, overall = [], None
    if not withheld:
        for heading in value_headings(version, locale):
            agg = current.values.get(heading.code)
            band = scoring.band_for(agg.mean if agg else None, rules.bands)
            values.append(
                _value_line(
                    heading.code, heading.name, agg, changes.get(heading.code), band, locale
                )
            )
        with force_locale(locale):
            name = gettext("Overall index")
        overall = _value_line(
            "", name, current.overall, changes.get(results.OVERALL), current.band, locale
        )
    subunits = [_unit_line(r, locale, 1) for r in unit_results if r.depth == 1]
    stats = [] if withheld else results.item_statistics(period, scope.path)
    return UnitPage(
        period=period,
        scope=scope,
        parent=_visible_parent(user, period, scope),
        previous=previous_period,
        eligible=current.eligible,
        submitted=current.submitted,
        drafts=current.drafts,
        participation=current.participation,
        withheld=withheld,
        withheld_reason=current.withheld_reason,
        min_group_size=rules.min_group_size,
        min_alpha_respondents=rules.min_alpha_respondents,
        values=values,
        overall=overall,
        subunits=subunits,
        items=_item_lines(version, stats, locale),
        alpha={} if withheld else results.alpha_by_value(period, scope.path),
        scale=version.scale(locale),
        thresholds=[(b.lower, b.label(locale)) for b in rules.bands],
    )


def _participation_page(user, period: Period, scope: Scope, rules) -> UnitPage:
    """Counts only, read without touching an answer: how many took part says nothing about
    what anyone answered."""
    rows = _participation_rows(period, scope)
    current = participation_totals(period, scope)
    return UnitPage(
        period=period,
        scope=scope,
        parent=_visible_parent(user, period, scope),
        eligible=current.eligible,
        submitted=current.submitted,
        drafts=current.drafts,
        participation=current.rate,
        min_group_size=rules.min_group_size,
        min_alpha_respondents=rules.min_alpha_respondents,
        results_shown=False,
        pending_note=privacy.results_pending_note(period),
        subunits=[_participation_line(r, 1) for r in rows if r.depth == 1],
    )


def _visible_parent(user: Employee, period: Period, scope: Scope) -> Scope | None:
    if scope.unit_id is None:
        return None
    unit = _period_unit(period, scope.unit_id)
    if unit is None or unit.parent_unit_id is None:
        return None
    try:
        return scope_for(user, period, unit.parent_unit_id)
    except NotVisible:
        return None
