"""How a period's state changes: the one place for draft -> open -> closed."""

from __future__ import annotations

from dataclasses import dataclass
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
    period.scope_units = [PeriodScope(unit_id=u.id) for u in scope_roots(scope_units)]
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


def scope_roots(units: list[Unit]) -> list[Unit]:
    """The chosen units without those below another chosen one: a unit in scope brings its
    whole subtree, so a ticked parent with ticked children is the parent alone."""
    chosen = {u.id: u for u in units}.values()
    return [
        u
        for u in chosen
        if not any(o.id != u.id and org.in_subtree_path(u.path, o.path) for o in chosen)
    ]


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
    unit_path = db.session.scalar(
        sa.select(PeriodUnit.path).where(
            PeriodUnit.period_id == period.id, PeriodUnit.unit_id == employee.unit_id
        )
    )
    if unit_path is None:
        raise PeriodError("unit_not_in_period")
    db.session.add(
        RosterEntry(
            period_id=period.id,
            employee_id=employee.id,
            unit_id=employee.unit_id,
            unit_path=unit_path,  # the period's frozen tree, which its reports use
        )
    )
    audit.record(
        "roster_added",
        actor=actor,
        object_type="period",
        object_id=period.id,
        after={"employee_id": employee.id, "nip": employee.nip},
    )


# --- people who join an open period after it opened (docs/design.md, "The roster") ----------


@dataclass
class OpenTree:
    """An open period as an import sees it: the units of its frozen tree, and (when asked
    for) the people already on its roster."""

    id: int
    code: str
    name: str
    units: frozenset[int]
    roster: frozenset[int] = frozenset()


def open_trees(*, with_roster: bool = False) -> list[OpenTree]:
    """Every open period with the unit ids of its frozen tree; one query per period for the
    roster (an organisation has one or two open periods, not hundreds)."""
    found = db.session.execute(
        sa.select(Period.id, Period.code, Period.name)
        .where(Period.state == PERIOD_OPEN)
        .order_by(Period.closes_at, Period.id)
    ).all()
    trees = []
    for pid, code, name in found:
        units = frozenset(
            db.session.scalars(sa.select(PeriodUnit.unit_id).where(PeriodUnit.period_id == pid))
        )
        roster = (
            frozenset(
                db.session.scalars(
                    sa.select(RosterEntry.employee_id).where(RosterEntry.period_id == pid)
                )
            )
            if with_roster
            else frozenset()
        )
        trees.append(OpenTree(pid, code, name, units, roster))
    return trees


def join_open_periods(who, *, trees: list[OpenTree] | None = None) -> dict[str, int]:
    """Add the people `who` selects (a WHERE clause on Employee) to every open period whose
    frozen tree holds their current unit, when they are active and not on its roster yet.
    One INSERT ... SELECT per open period; returns period code -> people added. The roster
    entry takes the unit's path in the period's tree, as at opening."""
    added: dict[str, int] = {}
    for tree in open_trees() if trees is None else trees:
        before = _roster_size(tree.id)
        on_roster = sa.select(RosterEntry.id).where(
            RosterEntry.period_id == tree.id, RosterEntry.employee_id == Employee.id
        )
        db.session.execute(
            sa.insert(RosterEntry).from_select(
                ["period_id", "employee_id", "unit_id", "unit_path"],
                sa.select(sa.literal(tree.id), Employee.id, Employee.unit_id, PeriodUnit.path)
                .join(
                    PeriodUnit,
                    sa.and_(
                        PeriodUnit.period_id == tree.id, PeriodUnit.unit_id == Employee.unit_id
                    ),
                )
                .where(Employee.active.is_(True), who, ~on_roster.exists()),
            )
        )
        added[tree.code] = added.get(tree.code, 0) + _roster_size(tree.id) - before
    return added


def _roster_size(period_id: int) -> int:
    # Counted, not rowcount: psycopg reports -1 for INSERT ... SELECT.
    return db.session.scalar(
        sa.select(sa.func.count(RosterEntry.id)).where(RosterEntry.period_id == period_id)
    )


class ListRefused(ValueError):
    """A list of NIPs with at least one bad line: nothing was added. `problems` holds
    (line number, the line as typed, message key, values) for every bad line."""

    def __init__(self, problems: list[tuple[int, str, str, dict]]):
        super().__init__(f"{len(problems)} bad lines")
        self.problems = problems


MAX_LIST = 5000  # lines in one pasted list


def add_late_joiners(period: Period, lines: list[str], *, actor: Employee | None = None) -> int:
    """Add every NIP of a pasted list to an open period's roster, all or nothing: any line
    that is not a NIP, an unknown or inactive person, someone whose unit is not in the
    period, someone already on the roster or a NIP listed twice refuses the whole list
    (ListRefused names every such line), so the admin fixes the list and nothing is half
    done. Empty lines are skipped. Returns how many were added."""
    from ..nip import InvalidNip, normalise_nip

    if period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    problems: list[tuple[int, str, str, dict]] = []
    wanted: dict[str, int] = {}  # NIP -> line number
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        try:
            nip = normalise_nip(text)
        except InvalidNip:
            problems.append((number, text, "not_a_nip", {}))
            continue
        if nip in wanted:
            problems.append((number, text, "listed_twice", {"line": wanted[nip]}))
            continue
        wanted[nip] = number
    if not wanted and not problems:
        raise PeriodError("empty_list")
    if len(wanted) > MAX_LIST:
        raise PeriodError("list_too_long")
    people = {
        person.nip: person
        for person in db.session.scalars(sa.select(Employee).where(Employee.nip.in_(wanted)))
    }
    tree = dict(
        db.session.execute(
            sa.select(PeriodUnit.unit_id, PeriodUnit.path).where(PeriodUnit.period_id == period.id)
        ).all()
    )
    on_roster = set(
        db.session.scalars(
            sa.select(RosterEntry.employee_id).where(
                RosterEntry.period_id == period.id,
                RosterEntry.employee_id.in_([p.id for p in people.values()]),
            )
        )
    )
    for nip, number in wanted.items():
        person = people.get(nip)
        text = lines[number - 1].strip()
        if person is None:
            problems.append((number, text, "unknown", {}))
        elif not person.active:
            problems.append((number, text, "inactive", {"name": person.name}))
        elif person.id in on_roster:
            problems.append((number, text, "already_on_roster", {"name": person.name}))
        elif person.unit_id not in tree:
            problems.append(
                (
                    number,
                    text,
                    "unit_not_in_period",
                    {"name": person.name, "unit": person.unit.code},
                )
            )
    if problems:
        raise ListRefused(sorted(problems))
    for nip in wanted:
        person = people[nip]
        db.session.add(
            RosterEntry(
                period_id=period.id,
                employee_id=person.id,
                unit_id=person.unit_id,
                unit_path=tree[person.unit_id],
            )
        )
    audit.record(
        "roster_added",
        actor=actor,
        object_type="period",
        object_id=period.id,
        after={"count": len(wanted), "nips": sorted(wanted)[:50]},
    )
    return len(wanted)


@dataclass(frozen=True)
class RecentImport:
    """An employees import that created accounts, as the period page offers it."""

    entry_id: int
    at: datetime
    actor: str | None
    created: int


def recent_imports(limit: int = 10) -> list[RecentImport]:
    """The latest employees imports that created accounts (their audit entries)."""
    from ..models import AuditLog

    entries = db.session.execute(
        sa.select(AuditLog, Employee.name)
        .outerjoin(Employee, Employee.id == AuditLog.actor_id)
        .where(AuditLog.action == "employees_imported")
        .order_by(AuditLog.id.desc())
        .limit(limit * 3)
    ).all()
    found = [
        RecentImport(entry.id, entry.at, name, int((entry.after or {}).get("create", 0)))
        for entry, name in entries
        if (entry.after or {}).get("created_at") and (entry.after or {}).get("create")
    ]
    return found[:limit]


@dataclass(frozen=True)
class JoinReport:
    """What adding one import's new accounts to a period did."""

    created: int  # accounts the import created
    added: int
    already: int  # on the roster already (added by the import itself, or by hand)
    outside: int  # their unit is not in the period, or they are no longer active


def add_import_to_period(period: Period, entry_id: int, *, actor: Employee | None = None):
    """Add everyone one import created (its audit entry's `created_at` stamp: every account
    of an import is created at the same instant) to an open period. People already on the
    roster are counted, not refused: the import may have added them itself."""
    from ..models import AuditLog

    if period.state != PERIOD_OPEN:
        raise PeriodError("not_open")
    entry = db.session.get(AuditLog, entry_id)
    stamp = (entry.after or {}).get("created_at") if entry is not None else None
    if entry is None or entry.action != "employees_imported" or not stamp:
        raise PeriodError("unknown_import")
    created_at = datetime.fromisoformat(stamp)
    who = Employee.created_at == created_at
    created = db.session.scalar(sa.select(sa.func.count(Employee.id)).where(who))
    already = db.session.scalar(
        sa.select(sa.func.count(RosterEntry.id))
        .join(Employee, Employee.id == RosterEntry.employee_id)
        .where(RosterEntry.period_id == period.id, who)
    )
    tree = OpenTree(period.id, period.code, period.name, frozenset())
    added = join_open_periods(who, trees=[tree])[period.code]
    if added:
        audit.record(
            "roster_added",
            actor=actor,
            object_type="period",
            object_id=period.id,
            after={"count": added, "import": entry_id},
        )
    return JoinReport(created, added, already, created - added - already)


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
