"""The scoring rules of docs/design.md "Scoring", checked against numbers worked out by hand.

Expected values are literals from the comments, never recomputed with the module under test.
"""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.scoring import (
    DEFAULT_BANDS,
    VALUE_CODES,
    WITHHELD_COMPLEMENT,
    WITHHELD_SMALL,
    Aggregate,
    Band,
    ItemRule,
    Moments,
    Rules,
    aggregate,
    alpha_for_value,
    alpha_from_sums,
    band_for,
    change,
    cronbach_alpha,
    group_from_moments,
    group_result,
    in_order_sum,
    item_score,
    item_stats,
    item_stats_from_counts,
    overall_index,
    person_from_totals,
    person_result,
    quality_flags,
    regions,
    suppression,
    value_index,
)

SANGAT_BAIK, BAIK, CUKUP, PERLU = DEFAULT_BANDS


def make_rules(items, *, scale=(1, 5), bands=DEFAULT_BANDS, weights=None, **kwargs):
    """Rules from (code, reverse) pairs; the value code is the part before the dash."""
    return Rules(
        scale_min=scale[0],
        scale_max=scale[1],
        items=tuple(ItemRule(code, code.split("-")[0], reverse) for code, reverse in items),
        bands=tuple(bands),
        weights=weights or {},
        min_group_size=kwargs.pop("min_group_size", 5),
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------
# Golden example: a unit of three people, scale 1-5, three values of two items each, the second
# item of every value reverse-keyed (item score = 1 + 5 - answer = 6 - answer).
#
#            BP-1 BP-2r | AK-1 AK-2r | KO-1 KO-2r
# answers P1    5    1  |   4    2   |   5    2
#         P2    4    3  |   3    3   |   4    2
#         P3    2    4  |   3    4   |   3    3
# scores  P1    5    5  |   4    4   |   5    4      means BP 5.0  AK 4.0  KO 4.5
#         P2    4    3  |   3    3   |   4    4      means BP 3.5  AK 3.0  KO 4.0
#         P3    2    2  |   3    2   |   3    3      means BP 2.0  AK 2.5  KO 3.0
#
# index = (mean - 1) / 4 * 100, i.e. 25 points per scale point:
#   P1: BP 100.0  AK 75.0  KO 87.5   overall (100 + 75 + 87.5) / 3 = 262.5 / 3 = 87.5  Sangat Baik
#   P2: BP  62.5  AK 50.0  KO 75.0   overall (62.5 + 50 + 75) / 3 = 187.5 / 3 = 62.5   Cukup
#   P3: BP  25.0  AK 37.5  KO 50.0   overall (25 + 37.5 + 50) / 3 = 112.5 / 3 = 37.5   Perlu P.
#   Value bands of P1: BP 100 Sangat Baik, AK 75 Baik, KO 87.5 Sangat Baik.
#
# Weights BP 2 (AK, KO not given, so 1 each; total weight 4):
#   P1: (2*100 + 75 + 87.5) / 4 = 362.5 / 4 = 90.625   Sangat Baik
#   P2: (2*62.5 + 50 + 75) / 4  = 250 / 4   = 62.5     Cukup
#   P3: (2*25 + 37.5 + 50) / 4  = 137.5 / 4 = 34.375   Perlu Pengembangan
#
# Unit aggregate (equal weights), sample SD with n - 1 = 2:
#   overall 87.5, 62.5, 37.5: mean 187.5/3 = 62.5; deviations 25, 0, -25;
#           squares 625 + 0 + 625 = 1250; / 2 = 625; SD = 25.0          band Cukup
#   BP 100, 62.5, 25: mean 187.5/3 = 62.5; deviations 37.5, 0, -37.5;
#           squares 1406.25 * 2 = 2812.5; / 2 = 1406.25; SD = 37.5
#   AK 75, 50, 37.5: mean 162.5/3 = 54.1666...; deviations 125/6, -25/6, -100/6;
#           squares (15625 + 625 + 10000) / 36 = 26250/36 = 729.1666...; / 2 = 364.58333...;
#           SD = sqrt(364.58333) = 19.0940654
#   KO 87.5, 75, 50: mean 212.5/3 = 70.8333...; deviations 100/6, 25/6, -125/6: same SD.
#   eligible 4, submitted 3: participation 0.75.
# ---------------------------------------------------------------------------------------------

GOLDEN_ITEMS = [
    ("BP-1", False),
    ("BP-2", True),
    ("AK-1", False),
    ("AK-2", True),
    ("KO-1", False),
    ("KO-2", True),
]
P1 = {"BP-1": 5, "BP-2": 1, "AK-1": 4, "AK-2": 2, "KO-1": 5, "KO-2": 2}
P2 = {"BP-1": 4, "BP-2": 3, "AK-1": 3, "AK-2": 3, "KO-1": 4, "KO-2": 2}
P3 = {"BP-1": 2, "BP-2": 4, "AK-1": 3, "AK-2": 4, "KO-1": 3, "KO-2": 3}


@pytest.fixture
def golden():
    return make_rules(GOLDEN_ITEMS, min_group_size=5)


def test_golden_people(golden):
    r1, r2, r3 = (person_result(a, golden) for a in (P1, P2, P3))

    assert r1.value_means == pytest.approx({"BP": 5.0, "AK": 4.0, "KO": 4.5})
    assert r2.value_means == pytest.approx({"BP": 3.5, "AK": 3.0, "KO": 4.0})
    assert r3.value_means == pytest.approx({"BP": 2.0, "AK": 2.5, "KO": 3.0})
    assert r1.value_indices == pytest.approx({"BP": 100.0, "AK": 75.0, "KO": 87.5})
    assert r2.value_indices == pytest.approx({"BP": 62.5, "AK": 50.0, "KO": 75.0})
    assert r3.value_indices == pytest.approx({"BP": 25.0, "AK": 37.5, "KO": 50.0})
    assert [r.overall for r in (r1, r2, r3)] == pytest.approx([87.5, 62.5, 37.5])
    assert [r.band for r in (r1, r2, r3)] == [SANGAT_BAIK, CUKUP, PERLU]
    assert list(r1.value_indices) == ["BP", "AK", "KO"]  # BerAKHLAK order, only values with items
    assert r1.value_band("AK", golden.bands) == BAIK
    assert r1.value_band("KO", golden.bands) == SANGAT_BAIK
    assert r1.value_band("HA", golden.bands) is None  # no HA items in this version


def test_golden_unequal_weights():
    rules = make_rules(GOLDEN_ITEMS, weights={"BP": 2.0})
    results = [person_result(a, rules) for a in (P1, P2, P3)]
    assert [r.overall for r in results] == pytest.approx([90.625, 62.5, 34.375])
    assert [r.band for r in results] == [SANGAT_BAIK, CUKUP, PERLU]
    # The weights change only the overall, not the value indices.
    assert results[0].value_indices == pytest.approx({"BP": 100.0, "AK": 75.0, "KO": 87.5})


def test_golden_group_shown(golden):
    people = [person_result(a, golden) for a in (P1, P2, P3)]
    group = group_result(people, eligible=4, rules=golden, hide_individuals=False)

    assert not group.withheld
    assert (group.eligible, group.submitted) == (4, 3)
    assert group.participation == pytest.approx(0.75)
    assert group.overall.n == 3
    assert group.overall.mean == pytest.approx(62.5)
    assert group.overall.sd == pytest.approx(25.0)
    assert group.band == CUKUP
    assert list(group.values) == ["BP", "AK", "KO"]
    assert group.values["BP"].mean == pytest.approx(62.5)
    assert group.values["BP"].sd == pytest.approx(37.5)
    assert group.values["AK"].mean == pytest.approx(54.1666667)
    assert group.values["AK"].sd == pytest.approx(19.0940654)
    assert group.values["KO"].mean == pytest.approx(70.8333333)
    assert group.values["KO"].sd == pytest.approx(19.0940654)


def test_golden_group_withheld_when_small_and_hidden(golden):
    people = [person_result(a, golden) for a in (P1, P2, P3)]
    group = group_result(people, eligible=4, rules=golden, hide_individuals=True)

    assert group.withheld  # 3 < min_group_size 5
    assert group.values == {}
    assert group.overall is None
    assert group.band is None
    # How many took part is still shown: it reveals nobody's answers.
    assert (group.eligible, group.submitted) == (4, 3)
    assert group.participation == pytest.approx(0.75)


def test_group_at_min_size_is_shown(golden):
    people = [person_result(a, golden) for a in (P1, P2, P3, P1, P2)]
    group = group_result(people, eligible=5, rules=golden, hide_individuals=True)
    assert not group.withheld
    assert group.overall.n == 5


def test_empty_group(golden):
    shown = group_result([], eligible=5, rules=golden, hide_individuals=False)
    assert shown.overall == Aggregate(0, None, None)
    assert shown.band is None
    assert shown.participation == 0.0
    assert group_result([], eligible=0, rules=golden, hide_individuals=True).participation is None


def test_group_rejects_negative_eligible(golden):
    with pytest.raises(ValueError, match="eligible"):
        group_result([], eligible=-1, rules=golden, hide_individuals=False)


# --- bands ----------------------------------------------------------------------------------

SHUFFLED_BANDS = (BAIK, PERLU, SANGAT_BAIK, CUKUP)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (100.0, SANGAT_BAIK),
        (85.0, SANGAT_BAIK),
        (84.99, BAIK),
        (70.0, BAIK),
        (69.999, CUKUP),
        (55.0, CUKUP),
        (54.9999999, PERLU),
        (0.0, PERLU),
    ],
)
@pytest.mark.parametrize("bands", [DEFAULT_BANDS, SHUFFLED_BANDS], ids=["ordered", "shuffled"])
def test_band_edges(index, expected, bands):
    assert band_for(index, bands) == expected


def test_band_none_and_below_every_band():
    assert band_for(None, DEFAULT_BANDS) is None
    assert band_for(10.0, (Band(20, "Rendah", "Low"),)) is None
    assert band_for(50.0, ()) is None


def test_band_labels():
    assert SANGAT_BAIK.label("id") == "Sangat Baik"
    assert SANGAT_BAIK.label("en") == "Very good"
    assert SANGAT_BAIK.label("en_GB") == "Very good"
    assert PERLU.label("en-US") == "Needs development"
    assert PERLU.label("") == "Perlu Pengembangan"


def test_custom_bands_come_from_the_version():
    istimewa = Band(90, "Istimewa", "Outstanding")
    memadai = Band(60, "Memadai", "Adequate")
    kurang = Band(0, "Kurang", "Poor")
    rules = make_rules(GOLDEN_ITEMS, bands=(kurang, istimewa, memadai))
    # Overalls 87.5, 62.5, 37.5 (golden example): under the default bands Sangat Baik, Cukup,
    # Perlu Pengembangan; under this version's bands Memadai, Memadai, Kurang.
    results = [person_result(a, rules) for a in (P1, P2, P3)]
    assert [r.band for r in results] == [memadai, memadai, kurang]
    group = group_result(results, eligible=3, rules=rules, hide_individuals=False)
    assert group.band == memadai  # mean 62.5


def test_exact_index_is_not_lost_to_float_error():
    # One value, five items, scale 1-5: answers 5, 5, 4, 4, 4 sum to 22, mean 4.4,
    # index (4.4 - 1) / 4 * 100 = 85 exactly: Sangat Baik, not Baik.
    rules = make_rules([(f"BP-{i}", False) for i in range(1, 6)])
    result = person_result({"BP-1": 5, "BP-2": 5, "BP-3": 4, "BP-4": 4, "BP-5": 4}, rules)
    assert result.value_indices["BP"] == 85.0
    assert result.band == SANGAT_BAIK


def test_exact_overall_at_band_edge():
    # Seven values, scale 1-5 (index = (total - k) * 100 / (4k) for k items):
    #   BP 2+1+1 = 4       -> 1*100/12  = 25/3
    #   AK 3+3+2 = 8       -> 5*100/12  = 125/3
    #   KO 4+4+3 = 11      -> 8*100/12  = 200/3
    #   HA 3+3+3+3+2 = 14  -> 9*100/20  = 45
    #   LO 5+5+5+4+4 = 23  -> 18*100/20 = 90
    #   AD 5+4+4 = 13      -> 10*100/12 = 250/3
    #   KL 3+3 = 6         -> 4*100/8   = 50
    #   sum = (25 + 125 + 200 + 250)/3 + 45 + 90 + 50 = 200 + 185 = 385; 385 / 7 = 55: Cukup.
    # Computed as (mean - min) / (max - min) * 100 in floats this comes out 54.99999999999999.
    answers = {
        "BP": [2, 1, 1],
        "AK": [3, 3, 2],
        "KO": [4, 4, 3],
        "HA": [3, 3, 3, 3, 2],
        "LO": [5, 5, 5, 4, 4],
        "AD": [5, 4, 4],
        "KL": [3, 3],
    }
    flat = {f"{v}-{i}": a for v, seq in answers.items() for i, a in enumerate(seq, 1)}
    rules = make_rules([(code, False) for code in flat])
    result = person_result(flat, rules)
    assert result.overall == pytest.approx(55.0)
    assert result.band == CUKUP


# --- building blocks ------------------------------------------------------------------------


def test_item_score():
    assert item_score(4, False, 1, 5) == 4
    assert item_score(4, True, 1, 5) == 2
    assert item_score(1, True, 1, 7) == 7
    assert item_score(3, True, 1, 5) == 3  # the midpoint mirrors onto itself


def test_value_index():
    assert value_index(1.0, 1, 5) == pytest.approx(0.0)
    assert value_index(3.0, 1, 5) == pytest.approx(50.0)
    assert value_index(5.0, 1, 5) == pytest.approx(100.0)
    assert value_index(3.0, 1, 4) == pytest.approx(66.6666667)  # (3 - 1) / 3 * 100
    assert value_index(5.5, 1, 7) == pytest.approx(75.0)  # 4.5 / 6 * 100


def test_overall_index():
    assert overall_index({"BP": 80.0, "AK": 60.0}, {}) == pytest.approx(70.0)
    # BP weight 3, AK default 1: (3*80 + 60) / 4 = 300 / 4 = 75
    assert overall_index({"BP": 80.0, "AK": 60.0}, {"BP": 3}) == pytest.approx(75.0)
    # A weight of 0 leaves the value out.
    assert overall_index({"BP": 80.0, "AK": 60.0}, {"AK": 0}) == pytest.approx(80.0)
    with pytest.raises(ValueError, match="total weight"):
        overall_index({"BP": 80.0}, {"BP": 0})
    with pytest.raises(ValueError, match="total weight"):
        overall_index({}, {})


def test_overall_index_adds_left_to_right_as_a_database_does():
    # 0.1 + 0.2 + 0.3 rounds twice to 0.6000000000000001; a correctly rounded sum gives 0.6.
    # The database adds a row's columns the first way, and the person indices it computes
    # must be scoring's floats to the last bit.
    assert in_order_sum([0.1, 0.2, 0.3]) == (0.1 + 0.2) + 0.3 != math.fsum([0.1, 0.2, 0.3])
    indices = {"BP": 10.0, "AK": 20.0, "KO": 30.0}
    assert overall_index(indices, {"BP": 0.01, "AK": 0.01, "KO": 0.01}) == (
        (0.01 * 10.0 + 0.01 * 20.0) + 0.01 * 30.0
    ) / math.fsum([0.01, 0.01, 0.01])


def test_aggregate():
    assert aggregate([]) == Aggregate(0, None, None)
    assert aggregate([42.0]) == Aggregate(1, 42.0, None)
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
    # sample variance 32/7 = 4.571428...; SD 2.1380899 (population SD would be 2.0).
    agg = aggregate([2, 4, 4, 4, 5, 5, 7, 9])
    assert agg.n == 8
    assert agg.mean == pytest.approx(5.0)
    assert agg.sd == pytest.approx(2.1380899)
    assert aggregate(x for x in (3.0, 3.0, 3.0)).sd == 0.0


def test_change():
    assert change(72.5, 70.0) == pytest.approx(2.5)
    assert change(65.0, 70.0) == pytest.approx(-5.0)
    assert change(None, 70.0) is None
    assert change(70.0, None) is None


# --- reliability ----------------------------------------------------------------------------

# Statology, "How to Calculate Cronbach's Alpha in Python" (pingouin.cronbach_alpha gives
# 0.7734375): ten customers, three items on a 1-3 scale.
STATOLOGY_Q1 = [1, 2, 2, 3, 2, 2, 3, 3, 2, 3]
STATOLOGY_Q2 = [1, 1, 1, 2, 3, 3, 2, 3, 3, 3]
STATOLOGY_Q3 = [1, 1, 2, 1, 2, 3, 3, 3, 2, 3]
# By hand (SS = sum of squares - sum^2 / n; every variance divides by n - 1 = 9, which cancels):
#   Q1 sum 23, squares 57: SS = 57 - 52.9 = 4.1
#   Q2 sum 22, squares 56: SS = 56 - 48.4 = 7.6
#   Q3 sum 21, squares 51: SS = 51 - 44.1 = 6.9      item SS total 18.6
#   totals 3 4 5 6 7 8 8 9 7 9: sum 66, squares 474: SS = 474 - 435.6 = 38.4
#   alpha = 3/2 * (1 - 18.6/38.4) = 1.5 * 19.8/38.4 = 1.5 * 0.515625 = 0.7734375
STATOLOGY_ROWS = [list(r) for r in zip(STATOLOGY_Q1, STATOLOGY_Q2, STATOLOGY_Q3, strict=True)]


def test_cronbach_alpha_published_example():
    assert cronbach_alpha(STATOLOGY_ROWS) == pytest.approx(0.7734375)


def test_cronbach_alpha_degenerate():
    assert cronbach_alpha([]) is None
    assert cronbach_alpha([[1], [2], [3]]) is None  # one item
    assert cronbach_alpha([[1, 2, 3]]) is None  # one respondent
    assert cronbach_alpha([[2, 2], [2, 2], [2, 2]]) is None  # no variance at all
    assert cronbach_alpha([[1, 3], [3, 1], [2, 2]]) is None  # every total 4
    with pytest.raises(ValueError, match="every item"):
        cronbach_alpha([[1, 2], [1]])


def test_cronbach_alpha_can_be_negative():
    # Two items that disagree. Item 1: 1, 2, 3, variance 2/2 = 1. Item 2: 3, 2, 2, mean 7/3,
    # squared deviations 4/9 + 1/9 + 1/9 = 6/9, variance 1/3. Totals 4, 4, 5: variance 1/3.
    # alpha = 2/1 * (1 - (1 + 1/3) / (1/3)) = 2 * (1 - 4) = -6.
    assert cronbach_alpha([[1, 3], [2, 2], [3, 2]]) == pytest.approx(-6.0)


def _statology_rules(min_alpha_respondents=30):
    # Q3 is stored as a reverse-worded item: people ticked 4 - Q3 on the 1-3 scale.
    return make_rules(
        [("BP-1", False), ("BP-2", False), ("BP-3", True), ("AK-1", False)],
        scale=(1, 3),
        min_alpha_respondents=min_alpha_respondents,
    )


def _statology_answers():
    return [
        {"BP-1": q1, "BP-2": q2, "BP-3": 4 - q3, "AK-1": 2}
        for q1, q2, q3 in zip(STATOLOGY_Q1, STATOLOGY_Q2, STATOLOGY_Q3, strict=True)
    ]


def test_alpha_for_value_reverse_keys_raw_answers():
    answers = _statology_answers()
    assert alpha_for_value(answers, "BP", _statology_rules(10)) == pytest.approx(0.7734375)
    # The data three times over: SS triple, n - 1 changes for items and total alike: same alpha.
    assert alpha_for_value(answers * 3, "BP", _statology_rules()) == pytest.approx(0.7734375)


def test_alpha_for_value_withheld_below_min_respondents():
    answers = (_statology_answers() * 3)[:29]
    assert alpha_for_value(answers, "BP", _statology_rules()) is None
    assert alpha_for_value(answers + answers[:1], "BP", _statology_rules()) is not None


def test_alpha_for_value_single_item_value_is_none():
    assert alpha_for_value(_statology_answers(), "AK", _statology_rules(10)) is None


def test_alpha_for_value_missing_item():
    answers = _statology_answers()
    del answers[3]["BP-2"]
    with pytest.raises(ValueError, match="BP-2"):
        alpha_for_value(answers, "BP", _statology_rules(10))


# --- item statistics ------------------------------------------------------------------------


def test_item_stats_counts_every_scale_point():
    # Raw 1, 2, 2, 5: mean 10/4 = 2.5; deviations -1.5 -0.5 -0.5 2.5; squares 2.25 + 0.25 +
    # 0.25 + 6.25 = 9; sample variance 9/3 = 3; SD sqrt(3) = 1.7320508.
    stats = item_stats([1, 2, 2, 5], 1, 5)
    assert stats.n == 4
    assert stats.mean == pytest.approx(2.5)
    assert stats.sd == pytest.approx(1.7320508)
    assert stats.counts == {1: 1, 2: 2, 3: 0, 4: 0, 5: 1}
    assert list(stats.counts) == [1, 2, 3, 4, 5]


def test_item_stats_empty_and_single():
    empty = item_stats([], 1, 4)
    assert (empty.n, empty.mean, empty.sd) == (0, None, None)
    assert empty.counts == {1: 0, 2: 0, 3: 0, 4: 0}
    one = item_stats(iter([7]), 1, 7)
    assert (one.n, one.mean, one.sd) == (1, 7.0, None)


def test_item_stats_rejects_answers_outside_scale():
    with pytest.raises(ValueError, match="outside the scale 1-5"):
        item_stats([1, 6], 1, 5)


# --- quality flags --------------------------------------------------------------------------


def test_straight_lining_includes_reverse_items(golden):
    all_fives = dict.fromkeys(P1, 5)  # reverse items ticked 5 too, though they then score 1
    assert quality_flags(all_fives, None, golden).straight_lining
    # Agreeing with everything "the right way round" is not the same answer everywhere.
    consistent = {code: 1 if code.endswith("-2") else 5 for code in P1}
    assert not quality_flags(consistent, None, golden).straight_lining
    assert not quality_flags(P1, None, golden).straight_lining


def test_straight_lining_needs_two_items():
    rules = make_rules([("BP-1", False)])
    assert not quality_flags({"BP-1": 3}, None, rules).straight_lining


def test_too_fast_boundary(golden):
    # Six items at the default 2 s per item: 12 s is fine, anything less is too fast.
    assert golden.min_seconds_per_item == 2.0
    assert not quality_flags(P1, 12.0, golden).too_fast
    assert quality_flags(P1, 11.99, golden).too_fast
    assert not quality_flags(P1, None, golden).too_fast
    assert not quality_flags(P1, 600.0, golden).too_fast


def test_too_fast_follows_the_version(golden):
    slow = make_rules(GOLDEN_ITEMS, min_seconds_per_item=5.0)
    assert quality_flags(P1, 29.0, slow).too_fast  # 6 * 5 = 30
    assert not quality_flags(P1, 30.0, slow).too_fast


def test_quality_codes(golden):
    all_fives = dict.fromkeys(P1, 5)
    assert quality_flags(all_fives, 1.0, golden).codes() == ["straight_lining", "too_fast"]
    assert quality_flags(all_fives, None, golden).codes() == ["straight_lining"]
    assert quality_flags(P1, 1.0, golden).codes() == ["too_fast"]
    assert quality_flags(P1, 100.0, golden).codes() == []


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [0, 6, -1])
def test_answer_outside_scale(golden, answer):
    message = rf"answer {answer} for item AK-1 is outside the scale 1-5"
    with pytest.raises(ValueError, match=message):
        person_result({**P1, "AK-1": answer}, golden)
    with pytest.raises(ValueError, match="outside the scale 1-5"):
        item_score(answer, False, 1, 5)


@pytest.mark.parametrize("answer", [3.5, "3", None, True])
def test_answer_not_a_whole_number(golden, answer):
    with pytest.raises(ValueError, match="whole number"):
        person_result({**P1, "AK-1": answer}, golden)


def test_missing_items_are_named(golden):
    answers = {k: v for k, v in P1.items() if k not in ("BP-2", "KO-1")}
    with pytest.raises(ValueError, match="unanswered items: BP-2, KO-1"):
        person_result(answers, golden)


def test_unknown_items_are_named(golden):
    with pytest.raises(ValueError, match="not in this version: XX-9"):
        person_result({**P1, "XX-9": 3}, golden)


def test_bad_rules():
    with pytest.raises(ValueError, match="maximum must be above minimum"):
        make_rules(GOLDEN_ITEMS, scale=(5, 5))
    with pytest.raises(ValueError, match="appears twice"):
        make_rules([("BP-1", False), ("BP-1", True)])
    with pytest.raises(ValueError, match="unknown value code"):
        make_rules([("ZZ-1", False)])
    with pytest.raises(ValueError, match="weight of BP"):
        make_rules(GOLDEN_ITEMS, weights={"BP": -1.0})
    with pytest.raises(ValueError, match="unknown value code 'XX'"):
        make_rules(GOLDEN_ITEMS, weights={"XX": 1.0})
    with pytest.raises(ValueError, match="maximum must be above minimum"):
        value_index(3.0, 5, 1)


def test_rules_copy_their_inputs():
    weights = {"BP": 2.0}
    items = [ItemRule("BP-1", "BP", False)]
    rules = Rules(1, 5, items, list(DEFAULT_BANDS), weights, 5)
    weights["BP"] = 9.0
    items.append(ItemRule("BP-2", "BP", False))
    assert rules.weights == {"BP": 2.0}
    assert rules.items == (ItemRule("BP-1", "BP", False),)
    assert isinstance(rules.bands, tuple)


def test_rules_value_codes_and_items_of(golden):
    assert golden.value_codes == ("BP", "AK", "KO")
    assert golden.items_of("AK") == (ItemRule("AK-1", "AK", False), ItemRule("AK-2", "AK", True))
    assert golden.items_of("HA") == ()
    shuffled = make_rules([("KL-1", False), ("BP-1", False), ("LO-1", True)])
    assert shuffled.value_codes == ("BP", "LO", "KL")


# --- properties -----------------------------------------------------------------------------

SCALES = [(1, 4), (1, 5), (1, 7)]


@st.composite
def rules_and_answers(draw):
    scale_min, scale_max = draw(st.sampled_from(SCALES))
    items = []
    for value in VALUE_CODES:
        count = draw(st.integers(1, 6))
        flags = draw(st.lists(st.booleans(), min_size=count, max_size=count))
        items += [ItemRule(f"{value}-{i}", value, flag) for i, flag in enumerate(flags, 1)]
    weights = {}
    for value in VALUE_CODES:
        weight = draw(st.none() | st.floats(0.01, 100.0))
        if weight is not None:  # a missing weight counts as 1
            weights[value] = weight
    bands = draw(st.permutations(DEFAULT_BANDS))
    rules = Rules(scale_min, scale_max, tuple(items), tuple(bands), weights, 5)
    answers = {item.code: draw(st.integers(scale_min, scale_max)) for item in items}
    return rules, answers


def _mirror(rules, answers):
    lo_hi = rules.scale_min + rules.scale_max
    flipped = tuple(ItemRule(i.code, i.value_code, not i.reverse) for i in rules.items)
    mirrored_rules = Rules(rules.scale_min, rules.scale_max, flipped, rules.bands, rules.weights, 5)
    return mirrored_rules, {code: lo_hi - answer for code, answer in answers.items()}


@settings(max_examples=200, deadline=None)
@given(rules_and_answers())
def test_properties(case):
    rules, answers = case
    result = person_result(answers, rules)

    assert set(result.value_indices) == set(VALUE_CODES)
    for index in result.value_indices.values():
        assert 0.0 <= index <= 100.0
    for mean in result.value_means.values():
        assert rules.scale_min <= mean <= rules.scale_max

    lowest, highest = min(result.value_indices.values()), max(result.value_indices.values())
    assert lowest - 1e-9 <= result.overall <= highest + 1e-9
    assert result.band == band_for(result.overall, rules.bands)
    assert result.band == band_for(result.overall, DEFAULT_BANDS)  # order does not matter

    # Ticking the mirror answer on every item while flipping every reverse flag changes nothing.
    mirrored_rules, mirrored_answers = _mirror(rules, answers)
    assert person_result(mirrored_answers, mirrored_rules) == result

    best = {i.code: rules.scale_min if i.reverse else rules.scale_max for i in rules.items}
    best_result = person_result(best, rules)
    assert set(best_result.value_indices.values()) == {100.0}
    assert best_result.overall == pytest.approx(100.0)
    assert best_result.band == SANGAT_BAIK

    worst = {i.code: rules.scale_max if i.reverse else rules.scale_min for i in rules.items}
    worst_result = person_result(worst, rules)
    assert set(worst_result.value_indices.values()) == {0.0}
    assert worst_result.overall == 0.0
    assert worst_result.band == PERLU


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 100.0), max_size=40), st.randoms(use_true_random=False))
def test_aggregate_properties(values, rnd):
    agg = aggregate(values)
    assert agg.n == len(values)
    if values:
        assert min(values) - 1e-9 <= agg.mean <= max(values) + 1e-9
    if len(values) >= 2:
        assert agg.sd >= 0.0
        shuffled = values[:]
        rnd.shuffle(shuffled)
        assert aggregate(shuffled).mean == pytest.approx(agg.mean)
        assert aggregate(shuffled).sd == pytest.approx(agg.sd, abs=1e-9)


def test_person_order_does_not_change_group(golden):
    people = [person_result(a, golden) for a in (P1, P2, P3) * 3]
    shuffled = people[:]
    random.Random(7).shuffle(shuffled)
    a = group_result(people, 12, golden, hide_individuals=True)
    b = group_result(shuffled, 12, golden, hide_individuals=True)
    assert a.overall.mean == pytest.approx(b.overall.mean)
    assert a.overall.sd == pytest.approx(b.overall.sd)


# --- from whole-number sums (what the database hands over) ----------------------------------


def _totals(answers, rules):
    lo, hi = rules.scale_min, rules.scale_max
    return {
        code: sum(item_score(answers[i.code], i.reverse, lo, hi) for i in rules.items_of(code))
        for code in rules.value_codes
    }


def test_golden_group_from_moments(golden):
    # The golden unit again, from sums only: same numbers as from the people themselves.
    moments = Moments()
    for answers in (P1, P2, P3):
        moments.add(Moments.of_person(_totals(answers, golden), golden))
    # u = score sum - 2 (two items of floor 1): BP 8, 5, 2; AK 6, 4, 3; KO 7, 6, 4.
    assert (moments.n, moments.sums) == (3, {"BP": 15, "AK": 13, "KO": 17})
    assert moments.products[("BP", "AK")] == 8 * 6 + 5 * 4 + 2 * 3
    group = group_from_moments(moments, 4, golden, hide_individuals=False)
    assert group.overall.mean == pytest.approx(62.5, abs=1e-12)
    assert group.overall.sd == pytest.approx(25.0, abs=1e-12)
    assert group.values["AK"].sd == pytest.approx(19.0940654)
    assert group.band == CUKUP
    assert group.participation == 0.75
    assert group_from_moments(moments, 4, golden, hide_individuals=True).withheld


def test_person_from_totals_rejects_impossible_totals(golden):
    with pytest.raises(ValueError, match="outside 2-10"):
        person_from_totals({"BP": 11, "AK": 4, "KO": 4}, golden)
    with pytest.raises(ValueError, match="no total for value KO"):
        person_from_totals({"BP": 4, "AK": 4}, golden)


@settings(max_examples=100, deadline=None)
@given(rules_and_answers(), st.lists(st.randoms(use_true_random=False), max_size=12))
def test_moments_agree_with_people(case, seeds):
    rules, first = case
    lo, hi = rules.scale_min, rules.scale_max
    people = [first] + [{i.code: rnd.randint(lo, hi) for i in rules.items} for rnd in seeds]
    # Identical people now and then: a group with no spread must give SD 0, not noise.
    people += people[:1] * (len(seeds) % 3)
    results = [person_result(a, rules) for a in people]
    moments = Moments()
    for answers, result in zip(people, results, strict=True):
        assert person_from_totals(_totals(answers, rules), rules) == result
        moments.add(Moments.of_person(_totals(answers, rules), rules))
    want = group_result(results, len(people), rules, hide_individuals=False)
    got = group_from_moments(moments, len(people), rules, hide_individuals=False)
    for code, agg in want.values.items():
        assert got.values[code].n == agg.n
        assert got.values[code].mean == pytest.approx(agg.mean, abs=1e-9)
        assert (got.values[code].sd is None) == (agg.sd is None)
        if agg.sd is not None:
            assert got.values[code].sd == pytest.approx(agg.sd, abs=1e-9)
    assert got.overall.mean == pytest.approx(want.overall.mean, abs=1e-9)
    if want.overall.sd is not None:
        assert got.overall.sd == pytest.approx(want.overall.sd, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda k: st.lists(st.lists(st.integers(1, 5), min_size=k, max_size=k), max_size=40)
    )
)
def test_alpha_from_sums_agrees_with_rows(rows):
    k = len(rows[0]) if rows else 2
    items = [(len(rows), sum(r[j] for r in rows), sum(r[j] ** 2 for r in rows)) for j in range(k)]
    totals = [sum(r) for r in rows]
    total = (len(rows), sum(totals), sum(t * t for t in totals))
    want = cronbach_alpha(rows)
    got = alpha_from_sums(items, total, min_respondents=0)
    assert (got is None) == (want is None)
    if want is not None:
        assert got == pytest.approx(want, abs=1e-9)


def test_alpha_from_sums_published_example():
    items = [
        (10, sum(q), sum(x * x for x in q)) for q in (STATOLOGY_Q1, STATOLOGY_Q2, STATOLOGY_Q3)
    ]
    # totals 3 4 5 6 7 8 8 9 7 9: sum 66, squares 474 (worked above).
    assert alpha_from_sums(items, (10, 66, 474), 10) == pytest.approx(0.7734375, abs=1e-12)
    assert alpha_from_sums(items, (10, 66, 474), 30) is None  # below 30 respondents
    assert alpha_from_sums(items[:1], (10, 23, 57), 10) is None  # one item


def test_item_stats_from_counts():
    # The counts of raw 1, 2, 2, 5 (worked above): mean 2.5, SD sqrt(3).
    stats = item_stats_from_counts({1: 1, 2: 2, 5: 1}, 1, 5)
    assert (stats.n, stats.mean) == (4, 2.5)
    assert stats.sd == pytest.approx(1.7320508)
    assert stats.counts == {1: 1, 2: 2, 3: 0, 4: 0, 5: 1}
    with pytest.raises(ValueError, match="outside the scale"):
        item_stats_from_counts({6: 1}, 1, 5)


# ---------------------------------------------------------------------------------------------
# One suppression decision: no set of fewer than the minimum can be isolated by subtraction.
# Published groups nest, so what subtraction can isolate are the regions: a shown group minus
# the shown groups just below it. Each must hold 0 or at least min_group_size people.
# ---------------------------------------------------------------------------------------------
def _regions_ok(groups, parent, sizes, hidden, minimum):
    below = regions(groups, parent, hidden)
    left = {g: sizes[g] - sum(sizes[c] for c in cs) for g, cs in below.items()}
    return all(n == 0 or n >= minimum for n in left.values()), left


def test_small_parts_that_together_reach_the_minimum_need_nothing_more():
    # Dinas 12 = its own 6 + Bidang X (4) + Bidang Y (2): D minus nothing shown leaves 12.
    parent = {"D": None, "X": "D", "Y": "D"}
    sizes = {"D": 12, "X": 4, "Y": 2}
    hidden = suppression(["D", "X", "Y"], parent, sizes, 5)
    assert hidden == {"X": WITHHELD_SMALL, "Y": WITHHELD_SMALL}


def test_a_region_of_four_hides_the_smallest_unit_beside_it():
    # Sekretariat 30 = its own 4 + Organisasi 6 + Umum 20: 30 - 6 - 20 gives the 4 exactly.
    parent = {"S": None, "ORG": "S", "UM": "S"}
    sizes = {"S": 30, "ORG": 6, "UM": 20}
    hidden = suppression(["S", "ORG", "UM"], parent, sizes, 5)
    assert hidden == {"ORG": WITHHELD_COMPLEMENT}
    assert _regions_ok(["S", "ORG", "UM"], parent, sizes, hidden, 5) == (True, {"S": 10, "UM": 20})


def test_subtraction_through_a_hidden_unit_is_closed_too():
    # P 34 = A 11 (own 1 + A1 10) + B 3 + C 20. Hiding A for B's sake is not enough when A1
    # stays shown: P - C - A1 = 4 people (A's own 1 and B's 3). The rule the first release used
    # (one level at a time) published exactly that.
    groups = ["P", "A", "A1", "B", "C"]
    parent = {"P": None, "A": "P", "A1": "A", "B": "P", "C": "P"}
    sizes = {"P": 34, "A": 11, "A1": 10, "B": 3, "C": 20}
    hidden = suppression(groups, parent, sizes, 5)
    ok, left = _regions_ok(groups, parent, sizes, hidden, 5)
    assert ok, left
    assert hidden["B"] == WITHHELD_SMALL and "P" not in hidden


def test_nothing_is_hidden_when_every_region_is_large_enough():
    parent = {"D": None, "X": "D"}
    assert suppression(["D", "X"], parent, {"D": 11, "X": 5}, 5) == {}
    # A unit whose every member sits in shown units below it leaves an empty region: fine.
    assert suppression(["D", "X"], parent, {"D": 5, "X": 5}, 5) == {}


def test_minimum_group_size_boundary_in_the_decision():
    parent = {"D": None, "X": "D"}
    assert suppression(["D", "X"], parent, {"D": 10, "X": 5}, 5) == {}  # region 5: shown
    assert suppression(["D", "X"], parent, {"D": 9, "X": 5}, 5) == {"X": WITHHELD_COMPLEMENT}
    assert suppression(["D"], {"D": None}, {"D": 4}, 5) == {"D": WITHHELD_SMALL}
    assert suppression(["D"], {"D": None}, {"D": 5}, 5) == {}
