"""Roster imports from the personnel spreadsheet: units, then employees.

Validation reads the whole file first and collects every error as (row, column, message);
only a file without any error is applied, in one transaction, with bulk statements. People
missing from a full roster can be deactivated on request; nobody is ever deleted."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..nip import InvalidNip, normalise_nip
from ..xlsx_reader import open_sheet
from . import accounts, audit, org

UNIT_COLUMNS = ["Kode Unit", "Nama Unit", "Kode Induk"]
EMPLOYEE_COLUMNS = ["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis"]
ROLE_WORDS = {"pegawai": "employee", "employee": "employee", "hr": "hr", "admin": "admin"}
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column letter, as Excel shows it
    message: str

    def line(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class Plan:
    kind: str
    create: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)
    deactivate: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "create": len(self.create),
            "update": len(self.update),
            "deactivate": len(self.deactivate),
            "errors": len(self.errors),
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Columns:
    def __init__(self, headers: dict[str, int]):
        self.headers = headers

    def letter(self, name: str) -> str:
        return get_column_letter(self.headers[name.lower()] + 1)

    def get(self, values: tuple, name: str) -> Any:
        index = self.headers.get(name.lower())
        return values[index] if index is not None and index < len(values) else None


# --- units -----------------------------------------------------------------------------------


def plan_units(source: str | IO[bytes], progress: Progress | None = None) -> Plan:
    sheet = open_sheet(source, UNIT_COLUMNS)
    cols = _Columns(sheet.headers)
    plan = Plan("units")
    existing = _existing_units()
    seen: dict[str, int] = {}
    parent_of: dict[str, str | None] = {code: info[2] for code, info in existing.items()}
    wanted: list[tuple[int, str, str, str | None]] = []
    for number, values in sheet.rows:
        plan.rows += 1
        code = _text(cols.get(values, "Kode Unit"))
        name = _text(cols.get(values, "Nama Unit"))
        parent = _text(cols.get(values, "Kode Induk")) or None
        if not code:
            plan.errors.append(RowError(number, cols.letter("Kode Unit"), str(MSG_REQUIRED)))
            continue
        if not name:
            plan.errors.append(RowError(number, cols.letter("Nama Unit"), str(MSG_REQUIRED)))
        if code in seen:
            plan.errors.append(
                RowError(
                    number, cols.letter("Kode Unit"), str(MSG_DUPLICATE_UNIT) % {"row": seen[code]}
                )
            )
            continue
        seen[code] = number
        parent_of[code] = parent
        wanted.append((number, code, name, parent))
    known = set(existing) | set(seen)
    for number, code, _name, parent in wanted:
        if parent is not None and parent not in known:
            plan.errors.append(
                RowError(
                    number, cols.letter("Kode Induk"), str(MSG_UNKNOWN_UNIT) % {"code": parent}
                )
            )
        elif _in_cycle(code, parent_of):
            plan.errors.append(RowError(number, cols.letter("Kode Induk"), str(MSG_CYCLE)))
    for number, code, name, parent in wanted:
        row = {"row": number, "code": code, "name": name, "parent": parent}
        if code not in existing:
            plan.create.append(row)
        elif existing[code][1] != name or existing[code][2] != parent:
            plan.update.append(row)
    if progress:
        progress(plan.rows, plan.rows)
    return plan


def _existing_units() -> dict[str, tuple[int, str, str | None]]:
    parent = sa.orm.aliased(Unit)
    return {
        code: (uid, name, parent_code)
        for uid, code, name, parent_code in db.session.execute(
            sa.select(Unit.id, Unit.code, Unit.name, parent.code).outerjoin(
                parent, parent.id == Unit.parent_id
            )
        ).all()
    }


def _in_cycle(code: str, parent_of: dict[str, str | None]) -> bool:
    seen = {code}
    current = parent_of.get(code)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def apply_units(plan: Plan, actor: Employee | None) -> dict[str, int]:
    """Create parents before children; rename and move the others. Flushes, never commits."""
    if not plan.ok or plan.kind != "units":
        raise ValueError("only a units plan without errors can be applied")
    by_code = {u.code: u for u in db.session.scalars(sa.select(Unit))}
    pending = list(plan.create)
    while pending:
        progress = False
        for row in list(pending):
            if row["parent"] is None or row["parent"] in by_code:
                parent = by_code.get(row["parent"]) if row["parent"] else None
                by_code[row["code"]] = org.add_unit(row["code"], row["name"], parent)
                pending.remove(row)
                progress = True
        if not progress:  # validation rules this out; never loop forever
            raise RuntimeError("unit import: parents could not be resolved")
    for row in plan.update:
        unit = by_code[row["code"]]
        unit.name = row["name"]
        new_parent = by_code.get(row["parent"]) if row["parent"] else None
        if (new_parent.id if new_parent else None) != unit.parent_id:
            org.move_unit(unit, new_parent)
    audit.record("units_imported", actor=actor, object_type="import", after=plan.counts())
    return plan.counts()


# --- employees -------------------------------------------------------------------------------


def plan_employees(
    source: str | IO[bytes], *, deactivate_missing: bool = False, progress: Progress | None = None
) -> Plan:
    sheet = open_sheet(source, EMPLOYEE_COLUMNS)
    cols = _Columns(sheet.headers)
    plan = Plan("employees")
    units = dict(db.session.execute(sa.select(Unit.code, Unit.id)).all())
    existing = {
        row.nip: row
        for row in db.session.execute(
            sa.select(
                Employee.id,
                Employee.nip,
                Employee.name,
                Employee.unit_id,
                Employee.jabatan,
                Employee.golongan,
                Employee.jenis,
                Employee.email,
                Employee.is_hr,
                Employee.is_admin,
                Employee.active,
            )
        )
    }
    seen: dict[str, int] = {}
    for number, values in sheet.rows:
        plan.rows += 1
        if progress and plan.rows % 5000 == 0:
            progress(plan.rows, None)
        errors_before = len(plan.errors)

        def error(column: str, message, number=number, **values) -> None:
            plan.errors.append(
                RowError(
                    number, cols.letter(column), str(message) % values if values else str(message)
                )
            )

        raw_nip = cols.get(values, "NIP")
        nip = None
        if isinstance(raw_nip, int | float) and not isinstance(raw_nip, bool):
            error("NIP", MSG_NIP_NUMBER)
        else:
            try:
                nip = normalise_nip(_text(raw_nip) or None)
            except InvalidNip:
                digits = sum(c.isdigit() for c in _text(raw_nip))
                error("NIP", MSG_NIP_LENGTH, n=digits)
        if nip is not None:
            if nip in seen:
                error("NIP", MSG_DUPLICATE_NIP, row=seen[nip])
            else:
                seen[nip] = number
        name = _text(cols.get(values, "Nama"))
        if not name:
            error("Nama", MSG_REQUIRED)
        unit_code = _text(cols.get(values, "Kode Unit"))
        if not unit_code:
            error("Kode Unit", MSG_REQUIRED)
        elif unit_code not in units:
            error("Kode Unit", MSG_UNKNOWN_UNIT, code=unit_code)
        jenis = _text(cols.get(values, "Jenis")).upper()
        if jenis not in ("PNS", "PPPK"):
            error("Jenis", MSG_JENIS)
        email = _text(cols.get(values, "Email")) or None
        if email and ("@" not in email or len(email) > 254):
            error("Email", MSG_EMAIL)
        roles: set[str] = set()
        for word in filter(
            None, (w.strip().lower() for w in _text(cols.get(values, "Peran")).split(","))
        ):
            if word not in ROLE_WORDS:
                error("Peran", MSG_ROLE, role=word)
            else:
                roles.add(ROLE_WORDS[word])
        if len(plan.errors) > errors_before:
            continue
        record = {
            "row": number,
            "nip": nip,
            "name": name[:200],
            "unit_id": units[unit_code],
            "jabatan": _text(cols.get(values, "Jabatan"))[:200],
            "golongan": _text(cols.get(values, "Golongan"))[:20],
            "jenis": jenis,
            "email": email,
            "is_hr": "hr" in roles,
            "is_admin": "admin" in roles,
        }
        old = existing.get(nip)
        if old is None:
            plan.create.append(record)
        else:
            record["id"] = old.id
            fields = (
                "name",
                "unit_id",
                "jabatan",
                "golongan",
                "jenis",
                "email",
                "is_hr",
                "is_admin",
            )
            if not old.active or any(getattr(old, f) != record[f] for f in fields):
                plan.update.append(record)
    if deactivate_missing and not plan.errors:
        plan.deactivate = [
            {"id": row.id, "nip": row.nip, "name": row.name}
            for nip, row in existing.items()
            if nip not in seen and row.active
        ]
    if progress:
        progress(plan.rows, plan.rows)
    return plan


def apply_employees(
    plan: Plan, actor: Employee | None, progress: Progress | None = None
) -> list[tuple[str, str, str]]:
    """Insert, update and deactivate in bulk; new accounts get activation codes, returned as
    (nip, name, code) for the one-time download. Flushes, never commits."""
    if not plan.ok or plan.kind != "employees":
        raise ValueError("only an employees plan without errors can be applied")
    total = len(plan.create) + len(plan.update) + len(plan.deactivate)
    done = 0
    now = utcnow()
    expires = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    codes: list[tuple[str, str, str]] = []
    batch = 2000
    for start in range(0, len(plan.create), batch):
        chunk = plan.create[start : start + batch]
        rows = []
        for r in chunk:
            code = accounts.new_activation_code()
            codes.append((r["nip"], r["name"], code))
            rows.append(
                {
                    **{k: v for k, v in r.items() if k != "row"},
                    "hr_unit_id": r["unit_id"] if r["is_hr"] else None,
                    "active": True,
                    "is_demo": False,
                    "session_version": 1,
                    "created_at": now,
                    "activation_code_hash": accounts.hash_code(r["nip"], code),
                    "activation_expires_at": expires,
                }
            )
        db.session.execute(sa.insert(Employee), rows)
        done += len(chunk)
        if progress:
            progress(done, total)
    if plan.update:
        statement = (
            sa.update(Employee)
            .where(Employee.id == sa.bindparam("_id"))
            .values(
                name=sa.bindparam("name"),
                unit_id=sa.bindparam("unit_id"),
                jabatan=sa.bindparam("jabatan"),
                golongan=sa.bindparam("golongan"),
                jenis=sa.bindparam("jenis"),
                email=sa.bindparam("email"),
                is_hr=sa.bindparam("is_hr"),
                is_admin=sa.bindparam("is_admin"),
                active=True,
            )
        )
        connection = db.session.connection()
        for start in range(0, len(plan.update), batch):
            chunk = [{**r, "_id": r["id"]} for r in plan.update[start : start + batch]]
            connection.execute(statement, chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    ids = [r["id"] for r in plan.deactivate]
    for start in range(0, len(ids), batch):
        db.session.execute(
            sa.update(Employee)
            .where(Employee.id.in_(ids[start : start + batch]))
            .values(active=False)
        )
    if ids:
        done += len(ids)
        if progress:
            progress(done, total)
    audit.record("employees_imported", actor=actor, object_type="import", after=plan.counts())
    return codes


def activation_token() -> str:
    return secrets.token_urlsafe(24)


MSG_REQUIRED = _l("This cell is required.")
MSG_DUPLICATE_UNIT = _l("This unit code already appears in row %(row)d.")
MSG_UNKNOWN_UNIT = _l("Unknown unit code %(code)s.")
MSG_CYCLE = _l("This parent would make the unit its own ancestor (a cycle).")
MSG_NIP_NUMBER = _l(
    "The NIP is stored as a number, so Excel has dropped its last digits. Format the NIP "
    "column as Text and type the NIPs again."
)
MSG_NIP_LENGTH = _l("A NIP has 18 digits; this one has %(n)d.")
MSG_DUPLICATE_NIP = _l("This NIP already appears in row %(row)d.")
MSG_JENIS = _l("Jenis must be PNS or PPPK.")
MSG_EMAIL = _l("This is not an e-mail address.")
MSG_ROLE = _l("Unknown role %(role)s; use pegawai, hr or admin.")


def upload_path(app, token: str):
    """Where an uploaded roster waits between its preview and its commit."""
    from pathlib import Path

    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        raise ValueError("bad token")
    folder = Path(app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.xlsx"
