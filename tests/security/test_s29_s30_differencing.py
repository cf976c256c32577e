"""S29 and S30: an HR officer who compares what they may see, over time or across scopes,
learns nothing about a group smaller than the minimum group size.

The attacks are the ones an outside review carried out against the first release:
- S29: reload a unit's page (or its workbook) before and after one named person submits; the
  item counts moved by exactly that person's answers.
- S30: export the whole organisation and then one unit; the unit hidden in the first to
  protect four people placed directly in its parent was shown in the second, so the parent
  minus its shown children minus that export gave those four people's means.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from openpyxl import load_workbook

from surveyapp import excel
from surveyapp.services import periods, reports, results
from tests.factories import download_export

MIN = 5


def _workbook(client, period, unit=None):
    response = download_export(client, f"/hr/periods/{period.id}/report.xlsx", unit)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _cells(book) -> dict[str, list[tuple]]:
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


@pytest.fixture
def bidang(build, org, session):
    """Bidang A1 of Dinas A: nine people have submitted, Siti and Budi have not started."""
    nine = [build.employee(org.bidang_a1) for _ in range(9)]
    period = build.period([org.root])
    version = period.version
    rng = random.Random(29)
    for person in nine:
        build.response(period, person, {i.code: rng.randint(1, 5) for i in version.items})
    session.flush()
    return period


def test_s29_unit_page_before_and_after_one_submit_shows_no_answer_of_anyone(
    bidang, build, org, hr_client, session
):
    url = f"/hr/periods/{bidang.id}/units/{org.bidang_a1.id}"
    before = hr_client.get(url).get_data(as_text=True)
    build.response(bidang, org.employee, 5)  # Siti, named on the non-respondent list, submits
    session.flush()
    after = hr_client.get(url).get_data(as_text=True)
    for page in (before, after):
        assert "Hasil unit tersedia setelah periode ditutup pada" in page
        assert "Statistik butir" not in page and "Cronbach" not in page
        assert 'class="chart' not in page
    # Only the participation figures moved: 9 -> 10 submitted, 1 -> 0 not started.
    numbers = [re.findall(r"<strong>([^<]*)</strong>", page) for page in (before, after)]
    assert numbers[0] != numbers[1]
    assert (numbers[0][1], numbers[1][1]) == ("9", "10")
    # Once the period is closed the numbers appear, and they no longer move.
    periods.close_period(bidang)
    session.flush()
    closed = hr_client.get(url).get_data(as_text=True)
    assert "Statistik butir" in closed and "Hasil unit tersedia" not in closed


def test_s29_workbook_of_an_open_period_is_a_participation_workbook(
    bidang, build, org, hr_client, session
):
    before = _workbook(hr_client, bidang)
    build.response(bidang, org.employee, 5)
    session.flush()
    after = _workbook(hr_client, bidang)
    for book in (before, after):
        assert book.sheetnames == ["Ringkasan"]  # individuals hidden: no list of names either
        rows = _cells(book)["Ringkasan"]
        assert rows[0][0] == "Laporan partisipasi (belum memuat hasil)"
        assert any(
            "Hasil unit tersedia setelah periode ditutup" in str(c) for r in rows[:5] for c in r
        )
        header = rows[excel.HEADER_ROW - 1]
        assert header == (
            "Unit kerja",
            "Kode unit",
            "Wajib mengisi",
            "Sudah mengirim",
            "Draf",
            "Belum mulai",
            "Partisipasi",
        )
    a1 = [r for r in _cells(after)["Ringkasan"] if r[1] == "A-1"][0]
    assert a1[2:6] == (11, 10, 0, 1)  # Siti, Budi and nine more; Budi has not started


def test_s29_employee_sees_the_unit_average_only_after_close(
    bidang, build, org, login, app, session
):
    build.response(bidang, org.employee, 5)
    client = login(org.employee, app.test_client())
    page = client.get(f"/survey/{bidang.code}/result").get_data(as_text=True)
    assert "Hasil unit tersedia setelah periode ditutup pada" in page
    assert "Rata-rata Bidang A1" not in page
    periods.close_period(bidang)
    session.flush()
    page = client.get(f"/survey/{bidang.code}/result").get_data(as_text=True)
    assert "Rata-rata Bidang A1 (10 orang)" in page


def test_s29_admins_may_follow_an_open_period(bidang, org, admin_client):
    page = admin_client.get(f"/hr/periods/{bidang.id}/units/{org.bidang_a1.id}")
    assert "Statistik butir" in page.get_data(as_text=True)


# --- S30 ------------------------------------------------------------------------------------
@pytest.fixture
def setda(build, session):
    """The review's organisation: Sekretariat Daerah has 4 people of its own, Bagian Organisasi
    6 and Bagian Umum 20; Dinas Kesehatan 12 beside it. All have submitted; period closed."""
    root = build.unit("PEMKOT", "Pemerintah Kota")
    setda = build.unit("SETDA", "Sekretariat Daerah", root)
    org_unit = build.unit("SETDA-ORG", "Bagian Organisasi", setda)
    umum = build.unit("SETDA-UMUM", "Bagian Umum", setda)
    dinkes = build.unit("DINKES", "Dinas Kesehatan", root)
    hr = build.employee(setda, hr_unit=setda, name="HR Setda")
    people = {
        setda: [hr] + [build.employee(setda) for _ in range(3)],
        org_unit: [build.employee(org_unit) for _ in range(6)],
        umum: [build.employee(umum) for _ in range(20)],
        dinkes: [build.employee(dinkes) for _ in range(12)],
    }
    period = build.period([root])
    rng = random.Random(30)
    for members in people.values():
        for person in members:
            build.response(
                period, person, {i.code: rng.randint(1, 5) for i in period.version.items}
            )
    periods.close_period(period)
    session.flush()
    return period, hr


def _export(period, code):
    report = reports.workbook_report(
        period, reports.scope_by_code(period, code), actor=None, locale="id"
    )
    out = io.BytesIO()
    excel.write_report(report, out)
    return _cells(load_workbook(out))


def _unit_rows(cells) -> dict[str, tuple]:
    return {row[1]: row[2:] for row in cells["Ringkasan"][excel.HEADER_ROW : -1]}


def test_s30_two_exports_of_different_scopes_cannot_be_subtracted(setda, app, login):
    period, hr = setda
    whole = _export(period, None)
    alone = _export(period, "SETDA-ORG")
    # The whole organisation hides Bagian Organisasi to protect SETDA's own 4 people...
    org_row = _unit_rows(whole)["SETDA-ORG"]
    assert org_row[5:12] == (None,) * 7
    assert "melindungi unit lain" in org_row[-1]
    # ...and so does its own export: the same cells, and no item counts either.
    assert _unit_rows(alone)["SETDA-ORG"] == org_row
    butir = alone["Butir"][excel.HEADER_ROW :]
    assert butir and all(row[8:] == () or row[8] is None for row in butir)
    # The HR officer of Sekretariat Daerah downloading Bagian Organisasi gets the same.
    client = login(hr, app.test_client())
    unit_id = [u.unit_id for u in results.unit_results(period) if u.code == "SETDA-ORG"][0]
    book = _workbook(client, period, unit_id)
    assert _unit_rows(_cells(book))["SETDA-ORG"] == org_row


def test_s30_a_units_published_cells_are_the_same_in_every_scope(setda):
    period, _hr = setda
    whole = _unit_rows(_export(period, None))
    for code in whole:
        scoped = _unit_rows(_export(period, code))
        for unit, row in scoped.items():
            assert row == whole[unit], (code, unit)
