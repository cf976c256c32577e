"""The one place that makes person-supplied text safe for a workbook.

openpyxl stores any string that begins with "=" as a formula and raises on control
characters; Excel itself runs cells beginning with "+", "-", "@", tab or CR as formulas
when a user edits them (CSV/formula injection). Every text cell that comes from a person
(names, units, question text, imports echoed back) goes through `text_cell`.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
TRUNCATION_MARK = " [...]"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: Any) -> str:
    """Text an Excel cell can hold: control characters removed, cut with a marker at the limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


def text_cell(sheet, value: Any, style: Any = None) -> WriteOnlyCell:
    """A cell that holds `value` as literal text, never a formula, in any sheet mode."""
    text = clean_text(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl guessed "f" for a leading "="
    if style is not None:
        cell.style = style
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel keeps it text even when the user edits the cell
    return cell
