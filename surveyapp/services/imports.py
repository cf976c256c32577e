"""Roster imports from the personnel spreadsheet: units, then employees.

Checking reads the whole file once and collects every error as (row, column, message), each
row checked by services/roster_rows.py; only a file without any error is applied, in one
transaction, with bulk statements (executemany in batches), never the ORM row by row. People
missing from a full roster can be deactivated on request; nobody is ever deleted. The command
line and the import job both go through `run_import`.

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

from ..extensions import db
from ..files import open_private, private_dir
from ..models import Employee, Unit, utcnow
from ..xlsx_reader import Columns, RowError, open_sheet
from . import accounts, audit, org, periods, roster_rows
from .roster_rows import Progress

UNIT_COLUMNS = ["Kode Unit", "Nama Unit", "Kode Induk"]
EMPLOYEE_COLUMNS = ["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis"]
# Read when present; an absent column leaves that field of existing people alone.
OPTIONAL_EMPLOYEE_COLUMNS = ["Email", "Peran"]
PREVIEW_ROWS = 20
PREVIEW_ERRORS = 500  # the preview page lists this many; the command line lists them all
BATCH = 2000


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


# --- units -----------------------------------------------------------------------------------


def plan_units(source: str | IO[bytes], progress: Progress | None = None) -> Plan:
    sheet = open_sheet(source, UNIT_COLUMNS)
    cols = Columns(sheet.headers)
    plan = Plan("units")
    existing = _existing_units()
    wanted = roster_rows.check_units(sheet, cols, plan, existing)
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
FIELDS = (
    "nip",
    "name",
    "unit_id",
    "jabatan",
    "golongan",
    "jenis",
    "email",
    "phone",
    "is_hr",
    "is_admin",
)


def _compared(has_email: bool, has_roles: bool, has_phone: bool = False) -> tuple[str, ...]:
    """The fields a file sets: an absent Email, No. HP or Peran column leaves them alone."""
    names = ["name", "unit_id", "jabatan", "golongan", "jenis"]
    if has_email:
        names.append("email")
    if has_phone:
        names.append("phone")
    if has_roles:
        names += ["is_hr", "is_admin"]
    return tuple(names)


def _existing_people(compared: tuple[str, ...]) -> dict[int, tuple[int, bool, int, int]]:
    """int(NIP) -> (id, active, fingerprint of the compared fields, unit id); streamed, so
    the map is all that stays (about 350 bytes a known person)."""
    columns = [getattr(Employee, name) for name in compared]
    result = db.session.execute(
        sa.select(
            Employee.id, Employee.nip, Employee.active, Employee.unit_id, *columns
        ).execution_options(yield_per=5000)
    )
    return {int(row[1]): (row[0], row[2], hash(tuple(row[4:])), row[3]) for row in result}


class _Joins:
    """Who an employees import brings to the open periods (docs/design.md, "The roster"),
    counted while the rows are planned: per open period the new people whose unit is in its
    frozen tree, the others who come into it (moved into one of its units, or active again),
    and those who moved but keep their place on its roster; and the new people no open
    period covers."""

    def __init__(self) -> None:
        self.trees = periods.open_trees(with_roster=True)
        self.counts = {t.code: {"new": 0, "joining": 0, "staying": 0} for t in self.trees}
        self.outside = 0

    def codes_for(self, record: dict, old) -> list[str]:
        """The open periods this row's person would join, and count them."""
        codes = []
        for tree in self.trees:
            count = self.counts[tree.code]
            if old is not None and old[0] in tree.roster:
                if old[3] != record["unit_id"]:
                    count["staying"] += 1
            elif record["unit_id"] in tree.units:
                count["new" if old is None else "joining"] += 1
                codes.append(tree.code)
        if old is None and not codes:
            self.outside += 1
        return codes

    def summary(self) -> dict[str, Any]:
        return {
            "periods": [
                {"code": t.code, "name": t.name, **self.counts[t.code]} for t in self.trees
            ],
            "outside": self.outside,
        }


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
    cols = Columns(sheet.headers)
    has_email, has_roles = cols.has("Email"), cols.has("Peran")
    has_phone = cols.has("No. HP")
    compared = _compared(has_email, has_roles, has_phone)
    plan = Plan(
        "employees",
        create=_Spill(),
        update=_Spill(),
        options={"has_email": has_email, "has_roles": has_roles, "has_phone": has_phone},
    )
    units = {
        code: (uid, active)
        for code, uid, active in db.session.execute(sa.select(Unit.code, Unit.id, Unit.active))
    }
    existing = _existing_people(compared)
    joins = _Joins()
    seen: dict[int, int] = {}
    rows = roster_rows.check_employees(
        sheet,
        cols,
        plan,
        units=units,
        existing=existing,
        seen=seen,
        actor=actor,
        has_roles=has_roles,
        progress=progress,
    )
    for number, record, old in rows:
        row = tuple(record[f] for f in FIELDS)
        if old is None:
            plan.create.add(row)
            plan._show("create", {"row": number, **record, "periods": joins.codes_for(record, old)})
        elif not old[1] or old[2] != hash(tuple(record[f] for f in compared)):
            plan.update.add((old[0], *row))
            plan._show("update", {"row": number, **record, "periods": joins.codes_for(record, old)})
    plan.options["open_periods"] = joins.summary()
    if deactivate_missing and not plan.errors:
        keep = actor.id if actor is not None else None
        plan.deactivate = [
            person_id
            for key, (person_id, active, _fp, _unit) in existing.items()
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


def plan_file(
    source: str | IO[bytes],
    kind: str,
    *,
    deactivate_missing: bool = False,
    actor: Employee | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The plan of a units or an employees file (`kind`); deactivate_missing and actor matter
    to employees only."""
    if kind == "units":
        return plan_units(source, progress)
    return plan_employees(
        source, deactivate_missing=deactivate_missing, actor=actor, progress=progress
    )


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
    plan = plan_file(
        source, kind, deactivate_missing=deactivate_missing, actor=actor, progress=progress
    )
    plan.close()  # the preview needs only the counts, the first rows and the errors
    return {
        "ok": plan.ok,
        "counts": plan.counts(),
        "preview": plan.preview,
        "open_periods": plan.options.get("open_periods"),
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


def apply_employees(
    plan: Plan,
    actor: Employee | None,
    progress: Progress | None = None,
    *,
    join_open_periods: bool = False,
) -> Codes:
    """Insert, update and deactivate in bulk; new accounts get activation codes, returned for
    the one-time download. With `join_open_periods` the new people, and the people who come
    into an open period's units, join its roster (periods.join_open_periods; the counts per
    period land in plan.options["joined"]). Flushes, never commits."""
    if not plan.ok or plan.kind != "employees":
        raise ValueError("only an employees plan without errors can be applied")
    total = len(plan.create) + len(plan.update) + len(plan.deactivate)
    done = 0
    now = utcnow()
    expires = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    codes = Codes()
    connection = db.session.connection()
    insert = sa.insert(Employee)
    trees = periods.open_trees() if join_open_periods else []
    joined: dict[str, int] = {t.code: 0 for t in trees}

    def join(who) -> None:
        for code, n in periods.join_open_periods(who, trees=trees).items():
            joined[code] += n

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
        if trees:
            join(Employee.nip.in_([row["nip"] for row in rows]))
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
    if plan.options.get("has_phone"):
        values["phone"] = sa.bindparam("p_phone")
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
        if trees:
            join(Employee.id.in_([row["p_id"] for row in rows]))
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
    plan.options["joined"] = joined
    # `created_at` is every new account's creation instant: the period page adds "everyone
    # this import created" by it (periods.add_import_to_period).
    audit.record(
        "employees_imported",
        actor=actor,
        object_type="import",
        after={**plan.counts(), "created_at": now.isoformat(), "joined": joined},
    )
    db.session.expire_all()
    return codes


def activation_token() -> str:
    return secrets.token_urlsafe(24)


# --- the one way a file is imported ------------------------------------------------------------


@dataclass
class Imported:
    """What run_import did. `codes` holds the new accounts' activation codes (None when there
    are none); whoever writes them to their one-time workbook closes them."""

    counts: dict[str, int]
    errors: list[RowError]
    applied: bool = False
    codes: Codes | None = None
    joined: dict[str, int] = field(default_factory=dict)  # open period code -> people added

    @property
    def ok(self) -> bool:
        return not self.errors


def run_import(
    source: str | IO[bytes],
    kind: str,
    *,
    deactivate_missing: bool = False,
    actor: Employee | None = None,
    dry_run: bool = False,
    join_open_periods: bool = False,
    progress: Callable[[str], Progress | None] | None = None,
) -> Imported:
    """Check a units or employees file and, when no row has an error and this is not a dry
    run, apply it: the path of both `flask import-units|import-employees` and the
    import_roster job, so the two cannot drift. All or nothing: it flushes and never commits;
    the caller commits. A file refused as a whole raises SpreadsheetRejected.

    `progress(phase)` is called as each phase starts, "check" then "write" (employees only),
    and returns the reporter for that phase, or None for none."""
    phase = progress or (lambda _phase: None)
    plan = plan_file(
        source, kind, deactivate_missing=deactivate_missing, actor=actor, progress=phase("check")
    )
    try:
        counts = plan.counts()
        if not plan.ok or dry_run:
            return Imported(counts, plan.errors)
        if kind == "units":
            apply_units(plan, actor=actor)
            return Imported(counts, [], applied=True)
        codes = apply_employees(
            plan, actor=actor, progress=phase("write"), join_open_periods=join_open_periods
        )
    finally:
        plan.close()
    joined = plan.options.get("joined", {})
    if not len(codes):
        codes.close()
        return Imported(counts, [], applied=True, joined=joined)
    return Imported(counts, [], applied=True, codes=codes, joined=joined)


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
