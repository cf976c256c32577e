"""Roster imports from the personnel spreadsheet: units, then employees.

Checking reads the whole file once and collects every error as (row, column, message); only
a file without any error is applied, in one transaction, with bulk statements (executemany
in batches), never the ORM row by row. People missing from a full roster can be deactivated
on request; nobody is ever deleted.

Memory does not grow with the file: checked employee rows wait in an anonymous temporary file
(`_Spill`) between the check and the write, and so do the new accounts' activation codes until
they are written to their one-time workbook. What stays in memory is per known person (NIP
and a fingerprint of their row, to tell an update from no change) and the errors."""

from __future__ import annotations

import marshal
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from .. import validation
from ..extensions import db
from ..files import open_private, private_dir
from ..models import Employee, Unit, utcnow
from ..nip import InvalidNip, nip_digits, normalise_nip
from ..xlsx_reader import open_sheet
from . import accounts, audit, org

UNIT_COLUMNS = ["Kode Unit", "Nama Unit", "Kode Induk"]
EMPLOYEE_COLUMNS = ["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis"]
ROLE_WORDS = {"pegawai": "employee", "employee": "employee", "hr": "hr", "admin": "admin"}
PREVIEW_ROWS = 20
PREVIEW_ERRORS = 500  # the preview page lists this many; the command line lists them all
BATCH = 2000
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column letter, as Excel shows it
    message: str

    def line(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class _Spill:
    """Rows parked on disk in batches (marshal), in a temporary file that has no name on disk
    and is readable by this process only; gone when closed."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        self._buffer: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self._buffer.append(row)
        self.count += 1
        if len(self._buffer) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            marshal.dump(self._buffer, self._file)
            self._buffer = []

    def batches(self) -> Iterator[list[tuple]]:
        self._flush()
        self._file.seek(0)
        while True:
            try:
                # The file is our own, written just above; nothing from outside reads into it.
                yield marshal.load(self._file)  # noqa: S302  # nosec B302
            except EOFError:
                return

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.batches():
            yield from batch

    def close(self) -> None:
        self._file.close()


@dataclass
class Plan:
    """What an import would do: counts, the first rows of each kind for the preview, every
    error. Units keep their rows in memory (an organisation has hundreds of units, not
    hundreds of thousands); employees keep theirs in spills."""

    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    preview: dict[str, list[dict]] = field(
        default_factory=lambda: {"create": [], "update": [], "deactivate": []}
    )
    create: Any = field(default_factory=list)
    update: Any = field(default_factory=list)
    deactivate: Any = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

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

    def _show(self, what: str, row: dict) -> None:
        if len(self.preview[what]) < PREVIEW_ROWS:
            self.preview[what].append(row)

    def close(self) -> None:
        for part in (self.create, self.update):
            if isinstance(part, _Spill):
                part.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Columns:
    def __init__(self, headers: dict[str, int]):
        self.headers = headers

    def has(self, name: str) -> bool:
        return name.lower() in self.headers

    def letter(self, name: str) -> str:
        return get_column_letter(self.headers[name.lower()] + 1)

    def get(self, values: tuple, name: str) -> Any:
        index = self.headers.get(name.lower())
        return values[index] if index is not None and index < len(values) else None


# --- units -----------------------------------------------------------------------------------


def _parent_code(value: Any) -> str | None:
    """A parent's code follows the code rule; empty means a root."""
    return validation.unit_code(value) if value else None


def _check_cells(
    number: int,
    values: tuple,
    cols: _Columns,
    errors: list[RowError],
    rules: dict[str, validation.Rule],
) -> dict[str, Any]:
    """Each column's cell through the field rule the web forms use (module validation); a
    refused cell becomes an error of its row and column and reads as None."""
    checked: dict[str, Any] = {}
    for column, rule in rules.items():
        try:
            checked[column] = rule(_text(cols.get(values, column)))
        except validation.Missing:
            errors.append(RowError(number, cols.letter(column), str(MSG_REQUIRED)))
            checked[column] = None
        except validation.Invalid as exc:
            errors.append(RowError(number, cols.letter(column), str(exc)))
            checked[column] = None
    return checked


UNIT_CELLS: dict[str, validation.Rule] = {
    "Kode Unit": validation.unit_code,
    "Nama Unit": validation.unit_name,
    "Kode Induk": _parent_code,
}


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
        checked = _check_cells(number, values, cols, plan.errors, UNIT_CELLS)
        code, name, parent = checked["Kode Unit"], checked["Nama Unit"], checked["Kode Induk"]
        if code is None:
            continue
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
            plan._show("create", row)
        elif existing[code][1] != name or existing[code][2] != parent:
            plan.update.append(row)
            plan._show("update", row)
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

# The columns of a checked employee row, in the order they are spilled.
FIELDS = ("nip", "name", "unit_id", "jabatan", "golongan", "jenis", "email", "is_hr", "is_admin")
# The person's cells and the rules the admin's edit form applies to the same fields.
PERSON_CELLS: dict[str, validation.Rule] = {
    "Nama": validation.person_name,
    "Kode Unit": validation.unit_code,
    "Jabatan": validation.jabatan,
    "Golongan": validation.golongan,
    "Jenis": validation.jenis,
    "Email": validation.email,
}


def _compared(has_email: bool, has_roles: bool) -> tuple[str, ...]:
    """The fields a file sets: an absent Email or Peran column leaves those fields alone."""
    names = ["name", "unit_id", "jabatan", "golongan", "jenis"]
    if has_email:
        names.append("email")
    if has_roles:
        names += ["is_hr", "is_admin"]
    return tuple(names)


def _existing_people(compared: tuple[str, ...]) -> dict[int, tuple[int, bool, int]]:
    """int(NIP) -> (id, active, fingerprint of the compared fields); streamed, so the map is
    all that stays (about 350 bytes a known person)."""
    columns = [getattr(Employee, name) for name in compared]
    result = db.session.execute(
        sa.select(Employee.id, Employee.nip, Employee.active, *columns).execution_options(
            yield_per=5000
        )
    )
    return {int(row[1]): (row[0], row[2], hash(tuple(row[3:]))) for row in result}


def plan_employees(
    source: str | IO[bytes],
    *,
    deactivate_missing: bool = False,
    actor: Employee | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Check every row; the plan says what would be created, updated and deactivated.

    The acting admin is protected: the file cannot take away their own admin role, and
    `deactivate_missing` never deactivates them."""
    sheet = open_sheet(source, EMPLOYEE_COLUMNS)
    cols = _Columns(sheet.headers)
    has_email, has_roles = cols.has("Email"), cols.has("Peran")
    compared = _compared(has_email, has_roles)
    plan = Plan(
        "employees",
        create=_Spill(),
        update=_Spill(),
        options={"has_email": has_email, "has_roles": has_roles},
    )
    units = {
        code: (uid, active)
        for code, uid, active in db.session.execute(sa.select(Unit.code, Unit.id, Unit.active))
    }
    existing = _existing_people(compared)
    seen: dict[int, int] = {}
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
        elif _text(raw_nip) == "":
            error("NIP", MSG_REQUIRED)
        else:
            try:
                nip = normalise_nip(_text(raw_nip))
            except InvalidNip:
                digits = len(nip_digits(_text(raw_nip)))
                error("NIP", MSG_NIP_LENGTH, n=digits)
        if nip is not None:
            key = int(nip)
            if key in seen:
                error("NIP", MSG_DUPLICATE_NIP, row=seen[key])
            else:
                seen[key] = number
        cells = _check_cells(number, values, cols, plan.errors, PERSON_CELLS)
        unit_code = cells["Kode Unit"]  # None: refused above
        if unit_code is not None and unit_code not in units:
            error("Kode Unit", MSG_UNKNOWN_UNIT, code=unit_code)
        elif unit_code is not None and not units[unit_code][1]:
            error("Kode Unit", MSG_INACTIVE_UNIT, code=unit_code)
        roles: set[str] = set()
        for word in filter(
            None, (w.strip().lower() for w in _text(cols.get(values, "Peran")).split(","))
        ):
            if word not in ROLE_WORDS:
                error("Peran", MSG_ROLE, role=word)
            else:
                roles.add(ROLE_WORDS[word])
        old = existing.get(int(nip)) if nip is not None else None
        if (
            has_roles
            and actor is not None
            and old is not None
            and old[0] == actor.id
            and "admin" not in roles
        ):
            error("Peran", MSG_OWN_ADMIN)
        if len(plan.errors) > errors_before:
            continue
        record = {
            "nip": nip,
            "name": cells["Nama"],
            "unit_id": units[unit_code][0],
            "jabatan": cells["Jabatan"],
            "golongan": cells["Golongan"],
            "jenis": cells["Jenis"],
            "email": cells["Email"],
            "is_hr": "hr" in roles,
            "is_admin": "admin" in roles,
        }
        row = tuple(record[f] for f in FIELDS)
        if old is None:
            plan.create.add(row)
            plan._show("create", {"row": number, **record})
        elif not old[1] or old[2] != hash(tuple(record[f] for f in compared)):
            plan.update.add((old[0], *row))
            plan._show("update", {"row": number, **record})
    if deactivate_missing and not plan.errors:
        keep = actor.id if actor is not None else None
        plan.deactivate = [
            person_id
            for key, (person_id, active, _fp) in existing.items()
            if active and key not in seen and person_id != keep
        ]
        if plan.deactivate:
            plan.preview["deactivate"] = [
                {"nip": nip, "name": name}
                for nip, name in db.session.execute(
                    sa.select(Employee.nip, Employee.name)
                    .where(Employee.id.in_(plan.deactivate[:PREVIEW_ROWS]))
                    .order_by(Employee.name)
                )
            ]
    plan.options["deactivate_missing"] = deactivate_missing
    if progress:
        progress(plan.rows, plan.rows)
    return plan


def preview(
    source: str | IO[bytes],
    kind: str,
    *,
    deactivate_missing: bool = False,
    actor: Employee | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """What the preview page shows, as plain data (the check runs as a job and the page reads
    its result): the counts, the first rows of each kind and the first errors. A file refused
    as a whole raises SpreadsheetRejected."""
    if kind == "units":
        plan = plan_units(source, progress)
    else:
        plan = plan_employees(
            source, deactivate_missing=deactivate_missing, actor=actor, progress=progress
        )
    plan.close()  # the preview needs only the counts, the first rows and the errors
    return {
        "ok": plan.ok,
        "counts": plan.counts(),
        "preview": plan.preview,
        "errors": [[e.row, e.column, e.message] for e in plan.errors[:PREVIEW_ERRORS]],
    }


class Codes:
    """The new accounts' (NIP, name, activation code), parked on disk until they are written
    to the one-time workbook; iterate it once or more, then close it."""

    def __init__(self) -> None:
        self._spill = _Spill()

    def add(self, nip: str, name: str, code: str) -> None:
        self._spill.add((nip, name, code))

    def __len__(self) -> int:
        return len(self._spill)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._spill)

    def close(self) -> None:
        self._spill.close()


def apply_employees(plan: Plan, actor: Employee | None, progress: Progress | None = None) -> Codes:
    """Insert, update and deactivate in bulk; new accounts get activation codes, returned for
    the one-time download. Flushes, never commits."""
    if not plan.ok or plan.kind != "employees":
        raise ValueError("only an employees plan without errors can be applied")
    total = len(plan.create) + len(plan.update) + len(plan.deactivate)
    done = 0
    now = utcnow()
    expires = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    codes = Codes()
    connection = db.session.connection()
    insert = sa.insert(Employee)
    for batch in plan.create.batches():
        rows = []
        for values in batch:
            record = dict(zip(FIELDS, values, strict=True))
            code = accounts.new_activation_code()
            codes.add(record["nip"], record["name"], code)
            rows.append(
                {
                    **record,
                    "hr_unit_id": record["unit_id"] if record["is_hr"] else None,
                    "active": True,
                    "is_demo": False,
                    "session_version": 1,
                    "created_at": now,
                    "activation_code_hash": accounts.hash_code(record["nip"], code),
                    "activation_expires_at": expires,
                }
            )
        connection.execute(insert, rows)
        done += len(rows)
        if progress:
            progress(done, total)
    # Parameters are named p_<field>: Core would add a SET for any parameter named like a
    # column, and a file without an Email or Peran column must leave those columns alone.
    values: dict[str, Any] = {
        name: sa.bindparam(f"p_{name}")
        for name in ("name", "unit_id", "jabatan", "golongan", "jenis")
    }
    values["active"] = True
    if plan.options.get("has_email"):
        values["email"] = sa.bindparam("p_email")
    if plan.options.get("has_roles"):
        values["is_hr"] = sa.bindparam("p_is_hr")
        values["is_admin"] = sa.bindparam("p_is_admin")
        # A new HR officer's scope starts at their own unit; an existing scope is kept.
        values["hr_unit_id"] = sa.case(
            (
                sa.bindparam("p_is_hr"),
                sa.func.coalesce(Employee.hr_unit_id, sa.bindparam("p_unit_id")),
            ),
            else_=sa.null(),
        )
    update = sa.update(Employee).where(Employee.id == sa.bindparam("p_id")).values(**values)
    for batch in plan.update.batches():
        rows = [
            {"p_id": person_id, **{f"p_{k}": v for k, v in zip(FIELDS, rest, strict=True)}}
            for person_id, *rest in batch
        ]
        connection.execute(update, rows)
        done += len(rows)
        if progress:
            progress(done, total)
    ids = list(plan.deactivate)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        connection.execute(
            sa.update(Employee)
            .where(Employee.id.in_(chunk))
            .values(active=False, session_version=Employee.session_version + 1)
        )
        done += len(chunk)
        if progress:
            progress(done, total)
    audit.record("employees_imported", actor=actor, object_type="import", after=plan.counts())
    db.session.expire_all()
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
MSG_INACTIVE_UNIT = _l("Unit %(code)s is inactive.")
MSG_OWN_ADMIN = _l("You cannot take away your own admin role.")
MSG_ROLE = _l("Unknown role %(role)s; use pegawai, hr or admin.")


UPLOAD_MAX_AGE = timedelta(hours=24)


def upload_path(app, token: str):
    """Where an uploaded roster waits between its preview and its commit: a random name in a
    folder only the app's user can read."""
    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        raise ValueError("bad token")
    return private_dir(Path(app.instance_path) / "uploads") / f"{token}.xlsx"


def save_upload(app, stream: IO[bytes]) -> tuple[str, Path]:
    """Store an uploaded file under a fresh random token, readable by the app's user only."""
    token = activation_token()
    path = upload_path(app, token)
    with open_private(path, exclusive=True) as fh:
        shutil.copyfileobj(stream, fh)
    return token, path


def forget_old_uploads(app) -> int:
    """Uploads previewed but never committed are deleted after a day (flask jobs-cleanup)."""
    folder = Path(app.instance_path) / "uploads"
    if not folder.is_dir():
        return 0
    limit = time.time() - UPLOAD_MAX_AGE.total_seconds()
    removed = 0
    for path in folder.glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
