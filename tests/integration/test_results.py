"""services.results against numbers worked out by hand: what an HR officer recomputing a score
in Excel would get. Expected values are literals from the comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp import scoring
from surveyapp.models import Period
from surveyapp.services import participation, periods, results
from tests.results_builders import make_version

SANGAT_BAIK, BAIK, CUKUP, PERLU = scoring.DEFAULT_BANDS

# ---------------------------------------------------------------------------------------------
# Golden unit: Bidang A1 with three people who submitted and one (Rina, HR) with a draft, on a
# version with scale 1-5, three values of two items, the second item of each value reversed
# (score = 1 + 5 - answer = 6 - answer), minimum group size 3.
#
#               BP-1 BP-2r | AK-1 AK-2r | KO-1 KO-2r
#   answers P1     5    1  |   4    2   |   5    2
#           P2     4    3  |   3    3   |   4    2
#           P3     2    4  |   3    4   |   3    3
#   scores  P1     5    5  |   4    4   |   5    4     sums BP 10  AK 8  KO 9
#           P2     4    3  |   3    3   |   4    4     sums BP  7  AK 6  KO 8
#           P3     2    2  |   3    2   |   3    3     sums BP  4  AK 5  KO 6
#
# index = (sum - 2) * 100 / (2 * 4) = (sum - 2) * 12.5:
#   P1: BP 100   AK 75   KO 87.5   overall 262.5 / 3 = 87.5   Sangat Baik
#   P2: BP 62.5  AK 50   KO 75     overall 187.5 / 3 = 62.5   Cukup
#   P3: BP 25    AK 37.5 KO 50     overall 112.5 / 3 = 37.5   Perlu Pengembangan
# Unit (n = 3, SD with n - 1 = 2):
#   overall 87.5, 62.5, 37.5: mean 62.5; squares of deviations 625 + 0 + 625 = 1250; / 2 = 625;
#           SD 25 -> band Cukup
#   BP 100, 62.5, 25: mean 62.5; deviations 37.5, 0, -37.5: variance 2812.5 / 2; SD 37.5
#   AK 75, 50, 37.5: mean 162.5 / 3 = 54.1666667; squares (15625 + 625 + 10000) / 36 / 2
#           = 364.583333; SD 19.0940654
#   KO 87.5, 75, 50: mean 212.5 / 3 = 70.8333333; same SD 19.0940654
#   eligible 4 (P1, P2, P3, Rina), submitted 3, one draft: participation 3 / 4 = 0.75
# ---------------------------------------------------------------------------------------------

GOLDEN_ITEMS = [
    ("BP-1", "BP", False),
    ("BP-2", "BP", True),
    ("AK-1", "AK", False),
    ("AK-2", "AK", True),
    ("KO-1", "KO", False),
    ("KO-2", "KO", True),
]
P1 = {"BP-1": 5, "BP-2": 1, "AK-1": 4, "AK-2": 2, "KO-1": 5, "KO-2": 2}
P2 = {"BP-1": 4, "BP-2": 3, "AK-1": 3, "AK-2": 3, "KO-1": 4, "KO-2": 2}
P3 = {"BP-1": 2, "BP-2": 4, "AK-1": 3, "AK-2": 4, "KO-1": 3, "KO-2": 3}


@pytest.fixture
def golden(build, session):
    root = build.unit("G-ROOT", "Pemkot Uji")
    dinas = build.unit("G-DINAS", "Dinas Uji", root)
    bidang = build.unit("G-A1", "Bidang A1", dinas)
    sibling = build.unit("G-B", "Dinas B", root)
    people = [build.employee(bidang, password=None) for _ in range(3)]
    drafter = build.employee(bidang, password=None, name="Rina")
    loner = build.employee(sibling, password=None)
    version = make_version(session, GOLDEN_ITEMS, min_group_size=3)
    period = build.period([root], version=version, hide_individuals=True)
    for person, answers in zip(people, (P1, P2, P3), strict=True):
        build.response(period, person, answers)
    build.response(period, drafter, {"BP-1": 3}, submitted=False)
    build.response(period, loner, P1)
    return period, root, dinas, bidang, sibling, people, loner


def test_golden_people(golden):
    period, _root, _dinas, bidang, _sibling, (p1, p2, p3), _loner = golden
    people = results.person_results(period, bidang.path)

    assert set(people) == {p1.id, p2.id, p3.id}  # the draft is nobody's result yet
    assert people[p1.id].value_indices == {"BP": 100.0, "AK": 75.0, "KO": 87.5}
    assert people[p2.id].value_indices == {"BP": 62.5, "AK": 50.0, "KO": 75.0}
    assert people[p3.id].value_indices == {"BP": 25.0, "AK": 37.5, "KO": 50.0}
    assert [people[p.id].overall for p in (p1, p2, p3)] == [87.5, 62.5, 37.5]
    assert [people[p.id].band for p in (p1, p2, p3)] == [SANGAT_BAIK, CUKUP, PERLU]
    assert people[p1.id].unit_id == bidang.id
    assert people[p1.id].value_band("AK", scoring.DEFAULT_BANDS) == BAIK


def test_golden_unit(golden, session):
    period, _root, _dinas, bidang, _sibling, _people, _loner = golden
    # In this organisation Bidang A1 is withheld (Pemkot minus Bidang A1 is Dinas B's one
    # person: see test_withheld_unit_cannot_be_worked_out_by_subtraction), in every scope,
    # its own included. The arithmetic is checked with individuals shown.
    assert results.scope_result(period, bidang.path).withheld
    period.hide_individuals = False
    session.flush()
    unit = results.scope_result(period, bidang.path)

    assert unit.code == "G-A1"
    assert (unit.eligible, unit.submitted, unit.drafts, unit.not_started) == (4, 3, 1, 0)
    assert unit.participation == 0.75
    assert not unit.withheld
    assert unit.overall.n == 3
    assert unit.overall.mean == pytest.approx(62.5, abs=1e-12)
    assert unit.overall.sd == pytest.approx(25.0, abs=1e-12)
    assert unit.band == CUKUP
    assert list(unit.values) == ["BP", "AK", "KO"]
    assert unit.values["BP"].mean == pytest.approx(62.5, abs=1e-12)
    assert unit.values["BP"].sd == pytest.approx(37.5, abs=1e-12)
    assert unit.values["AK"].mean == pytest.approx(54.1666667)
    assert unit.values["AK"].sd == pytest.approx(19.0940654)
    assert unit.values["KO"].mean == pytest.approx(70.8333333)
    assert unit.values["KO"].sd == pytest.approx(19.0940654)


def test_golden_tree_rolls_up_and_withholds_small_units(golden):
    period, root, dinas, bidang, sibling, _people, _loner = golden
    rows = results.unit_results(period)

    assert [r.code for r in rows] == ["G-ROOT", "G-DINAS", "G-A1", "G-B"]  # tree order
    assert [r.depth for r in rows] == [0, 1, 2, 1]
    by_code = {r.code: r for r in rows}
    # Dinas Uji has nobody of its own; its subtree is Bidang A1, and both are withheld to
    # protect Dinas B's one person.
    assert by_code["G-DINAS"].withheld_reason == scoring.WITHHELD_COMPLEMENT
    assert by_code["G-A1"].withheld_reason == scoring.WITHHELD_COMPLEMENT
    # Dinas B: one person (answers as P1), below the minimum group size of 3: withheld, but
    # how many took part is still shown.
    small = by_code["G-B"]
    assert small.withheld and small.withheld_reason == scoring.WITHHELD_SMALL
    assert (small.values, small.overall, small.band) == ({}, None, None)
    assert (small.eligible, small.submitted, small.participation) == (1, 1, 1.0)
    # The root: P1, P2, P3 and P1 again: overall 87.5, 62.5, 37.5, 87.5: mean 275 / 4 = 68.75;
    # deviations 18.75, -6.25, -31.25, 18.75; squares 351.5625 + 39.0625 + 976.5625 + 351.5625
    # = 1718.75; / 3 = 572.916667; SD 23.9356777.
    top = by_code["G-ROOT"]
    assert (top.eligible, top.submitted, top.drafts) == (5, 4, 1)
    assert top.overall.mean == pytest.approx(68.75, abs=1e-12)
    assert top.overall.sd == pytest.approx(23.9356777)
    assert top.band == CUKUP
    assert results.scope_result(period).overall == top.overall
    assert results.scope_result(period).unit_id is None


def test_nothing_is_withheld_when_the_period_shows_individuals(golden, session):
    period, *_ = golden
    period.hide_individuals = False
    session.flush()
    small = next(r for r in results.unit_results(period) if r.code == "G-B")
    assert not small.withheld
    assert small.overall.n == 1
    assert small.overall.mean == 87.5
    assert small.overall.sd is None  # one person has no spread


def test_subtree_of_a_scope_only(golden):
    period, _root, dinas, _bidang, _sibling, people, loner = golden
    rows = results.unit_results(period, dinas.path)
    assert [r.code for r in rows] == ["G-DINAS", "G-A1"]
    assert rows[0].depth == 0
    assert loner.id not in results.person_results(period, dinas.path)
    assert set(results.person_results(period, employee_id=people[0].id)) == {people[0].id}


def test_participation_counts_match_unit_results(golden):
    period, root, *_ = golden
    counts = participation.participation(period, root.path)
    rows = results.unit_results(period, root.path)
    assert [(c.code, c.depth, c.eligible, c.submitted, c.drafts) for c in counts] == [
        (r.code, r.depth, r.eligible, r.submitted, r.drafts) for r in rows
    ]
    assert counts[0].rate == pytest.approx(0.8)  # 4 of 5


def test_golden_item_statistics(golden, session):
    period, _root, _dinas, bidang, *_ = golden
    # The counts follow the unit's decision: withheld here, like Bidang A1's means.
    assert all(r.withheld and r.counts == {} for r in results.item_statistics(period, bidang.path))
    period.hide_individuals = False
    session.flush()
    rows = results.item_statistics(period, bidang.path)
    assert [r.item.code for r in rows] == [code for code, _, _ in GOLDEN_ITEMS]
    # BP-2 raw answers 1, 3, 4 (not reverse-scored): mean 8/3 = 2.6666667; deviations -5/3,
    # 1/3, 4/3; squares (25 + 1 + 16) / 9 = 42/9; / 2 = 7/3; SD 1.5275252.
    bp2 = rows[1]
    assert (bp2.n, bp2.value_code, bp2.withheld) == (3, "BP", False)
    assert bp2.mean == pytest.approx(2.6666667)
    assert bp2.sd == pytest.approx(1.5275252)
    assert bp2.counts == {1: 1, 2: 0, 3: 1, 4: 1, 5: 0}
    # A scope that is no group of the period publishes nothing.
    assert all(r.withheld and r.counts == {} for r in results.item_statistics(period, "/999/"))


def test_band_edges_through_the_database(build, session):
    # One value of five items on 1-5, threshold 85 = Sangat Baik:
    #   5 5 4 4 4: sum 22, index (22 - 5) * 100 / 20 = 85.0 exactly -> Sangat Baik
    #   5 4 4 4 4: sum 21, index 80 -> Baik; the same is true of any index below 85.
    unit = build.unit()
    edge, below = build.employee(unit, password=None), build.employee(unit, password=None)
    version = make_version(session, [(f"BP-{i}", "BP", False) for i in range(1, 6)])
    period = build.period([unit], version=version)
    build.response(period, edge, {"BP-1": 5, "BP-2": 5, "BP-3": 4, "BP-4": 4, "BP-5": 4})
    build.response(period, below, {"BP-1": 5, "BP-2": 4, "BP-3": 4, "BP-4": 4, "BP-5": 4})
    people = results.person_results(period)
    assert people[edge.id].overall == 85.0
    assert people[edge.id].band == SANGAT_BAIK
    assert people[below.id].overall == 80.0
    assert people[below.id].band == BAIK


def test_bands_weights_and_group_size_come_from_the_version(build, session):
    # Bands 90 A / 60 B / 0 C, weight BP 3: P1 overall (3 * 100 + 75 + 87.5) / 5 = 92.5 -> A;
    # P2 (3 * 62.5 + 50 + 75) / 5 = 62.5 -> B.
    bands = (scoring.Band(90, "A", "A"), scoring.Band(60, "B", "B"), scoring.Band(0, "C", "C"))
    version = make_version(session, GOLDEN_ITEMS, weights={"BP": 3}, bands=bands, min_group_size=2)
    rules = results.rules_for(version)
    assert (rules.scale_min, rules.scale_max, rules.min_group_size) == (1, 5, 2)
    assert rules.weights == {"BP": 3.0}
    assert [b.lower for b in rules.bands] == [90, 60, 0]
    assert [(i.code, i.reverse) for i in rules.items][:2] == [("BP-1", False), ("BP-2", True)]
    unit = build.unit()
    a, b = build.employee(unit, password=None), build.employee(unit, password=None)
    period = build.period([unit], version=version)
    build.response(period, a, P1)
    build.response(period, b, P2)
    people = results.person_results(period)
    assert people[a.id].overall == pytest.approx(92.5, abs=1e-12)
    assert people[a.id].band.label_id == "A"
    assert people[b.id].band.label_id == "B"
    shown = results.scope_result(period)
    assert not shown.withheld  # 2 people, minimum group size 2
    assert shown.overall.mean == pytest.approx(77.5, abs=1e-12)  # (92.5 + 62.5) / 2


def test_seven_point_scale(build, session):
    # Scale 1-7, AK-1 plain and AK-2 reversed (score = 8 - answer): answers 6 and 3 score 6 + 5
    # = 11; index (11 - 2) * 100 / (2 * 6) = 75.
    version = make_version(session, [("AK-1", "AK", False), ("AK-2", "AK", True)], scale=(1, 7))
    unit = build.unit()
    person = build.employee(unit, password=None)
    period = build.period([unit], version=version)
    build.response(period, person, {"AK-1": 6, "AK-2": 3})
    assert results.person_results(period)[person.id].value_indices == {"AK": 75.0}


# Statology, "How to Calculate Cronbach's Alpha in Python" (pingouin gives 0.7734375): ten
# respondents, three items on 1-3. Worked in tests/unit/test_scoring.py:
#   item SS 4.1 + 7.6 + 6.9 = 18.6; total SS 38.4; alpha = 3/2 * (1 - 18.6/38.4) = 0.7734375.
# The data three times over gives the same alpha (every SS triples) and reaches the 30
# respondents below which alpha is withheld. Q3 is stored reverse-worded: people ticked 4 - Q3.
STATOLOGY = list(
    zip(
        [1, 2, 2, 3, 2, 2, 3, 3, 2, 3],
        [1, 1, 1, 2, 3, 3, 2, 3, 3, 3],
        [1, 1, 2, 1, 2, 3, 3, 3, 2, 3],
        strict=True,
    )
)


def _alpha_period(build, session, copies):
    version = make_version(
        session,
        [("BP-1", "BP", False), ("BP-2", "BP", False), ("BP-3", "BP", True), ("AK-1", "AK", False)],
        scale=(1, 3),
    )
    unit = build.unit()
    people = [build.employee(unit, password=None) for _ in range(10 * copies)]
    period = build.period([unit], version=version)
    for person, (q1, q2, q3) in zip(people, STATOLOGY * copies, strict=True):
        build.response(period, person, {"BP-1": q1, "BP-2": q2, "BP-3": 4 - q3, "AK-1": 2})
    return period


def test_alpha_published_example(build, session):
    alpha = results.alpha_by_value(_alpha_period(build, session, 3))
    assert alpha["BP"] == pytest.approx(0.7734375, abs=1e-12)
    assert alpha["AK"] is None  # one item has no alpha


def test_alpha_withheld_below_30_respondents(build, session):
    assert results.alpha_by_value(_alpha_period(build, session, 2)) == {"BP": None, "AK": None}


def test_quality_flags_from_the_database(build, session):
    unit = build.unit()
    hasty, careful = build.employee(unit, password=None), build.employee(unit, password=None)
    period = build.period([unit], version=make_version(session, GOLDEN_ITEMS))
    response = build.response(period, hasty, 5)  # 5 everywhere, reverse items too
    response.started_at = response.submitted_at - timedelta(seconds=11)  # 6 items x 2 s = 12 s
    build.response(period, careful, P1)  # the builder's responses took 15 minutes
    session.flush()
    people = results.person_results(period)
    assert people[hasty.id].flags.codes() == ["straight_lining", "too_fast"]
    assert people[careful.id].flags.codes() == []


def test_change_since_the_previous_period(build, session, golden):
    period, _root, _dinas, bidang, *_ = golden
    assert results.previous_period(period) is None
    # A later period on the same questionnaire where Bidang A1's three people all answer as P1:
    # BP 100, AK 75, KO 87.5, overall 87.5. Change from the golden means:
    #   BP 100 - 62.5 = 37.5; AK 75 - 54.1666667 = 20.8333333; KO 87.5 - 70.8333333 = 16.6666667;
    #   overall 87.5 - 62.5 = 25. Dinas B's loner goes from P1 to P2: BP 62.5 - 100 = -37.5,
    #   overall 62.5 - 87.5 = -25. Individuals are shown here (hiding them would withhold the
    #   one-person Dinas B, and with it, by complement, Dinas Uji and Bidang A1).
    period.hide_individuals = False
    periods.close_period(period)  # an open period is nobody's "previous" yet
    later = build.period([golden[1]], version=period.version, hide_individuals=False)
    later.opens_at = period.opens_at + timedelta(days=1)
    session.flush()
    for person in golden[5]:
        build.response(later, person, P1)
    build.response(later, golden[6], P2)
    assert results.previous_period(later) == period
    changes = results.value_changes(later, period)
    assert changes["G-A1"]["BP"] == pytest.approx(37.5, abs=1e-12)
    assert changes["G-A1"]["AK"] == pytest.approx(20.8333333)
    assert changes["G-A1"]["KO"] == pytest.approx(16.6666667)
    assert changes["G-A1"][results.OVERALL] == pytest.approx(25.0, abs=1e-12)
    assert changes["G-B"]["BP"] == pytest.approx(-37.5, abs=1e-12)
    assert changes["G-B"][results.OVERALL] == pytest.approx(-25.0, abs=1e-12)
    # Neither an open nor a draft period counts as a previous one; a closed one does.
    draft = build.period([golden[1]], version=period.version, state="draft")
    draft.opens_at = later.opens_at + timedelta(days=1)
    session.flush()
    assert results.previous_period(draft) == period
    periods.close_period(later)
    assert results.previous_period(draft) == later
    assert session.scalar(sa.select(sa.func.count(Period.id))) == 3


def test_withheld_unit_cannot_be_worked_out_by_subtraction(golden):
    """Pemkot (4 people) = Dinas Uji (3) + Dinas B (1, withheld). Showing Pemkot and Dinas Uji
    would give away Dinas B's one person (4 x Pemkot - 3 x Dinas Uji), so Dinas Uji is withheld
    too, and then Bidang A1, which is all of Dinas Uji, with it. Counts are still shown."""
    period, root, dinas, bidang, sibling, *_ = golden
    by_code = {r.code: r for r in results.unit_results(period)}
    assert not by_code["G-ROOT"].withheld and by_code["G-ROOT"].overall.n == 4
    assert by_code["G-B"].withheld and by_code["G-B"].overall is None
    assert by_code["G-DINAS"].withheld and by_code["G-DINAS"].values == {}
    assert by_code["G-A1"].withheld
    assert (by_code["G-DINAS"].submitted, by_code["G-A1"].submitted) == (3, 3)
    shown = [r for r in by_code.values() if not r.withheld]
    assert [r.code for r in shown] == ["G-ROOT"]
