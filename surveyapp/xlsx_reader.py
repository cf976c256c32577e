"""The one place that opens an uploaded workbook.

Checks come before openpyxl sees the file: size, a real zip holding a workbook, the
uncompressed size and compression ratio of every member (zip bombs), then openpyxl in
read-only mode (defusedxml is installed, so it parses XML without entity expansion), with
the row count capped while reading. Every refusal is a SpreadsheetRejected with a message
for the person who uploaded the file."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150  # xlsx XML compresses well, but not a thousandfold
MAX_ROWS = 200_000
MAX_MEMBERS = 1_000  # a workbook has a few dozen parts


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


def check_container(source: str | Path | IO[bytes]) -> None:
    if _size(source) > MAX_FILE_BYTES:
        raise SpreadsheetRejected(
            _l("The file is larger than %(mb)d MB."), mb=MAX_FILE_BYTES // (1024 * 1024)
        )
    if not zipfile.is_zipfile(source):
        raise SpreadsheetRejected(_l("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetRejected(_l("This is not an Excel workbook (.xlsx).")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SpreadsheetRejected(
                _l("The workbook unpacks to far more than its size; it is refused.")
            )
        names = {info.filename for info in members}
        if "xl/workbook.xml" not in names:
            raise SpreadsheetRejected(_l("This is not an Excel workbook (.xlsx)."))
        total = 0
        for info in members:
            total += info.file_size
            # Small parts are left alone: a few kilobytes cannot hurt, and tiny parts compress
            # oddly well. A size the header lies about is caught by zipfile when reading.
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise SpreadsheetRejected(
                    _l("The workbook unpacks to far more than its size; it is refused.")
                )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SpreadsheetRejected(
                _l("The workbook unpacks to far more than its size; it is refused.")
            )
    if not isinstance(source, str | Path):
        source.seek(0)


def open_sheet(source: str | Path | IO[bytes], required: list[str]) -> Sheet:
    """The first sheet: its header row (case-insensitive) and a generator of data rows."""
    check_container(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRejected(_l("The workbook cannot be read; is it damaged?")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        book.close()
        raise SpreadsheetRejected(_l("The first sheet is empty."))
    names = ["" if h is None else " ".join(str(h).split()) for h in header]
    headers: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name.lower() in headers:
            book.close()
            raise SpreadsheetRejected(_l("The column %(column)s appears twice."), column=name)
        headers[name.lower()] = i
    missing = [name for name in required if name.lower() not in headers]
    if missing:
        book.close()
        raise SpreadsheetRejected(_l("Missing columns: %(columns)s."), columns=", ".join(missing))
    declared = sheet.max_row or 0
    if declared > MAX_ROWS + 1:
        book.close()
        raise SpreadsheetRejected(
            _l("More than %(n)s rows; split the file."), n=format_number(MAX_ROWS)
        )

    def data() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS + 1:
                    raise SpreadsheetRejected(
                        _l("More than %(n)s rows; split the file."), n=format_number(MAX_ROWS)
                    )
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield number, values
        except SpreadsheetRejected:
            raise
        except Exception as exc:  # a part that is damaged, or lies about its size
            raise SpreadsheetRejected(_l("The workbook cannot be read; is it damaged?")) from exc
        finally:
            book.close()

    return Sheet(headers, names, data())
