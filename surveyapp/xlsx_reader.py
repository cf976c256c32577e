"""The one place that opens an uploaded workbook.

Checks come before any XML is parsed: file size, a real zip holding a workbook, the
uncompressed size and compression ratio of every member (zip bombs), and a bound on each part
the reader parses. Then the two parts an import needs, the shared strings and the first sheet,
are streamed through expat 64 KB at a time, with every bound checked while reading: no
DTD (so no entity tricks), the number of shared strings, the characters in a cell, the width
of the header row, the row count and the wall time (S17, S32).

Why not openpyxl here (it still writes every workbook): its read-only mode loads the whole
string table as Python objects, builds each row in memory before handing it on however many
cells it has, and pads rows to the dimension the file declares; none of that can be bounded
from outside. This reader ignores the declared dimension and keeps only the cells under the
header, so memory is the packed string table (its text plus 8 bytes a string) and the rows of
one 64 KB chunk, each at most as wide as the header. It returns values as openpyxl's
`values_only` does (text, int, float, bool), except that a number never becomes a date: no
import column holds dates.

Measured on a 200,000-row roster of eight columns (unique names, NIPs and e-mails), as Excel
saves it: sharedStrings 30 MB holding 566,498 strings, the sheet 69 MB; written with inline
strings (openpyxl's write-only mode) the sheet is 103 MB. The limits leave room for twice
that or more. Every refusal is a SpreadsheetRejected with a message for the person who
uploaded the file."""

from __future__ import annotations

import posixpath
import time
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150  # xlsx XML compresses well, but not a thousandfold
MAX_ROWS = 200_000
MAX_MEMBERS = 1_000  # a workbook has a few dozen parts
MAX_SHEET_BYTES = 256 * 1024 * 1024  # any part, the first sheet included (roster: 69-103 MB)
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # the string table (roster: 30 MB)
MAX_SHARED_STRINGS = 2_000_000  # different texts in the table (roster: 566,498)
MAX_INDEX_BYTES = 4 * 1024 * 1024  # workbook.xml and its relationships (a few KB)
MAX_COLUMNS = 100  # a roster has under 30; a wider header row is refused
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_SECONDS = 120  # checking a 200,000-row roster, rows included, takes 15-18 s
CHUNK = 64 * 1024
_END = object()

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"

MSG_NOT_XLSX = _l("This is not an Excel workbook (.xlsx).")
MSG_BOMB = _l("The workbook unpacks to far more than its size; it is refused.")
MSG_DAMAGED = _l("The workbook cannot be read; is it damaged?")
MSG_PART_TOO_BIG = _l(
    "Part %(part)s of the workbook unpacks to more than %(mb)d MB, more than an import "
    "needs; it is refused."
)
MSG_TOO_MANY_STRINGS = _l("The workbook holds more than %(n)s different texts; it is refused.")
MSG_TOO_WIDE = _l(
    "The header row has more than %(n)d columns; the import needs far fewer. Delete the "
    "extra columns and upload the file again."
)
MSG_CELL_TOO_LONG = _l("A cell holds more than %(n)s characters, more than Excel allows.")
MSG_TOO_SLOW = _l(
    "Reading the workbook took longer than %(s)d seconds, so it was stopped. Remove what "
    "the import does not need (other sheets, extra columns, formatting) and upload it again."
)
MSG_TOO_MANY_ROWS = _l("More than %(n)s rows; split the file.")


class SpreadsheetRejected(Exception):
    def __init__(self, message, **values):
        super().__init__(str(message) % values if values else str(message))
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return str(self.message) % self.values if self.values else str(self.message)


@dataclass(frozen=True)
class Sheet:
    headers: dict[str, int]  # lower-cased header -> column index (0-based)
    header_names: list[str]
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (row number as Excel shows it, values)


def _size(source: str | Path | IO[bytes]) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    here = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(here)
    return size


def _mb(limit: int) -> int:
    return limit // (1024 * 1024)


def check_container(source: str | Path | IO[bytes]) -> None:
    if _size(source) > MAX_FILE_BYTES:
        raise SpreadsheetRejected(_l("The file is larger than %(mb)d MB."), mb=_mb(MAX_FILE_BYTES))
    if not zipfile.is_zipfile(source):
        raise SpreadsheetRejected(MSG_NOT_XLSX)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetRejected(MSG_NOT_XLSX) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SpreadsheetRejected(MSG_BOMB)
        names = {info.filename for info in members}
        if WORKBOOK not in names:
            raise SpreadsheetRejected(MSG_NOT_XLSX)
        total = 0
        for info in members:
            total += info.file_size
            # Small parts are left alone: a few kilobytes cannot hurt, and tiny parts compress
            # oddly well. A size the header lies about is caught by zipfile when reading.
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise SpreadsheetRejected(MSG_BOMB)
            if info.file_size > MAX_SHEET_BYTES:
                raise SpreadsheetRejected(
                    MSG_PART_TOO_BIG, part=info.filename, mb=_mb(MAX_SHEET_BYTES)
                )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SpreadsheetRejected(MSG_BOMB)
    if not isinstance(source, str | Path):
        source.seek(0)


# --- streaming XML -----------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise SpreadsheetRejected(MSG_TOO_SLOW, s=self.seconds)


def _no_doctype(*_args) -> None:
    # No part of a workbook has a DTD; refusing it rules out every entity trick.
    raise SpreadsheetRejected(MSG_DAMAGED)


class _Local(dict):
    """Element names as expat reports them ("c", or "x:c" in a file that uses a prefix) to
    their local name; a dict, so that the lookup per element is cheap."""

    def __missing__(self, name: str) -> str:
        local = self[name] = name[name.rfind(":") + 1 :]
        return local


def _parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
):
    parser = expat.ParserCreate()
    parser.buffer_text = True  # text arrives in pieces of at most 8 KB
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(
    archive: zipfile.ZipFile, name: str, limit: int, parser, deadline: _Deadline
) -> Iterator[None]:
    """Feed part `name` to `parser` a chunk at a time, yielding after each chunk so that the
    caller hands on what the handlers collected. The part's size is bounded before reading
    (zipfile never unpacks more than the size the header declares)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise SpreadsheetRejected(MSG_DAMAGED) from None
    if info.file_size > limit:
        raise SpreadsheetRejected(MSG_PART_TOO_BIG, part=name, mb=_mb(limit))
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
                yield
                deadline.check()
            parser.Parse(b"", True)
        yield
    except SpreadsheetRejected:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SpreadsheetRejected(MSG_DAMAGED) from exc
    except (ValueError, IndexError, KeyError, OverflowError) as exc:  # a cell that lies
        raise SpreadsheetRejected(MSG_DAMAGED) from exc


def _read_all(archive, name, limit, parser, deadline) -> None:
    for _ in _feed(archive, name, limit, parser, deadline):
        pass


# --- where the first sheet and the strings are ----------------------------------------------


def _parts(archive: zipfile.ZipFile, deadline: _Deadline) -> tuple[str, str | None]:
    """(first worksheet, shared strings or None), found as Excel does: workbook.xml's sheets in
    order, resolved through the workbook's relationships."""
    local = _Local()
    sheet_ids: list[str] = []
    rels: dict[str, tuple[str, str]] = {}

    def workbook_start(name: str, attrs: dict[str, str]) -> None:
        if local[name] == "sheet":
            rid = next((v for k, v in attrs.items() if ":" in k and local[k] == "id"), None)
            if rid:
                sheet_ids.append(rid)

    def rels_start(name: str, attrs: dict[str, str]) -> None:
        if local[name] == "Relationship" and attrs.get("TargetMode") != "External":
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    _read_all(archive, WORKBOOK, MAX_INDEX_BYTES, _parser(workbook_start), deadline)
    _read_all(archive, WORKBOOK_RELS, MAX_INDEX_BYTES, _parser(rels_start), deadline)

    def resolve(target: str) -> str:
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        return posixpath.normpath(path)

    sheet = next(
        (
            resolve(rels[rid][1])
            for rid in sheet_ids
            if rid in rels and rels[rid][0].endswith("/worksheet")
        ),
        None,
    )
    if sheet is None:
        raise SpreadsheetRejected(MSG_DAMAGED)
    strings = next(
        (resolve(t) for kind, t in rels.values() if kind.endswith("/sharedStrings")), None
    )
    return sheet, strings


class _Strings:
    """The shared strings, packed: one buffer of UTF-8 and the end of each string, so memory
    is the part's text plus 8 bytes a string, not a Python object per string."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array("q")

    def add(self, text: str) -> None:
        if len(self.ends) >= MAX_SHARED_STRINGS:
            raise SpreadsheetRejected(MSG_TOO_MANY_STRINGS, n=format_number(MAX_SHARED_STRINGS))
        self.data += text.encode()
        self.ends.append(len(self.data))

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        start = self.ends[index - 1] if index else 0
        return self.data[start : self.ends[index]].decode()

    def __len__(self) -> int:
        return len(self.ends)


def _too_long() -> SpreadsheetRejected:
    return SpreadsheetRejected(MSG_CELL_TOO_LONG, n=format_number(MAX_CELL_CHARS))


class _StringsParser:
    """Expat handlers for the sharedStrings part: the text of each <si>, its phonetic hints
    (<rPh>) left out."""

    def __init__(self) -> None:
        self.strings = _Strings()
        self.local = _Local()
        self.pieces: list[str] = []
        self.length = 0
        self.collect = False  # inside <t>
        self.hints = 0  # inside <rPh>

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        tag = self.local[name]
        if tag == "t":
            self.collect = not self.hints
        elif tag == "si":
            self.pieces, self.length = [], 0
        elif tag == "rPh":
            self.hints += 1

    def end(self, name: str) -> None:
        tag = self.local[name]
        if tag == "t":
            self.collect = False
        elif tag == "si":
            self.strings.add("".join(self.pieces))
            self.pieces = []
        elif tag == "rPh":
            self.hints -= 1

    def chars(self, data: str) -> None:
        if self.collect:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise _too_long()
            self.pieces.append(data)


def _read_strings(archive: zipfile.ZipFile, name: str, deadline: _Deadline) -> _Strings:
    parser = _StringsParser()
    handlers = _parser(parser.start, parser.end, parser.chars)
    _read_all(archive, name, MAX_SHARED_STRINGS_BYTES, handlers, deadline)
    return parser.strings


# --- the sheet ---------------------------------------------------------------------------------


class _ColumnNumbers(dict):
    """Column letters to numbers: "A" -> 1, "AB" -> 28; KeyError for what Excel cannot have."""

    def __missing__(self, letters: str) -> int:
        number = 0
        for char in letters:
            if not "A" <= char <= "Z" or number > 16_384:
                raise KeyError(letters)
            number = number * 26 + ord(char) - 64
        if not 1 <= number <= 16_384:
            raise KeyError(letters)
        self[letters] = number
        return number


_DIGITS = "0123456789"


class _Shared(int):
    """A cell's index into the shared strings. Rows wait for the reader as indexes, not text:
    64 KB of XML can point at thousands of 32 KB strings, and only one row at a time needs
    them as text."""


def _number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


def _iso(text: str) -> datetime | str:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


class _SheetParser:
    """Expat handlers for a worksheet. Finished rows wait in `rows` as (number, {column:
    value}) until the reader hands them on. Only cells up to `width` are read: the header row
    up to MAX_COLUMNS (a filled cell beyond is refused), data rows as far as the header goes;
    the dimension the file declares is not used."""

    def __init__(self, strings: _Strings | None):
        self.strings = strings
        self.local = _Local()
        self.letters = _ColumnNumbers()
        self.rows: list[tuple[int, dict[int, Any]]] = []
        self.width = MAX_COLUMNS
        self.header_done = False
        self.in_data = False  # inside <sheetData>
        self.number = 0  # the current row
        self.cells: dict[int, Any] | None = None  # the current row's values, while in <row>
        self.column = 0
        self.keep = False  # the current cell is read
        self.kind = "n"
        self.collect = False  # inside <v>, or <t> of an inline string
        self.hints = 0  # inside <rPh>
        self.pieces: list[str] = []
        self.length = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self.local[name]
        if tag == "c":
            if self.cells is None:
                return
            ref = attrs.get("r")
            self.column = self.letters[ref.rstrip(_DIGITS)] if ref else self.column + 1
            self.keep = self.column <= self.width or not self.header_done
            if self.keep:
                self.kind = attrs.get("t", "n")
                self.pieces, self.length = [], 0
        elif tag == "v" or tag == "t":
            self.collect = self.keep and not self.hints
        elif tag == "row":
            if self.in_data:
                self._row(attrs.get("r"))
        elif tag == "rPh":
            self.hints += 1
        elif tag == "sheetData":
            self.in_data = True

    def end(self, name: str) -> None:
        tag = self.local[name]
        if tag == "c":
            if self.keep:
                self._cell()
                self.keep = False
        elif tag == "v" or tag == "t":
            self.collect = False
        elif tag == "row":
            if self.cells is not None:
                cells, self.cells = self.cells, None
                if not self.header_done:
                    self._header_done(cells)
                if cells:
                    self.rows.append((self.number, cells))
        elif tag == "rPh":
            self.hints -= 1
        elif tag == "sheetData":
            self.in_data = False

    def chars(self, data: str) -> None:
        if self.collect:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise _too_long()
            self.pieces.append(data)

    def _row(self, ref: str | None) -> None:
        number = int(ref) if ref else self.number + 1
        if number <= self.number:  # rows go down the sheet, each once
            raise ValueError(ref)
        if number > MAX_ROWS + 1:
            raise SpreadsheetRejected(MSG_TOO_MANY_ROWS, n=format_number(MAX_ROWS))
        if number > 1 and not self.header_done:
            self._header_done({})  # no row 1: an empty header
        self.number, self.cells, self.column = number, {}, 0

    def _cell(self) -> None:
        if not self.pieces:
            return
        text = "".join(self.pieces)
        kind = self.kind
        if kind == "s":
            if self.strings is None or not 0 <= int(text) < len(self.strings):
                raise ValueError(text)
            value: Any = _Shared(text)  # looked up when its row is handed on
        elif kind in ("inlineStr", "str", "e"):
            value = text
        elif kind == "b":
            value = bool(int(text))
        elif kind == "d":
            value = _iso(text)
        else:
            value = _number(text)
        if self.column > self.width:  # only the header row reads this far
            if type(value) is _Shared:
                value = self.strings[value]
            if str(value).strip():
                raise SpreadsheetRejected(MSG_TOO_WIDE, n=MAX_COLUMNS)
            return
        self.cells[self.column] = value

    def _header_done(self, cells: dict[int, Any]) -> None:
        filled = [
            col
            for col, value in cells.items()
            if str(self.strings[value] if type(value) is _Shared else value).strip()
        ]
        self.width = max(filled, default=0)
        self.header_done = True


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def open_sheet(
    source: str | Path | IO[bytes], required: list[str], *, seconds: float | None = None
) -> Sheet:
    """The first sheet: its header row (case-insensitive) and a generator of data rows, each a
    tuple as wide as the header. `seconds` bounds the whole read, rows included."""
    check_container(source)
    deadline = _Deadline(MAX_SECONDS if seconds is None else seconds)
    archive = zipfile.ZipFile(source)
    try:
        sheet_part, strings_part = _parts(archive, deadline)
        strings = _read_strings(archive, strings_part, deadline) if strings_part else None
        parser = _SheetParser(strings)
        handlers = _parser(parser.start, parser.end, parser.chars)
        feed = _feed(archive, sheet_part, MAX_SHEET_BYTES, handlers, deadline)
        for _ in feed:
            if parser.header_done:
                break
        if not parser.header_done:  # the sheet ended without a single row
            raise SpreadsheetRejected(_l("The first sheet is empty."))
    except BaseException:
        archive.close()
        raise
    width = parser.width

    def values(row: dict[int, Any]) -> tuple[Any, ...]:
        return tuple(
            strings[value] if type(value) is _Shared else value
            for value in (row.get(col) for col in range(1, width + 1))
        )

    header = values(parser.rows.pop(0)[1]) if parser.rows and parser.rows[0][0] == 1 else ()
    names = ["" if v is None else " ".join(str(v).split()) for v in header]
    headers: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name.lower() in headers:
            archive.close()
            raise SpreadsheetRejected(_l("The column %(column)s appears twice."), column=name)
        headers[name.lower()] = i
    missing = [name for name in required if name.lower() not in headers]
    if missing:
        archive.close()
        raise SpreadsheetRejected(_l("Missing columns: %(columns)s."), columns=", ".join(missing))

    def data() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            while True:
                pending, parser.rows = parser.rows, []
                for number, row in pending:
                    cells = values(row)
                    if not all(_blank(v) for v in cells):
                        yield number, cells
                if next(feed, _END) is _END:  # the deadline is checked before each chunk
                    return
        finally:
            feed.close()
            archive.close()

    return Sheet(headers, names, data())


# --- reading the rows: what the modules that check them share ---------------------------------
# (services/roster_rows.py for the roster, services/questionnaire_xlsx.py for a version's items)

MSG_REQUIRED = _l("This cell is required.")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column letter, as Excel shows it
    message: str

    def line(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: empty for an empty cell, 12 rather than 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class Columns:
    """A sheet's columns by header name (any case): the cell of a row, the column's letter."""

    def __init__(self, headers: dict[str, int]):
        self.headers = headers

    def has(self, name: str) -> bool:
        return name.lower() in self.headers

    def letter(self, name: str) -> str:
        return get_column_letter(self.headers[name.lower()] + 1)

    def get(self, values: tuple, name: str) -> Any:
        index = self.headers.get(name.lower())
        return values[index] if index is not None and index < len(values) else None
