"""The culture map on the result pages: HR's unit page after close (the numbers of the pure
module, hidden units hidden), and the employee's own map beside their unit's."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp import culture
from surveyapp.i18n import format_number
from surveyapp.models import Period
from surveyapp.services import culture_map, culture_results, periods
from tests.factories import download_export

CURRENT_BAD = ["L01", "L02", "L03", "L04", "BP-1", "AK-1", "KO-1", "HA-1", "LO-1", "AD-1"]
DESIRED = ["BP-1", "BP-2", "AK-1", "AK-2", "KO-1", "HA-1", "LO-1", "AD-1", "KL-1", "KL-2"]
SELF = ["BP-1", "BP-2", "BP-3", "AK-1", "AK-2", "AK-3", "KO-1", "KO-2", "HA-1", "HA-2"]


def choose(build, session, period, employee, mine=SELF, now=CURRENT_BAD, wish=DESIRED):
    ids = {b.code: b.id for b in culture_map.section(period.version).behaviours}
    chosen = {"self": mine, "current": now, "desired": wish}
    choices = {lens: [ids[c] for c in codes] for lens, codes in chosen.items()}
    return build.response(period, employee, 4, choices=choices)


@pytest.fixture
def six(build, org):
    """Bidang A1's six people: the employee, a colleague and four more."""
    return [org.employee, org.colleague] + [build.employee(org.bidang_a1) for _ in range(4)]


@pytest.fixture
def closed(build, session, org, six):
    """Bidang A1: six people submitted; nobody else (so nothing is withheld)."""
    period = build.period([org.root], version=build.culture_version())
    people = six
    for n, person in enumerate(people):
        # One person sees today's unit better: a different current list.
        now = CURRENT_BAD if n else DESIRED
        choose(build, session, period, person, now=now)
    periods.close_period(period)
    session.flush()
    return period


def test_hr_sees_the_unit_culture_map_as_the_pure_module_computes_it(
    closed, org, hr_client, session
):
    page = hr_client.get(f"/hr/periods/{closed.id}/units/{org.bidang_a1.id}")
    text = page.get_data(as_text=True)
    assert "Peta budaya" in text
    behaviours = culture_map.catalogue(closed.version)
    ids = {b.code: b.id for b in behaviours}
    people = [
        {
            "self": [ids[c] for c in SELF],
            "current": [ids[c] for c in (CURRENT_BAD if n else DESIRED)],
            "desired": [ids[c] for c in DESIRED],
        }
        for n in range(6)
    ]
    want = culture.unit_culture(culture.tally(people), 6, behaviours, 10)
    assert format_number(want.health) in text
    assert want.band.label_id in text
    assert format_number(want.positive_energy) in text
    assert "Saling menyalahkan" in text  # a limiting behaviour of today's culture
    assert "bukan Indeks BerAKHLAK nasional yang resmi" in text
    # Energi positif by hand: 5 people give 4 limiting of 10, 1 person none: 20 of 60 votes
    # limiting, 40 BerAKHLAK -> 40 / 60 * 100 = 200/3.
    assert want.positive_energy == 200 / 3


def test_a_withheld_unit_shows_no_culture_map_anywhere(build, session, org, hr_client, six):
    period = build.period([org.root], version=build.culture_version())
    for person in six[:4]:  # four of a minimum of five
        choose(build, session, period, person)
    periods.close_period(period)
    session.flush()
    for unit in (org.bidang_a1, org.dinas_a):
        text = hr_client.get(f"/hr/periods/{period.id}/units/{unit.id}").get_data(as_text=True)
        assert "disembunyikan" in text or "kurang dari" in text
        assert "Peta budaya" not in text and "Saling menyalahkan" not in text
        assert culture_results.group_culture(period, unit.path) is None
    assert culture_results.group_culture(period, None) is None


def test_an_open_period_shows_hr_no_culture_map(build, session, org, hr_client, six):
    period = build.period([org.root], version=build.culture_version())
    for person in six:
        choose(build, session, period, person)
    text = hr_client.get(f"/hr/periods/{period.id}/units/{org.bidang_a1.id}").get_data(as_text=True)
    assert "Saling menyalahkan" not in text and "Energi positif" not in text


def test_the_employee_sees_own_choices_and_after_close_the_units_map(closed, org, employee_client):
    text = employee_client.get(f"/survey/{closed.code}/result").get_data(as_text=True)
    assert "Peta budaya saya" in text
    assert "Budaya unit saya (6 orang)" in text
    # The employee's own "today" list was the desired one: Berorientasi Pelayanan's first
    # behaviour is in the unit's top list and marked as chosen too.
    assert "Anda juga memilihnya" in text
    assert "Memahami dan memenuhi kebutuhan masyarakat" in text


def test_before_close_the_employee_sees_only_own_choices(build, session, org, employee_client):
    period = build.period([org.root], version=build.culture_version())
    choose(build, session, period, org.employee)
    text = employee_client.get(f"/survey/{period.code}/result").get_data(as_text=True)
    assert "Peta budaya saya" in text
    assert "muncul di sini setelah periode ditutup" in text
    assert "Budaya unit saya" not in text


def test_change_since_the_previous_closed_period(build, session, org, hr_client, closed, six):
    later = build.period([org.root], version=build.culture_version())
    later.opens_at = closed.opens_at + timedelta(days=1)
    for person in six:  # everyone now sees the unit as they wish it: energy 100
        choose(build, session, later, person, now=DESIRED)
    periods.close_period(later)
    session.flush()
    before = culture_results.group_culture(closed, org.bidang_a1.path)
    after = culture_results.group_culture(later, org.bidang_a1.path)
    change = culture_results.changes(later, closed, org.dinas_a.path)[org.bidang_a1.code]
    assert after.positive_energy == 100.0
    assert change["positive_energy"] == after.positive_energy - before.positive_energy
    text = hr_client.get(f"/hr/periods/{later.id}/units/{org.bidang_a1.id}").get_data(as_text=True)
    assert "+33,33" in text
    assert session.scalar(sa.select(sa.func.count()).select_from(Period)) >= 2


def test_the_workbook_has_the_peta_budaya_sheet_with_the_published_numbers(
    closed, org, hr_client, session
):
    got = download_export(hr_client, f"/hr/periods/{closed.id}/report.xlsx", org.dinas_a.id)
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.data))
    assert book.sheetnames[-2:] == ["Peta Budaya", "Metodologi"]
    sheet = book["Peta Budaya"]
    # The formulas are written on Metodologi too, in the workbook's language.
    methodology = [r[1] for r in book["Metodologi"].iter_rows(values_only=True)]
    assert any(v and "Energi positif" in str(v) for v in methodology), methodology
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
    want = culture_results.group_culture(closed, org.bidang_a1.path)
    line = rows["A-1"]
    assert line[2] == 6 and line[3] == want.health and line[7] == want.positive_energy
    assert line[4] == want.band.label_id
    assert "Saling menyalahkan" in line[9]  # the top list of today's culture
