"""Employees as an admin sees them: search, edit, roles and HR scope, deactivate, new code.

Nobody is ever deleted: a person's responses and audit entries keep pointing at them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from .. import validation
from ..extensions import db
from ..models import Employee, Unit
from ..nip import nip_digits
from . import accounts, audit, paging

PAGE_SIZE = 50
AUDITED = ("name", "unit_id", "jabatan", "golongan", "jenis", "email")
ROLE_FIELDS = ("is_hr", "hr_unit_id", "is_admin", "active")


class EmployeeRefused(ValueError):
    """A change the rules forbid; `reason` is a key the view turns into a message, `field`
    the EmployeeChanges field it is about (None: the whole change)."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.field = field


def search(query: str, page: int = 1, page_size: int = PAGE_SIZE) -> Pagination:
    """By name (any part, case-insensitive) or by NIP (its first digits, typed with or without
    spaces and dots); ordered by name, a page at a time."""
    query = (query or "").strip()[:100]
    statement = sa.select(Employee)
    if query:
        digits = nip_digits(query)
        by_nip = Employee.nip.startswith(digits, autoescape=True) if digits else sa.false()
        statement = statement.where(sa.or_(Employee.name.icontains(query, autoescape=True), by_nip))
    statement = statement.order_by(Employee.name, Employee.id).options(
        sa.orm.joinedload(Employee.unit)
    )
    return paging.paginate(statement, page, per_page=page_size)


@dataclass(frozen=True)
class EmployeeChanges:
    """What the edit form may change; NIP, password and activation are not among them."""

    name: str
    unit_id: int | None
    jabatan: str = ""
    golongan: str = ""
    jenis: str = "PNS"
    email: str | None = None
    is_hr: bool = False
    hr_unit_id: int | None = None  # None with is_hr: their own unit
    is_admin: bool = False
    active: bool = True


def _unit(unit_id: int | None, field: str) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise EmployeeRefused("unknown_unit", field)
    return unit


def update(person: Employee, changes: EmployeeChanges, *, actor: Employee) -> None:
    """Apply an admin's edit, all checked before anything changes; audited with before/after.

    The person's fields pass the rules the roster import applies (module validation), which
    raise validation.Invalid naming the field: refused, never cut short to fit."""
    fields = validation.clean_person(asdict(changes))
    unit = _unit(changes.unit_id, "unit_id")
    if unit.id != person.unit_id and not unit.active:
        raise EmployeeRefused("inactive_unit", "unit_id")
    hr_unit = (
        _unit(changes.hr_unit_id, "hr_unit_id") if changes.is_hr and changes.hr_unit_id else unit
    )
    if person.id == actor.id and not changes.is_admin:
        raise EmployeeRefused("own_admin", "is_admin")
    if person.id == actor.id and not changes.active:
        raise EmployeeRefused("own_active", "active")
    before = _snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.unit_id = unit.id
    person.is_hr = changes.is_hr
    person.hr_unit_id = hr_unit.id if changes.is_hr else None
    person.is_admin = changes.is_admin
    if before["active"] and not changes.active:
        accounts.end_all_sessions(person)  # a deactivated account is logged out everywhere
    person.active = changes.active
    after = _snapshot(person)
    if after != before:
        changed = [k for k in after if after[k] != before[k]]
        audit.record(
            "employee_changed",
            actor=actor,
            object_type="employee",
            object_id=person.id,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )


def _snapshot(person: Employee) -> dict:
    return {k: getattr(person, k) for k in AUDITED + ROLE_FIELDS}


def reset_activation(person: Employee, *, actor: Employee) -> str:
    """A new one-time code that replaces any earlier one; the account keeps its password until
    the code is used. An inactive account cannot be activated, so it gets no code."""
    if not person.active:
        raise EmployeeRefused("inactive")
    return accounts.issue_activation_code(person, actor=actor)


def whom_to_ask(employee: Employee, limit: int = 3) -> tuple[list[str], list[str]]:
    """Who to ask, for an employee who is on no open period's roster: the active HR officers
    whose scope holds their unit (the nearest scope first), who know the roster, and the
    active admins, who add people to a period. Names only, a few of each."""
    hr: list[str] = []
    unit_path = employee.unit.path if employee.unit is not None else None
    if unit_path:
        scope = sa.orm.aliased(Unit)
        hr = list(
            db.session.scalars(
                sa.select(Employee.name)
                .join(scope, scope.id == Employee.hr_unit_id)
                .where(
                    Employee.is_hr.is_(True),
                    Employee.active.is_(True),
                    Employee.id != employee.id,
                    sa.literal(unit_path).startswith(scope.path),
                )
                .order_by(scope.depth.desc(), Employee.name)
                .limit(limit)
            )
        )
    admins = db.session.scalars(
        sa.select(Employee.name)
        .where(Employee.is_admin.is_(True), Employee.active.is_(True), Employee.id != employee.id)
        .order_by(Employee.name)
        .limit(limit)
    )
    return hr, list(admins)
