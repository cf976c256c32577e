"""The minimum group size where services.results applies it per item: 4 answers withheld, 5
shown (minimum 5). The pure rule is pinned in tests/unit/test_scoring_boundaries.py."""

from __future__ import annotations

from surveyapp.services import results
from tests.results_builders import make_version

ITEMS = [("BP-1", "BP", False), ("BP-2", "BP", True)]


def _item_rows(build, session, respondents: int, hide_individuals: bool = True):
    unit = build.unit()
    version = make_version(session, ITEMS, min_group_size=5)
    period = build.period([unit], version=version, hide_individuals=hide_individuals)
    for i in range(respondents):
        build.response(period, build.employee(unit, password=None), {"BP-1": 1 + i, "BP-2": 5})
    return results.item_statistics(period, unit.path)


def test_item_statistics_withheld_at_four_answers(build, session):
    rows = _item_rows(build, session, 4)
    assert [(r.n, r.withheld, r.mean, r.sd, r.counts) for r in rows] == [
        (4, True, None, None, {}),
        (4, True, None, None, {}),
    ]


def test_item_statistics_shown_at_five_answers(build, session):
    bp1, bp2 = _item_rows(build, session, 5)
    # BP-1 raw 1, 2, 3, 4, 5: mean 3; BP-2 raw 5 five times: mean 5, SD 0.
    assert (bp1.n, bp1.withheld, bp1.mean) == (5, False, 3.0)
    assert bp1.counts == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (bp2.n, bp2.withheld, bp2.mean, bp2.sd) == (5, False, 5.0, 0.0)


def test_item_statistics_shown_below_the_minimum_when_individuals_are_shown(build, session):
    rows = _item_rows(build, session, 4, hide_individuals=False)
    assert [(r.n, r.withheld) for r in rows] == [(4, False), (4, False)]
