"""A version's items to and from Excel, so that the working group can edit them there.

Columns: Kode, Nilai, Perilaku, Teks (id), Teks (en), Terbalik, Urutan. Importing replaces the
items of a draft, all or nothing; a frozen version is never touched."""

from __future__ import annotations

from typing import IO

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from ..extensions import db
from ..models import CoreValue, Employee, Item, QuestionnaireVersion
from ..parsing import ascii_int
from ..spreadsheet import text_cell
from ..xlsx_reader import MSG_REQUIRED, Columns, RowError, cell_text, open_sheet
from . import audit
from .questionnaires import QuestionnaireError, is_frozen, touch

COLUMNS = ["Kode", "Nilai", "Perilaku", "Teks (id)", "Teks (en)", "Terbalik", "Urutan"]
# A version has dozens of items and is read inside the request: a short bound on the read.
READ_SECONDS = 15
YES = {"ya", "y", "yes", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "0", "false", "salah", ""}


def export_version(version: QuestionnaireVersion, output) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Butir")
    sheet.append(COLUMNS)
    for item in version.items:
        sheet.append(
            [
                text_cell(sheet, item.code),
                item.core_value.code,
                item.behaviour,
                text_cell(sheet, item.text_id),
                text_cell(sheet, item.text_en or ""),
                "Ya" if item.reverse else "Tidak",
                item.position,
            ]
        )
    book.save(output)


def import_items(
    version: QuestionnaireVersion, source: str | IO[bytes], *, actor: Employee
) -> list[RowError]:
    """Replace a draft's items from the workbook; returns the errors (then nothing changed)."""
    if is_frozen(version):
        raise QuestionnaireError("frozen")
    sheet = open_sheet(source, COLUMNS[:4] + ["Terbalik"], seconds=READ_SECONDS)
    cols = Columns(sheet.headers)
    values = dict(db.session.execute(sa.select(CoreValue.code, CoreValue.id)).all())
    errors: list[RowError] = []
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        code = cell_text(cols.get(cells, "Kode"))
        value = cell_text(cols.get(cells, "Nilai")).upper()
        behaviour = cell_text(cols.get(cells, "Perilaku"))
        text_id = cell_text(cols.get(cells, "Teks (id)"))
        reverse = cell_text(cols.get(cells, "Terbalik")).lower()
        order = _order(cols.get(cells, "Urutan"))
        before = len(errors)
        if not code:
            errors.append(RowError(number, cols.letter("Kode"), str(MSG_REQUIRED)))
        elif len(code) > 20:
            errors.append(RowError(number, cols.letter("Kode"), str(MSG_TOO_LONG) % {"n": 20}))
        elif code in seen:
            errors.append(
                RowError(number, cols.letter("Kode"), str(MSG_DUPLICATE_CODE) % {"row": seen[code]})
            )
        if value not in values:
            errors.append(RowError(number, cols.letter("Nilai"), str(MSG_VALUE)))
        if behaviour not in ("1", "2", "3"):
            errors.append(RowError(number, cols.letter("Perilaku"), str(MSG_BEHAVIOUR)))
        if not text_id:
            errors.append(RowError(number, cols.letter("Teks (id)"), str(MSG_REQUIRED)))
        if reverse not in YES | NO:
            errors.append(RowError(number, cols.letter("Terbalik"), str(MSG_REVERSE)))
        if order is False:
            errors.append(RowError(number, cols.letter("Urutan"), str(MSG_ORDER)))
        if len(errors) > before:
            continue
        seen[code] = number
        rows.append(
            {
                "code": code,
                "core_value_id": values[value],
                "behaviour": int(behaviour),
                "text_id": text_id[:1000],
                "text_en": cell_text(cols.get(cells, "Teks (en)"))[:1000] or None,
                "reverse": reverse in YES,
                # Urutan when given (rows without one follow, in file order), else file order
                "position": (order if order is not None else _LAST, len(rows)),
            }
        )
    if errors or not rows:
        return errors or [RowError(2, "A", str(MSG_REQUIRED))]
    rows.sort(key=lambda row: row["position"])
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    version.items.clear()
    db.session.flush()
    version.items.extend(Item(**row) for row in rows)
    db.session.flush()
    touch(version)
    audit.record(
        "version_items_imported",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"items": len(rows)},
    )
    return []


_LAST = 10**9


def _order(value) -> int | None | bool:
    """The Urutan cell: a whole number, None when empty, False when it is anything else."""
    text = cell_text(value)
    if not text:
        return None
    order = ascii_int(text, 0, 999_999)  # "²" passes str.isdigit and then int() raises (S37)
    return False if order is None else order


MSG_ORDER = _l("Urutan must be a whole number.")
MSG_TOO_LONG = _l("At most %(n)d characters.")
MSG_DUPLICATE_CODE = _l("This item code already appears in row %(row)d.")
MSG_VALUE = _l("Nilai must be one of BP, AK, KO, HA, LO, AD, KL.")
MSG_BEHAVIOUR = _l("Perilaku must be 1, 2 or 3.")
MSG_REVERSE = _l("Terbalik must be Ya or Tidak.")
