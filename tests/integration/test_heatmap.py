"""The heatmap (docs/design.md "Heatmap and action plans"): its cells are the closed period's
snapshot, equal to the pure scoring of the raw answers, and it withholds exactly what the
privacy rule withholds, with the reason."""

from __future__ import annotations

import re

import pytest

from surveyapp import scoring
from surveyapp.i18n import format_number
from surveyapp.services import heatmap, reports, results, snapshots
from tests.followup_builders import answer, build_world, close, pure_means


@pytest.fixture
def world(build, session):
    world = build_world(build)
    answer(world, build, world.period, seed=11)
    close(world.period)
    session.flush()
    return world


def _map(world, user, **kwargs):
    scope = reports.scope_for(user, world.period, None)
    return heatmap.heatmap(world.period, scope, "id", **kwargs)


def test_cells_equal_the_snapshot_and_the_pure_scoring(world):
    data = _map(world, world.org.admin)
    stored = snapshots.load(world.period)
    assert stored is not None  # the closed period's stored snapshot, not a recomputation
    by_code = {r.code: r for r in data.rows}
    assert set(by_code) == {"ROOT", "DINAS-A", "A-1", "A-2", "DINAS-B", "B-1"}
    for unit in stored.units:
        row = by_code[unit.code]
        assert row.withheld == unit.withheld
        if unit.withheld:
            assert row.cells == {}
            continue
        for code, agg in unit.values.items():
            assert row.cells[code].mean == agg.mean
        assert row.cells[results.OVERALL].mean == unit.overall.mean
    units = {u.code: u for u in (world.org.root, world.org.dinas_a, world.org.bidang_a1)}
    units["DINAS-B"] = world.org.dinas_b
    for code, unit in units.items():
        expected = pure_means(world, world.period, unit)
        for value, mean in expected.items():
            assert by_code[code].cells[value].mean == pytest.approx(mean, abs=1e-9)


def test_withheld_cells_follow_the_privacy_decision_with_their_reason(world):
    data = _map(world, world.org.admin)
    by_code = {r.code: r for r in data.rows}
    hidden = results.published(world.period).tree.hidden
    # The world holds both reasons, so both are tested.
    assert by_code["A-2"].withheld_reason == scoring.WITHHELD_SMALL
    assert by_code["B-1"].withheld_reason == scoring.WITHHELD_COMPLEMENT
    for row in data.rows:
        path = next(u.path for u in results.unit_results(world.period) if u.code == row.code)
        assert row.withheld_reason == hidden.get(path)


def test_bands_and_difference_to_the_organisation(world):
    data = _map(world, world.org.admin)
    org_overall = results.scope_result(world.period, None).overall.mean
    rules = results.rules_for(world.period.version)
    for row in data.rows:
        if row.withheld:
            continue
        cell = row.cells[results.OVERALL]
        assert cell.difference == cell.mean - org_overall
        assert cell.band.band == scoring.band_for(cell.mean, rules.bands)
    assert [k.short for k in data.bands] == ["SB", "B", "C", "PP"]
    assert [k.level for k in data.bands] == [0, 1, 2, 3]


def test_hr_sees_only_the_units_of_the_scope(world):
    data = _map(world, world.org.hr_a)
    assert [r.code for r in data.rows] == ["DINAS-A", "A-1", "A-2"]


def test_sorting_puts_withheld_cells_last_in_both_directions(world):
    for descending in (False, True):
        data = _map(world, world.org.admin, sort="BP", descending=descending)
        shown = [r.cells["BP"].mean for r in data.rows if not r.withheld]
        assert shown == sorted(shown, reverse=descending)
        assert [r.withheld for r in data.rows][-2:] == [True, True]
    names = [r.name for r in _map(world, world.org.admin, sort="name").rows]
    assert names == sorted(names, key=str.casefold)
    # An unknown column is the tree order, not an error.
    assert _map(world, world.org.admin, sort="drop table").sort is None


def _row(html: str, name: str) -> str:
    return next(r for r in html.split("<tr") if f">{name}</a>" in r)


def test_page_shows_numbers_bands_and_reasons(app, world, login):
    client = login(world.org.admin, app.test_client())
    page = client.get(f"/hr/periods/{world.period.id}/heatmap")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = _map(world, world.org.admin)
    a1 = next(r for r in data.rows if r.code == "A-1")
    row = _row(html, "Bidang A1")
    with app.test_request_context():
        for code, cell in a1.cells.items():
            assert format_number(cell.mean) in row, code
    assert f'title="{a1.cells["BP"].band.label}">{a1.cells["BP"].band.short}</abbr>' in row
    assert "tidak ditampilkan (kurang dari 5)" in _row(html, "Bidang A2")
    assert "heat-" not in _row(html, "Bidang A2")
    assert "disembunyikan untuk melindungi unit lain" in _row(html, "Bidang B1")
    # Each row links to its unit page.
    assert f'href="/hr/periods/{world.period.id}/units/{world.org.bidang_a1.id}"' in row


def test_difference_mode_writes_the_sign(app, world, login):
    client = login(world.org.admin, app.test_client())
    html = client.get(f"/hr/periods/{world.period.id}/heatmap?show=diff&sort=overall").get_data(
        as_text=True
    )
    data = _map(world, world.org.admin)
    a1 = next(r for r in data.rows if r.code == "A-1").cells[results.OVERALL].difference
    with app.test_request_context():
        text = ("+" if a1 > 0 else "−") + format_number(abs(a1))
    assert text in _row(html, "Bidang A1")
    # The sort links keep the mode.
    assert re.search(r'href="[^"]*show=diff[^"]*sort=BP', html)


def test_hr_outside_the_scope_gets_404_and_an_open_period_says_when(app, world, build, login):
    client = login(world.org.hr_a, app.test_client())
    assert (
        client.get(f"/hr/periods/{world.period.id}/heatmap?unit={world.org.dinas_b.id}").status_code
        == 404
    )
    assert client.get(f"/hr/periods/{world.period.id}/heatmap?unit=x").status_code == 404
    open_period = build.period([world.org.root])
    page = client.get(f"/hr/periods/{open_period.id}/heatmap")
    assert page.status_code == 200
    assert "setelah periode ditutup" in page.get_data(as_text=True)
    assert "heat-" not in page.get_data(as_text=True)
