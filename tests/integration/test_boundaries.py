"""The thresholds the product promises, pinned exactly at the boundary and one below, through
the database (the SQL, the snapshot and the pages apply them, not only the pure module):
the minimum group size (unit results, item counts, the employee's unit average) and alpha's
minimum number of respondents. Runs on SQLite and on PostgreSQL like every integration test.
"""

from __future__ import annotations

import random

import pytest

from surveyapp import scoring
from surveyapp.services import periods, results
from tests.results_builders import make_version

ITEMS = [("BP-1", "BP", False), ("BP-2", "BP", True), ("AK-1", "AK", False)]


def _closed_unit(build, session, submitted: int, *, min_group_size: int = 5, seed: int = 0):
    """One unit alone in its period with `submitted` respondents; the period closed."""
    unit = build.unit()
    people = [build.employee(unit, password=None) for _ in range(submitted)]
    version = make_version(session, ITEMS, min_group_size=min_group_size)
    period = build.period([unit], version=version)
    rng = random.Random(seed)
    for person in people:
        build.response(period, person, {code: rng.randint(1, 5) for code, _, _ in ITEMS})
    periods.close_period(period)
    session.flush()
    return period, unit, people


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True), (6, True)])
def test_minimum_group_size_for_unit_results_and_item_counts(build, session, n, shown):
    period, unit, _ = _closed_unit(build, session, n)
    result = results.scope_result(period, unit.path)
    assert result.withheld is not shown
    assert (result.overall is not None) is shown
    if not shown:
        assert result.withheld_reason == scoring.WITHHELD_SMALL
    assert results.scope_result(period).withheld is not shown  # the organisation is that unit
    items = results.item_statistics(period, unit.path)
    assert all(row.withheld is not shown for row in items)
    assert all((row.counts != {}) is shown for row in items)
    assert all(row.n == n for row in items)  # how many answered is never hidden


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_minimum_group_size_for_the_employees_unit_average(build, session, app, login, n, shown):
    period, _unit, people = _closed_unit(build, session, n)
    page = login(people[0], app.test_client()).get(f"/survey/{period.code}/result")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (f"({n} orang)" in text) is shown
    assert ("terlalu sedikit" in text) is not shown


@pytest.mark.parametrize(("n", "computed"), [(29, False), (30, True)])
def test_alpha_needs_its_own_minimum_of_respondents(build, session, n, computed):
    period, unit, _ = _closed_unit(build, session, n, seed=7)
    assert not results.scope_result(period, unit.path).withheld  # far above 5 either way
    alpha = results.alpha_by_value(period, unit.path)
    # BP has two items: alpha is a number from 30 respondents, None below.
    assert (alpha["BP"] is not None) is computed
    assert alpha["AK"] is None  # one item: never an alpha


def test_a_region_of_exactly_the_minimum_is_shown_and_one_less_is_not(build, session):
    """Dinas with 5 of its own beside a Bidang of 5: shown; with 4 of its own: the Bidang is
    withheld to protect them (Dinas minus Bidang would be those 4)."""
    for own, bidang_hidden in ((5, False), (4, True)):
        dinas = build.unit()
        bidang = build.unit(parent=dinas)
        people = [build.employee(dinas, password=None) for _ in range(own)]
        people += [build.employee(bidang, password=None) for _ in range(5)]
        period = build.period([dinas], version=make_version(session, ITEMS))
        for person in people:
            build.response(period, person, 3)
        periods.close_period(period)
        session.flush()
        assert not results.scope_result(period, dinas.path).withheld
        inner = results.scope_result(period, bidang.path)
        assert inner.withheld is bidang_hidden
        if bidang_hidden:
            assert inner.withheld_reason == scoring.WITHHELD_COMPLEMENT


def _item_rows(build, session, respondents: int, hide_individuals: bool = True):
    unit = build.unit()
    version = make_version(session, ITEMS[:2], min_group_size=5)
    period = build.period([unit], version=version, hide_individuals=hide_individuals)
    for i in range(respondents):
        build.response(period, build.employee(unit, password=None), {"BP-1": 1 + i, "BP-2": 5})
    return results.item_statistics(period, unit.path)


def test_item_statistics_at_five_answers_by_hand(build, session):
    bp1, bp2 = _item_rows(build, session, 5)
    # BP-1 raw 1, 2, 3, 4, 5: mean 3; BP-2 raw 5 five times: mean 5, SD 0.
    assert (bp1.n, bp1.withheld, bp1.mean) == (5, False, 3.0)
    assert bp1.counts == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (bp2.n, bp2.withheld, bp2.mean, bp2.sd) == (5, False, 5.0, 0.0)


def test_item_statistics_shown_below_the_minimum_when_individuals_are_shown(build, session):
    rows = _item_rows(build, session, 4, hide_individuals=False)
    assert [(r.n, r.withheld) for r in rows] == [(4, False), (4, False)]
