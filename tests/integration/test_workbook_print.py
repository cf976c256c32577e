"""The demo's whole-organisation workbook printed by LibreOffice (issue 18): the pages HR puts
in front of the Wali Kota. LibreOffice Calc converts the id and en workbooks to PDF, poppler
counts and reads the pages. Ringkasan Pimpinan is exactly one page; every sheet's footer says
"Halaman N dari M"; names with hidden characters print plainly, and `_x003D_` stays literal.

Skipped where LibreOffice is missing (.ci/run installs Debian's libreoffice-calc and
poppler-utils)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import excel
from surveyapp.models import Period
from surveyapp.services import demo, reports
from tests.unit.test_excel import make_report

SOFFICE = "/usr/bin/soffice"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(SOFFICE).exists() or shutil.which("pdfinfo") is None,
        reason="needs LibreOffice Calc (/usr/bin/soffice) and poppler-utils (pdfinfo): "
        "apt-get install libreoffice-calc poppler-utils, as .ci/run does",
    ),
]
# Pages of the demo's whole-organisation workbook as LibreOffice prints it: Ringkasan
# Pimpinan 1, Ringkasan 1, Nilai dasar 1, Perubahan 1, Peta Panas 2, Perilaku 2, Butir 2,
# Grafik 3 (one chart a page), Rencana Aksi 1, Peta Budaya 5 (4 in English), Metodologi 2
# (with the culture map's formulas); the English statements are shorter, so its Butir fits one
# page. The demo hides individuals, so there is no Pegawai.
DEMO_PAGES = {"id": 21, "en": 19}


def _pdf(xlsx: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"
    subprocess.run(  # noqa: S603 - a fixed program and our own file
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "LANG": "id_ID.UTF-8"},
    )
    pdf = tmp_path / (xlsx.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0
    return pdf


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.fixture
def demo_period(session):
    demo.seed(employees=200, seed_value=2026)
    session.flush()
    return session.scalar(sa.select(Period).where(Period.state == "closed"))


@pytest.mark.parametrize(
    ("locale", "first", "page_word"),
    [("id", "Ringkasan Pimpinan", "Halaman"), ("en", "Leadership summary", "Page")],
)
def test_demo_workbook_prints_the_leadership_summary_on_one_page(
    demo_period, tmp_path, locale, first, page_word
):
    scope = reports.scope_by_code(demo_period, None)
    data = reports.workbook_report(demo_period, scope, actor=None, locale=locale)
    xlsx = tmp_path / f"laporan-{locale}.xlsx"
    excel.write_report(data, str(xlsx))
    pages = _pages(_pdf(xlsx, tmp_path))
    # Each page's footer names its sheet: the summary's is on page 1 and on no other page.
    footers = [f"{first} – {demo_period.name}" in page for page in pages]
    assert footers[0] and footers.count(True) == 1, footers
    assert len(pages) == DEMO_PAGES[locale], len(pages)
    total = len(pages)
    for number, page in enumerate(pages, 1):
        of = "dari" if locale == "id" else "of"
        assert f"{page_word} {number} {of} {total}" in page, number
    summary = pages[0]
    assert demo_period.name in summary and "Pemerintah Kota Sukamaju" in summary
    if locale == "id":
        assert "Partisipasi" in summary and "Indeks keseluruhan" in summary
        assert "Unit di atas organisasi" in summary and "Unit di bawah organisasi" in summary
    else:
        assert "Units above the organisation" in summary


def test_hostile_names_print_plainly(app_ctx, tmp_path):
    """Tabs, line breaks, DEL, NEL, a right-to-left override and zero-width spaces do not
    reach the page; a name written like Excel's escape of "=" prints as typed."""
    report = make_report()
    hostile = "Budi\tSan\ntoso\x7f\x85 \u202eikswoP\u202c\u200b _x003D_1+1"
    report.units = [
        excel.UnitLine(
            "HOST", hostile, 0, 5, 5, 1.0, {}, None, None, withheld=True, withheld_reason="small"
        )
    ]
    report.people = iter(())
    xlsx = tmp_path / "hostile.xlsx"
    excel.write_report(report, str(xlsx))
    text = " ".join("\n".join(_pages(_pdf(xlsx, tmp_path))).split())
    assert "Budi San toso ikswoP _x003D_1+1 HOST" in text
    assert "\u202e" not in text and "\u200b" not in text


def test_workbook_written_to_a_stream_converts_too(app_ctx, tmp_path):
    """The web download writes to a stream: the same bytes print the same."""
    buffer = io.BytesIO()
    excel.write_report(make_report(locale="en"), buffer)
    xlsx = tmp_path / "stream.xlsx"
    xlsx.write_bytes(buffer.getvalue())
    pages = _pages(_pdf(xlsx, tmp_path))
    assert "Leadership summary – Semester 1 2026" in pages[0]
