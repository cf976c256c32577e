"""The check of each row of a roster file, apart from what the import then does with the rows
(services/imports.py). Every error becomes a RowError (row, column letter, message) in the
plan; a row with an error is not planned. Units are checked across rows too (duplicates,
unknown parents, cycles), since a parent may come later in the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l

from .. import validation
from ..models import Employee
from ..nip import InvalidNip, nip_digits, normalise_nip
from ..xlsx_reader import MSG_REQUIRED, Columns, RowError, Sheet, cell_text

ROLE_WORDS = {"pegawai": "employee", "employee": "employee", "hr": "hr", "admin": "admin"}
Progress = Callable[[int, int | None], None]
UnitRow = tuple[int, str, str, str | None]  # row number, code, name, parent code
Known = tuple[int, bool, int, int]  # id, active, fingerprint, unit id (imports._existing_people)


class Tally(Protocol):
    """Where a check counts the rows it read and adds the errors it found (imports.Plan)."""

    rows: int
    errors: list[RowError]


def _check_cells(
    number: int,
    values: tuple,
    cols: Columns,
    errors: list[RowError],
    rules: dict[str, validation.Rule],
) -> dict[str, Any]:
    """Each column's cell through the field rule the web forms use (module validation); a
    refused cell becomes an error of its row and column and reads as None."""
    checked: dict[str, Any] = {}
    for column, rule in rules.items():
        try:
            checked[column] = rule(cell_text(cols.get(values, column)))
        except validation.Missing:
            errors.append(RowError(number, cols.letter(column), str(MSG_REQUIRED)))
            checked[column] = None
        except validation.Invalid as exc:
            errors.append(RowError(number, cols.letter(column), str(exc)))
            checked[column] = None
    return checked


# --- units -----------------------------------------------------------------------------------


def _parent_code(value: Any) -> str | None:
    """A parent's code follows the code rule; empty means a root."""
    return validation.unit_code(value) if value else None


UNIT_CELLS: dict[str, validation.Rule] = {
    "Kode Unit": validation.unit_code,
    "Nama Unit": validation.unit_name,
    "Kode Induk": _parent_code,
}


def check_units(
    sheet: Sheet, cols: Columns, plan: Tally, existing: dict[str, tuple[int, str, str | None]]
) -> list[UnitRow]:
    """Every row of a units file, checked against the file and the units that exist (code ->
    (id, name, parent code)); returns the rows to plan, in file order."""
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
    return wanted


def _in_cycle(code: str, parent_of: dict[str, str | None]) -> bool:
    seen = {code}
    current = parent_of.get(code)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


# --- employees -------------------------------------------------------------------------------

# The person's cells and the rules the admin's edit form applies to the same fields.
PERSON_CELLS: dict[str, validation.Rule] = {
    "Nama": validation.person_name,
    "Kode Unit": validation.unit_code,
    "Jabatan": validation.jabatan,
    "Golongan": validation.golongan,
    "Jenis": validation.jenis,
    "Email": validation.email,
    "No. HP": validation.phone,
}


def check_employees(
    sheet: Sheet,
    cols: Columns,
    plan: Tally,
    *,
    units: dict[str, tuple[int, bool]],
    existing: dict[int, Known],
    seen: dict[int, int],
    actor: Employee | None,
    has_roles: bool,
    progress: Progress | None,
) -> Iterator[tuple[int, dict[str, Any], Known | None]]:
    """Check each row of an employees file, against the units (code -> (id, active)) and the
    people that exist (int(NIP) -> Known); yield (row number, record, the known person or None)
    for each row without an error. `seen` is filled with int(NIP) -> row number of every
    valid NIP, for the caller's `deactivate_missing`."""
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
        elif cell_text(raw_nip) == "":
            error("NIP", MSG_REQUIRED)
        else:
            try:
                nip = normalise_nip(cell_text(raw_nip))
            except InvalidNip:
                digits = len(nip_digits(cell_text(raw_nip)))
                error("NIP", MSG_NIP_LENGTH, n=digits)
        if nip is not None:
            key = int(nip)
            if key in seen:
                error("NIP", MSG_DUPLICATE_NIP, row=seen[key])
            else:
                seen[key] = number
        cells = _check_cells(number, values, cols, plan.errors, PERSON_CELLS)
        if cells["Golongan"] and cells["Jenis"]:  # both read: does the golongan suit the jenis?
            try:
                validation.golongan_for(cells["Jenis"], cells["Golongan"])
            except validation.Invalid as exc:
                error("Golongan", str(exc))
        unit_code = cells["Kode Unit"]  # None: refused above
        if unit_code is not None and unit_code not in units:
            error("Kode Unit", MSG_UNKNOWN_UNIT, code=unit_code)
        elif unit_code is not None and not units[unit_code][1]:
            error("Kode Unit", MSG_INACTIVE_UNIT, code=unit_code)
        roles: set[str] = set()
        for word in filter(
            None, (w.strip().lower() for w in cell_text(cols.get(values, "Peran")).split(","))
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
            "phone": cells["No. HP"],
            "is_hr": "hr" in roles,
            "is_admin": "admin" in roles,
        }
        yield number, record, old


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
