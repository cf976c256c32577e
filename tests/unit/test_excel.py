"""The workbook writer, fed hand-made results: layout, cell types, formats, hostile text (S18,
S19), the omitted Pegawai sheet, streaming and progress."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook

from surveyapp import excel
from surveyapp.excel import (
    STATUS_DRAFT,
    STATUS_NOT_STARTED,
    STATUS_SUBMITTED,
    BandLine,
    ItemLine,
    NonRespondentLine,
    PersonLine,
    Report,
    TrendPoint,
    UnitLine,
    ValueHeading,
)
from surveyapp.spreadsheet import MAX_CELL_CHARS, TRUNCATION_MARK

CODES = ("BP", "AK", "KO", "HA", "LO", "AD", "KL")
HOSTILE = '=HYPERLINK("http://x","y")'


def _indices(base: float) -> dict[str, float]:
    return {code: base + i for i, code in enumerate(CODES)}


def _unit(code, name, depth, eligible, submitted, base, withheld=False):
    return UnitLine(
        code=code,
        name=name,
        depth=depth,
        eligible=eligible,
        submitted=submitted,
        participation=submitted / eligible if eligible else None,
        indices={} if withheld else _indices(base),
        overall=None if withheld else base + 3,
        band=None if withheld else "Baik",
        withheld=withheld,
    )


def _people():
    yield PersonLine(
        nip="198506122010011001",
        name=HOSTILE,
        unit="+Bidang",
        jabatan="@jabatan",
        golongan="-III/a",
        status=STATUS_SUBMITTED,
        submitted_at=datetime(2026, 3, 2, 2, 30, tzinfo=UTC),
        indices=_indices(70.5),
        overall=73.5,
        band="Baik",
        flags=("straight_lining",),
        unit_code="BIDANG-PLUS",
    )
    yield PersonLine(
        nip="198506122010011002",
        name="Bell\x07 " + "x" * 40_000,
        unit="Bidang A1",
        jabatan="Analis",
        golongan="III/b",
        status=STATUS_DRAFT,
        submitted_at=None,
        indices={},
        overall=None,
        band=None,
    )
    yield PersonLine(
        nip="198506122010011003",
        name="Made 👩‍💼",
        unit="Bidang A1",
        jabatan="Analis",
        golongan="III/c",
        status=STATUS_NOT_STARTED,
        submitted_at=None,
        indices={},
        overall=None,
        band=None,
    )


def make_report(*, hide_individuals=False, locale="id", withheld_child=False, people=None):
    units = [
        _unit("DINAS-A", "Dinas A", 0, 10, 8, 70.0),
        _unit("A-1", HOSTILE, 1, 6, 3 if withheld_child else 5, 60.0, withheld=withheld_child),
    ]
    return Report(
        locale=locale,
        period_code="2026-S1",
        period_name="Semester 1 2026",
        opens_at=datetime(2026, 3, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 31, tzinfo=UTC),
        questionnaire="Penilaian Mandiri BerAKHLAK",
        version_number=1,
        scale_min=1,
        scale_max=5,
        scale_labels=["Tidak pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu"],
        bands=[
            BandLine(85, "Sangat Baik"),
            BandLine(70, "Baik"),
            BandLine(55, "Cukup"),
            BandLine(0, "Perlu Pengembangan"),
        ],
        weights={},
        min_group_size=5,
        min_alpha_respondents=30,
        hide_individuals=hide_individuals,
        scope_code="DINAS-A",
        scope_name="Dinas A",
        generated_at=datetime(2026, 4, 1, 3, 0, tzinfo=UTC),
        generated_by="Rina HR A",
        values=[ValueHeading(code, f"Nilai {code}") for code in CODES],
        units=units,
        total=_unit("DINAS-A", "Dinas A", 0, 10, 8, 70.0),
        items=[
            ItemLine(
                "BP-1",
                "BP",
                "-Saya melayani " + HOSTILE,
                False,
                8,
                3.5,
                0.9,
                {1: 0, 2: 1, 3: 3, 4: 3, 5: 1},
            ),
            ItemLine(
                "BP-2", "BP", "Saya menunda", True, 8, 2.0, 1.1, {1: 3, 2: 3, 3: 1, 4: 1, 5: 0}
            ),
        ],
        alpha={"BP": 0.812, "AK": None},
        trend=[
            TrendPoint("Semester 2 2025", _indices(65.0), 68.0),
            TrendPoint("Semester 1 2026", _indices(70.0), 73.0),
        ],
        people=None if hide_individuals else (people if people is not None else _people()),
        people_count=3,
        reverse_items=["BP-2"],
        top_units=units[1:],
    )


def _save(report, progress=None):
    buffer = io.BytesIO()
    excel.write_report(report, buffer, progress)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.fixture
def book(app_ctx):
    return _save(make_report())


H = excel.HEADER_ROW
SHEETS_ID = [
    "Ringkasan Pimpinan",
    "Ringkasan",
    "Nilai dasar",
    "Perubahan",
    "Pegawai",
    "Perilaku",
    "Butir",
    "Grafik",
    "Metodologi",
]


def _header(sheet):
    return [c.value for c in sheet[H]]


def test_sheets_in_order(book):
    assert book.sheetnames == SHEETS_ID


def test_ringkasan_headers_rows_and_formats(book):
    sheet = book["Ringkasan"]
    header = _header(sheet)
    assert header[:7] == [
        "Unit kerja",
        "Kode unit",
        "Wajib mengisi",
        "Sudah mengirim",
        "Draf",
        "Belum mulai",
        "Partisipasi",
    ]
    assert header[7] == "Nilai BP (BP)" and header[14] == "Indeks keseluruhan"
    assert header[15] == "Kategori"
    assert [sheet.cell(r, 2).value for r in (H + 1, H + 2, H + 3)] == ["DINAS-A", "A-1", "DINAS-A"]
    assert sheet.cell(H + 3, 1).value == "Total" and sheet.cell(H + 3, 1).font.bold
    index = sheet.cell(H + 1, 8)
    assert index.data_type == "n" and index.value == 70.0 and index.number_format == "0.00"
    share = sheet.cell(H + 1, 7)
    assert share.value == pytest.approx(0.8) and share.number_format == "0.0%"
    assert sheet.cell(H + 1, 3).number_format == "#,##0"
    assert [sheet.cell(H + 1, c).value for c in (5, 6)] == [0, 2]  # drafts, not started
    child = sheet.cell(H + 2, 1).alignment
    assert child.indent > 0 and child.horizontal == "left"  # the tree shows as indentation
    assert sheet.freeze_panes == f"C{H + 1}"
    assert sheet.auto_filter.ref == f"A{H}:Q{H + 2}"  # the total row stays out of sorting
    rules = sheet.conditional_formatting
    assert any(r.type == "colorScale" for cf in rules for r in cf.rules)
    assert sheet.column_dimensions["A"].width >= 24


def test_s18_person_text_is_literal_everywhere(book):
    assert book["Ringkasan"].cell(H + 2, 1).data_type == "s"
    assert book["Ringkasan"].cell(H + 2, 1).value == HOSTILE
    pegawai = book["Pegawai"]
    for column, text in ((2, HOSTILE), (3, "+Bidang"), (5, "@jabatan"), (6, "-III/a")):
        cell = pegawai.cell(H + 1, column)
        assert cell.data_type == "s" and cell.value == text
    item_text = book["Butir"].cell(H + 1, 3)
    assert item_text.data_type == "s" and item_text.value.startswith("-Saya")


def test_pegawai_nip_text_indices_numbers_and_local_time(book):
    sheet = book["Pegawai"]
    header = _header(sheet)
    assert header[:8] == [
        "NIP",
        "Nama",
        "Unit kerja",
        "Kode unit",
        "Jabatan",
        "Golongan",
        "Status",
        "Waktu kirim (WIB)",
    ]
    nip = sheet.cell(H + 1, 1)
    assert nip.data_type == "s" and nip.value == "198506122010011001"
    assert sheet.cell(H + 1, 4).value == "BIDANG-PLUS"
    assert sheet.cell(H + 1, 7).value == "Sudah mengirim"
    assert sheet.cell(H + 2, 7).value == "Draf" and sheet.cell(H + 3, 7).value == "Belum mulai"
    when = sheet.cell(H + 1, 8)
    assert when.value == datetime(2026, 3, 2, 9, 30)  # 02:30 UTC is 09:30 WIB
    assert when.number_format == "[$-421]d mmmm yyyy hh.mm"  # 2 Maret 2026 09.30
    first = sheet.cell(H + 1, 9)
    assert first.data_type == "n" and first.value == 70.5 and first.number_format == "0.00"
    assert sheet.cell(H + 1, 16).value == 73.5 and sheet.cell(H + 1, 16).number_format == "0.00"
    assert sheet.cell(H + 1, 17).value == "Baik"
    assert sheet.cell(H + 1, 18).value == "Jawaban sama di semua butir"
    assert sheet.cell(H + 2, 9).value is None  # a draft has no result
    assert sheet.max_row == H + 3
    assert sheet.freeze_panes == f"C{H + 1}" and sheet.auto_filter.ref == f"A{H}:R{H + 3}"


def test_s19_control_characters_emoji_and_long_text_give_a_valid_file(book):
    sheet = book["Pegawai"]
    long_name = sheet.cell(H + 2, 2).value
    assert "\x07" not in long_name
    assert len(long_name) == MAX_CELL_CHARS and long_name.endswith(TRUNCATION_MARK)
    assert sheet.cell(H + 3, 2).value == "Made 👩‍💼"


def test_butir_counts_add_up_to_n(book):
    sheet = book["Butir"]
    header = _header(sheet)
    assert header[:8] == [
        "Kode butir",
        "Nilai dasar",
        "Pernyataan",
        "Terbalik",
        "n",
        "Rata-rata jawaban",
        "Rata-rata skor",
        "SD",
    ]
    assert header[8] == "1 (Tidak pernah)" and header[12] == "5 (Selalu)"
    for row in sheet.iter_rows(min_row=H + 1, values_only=True):
        assert sum(row[8:13]) == row[4]
    assert sheet.cell(H + 2, 4).value == "Ya (skor dibalik)"
    assert sheet.cell(H + 1, 6).number_format == "0.00"


def test_grafik_has_native_charts_with_their_data(book):
    sheet = book["Grafik"]
    assert len(sheet._charts) == 4  # values, units' index, participation by unit, trend
    first = excel.TITLE_ROWS + 2
    assert sheet.cell(first, 1).value == "Nilai BP" and sheet.cell(first, 2).value == 70.0


def test_metodologi_names_rules_scope_and_alpha(book):
    rows = {r[0]: r[1] for r in book["Metodologi"].iter_rows(min_row=H + 1, values_only=True)}
    assert rows["Ukuran kelompok minimum"] == 5
    assert rows["Butir terbalik"] == "BP-2"
    assert "Sangat Baik" in rows["Kategori"]
    assert rows["  alpha BP – Nilai BP"] == pytest.approx(0.812)
    assert rows["  alpha AK – Nilai AK"] == "–"
    assert rows["Dibuat oleh"] == "Rina HR A"
    assert rows["Dibuat pada"] == "1 April 2026, 10.00 WIB"
    assert "Dinas A" in rows["Cakupan"]


def test_english_headers_when_locale_is_en(app_ctx):
    book = _save(make_report(locale="en"))
    assert book.sheetnames == [
        "Leadership summary",
        "Summary",
        "Core values",
        "Change",
        "Employees",
        "Behaviours",
        "Items",
        "Charts",
        "Methodology",
    ]
    assert _header(book["Summary"])[:3] == ["Unit", "Unit code", "Eligible"]
    assert _header(book["Employees"])[7] == "Submitted at (WIB)"
    assert book["Employees"].cell(H + 3, 7).value == "Not started"
    assert book["Employees"].cell(H + 1, 8).number_format == "[$-809]d mmmm yyyy hh:mm"
    assert book["Items"].cell(H + 2, 4).value == "Yes (score mirrored)"
    rows = {r[0]: r[1] for r in book["Methodology"].iter_rows(min_row=H + 1, values_only=True)}
    assert rows["Generated at"] == "1 April 2026, 10:00 WIB"


def test_hidden_individuals_no_pegawai_and_withheld_unit_shows_no_numbers(app_ctx):
    book = _save(make_report(hide_individuals=True, withheld_child=True))
    assert "Pegawai" not in book.sheetnames
    small = [c.value for c in book["Ringkasan"][H + 2]]
    assert small[:7] == ['=HYPERLINK("http://x","y")', "A-1", 6, 3, 0, 3, 0.5]
    assert small[7:16] == [None] * 9  # seven indices, overall, band
    assert "kurang dari 5" in small[16]


def test_progress_reaches_total_and_never_goes_back(app_ctx):
    calls = []
    many = (
        PersonLine(
            f"1985061220100110{i:02d}",
            f"P{i}",
            "U",
            "J",
            "G",
            STATUS_NOT_STARTED,
            None,
            {},
            None,
            None,
        )
        for i in range(5)
    )
    report = make_report(people=many)
    report.people_count = 5
    _save(report, lambda done, total: calls.append((done, total)))
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert calls[-1][0] == calls[-1][1] == 2 + 1 + 5 + 2


def test_people_are_streamed_not_collected(app_ctx, monkeypatch):
    """The writer consumes the generator row by row: at most one person is alive at a time."""
    monkeypatch.setattr(excel, "PROGRESS_EVERY", 1)
    seen = []

    def people():
        for i in range(50):
            seen.append(i)
            yield PersonLine(
                f"1985061220100111{i:02d}",
                "N",
                "U",
                "J",
                "G",
                STATUS_NOT_STARTED,
                None,
                {},
                None,
                None,
            )

    pulled_at_progress = []
    report = make_report(people=people())
    report.people_count = 50
    _save(report, lambda done, total: pulled_at_progress.append(len(seen)))
    # after the two Ringkasan reports, the report after n people rows has pulled n people
    assert pulled_at_progress[2:52] == list(range(1, 51))


def test_cell_sheet_writes_the_same_cells_as_openpyxl(app_ctx):
    """_CellSheet replaces a private openpyxl step; this pins it to openpyxl's own result."""
    values = ["teks", 1.5, 7, datetime(2026, 1, 2, 3, 4), None, "lagi"]

    def saved(make_sheet):
        workbook = Workbook(write_only=True)
        sheet = make_sheet(workbook)
        sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        return [(c.value, c.data_type, c.number_format) for c in load_workbook(buffer)["S"][1]]

    ours = saved(lambda wb: excel.new_sheet(wb, "S"))
    theirs = saved(lambda wb: wb.create_sheet("S"))
    assert ours == theirs


def test_non_respondent_list(app_ctx):
    buffer = io.BytesIO()
    count = excel.write_non_respondents(
        [
            NonRespondentLine(
                "198506122010011001", HOSTILE, "Bidang A1", "Analis", STATUS_DRAFT, "A1"
            ),
            NonRespondentLine(
                "198506122010011002", "Budi", "Bidang A1", "Analis", STATUS_NOT_STARTED
            ),
        ],
        buffer,
        locale="id",
        period_name="Semester 1",
    )
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    assert count == 2
    assert [c.value for c in sheet[2]] == [
        "NIP",
        "Nama",
        "Unit kerja",
        "Jabatan",
        "Status",
        "Kode unit",
    ]
    assert sheet.cell(3, 2).value == HOSTILE and sheet.cell(3, 2).data_type == "s"
    assert sheet.cell(3, 1).data_type == "s"
    assert [sheet.cell(r, 5).value for r in (3, 4)] == ["Draf", "Belum mulai"]
    assert sheet.cell(3, 6).value == "A1"
    assert sheet.auto_filter.ref == "A2:F4"


def test_withheld_item_shows_n_and_a_note_but_no_counts(app_ctx):
    report = make_report()
    report.items = [ItemLine("BP-1", "BP", "Teks", False, 3, None, None, {}, withheld=True)]
    row = [c.value for c in _save(report)["Butir"][H + 1]]
    assert row[4] == 3 and "kurang dari 5" in row[5]
    assert all(v is None for v in row[6:])


# Issue 18: a workbook that prints ---------------------------------------------------------------
def test_every_sheet_prints_landscape_a4_one_page_wide_with_its_header_repeated(book):
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert setup.fitToWidth == 1, sheet.title
        expected_height = 1 if sheet.title == "Ringkasan Pimpinan" else 0  # 0: as many as needed
        assert setup.fitToHeight == expected_height, sheet.title
        assert sheet.oddFooter.center.text == "Halaman &P dari &N", sheet.title
    for title in ("Ringkasan", "Nilai dasar", "Pegawai", "Perilaku", "Butir", "Metodologi"):
        assert book[title].print_title_rows == f"${H}:${H}", title
        assert book[title].freeze_panes.endswith(str(H + 1)), title


def test_every_sheet_opens_with_the_title_block(book):
    for sheet in book.worksheets:
        block = [[c.value for c in row] for row in sheet.iter_rows(max_row=4)]
        assert block[0][0] == "Laporan Penilaian Mandiri BerAKHLAK", sheet.title
        assert block[1][:2] == ["Periode", "Semester 1 2026 (2026-S1)"]
        assert block[2][:2] == ["Cakupan", "Dinas A (DINAS-A)"]
        # 03:00 UTC is 10.00 WIB; the month written out in Indonesian
        assert block[3][:2] == ["Dibuat", "1 April 2026, 10.00 WIB oleh Rina HR A"]


def test_english_workbook_has_english_title_block_and_footer(app_ctx):
    book = _save(make_report(locale="en"))
    sheet = book["Leadership summary"]
    assert sheet.cell(1, 1).value == "BerAKHLAK self-assessment report"
    assert sheet.cell(4, 2).value == "1 April 2026, 10:00 WIB by Rina HR A"
    assert sheet.oddFooter.center.text == "Page &P of &N"


def test_wrapped_rows_have_heights(app_ctx):
    report = make_report()
    long = "Saya " + "selalu menjaga integritas dalam setiap tugas " * 6
    report.items = [
        ItemLine("BP-1", "BP", long, False, 8, 3.5, 0.9, {1: 0, 2: 1, 3: 3, 4: 3, 5: 1}),
        ItemLine("BP-2", "BP", "Pendek", False, 8, 3.5, 0.9, {1: 0, 2: 1, 3: 3, 4: 3, 5: 1}),
    ]
    book = _save(report)
    butir = book["Butir"]
    assert butir.row_dimensions[H + 1].height >= 4 * excel.LINE_HEIGHT  # about 280 characters
    assert butir.row_dimensions[H + 2].height is None  # one line: the default height
    assert butir.cell(H + 1, 3).alignment.wrap_text
    assert butir.cell(H + 1, 5).alignment.vertical == "top"  # n beside the first line
    # Two-line headers get room for two lines.
    assert book["Ringkasan"].row_dimensions[H].height >= 2 * excel.LINE_HEIGHT


def test_leadership_summary_in_numbers_and_three_sentences(app_ctx):
    report = make_report()
    report.value_stats = [
        excel.ValueStat(c, f"Nilai {c}", 70.0 + i, 10.0, 8, "Baik", None, {"Baik": 8})
        for i, c in enumerate(CODES)
    ] + [excel.ValueStat(excel.OVERALL, "Indeks keseluruhan", 73.0, 9.0, 8, "Baik", 1.25)]
    report.strongest, report.weakest = report.value_stats[6], report.value_stats[0]
    report.previous_period = "Semester 2 2025"
    report.participation_target = 0.9
    report.above = [report.units[1]]
    sheet = _save(report)["Ringkasan Pimpinan"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    by_label = {r[0]: r for r in rows if r and r[0]}
    assert by_label["Partisipasi"][1] == pytest.approx(0.8)
    assert by_label["Partisipasi"][2] == "8 dari 10" and by_label["Partisipasi"][5] == (
        "Target belum tercapai"
    )
    assert by_label["Indeks keseluruhan"][1:4] == [70.0 + 3, "Baik", 1.25]
    assert by_label["Nilai dasar terkuat"][1:3] == [76.0, "Nilai KL"]
    assert by_label["Nilai dasar terlemah"][1:3] == [70.0, "Nilai BP"]
    sentences = rows[rows.index(["Ringkasnya", *[None] * (len(rows[0]) - 1)]) + 1 :][:3]
    assert [s[0] for s in sentences] == [
        "80,0% pegawai telah mengirim jawaban, di bawah target 90%: masih kurang 1 jawaban.",
        "Indeks keseluruhan 73,00 (Baik). Naik 1,25 poin sejak Semester 2 2025.",
        "Nilai dasar terkuat adalah Nilai KL (76,00); yang paling perlu dikembangkan adalah "
        "Nilai BP (70,00).",
    ]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value in {s[0] for s in sentences}:
            assert f"A{row}:H{row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert any(r[5] == f"{HOSTILE} (A-1)" for r in rows)  # the unit above the Dinas


def test_withheld_scope_summary_says_so_and_shows_no_number(app_ctx):
    report = make_report(hide_individuals=True)
    report.total = _unit("DINAS-A", "Dinas A", 0, 10, 3, 0, withheld=True)
    report.units = [report.total]
    report.items = []
    book = _save(report)
    texts = [v for r in book["Ringkasan Pimpinan"].iter_rows(values_only=True) for v in r if v]
    assert not any(isinstance(v, float) and v > 1 for v in texts)  # only the participation rate
    assert any("tidak ditampilkan untuk melindungi" in str(v) for v in texts)


def test_charts_keep_their_axes_and_show_every_label(book):
    charts = book["Grafik"]._charts
    assert charts
    for chart in charts:
        for part in [chart, *chart._charts]:
            assert part.x_axis.delete is False and part.y_axis.delete is False
    units_chart = charts[1]  # the units' overall index, with the organisation as a line
    assert [type(c).__name__ for c in units_chart._charts] == ["BarChart", "LineChart"]
    assert units_chart.x_axis.tickLblSkip == 1


def test_participation_chart_is_sorted_and_leaves_the_total_out(app_ctx):
    report = make_report()
    names = ["Dinas C", "Dinas D", "Dinas E"]
    report.top_units = [
        _unit(f"D-{i}", name, 1, 10, submitted, 60.0)
        for i, (name, submitted) in enumerate(zip(names, (5, 9, 7), strict=True))
    ]
    sheet = _save(report)["Grafik"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] in {"D-0", "D-1", "D-2"}]
    participation = [r for r in rows if isinstance(r[2], float) and r[2] <= 1]
    assert [r[0] for r in participation] == ["Dinas D", "Dinas E", "Dinas C"]
    assert all(r[3] == pytest.approx(0.8) for r in participation)  # the Dinas: the line
    assert not any(r[0] in ("Total", "Dinas A") for r in participation)


def test_hostile_names_are_plain_text_in_every_sheet(app_ctx):
    hostile = "Budi\tSan\ntoso\x7f\x85 \u202eikswoP\u202c\u200b _x003D_1+1"
    people = [
        PersonLine(
            "198506122010011009",
            hostile,
            hostile,
            "J",
            "G",
            STATUS_NOT_STARTED,
            None,
            {},
            None,
            None,
        )
    ]
    report = make_report(people=iter(people))
    report.units = [_unit("HOST", hostile, 0, 10, 8, 70.0)]
    book = _save(report)
    # openpyxl reads the escape back as written; Excel and LibreOffice show "_x003D_1+1"
    plain = "Budi San toso  ikswoP _x005F_x003D_1+1"
    assert book["Ringkasan"].cell(H + 1, 1).value == plain
    assert book["Pegawai"].cell(H + 1, 2).value == plain
    assert book["Pegawai"].cell(H + 1, 3).value == plain
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not any(ch in value for ch in "\t\n\x7f\x85\u202e\u202c\u200b"), value


def test_sheet_list_is_one_ordered_structure(app_ctx):
    """Another module adds a sheet by inserting its writer; the names live in one table."""
    assert [key for key, _ in excel.RESULT_SHEETS] == [
        "leadership",
        "summary",
        "values",
        "changes",
        "heatmap",
        "people",
        "behaviours",
        "items",
        "charts",
        "plans",
        "culture",
        "methodology",
    ]
    assert all(key in excel.SHEET_NAMES for key, _ in excel.RESULT_SHEETS)
    assert excel.SHEET_NAMES["items"]("id") == "Butir"
    assert excel.SHEET_NAMES["items"]("en") == "Items"
