"""S32: spreadsheet resource bombs that pass the zip-bomb ratio check.

Each file is built here, part by part, with zipfile. What an attacker would notice is pinned:
the file is refused with a message (or read as the small file it is) within seconds, and the
memory the reader allocates stays small. The memory limit is tracemalloc's peak while the file
is opened and read: the reader holds one 64 KB chunk of XML, the rows parsed from it, one row
of values and the shared-string table, which in these files is at most a few MB; 16 MB leaves
room for that and for the interpreter, and is far below what the old reader needed
(openpyxl built every cell of a row, and the whole string table, as Python objects)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import pytest
import sqlalchemy as sa
from flask import has_request_context

from surveyapp import xlsx_reader
from surveyapp.models import Employee, Job
from surveyapp.services import imports, jobs
from surveyapp.xlsx_reader import SpreadsheetRejected

PEAK_LIMIT = 16 * 1024 * 1024
# CPU seconds of this process, not wall time: other work on a shared machine does not move it,
# and a reader that went quadratic on these files would take minutes. Each read takes well
# under a second.
SECONDS = 5

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = imports.EMPLOYEE_COLUMNS + ["Email", "Peran"]
ROW = ["198506122010011101", "Dewi Lestari", "DINAS-A", "Analis", "III/b", "PNS", "", ""]


def workbook(sheet: str, strings: list[str] | str | None = None, level: int = 6) -> bytes:
    """A workbook as Excel lays it out: content types, relationships, workbook, one sheet and,
    when given, a shared-strings part (a list of texts, or the part's XML as it is)."""
    if isinstance(strings, list):
        strings = (
            f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            + "</sst>"
        )
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if strings is not None
            else ""
        )
        + "</Types>"
    )
    package_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        '<sheet name="Pegawai" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            if strings is not None
            else ""
        )
        + "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def row(number: int, values: list[str]) -> str:
    cells = "".join(inline(f"{_letters(i + 1)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet(rows: str, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


def read(data: bytes, required=("NIP",)):
    """Open and read every row; returns (rows, error message, CPU seconds, peak bytes)."""
    source = io.BytesIO(data)
    tracemalloc.start()
    started = time.process_time()
    rows, message = None, None
    try:
        rows = list(xlsx_reader.open_sheet(source, list(required)).rows)
    except SpreadsheetRejected as exc:
        message = str(exc)
    finally:
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return rows, message, seconds, peak


def first_columns(rows):
    """The rows cut to the header's width (the old reader padded them to the dimension)."""
    return [(number, tuple(values[: len(HEADER)])) for number, values in rows]


def test_s32_huge_shared_strings_under_the_ratio_limit_is_refused_unread():
    """Case (a): a 2.8 MB file whose sharedStrings part unpacked to 290 MB. Here a 1.3 MB
    file with 68 MB of different texts: under the ratio limit, over the part's limit."""
    filler = "Kementerian Contoh, Bagian Umum dan Kepegawaian; " * 3
    texts = "".join([f"<si><t>Pegawai {i:07d} {filler}</t></si>" for i in range(400_000)])
    data = workbook(sheet(row(1, HEADER)), f'<sst xmlns="{MAIN}">{texts}</sst>', level=1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.getinfo("xl/sharedStrings.xml")
    assert part.file_size > 64 * 1024 * 1024
    assert part.file_size < xlsx_reader.MAX_RATIO * part.compress_size  # the ratio check passes
    assert len(data) < xlsx_reader.MAX_FILE_BYTES
    rows, message, seconds, peak = read(data)
    assert message == (
        "Bagian xl/sharedStrings.xml dalam berkas ini berukuran lebih dari 64 MB setelah "
        "dibuka, melebihi kebutuhan impor; berkas ditolak."
    )
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_more_shared_strings_than_the_limit_is_refused_while_reading(monkeypatch):
    """The count of different texts is bounded as well as the part's size; the limit is
    lowered here so that the test reads 50,001 strings rather than 2,000,001."""
    assert xlsx_reader.MAX_SHARED_STRINGS == 2_000_000
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 50_000)
    data = workbook(sheet(row(1, HEADER)), [f"t{i}" for i in range(50_001)])
    rows, message, seconds, peak = read(data)
    assert message == "Berkas ini memuat lebih dari 50.000 teks yang berbeda; berkas ditolak."
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_the_string_table_costs_its_text_not_an_object_a_string():
    """100,000 different texts (what a 35,000-row roster holds) stay packed."""
    texts = [f"{198506122010000000 + i}" for i in range(100_000)]
    data = workbook(
        sheet(row(1, HEADER) + '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>'),
        [
            *HEADER,
            *texts,
        ],
    )
    rows, message, seconds, peak = read(data)
    assert message is None
    assert [values[0] for _, values in rows] == ["198506122010099991"]
    text_bytes = sum(len(t) for t in texts)
    assert peak < 2 * text_bytes + 8 * len(texts) + 1024 * 1024  # 1.8 MB of text: about 3 MB
    assert seconds < SECONDS


def test_s32_a_declared_dimension_of_a1_xfd200000_is_ignored():
    """Case (b): a 5 KB file declaring 200,000 rows of 16,384 columns, with its last row at
    200,000, is read as the three rows it holds, at once; an empty one is refused as empty."""
    last = row(200_000, ["199001012015032002", "Budi Santoso", "A-1", "Analis", "III/a", "PNS"])
    data = workbook(sheet(row(1, HEADER) + row(2, ROW) + last, dimension="A1:XFD200000"))
    assert len(data) < 5_000
    rows, message, seconds, peak = read(data)
    assert message is None
    assert [number for number, _ in rows] == [2, 200_000]
    assert first_columns(rows)[0] == (2, tuple(v or None for v in ROW))
    assert seconds < SECONDS and peak < PEAK_LIMIT
    rows, message, seconds, peak = read(workbook(sheet("", dimension="A1:XFD200000")))
    assert message == "Lembar pertama kosong."
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_a_header_row_of_20000_columns_is_refused():
    """Case (c): a roster has under 30 columns; a header wider than 100 is refused."""
    # Cells without a reference follow the one before them: 20,000 columns, past Excel's XFD.
    extra = "".join(f'<c t="inlineStr"><is><t>Kolom {i}</t></is></c>' for i in range(20_000))
    rows, message, seconds, peak = read(
        workbook(sheet(row(1, HEADER)[:-6] + extra + "</row>" + row(2, ROW)))
    )
    assert message == (
        "Baris judul memiliki lebih dari 100 kolom, padahal impor hanya memerlukan jauh lebih "
        "sedikit. Hapus kolom yang berlebih lalu unggah kembali berkasnya."
    )
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_a_data_row_of_200000_cells_is_read_up_to_the_last_header_column():
    """Cells right of the header are not kept, however many there are in one row."""
    # From column Z on; cells without a reference follow the one before them.
    far = '<c r="Z2"><v>1</v></c>' + "".join(
        f"<c><v>{i * 7919 % 1009}</v></c>" for i in range(200_000)
    )
    data = workbook(sheet(row(1, HEADER) + row(2, ROW)[:-6] + far + "</row>"))
    rows, message, seconds, peak = read(data)
    assert message is None
    assert first_columns(rows) == [(2, tuple(v or None for v in ROW))]
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_many_rows_with_a_cell_far_right_are_read_quickly():
    """50,000 rows with one cell in column XFD, as the dimension declares: those cells are
    right of the header, so the rows are empty and skipped."""
    far = "".join(f'<row r="{n}"><c r="XFD{n}"><v>{n % 7}</v></c></row>' for n in range(3, 50_002))
    data = workbook(sheet(row(1, HEADER) + row(2, ROW) + far, dimension="A1:XFD50001"))
    rows, message, seconds, peak = read(data)
    assert message is None
    assert first_columns(rows) == [(2, tuple(v or None for v in ROW))]
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_a_cell_longer_than_excel_allows_is_refused():
    data = workbook(sheet(row(1, HEADER) + row(2, ["1" * 18, "N" * 40_000])))
    rows, message, seconds, peak = read(data)
    assert message == "Ada sel yang berisi lebih dari 32.767 karakter, melebihi batas Excel."
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_a_part_over_its_limit_is_refused_before_it_is_read(monkeypatch):
    """Each part's unpacked size is bounded (the sheet at 256 MB; lowered here to 1 MB)."""
    assert xlsx_reader.MAX_SHEET_BYTES == 256 * 1024 * 1024
    monkeypatch.setattr(xlsx_reader, "MAX_SHEET_BYTES", 1024 * 1024)
    rows_xml = "".join(row(n, ROW) for n in range(2, 8_000))
    rows, message, seconds, peak = read(workbook(sheet(row(1, HEADER) + rows_xml)))
    assert message is not None and "xl/worksheets/sheet1.xml" in message and "1 MB" in message
    assert seconds < SECONDS and peak < PEAK_LIMIT


def test_s32_reading_stops_at_the_deadline(monkeypatch):
    """The wall time of a read is bounded, rows included: checked before each chunk."""
    assert xlsx_reader.MAX_SECONDS == 120
    monkeypatch.setattr(xlsx_reader, "MAX_SECONDS", 1)
    rows_xml = "".join(row(n, ROW) for n in range(2, 20_000))
    opened = xlsx_reader.open_sheet(io.BytesIO(workbook(sheet(row(1, HEADER) + rows_xml))), [])
    read_rows = 0
    with pytest.raises(SpreadsheetRejected) as refused:
        for _ in opened.rows:
            read_rows += 1
            if read_rows == 1:
                time.sleep(1.1)  # a slow file: the next chunk comes after the deadline
    assert str(refused.value).startswith("Pembacaan berkas memakan waktu lebih dari 1 detik")
    assert read_rows < 19_998


class _Queue:
    """An engine that only takes the job: it runs when the test says, as a worker would."""

    name = "queue"

    def __init__(self) -> None:
        self.jobs: list[str] = []

    def dispatch(self, _app, job) -> None:
        self.jobs.append(job.id)


def test_s32_the_upload_request_never_reads_the_workbook(
    app, admin_client, org, session, monkeypatch
):
    """The request stores the file and starts the check; the check runs as a job. A bomb is
    refused on the job's page with its message, and nothing is written or left behind."""
    queue = _Queue()
    monkeypatch.setitem(app.extensions.setdefault("surveyapp_jobs", {}), "engine", queue)
    opened: list[bool] = []
    open_sheet = imports.open_sheet

    def watched(*args, **kwargs):
        opened.append(has_request_context())
        return open_sheet(*args, **kwargs)

    monkeypatch.setattr(imports, "open_sheet", watched)
    people = session.scalar(sa.select(sa.func.count(Employee.id)))
    extra = "".join(f'<c t="inlineStr"><is><t>Kolom {i}</t></is></c>' for i in range(20_000))
    bomb = workbook(sheet(row(1, HEADER)[:-6] + extra + "</row>" + row(2, ROW)))
    reply = admin_client.post(
        "/admin/imports",
        data={"kind": "employees", "file": (io.BytesIO(bomb), "roster.xlsx")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 303 and reply.headers["Location"].startswith("/jobs/")
    assert opened == [] and len(queue.jobs) == 1  # stored, not read
    waiting = admin_client.get(reply.headers["Location"])
    assert waiting.status_code == 200 and "Pemeriksaan data pegawai" in waiting.text

    jobs.run_job(app, queue.jobs[0])  # a worker, outside any request
    assert opened == [False]
    page = admin_client.get(reply.headers["Location"])
    assert page.status_code == 422
    assert "Baris judul memiliki lebih dari 100 kolom" in page.text
    assert "/commit" not in page.text
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == people
    token = session.get(Job, queue.jobs[0]).params["token"]
    assert not imports.upload_path(app, token).exists()  # the refused file is deleted
