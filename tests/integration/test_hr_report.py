"""The HR workbook from real answers, its download (S03, S20), the command and the unit results
page. Every number is checked against the pure scoring module, fed the raw answers directly."""

from __future__ import annotations

import io
import math
import random
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp import excel, scoring
from surveyapp.models import AuditLog, Job
from surveyapp.services import periods
from tests.factories import download_export

HOSTILE = '=HYPERLINK("http://x","y")'


def _rules(version) -> scoring.Rules:
    """The version's rules, built here from the model rather than by the code under test."""
    return scoring.Rules(
        scale_min=version.scale_min,
        scale_max=version.scale_max,
        items=tuple(scoring.ItemRule(i.code, i.core_value.code, i.reverse) for i in version.items),
        bands=tuple(scoring.Band(b["lower"], b["label_id"], b["label_en"]) for b in version.bands),
        weights=dict(version.weights or {}),
        min_group_size=version.min_group_size,
    )


def _item_scores(world, answers, index=False) -> dict[str, float]:
    """Each item's mean score (reverse-keyed answers mirrored), or its 0-100 index."""
    scores = {}
    for item in world.period.version.items:
        values = [scoring.item_score(a[item.code], item.reverse, 1, 5) for a in answers]
        mean = sum(values) / len(values)
        scores[item.code] = scoring.value_index(mean, 1, 5) if index else mean
    return scores


def _behaviour_indices(world, answers) -> dict[tuple[str, int], float]:
    """Per (value, behaviour): each person's mean item score over the behaviour's items,
    averaged over the people, on 0-100."""
    groups: dict[tuple[str, int], list] = {}
    for item in world.period.version.items:
        groups.setdefault((item.core_value.code, item.behaviour), []).append(item)
    result = {}
    for key, items in groups.items():
        means = [
            sum(scoring.item_score(a[i.code], i.reverse, 1, 5) for i in items) / len(items)
            for a in answers
        ]
        result[key] = scoring.value_index(sum(means) / len(means), 1, 5)
    return result


class World:
    """Dinas A: 7 people in Bidang A1, 2 more directly in Dinas A; Dinas B: 3 people."""

    def __init__(self, build, org, hide_individuals: bool, session):
        self.org = org
        rng = random.Random(6)
        self.a1_people = [org.employee, org.colleague] + [
            build.employee(org.bidang_a1) for _ in range(5)
        ]
        self.a1_people[2].name = HOSTILE
        self.a1_people[3].name = "Bell\x07 ok"
        self.dinas_a_people = [org.hr_a, build.employee(org.dinas_a)]
        self.b_people = [org.other, org.hr_b, build.employee(org.dinas_b)]
        session.flush()
        self.period = build.period([org.root], hide_individuals=hide_individuals, state="open")
        version = self.period.version
        version.items[0].text_id = "x" * 40_000  # the longest question anyone could paste
        session.flush()
        self.answers: dict[int, dict[str, int]] = {}
        submitters = self.a1_people[:6] + self.dinas_a_people + self.b_people[:2]
        for person in submitters:
            answers = {i.code: rng.randint(1, 5) for i in version.items}
            build.response(self.period, person, answers)
            self.answers[person.id] = answers
        build.response(self.period, self.a1_people[6], {version.items[0].code: 3}, submitted=False)
        self.rules = _rules(version)
        # Results are published once the period is closed (S29); tests of the open period
        # reopen nothing: they build their own.
        periods.close_period(self.period)
        session.flush()

    def group(self, people, eligible) -> scoring.GroupResult:
        results = [
            scoring.person_result(self.answers[p.id], self.rules)
            for p in people
            if p.id in self.answers
        ]
        return scoring.group_result(results, eligible, self.rules, self.period.hide_individuals)


@pytest.fixture
def world(build, org, session):
    return World(build, org, hide_individuals=False, session=session)


@pytest.fixture
def hidden_world(build, org, session):
    return World(build, org, hide_individuals=True, session=session)


def _download(client, world, unit=None):
    url = f"/hr/periods/{world.period.id}/report.xlsx"
    response = download_export(client, url, unit.id if unit is not None else None)
    assert response.status_code == 200, response.status_code
    return response, load_workbook(io.BytesIO(response.data))


H = excel.HEADER_ROW
SHEETS = [
    "Ringkasan Pimpinan",
    "Ringkasan",
    "Nilai dasar",
    "Perubahan",
    "Peta Panas",
    "Pegawai",
    "Perilaku",
    "Butir",
    "Grafik",
    "Rencana Aksi",
    "Metodologi",
]


def _rows(sheet):
    return list(sheet.iter_rows(min_row=H + 1, values_only=True))


def test_ringkasan_total_equals_the_scoring_module(hr_client, world):
    _, book = _download(hr_client, world)
    assert book.sheetnames == SHEETS
    rows = _rows(book["Ringkasan"])
    total = rows[-1]
    expected = world.group(world.a1_people + world.dinas_a_people, eligible=9)
    assert total[2:6] == (9, 8, 1, 0)
    assert total[6] == pytest.approx(8 / 9, abs=1e-12)
    for position, code in enumerate(scoring.VALUE_CODES):
        assert total[7 + position] == pytest.approx(expected.values[code].mean, abs=1e-9)
    assert total[14] == pytest.approx(expected.overall.mean, abs=1e-9)
    assert total[15] == expected.band.label_id
    by_code = {r[1]: r for r in rows[:-1]}
    assert list(by_code) == ["DINAS-A", "A-1"]  # tree order, nothing of Dinas B
    a1 = world.group(world.a1_people, eligible=7)
    assert by_code["A-1"][14] == pytest.approx(a1.overall.mean, abs=1e-9)
    assert by_code["A-1"][2:6] == (7, 6, 1, 0)  # Bidang A1: one draft


def test_pegawai_has_every_eligible_person_with_their_own_numbers(hr_client, world):
    _, book = _download(hr_client, world)
    sheet = book["Pegawai"]
    people = {row[0]: row for row in _rows(sheet)}
    assert set(people) == {p.nip for p in world.a1_people + world.dinas_a_people}
    for cell in sheet["A"][H:]:
        assert cell.data_type == "s" and len(cell.value) == 18
    hostile = world.a1_people[2]
    row = people[hostile.nip]
    assert row[1] == HOSTILE and sheet.cell(H + 1, 2).data_type == "s"
    assert people[world.a1_people[3].nip][1] == "Bell ok"
    mine = scoring.person_result(world.answers[hostile.id], world.rules)
    assert row[3] == "A-1" and row[6] == "Sudah mengirim"
    assert row[15] == pytest.approx(mine.overall, abs=1e-9)
    assert row[8] == pytest.approx(mine.value_indices["BP"], abs=1e-9)
    draft = people[world.a1_people[6].nip]
    assert draft[6] == "Draf" and draft[8] is None
    index_cell = sheet.cell(H + 1, 9)
    assert index_cell.data_type == "n" and index_cell.number_format == "0.00"


def test_butir_counts_add_up_to_n_and_match_the_answers(hr_client, world):
    _, book = _download(hr_client, world)
    rows = _rows(book["Butir"])
    scope_answers = [
        world.answers[p.id] for p in world.a1_people + world.dinas_a_people if p.id in world.answers
    ]
    assert len(rows) == len(world.period.version.items)
    reverse = {i.code: i.reverse for i in world.period.version.items}
    for row in rows:
        code, n, counts = row[0], row[4], row[8:13]
        assert sum(counts) == n == 8
        expected = scoring.item_stats([a[code] for a in scope_answers], 1, 5)
        assert row[5] == pytest.approx(expected.mean, abs=1e-9)
        scores = [scoring.item_score(a[code], reverse[code], 1, 5) for a in scope_answers]
        assert row[6] == pytest.approx(sum(scores) / len(scores), abs=1e-9)
        assert row[3] == ("Ya (skor dibalik)" if reverse[code] else "Tidak")
        assert list(counts) == [expected.counts[p] for p in range(1, 6)]
    assert len(rows[0][2]) == 32_767  # the 40,000-character statement, cut with a marker


def test_hidden_period_has_no_pegawai_and_leaks_no_small_group(
    build, org, login, app, hidden_world
):
    """Dinas B has 2 respondents: below 5, so an admin's workbook shows none of its numbers."""
    world = hidden_world
    client = login(org.admin, app.test_client())
    _, book = _download(client, world)
    assert "Pegawai" not in book.sheetnames
    ringkasan = {r[1]: r for r in _rows(book["Ringkasan"])}
    assert ringkasan["DINAS-B"][2:4] == (3, 2)  # participation is always shown
    assert all(v is None for v in ringkasan["DINAS-B"][7:16])
    secret = world.group(world.b_people, eligible=3)
    assert secret.withheld
    visible = scoring.group_result(
        [scoring.person_result(world.answers[p.id], world.rules) for p in world.b_people[:2]],
        3,
        world.rules,
        hide_individuals=False,
    )
    leaked = {round(a.mean, 6) for a in visible.values.values()} | {round(visible.overall.mean, 6)}
    # The organisation's own behaviour and item indices (shown: 10 people) may fall on the same
    # coarse grid as Dinas B's two people; they are the organisation's, computed here.
    everyone = list(world.answers.values())
    allowed = {round(v, 6) for v in _behaviour_indices(world, everyone).values()}
    allowed |= {round(v, 6) for v in _item_scores(world, everyone, index=True).values()}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float) and round(value, 6) not in allowed:
                    assert round(value, 6) not in leaked, f"{sheet.title} shows {value}"
    names = " ".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r
    )
    assert world.b_people[0].nip not in names and HOSTILE not in names


def test_s03_hr_cannot_download_or_view_another_dinas(hr_client, world, org, session):
    period = world.period.id
    for forged in (org.dinas_b.id, org.root.id, "DINAS-B", "1e3"):
        response = hr_client.post(f"/hr/periods/{period}/report.xlsx", data={"unit": forged})
        assert response.status_code == 404, forged
        assert b"PK" not in response.data[:2]
    assert session.scalar(sa.select(sa.func.count(Job.id))) == 0
    for unit in (org.dinas_b, org.root):
        response = hr_client.get(f"/hr/periods/{period}/units/{unit.id}")
        assert response.status_code == 404
        assert b"Made Wirawan" not in response.data and b"Dinas B" not in response.data
    by_query = hr_client.post(f"/hr/periods/{period}/report.xlsx?unit={org.dinas_b.id}")
    assert by_query.status_code == 303  # the query string is ignored: own scope, Dinas A
    assert hr_client.get(f"/hr/periods/{period}/report.xlsx").status_code == 405
    assert not session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "report_downloaded")
    ).all()


def test_s03_hr_scope_of_a_subunit_sees_nothing_above(build, org, login, app, world):
    hr_a1 = build.employee(org.bidang_a1, hr_unit=org.bidang_a1)
    client = login(hr_a1, app.test_client())
    _, book = _download(client, world)
    assert [r[1] for r in _rows(book["Ringkasan"])] == ["A-1", "A-1"]
    url = f"/hr/periods/{world.period.id}/report.xlsx"
    assert client.post(url, data={"unit": org.dinas_a.id}).status_code == 404


def test_s20_workbook_download_headers_and_audit(hr_client, world, org, session):
    response, _ = _download(hr_client, world)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    match = re.fullmatch(
        r"attachment; filename=laporan-berakhlak-([a-z0-9-]+)-dinas-a-(\d{8})\.xlsx", disposition
    )
    assert match and match.group(1) == world.period.code.lower()
    assert response.headers["Cache-Control"] == "no-store"
    entry = session.scalars(sa.select(AuditLog).where(AuditLog.action == "report_downloaded")).one()
    assert entry.actor_id == org.hr_a.id and entry.object_id == str(world.period.id)
    assert entry.after["unit"] == "DINAS-A" and entry.after["kind"] == "workbook"


def test_english_workbook_for_an_english_user(hr_client, world):
    hr_client.post("/locale", data={"lang": "en"})
    response, book = _download(hr_client, world)
    assert book.sheetnames[:2] == ["Leadership summary", "Summary"]
    assert "Pegawai" not in book.sheetnames and "Employees" in book.sheetnames
    assert [c.value for c in book["Summary"][H]][:3] == ["Unit", "Unit code", "Eligible"]
    assert "filename=berakhlak-report-" in response.headers["Content-Disposition"]


def test_export_report_command_writes_the_same_workbook(runner, world, tmp_path, session):
    target = tmp_path / "laporan.xlsx"
    result = runner.invoke(
        args=[
            "export-report",
            "--period",
            world.period.code,
            "--unit",
            "DINAS-A",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames == SHEETS
    expected = world.group(world.a1_people + world.dinas_a_people, eligible=9)
    assert _rows(book["Ringkasan"])[-1][14] == pytest.approx(expected.overall.mean, abs=1e-9)
    assert session.scalars(sa.select(AuditLog).where(AuditLog.action == "report_exported")).one()


def test_export_report_refuses_unknown_period_or_unit(runner, world, tmp_path):
    target = tmp_path / "x.xlsx"
    result = runner.invoke(args=["export-report", "--period", "NOPE", "--output", str(target)])
    assert result.exit_code != 0 and "NOPE" in result.output
    result = runner.invoke(
        args=[
            "export-report",
            "--period",
            world.period.code,
            "--unit",
            "NOPE",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code != 0 and not target.exists()


def test_unit_results_page_numbers_chart_and_subunits(hr_client, world, org):
    page = hr_client.get(f"/hr/periods/{world.period.id}/units/{org.dinas_a.id}").get_data(
        as_text=True
    )
    expected = world.group(world.a1_people + world.dinas_a_people, eligible=9)
    shown = f"{expected.overall.mean:.2f}".replace(".", ",")
    assert shown in page
    assert "<svg" in page and 'role="img"' in page
    assert "Bidang A1" in page  # the subunit, side by side
    assert "Dinas B" not in page


def test_unit_results_withheld_when_small_and_hidden(build, org, login, app, hidden_world):
    client = login(org.admin, app.test_client())
    page = client.get(f"/hr/periods/{hidden_world.period.id}/units/{org.dinas_b.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" not in text and "Hasil tidak ditampilkan" in text
    visible = scoring.group_result(
        [
            scoring.person_result(hidden_world.answers[p.id], hidden_world.rules)
            for p in hidden_world.b_people[:2]
        ],
        3,
        hidden_world.rules,
        hide_individuals=False,
    )
    assert f"{visible.overall.mean:.2f}".replace(".", ",") not in text
    assert not math.isnan(visible.overall.mean)


def test_small_hidden_scope_shows_counts_but_no_statistics(org, login, app, hidden_world):
    """HR of Dinas B (2 of 3 submitted, individuals hidden): who took part, nothing they said."""
    client = login(org.hr_b, app.test_client())
    _, book = _download(client, hidden_world)
    total = _rows(book["Ringkasan"])[-1]
    assert total[2:4] == (3, 2) and all(v is None for v in total[7:16])
    for row in _rows(book["Butir"]):
        assert row[4] == 2 and "kurang dari 5" in row[5]
        assert all(v is None for v in row[6:])
    assert len(book["Grafik"]._charts) == 0  # no value chart, and no unit below Dinas B
    alpha = [r[1] for r in _rows(book["Metodologi"]) if str(r[0]).startswith("  alpha")]
    assert alpha and set(alpha) == {"–"}


# Issue 18: the analysis sheets, each number recomputed from the raw answers ------------------
def _sheet_rows(sheet):
    return [r for r in sheet.iter_rows(min_row=H + 1, values_only=True) if any(r)]


def test_nilai_dasar_has_n_sd_and_people_per_band(hr_client, world):
    _, book = _download(hr_client, world)
    people = [p for p in world.a1_people + world.dinas_a_people if p.id in world.answers]
    results = [scoring.person_result(world.answers[p.id], world.rules) for p in people]
    expected = world.group(world.a1_people + world.dinas_a_people, eligible=9)
    bands = sorted(world.rules.bands, key=lambda b: -b.lower)
    header = [c.value for c in book["Nilai dasar"][H]]
    assert header[:7] == [
        "Nilai dasar",
        "Kode",
        "Indeks",
        "n",
        "SD",
        "Kategori",
        "Perubahan sejak periode sebelumnya",
    ]
    assert header[7:] == [f"Pegawai: {b.label_id}" for b in bands]
    rows = {r[1] or "overall": r for r in _sheet_rows(book["Nilai dasar"])}
    assert list(rows) == [*scoring.VALUE_CODES, "overall"]
    for code in scoring.VALUE_CODES:
        row, agg = rows[code], expected.values[code]
        assert row[2] == pytest.approx(agg.mean, abs=1e-9)
        assert row[3] == agg.n == 8
        assert row[4] == pytest.approx(agg.sd, abs=1e-9)
        per_band = [
            sum(1 for r in results if scoring.band_for(r.value_indices[code], bands) == b)
            for b in bands
        ]
        assert list(row[7:]) == per_band and sum(per_band) == 8
        assert row[6] is None  # no earlier closed period
    overall = rows["overall"]
    assert overall[2] == pytest.approx(expected.overall.mean, abs=1e-9)
    assert overall[4] == pytest.approx(expected.overall.sd, abs=1e-9)
    assert list(overall[7:]) == [sum(1 for r in results if r.band == b) for b in bands]


def test_perilaku_scores_the_21_behaviours_and_the_five_weakest_items(hr_client, world):
    _, book = _download(hr_client, world)
    answers = [
        world.answers[p.id] for p in world.a1_people + world.dinas_a_people if p.id in world.answers
    ]
    expected = _behaviour_indices(world, answers)
    rows = _sheet_rows(book["Perilaku"])
    behaviours = rows[:21]
    assert [(r[0], r[1]) for r in behaviours] == [
        (code, n) for code in scoring.VALUE_CODES for n in (1, 2, 3)
    ]
    for row in behaviours:
        assert row[4] == pytest.approx(expected[(row[0], row[1])], abs=1e-9), row[:2]
        assert row[2]  # the behaviour guide's text
    item_index = _item_scores(world, answers, index=True)
    weakest = sorted(item_index, key=lambda code: (item_index[code], code))[:5]
    table = rows[rows.index(next(r for r in rows if r[0] == "Kode butir")) + 1 :]
    assert [r[0] for r in table] == weakest
    for row in table:
        assert row[4] == pytest.approx(item_index[row[0]], abs=1e-9)


def test_ringkasan_pimpinan_is_one_page_of_the_scopes_numbers(hr_client, world):
    _, book = _download(hr_client, world)
    sheet = book["Ringkasan Pimpinan"]
    assert book.sheetnames[0] == "Ringkasan Pimpinan"
    assert sheet.page_setup.fitToHeight == 1 and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    expected = world.group(world.a1_people + world.dinas_a_people, eligible=9)
    cells = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert cells["Partisipasi"][1] == pytest.approx(8 / 9)
    assert cells["Indeks keseluruhan"][1] == pytest.approx(expected.overall.mean, abs=1e-9)
    means = {code: agg.mean for code, agg in expected.values.items()}
    names = {i.core_value.code: i.core_value.name_id for i in world.period.version.items}
    for label, best in (("Nilai dasar terkuat", max), ("Nilai dasar terlemah", min)):
        mark = best(means.values())
        tied = {names[c] for c, m in means.items() if abs(m - mark) < 1e-9}  # any of a tie
        assert cells[label][1] == pytest.approx(mark, abs=1e-9) and cells[label][2] in tied
    text = " ".join(str(v) for r in sheet.iter_rows(values_only=True) for v in r if v)
    assert "88,9% pegawai telah mengirim jawaban, mencapai target 80%." in text
    shown = f"{expected.overall.mean:.2f}".replace(".", ",")
    assert f"Indeks keseluruhan {shown}" in text
    assert "Belum ada periode sebelumnya" in text
    # Bidang A1, the only unit below Dinas A, is above or below the Dinas.
    a1 = world.group(world.a1_people, eligible=7)
    side = "di atas" if a1.overall.mean > expected.overall.mean else "di bawah"
    rows = list(sheet.iter_rows(values_only=True))
    heading = next(i for i, r in enumerate(rows) if r[5] == f"Unit {side} organisasi")
    assert rows[heading + 1][5] == "Bidang A1 (A-1)"
    assert rows[heading + 1][6] == pytest.approx(a1.overall.mean, abs=1e-9)


def test_perubahan_is_the_change_since_the_previous_closed_period(
    hr_client, world, build, org, session
):
    """A second period a semester later: each unit's change is its index now minus then."""
    first = world.period
    first.opens_at -= timedelta(days=180)
    first.closes_at -= timedelta(days=180)
    second = build.period([org.root], hide_individuals=False, state="open")
    rng = random.Random(8)
    later: dict[int, dict[str, int]] = {}
    for person in world.a1_people[:6] + world.dinas_a_people:
        later[person.id] = {i.code: rng.randint(1, 5) for i in second.version.items}
        build.response(second, person, later[person.id])
    periods.close_period(second)
    session.flush()
    response = download_export(hr_client, f"/hr/periods/{second.id}/report.xlsx", None)
    book = load_workbook(io.BytesIO(response.data))

    def group(answers, people, eligible):
        found = [
            scoring.person_result(answers[p.id], world.rules) for p in people if p.id in answers
        ]
        return scoring.group_result(found, eligible, world.rules, False)

    rows = {r[1]: r for r in _sheet_rows(book["Perubahan"]) if r[1]}
    for code, people, eligible in (
        ("DINAS-A", world.a1_people + world.dinas_a_people, 9),
        ("A-1", world.a1_people, 7),
    ):
        now, then = group(later, people, eligible), group(world.answers, people, eligible)
        for position, value in enumerate(scoring.VALUE_CODES):
            change = now.values[value].mean - then.values[value].mean
            assert rows[code][2 + position] == pytest.approx(change, abs=1e-9), (code, value)
        overall = now.overall.mean - then.overall.mean
        assert rows[code][9] == pytest.approx(overall, abs=1e-9)
    values = {r[1] or "overall": r for r in _sheet_rows(book["Nilai dasar"])}
    assert values["overall"][6] == pytest.approx(rows["DINAS-A"][9], abs=1e-12)
    assert [c.value for c in book["Nilai dasar"][H]][6] == f"Perubahan sejak {first.name}"
    assert len(book["Grafik"]._charts) == 4  # values, units, participation, two periods
