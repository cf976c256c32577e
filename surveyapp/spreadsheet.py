"""The one place that makes person-supplied text safe for a workbook.

openpyxl stores any string that begins with "=" as a formula and raises on control
characters; Excel itself runs cells beginning with "+", "-", "@", tab or CR as formulas
when a user edits them (CSV/formula injection). Every text cell that comes from a person
(names, units, question text, imports echoed back) goes through `text_cell`.

Text is also made plain (issue 18): tabs and line breaks (NEL, U+2028 included) become a
space, other control characters and DEL go, and so do the invisible characters that reorder
or hide text (bidi overrides such as U+202E, zero-width spaces), which would show a name
reversed or garbled. validation.py strips the same `INVISIBLE` characters when names are
typed or imported. A literal `_x003D_` is escaped as `_x005F_x003D_`, since Excel reads
`_xHHHH_` in a file as the character HHHH.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
TRUNCATION_MARK = " [...]"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Bidi embeddings, overrides and isolates, the direction marks, and zero-width spaces and
# joiners that carry no letter (ZWJ and ZWNJ stay: emoji and some scripts need them).
INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_ESCAPE_LIKE = re.compile("(?=_x[0-9A-Fa-f]{4}_)")


def clean_text(value: Any) -> str:
    """Plain text an Excel cell holds as typed: see the module's docstring; cut with a marker
    at Excel's limit."""
    text = "" if value is None else str(value)
    if not (text.isascii() and text.isprintable() and "_x" not in text):
        text = _DROPPED.sub("", _LINE_BREAKS.sub(" ", text))
        if "_x" in text:
            text = _ESCAPE_LIKE.sub("_x005F", text)
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
