"""Every threshold of surveyapp.scoring, pinned on both sides of its edge.

A rule that moves by one (`<` to `<=`, 5 to 4, 85 to 84.99) must fail a test here: each test
names the last value on one side and the first on the other. Expected values are literals.
"""

import math

import pytest

from surveyapp.scoring import (
    DEFAULT_BANDS,
    WITHHELD_COMPLEMENT,
    WITHHELD_SMALL,
    ItemRule,
    Moments,
    Rules,
    alpha_for_value,
    alpha_from_sums,
    band_for,
    group_from_moments,
    group_result,
    is_withheld,
    person_from_total_list,
    person_result,
    quality_flags,
    quality_flags_from_summary,
    suppression,
)

SANGAT_BAIK, BAIK, CUKUP, PERLU = DEFAULT_BANDS


def below(x: float) -> float:
    """The largest float under x: as close to the edge as a number can get."""
    return math.nextafter(x, -math.inf)


def rules_of(codes, *, min_group_size=5, **kwargs) -> Rules:
    """Rules on a 1-5 scale, no item reversed; the value code is the part before the dash."""
    return Rules(
        scale_min=1,
        scale_max=5,
        items=tuple(ItemRule(code, code.split("-")[0], False) for code in codes),
        bands=DEFAULT_BANDS,
        weights={},
        min_group_size=min_group_size,
        **kwargs,
    )


# --- minimum group size: 5 shown, 4 withheld ------------------------------------------------

TWO_VALUES = rules_of(["BP-1", "AK-1"], min_group_size=5)
ANSWERS = [{"BP-1": 5, "AK-1": 4}, {"BP-1": 3, "AK-1": 3}, {"BP-1": 1, "AK-1": 2}]


def _people(n):
    return [person_result(ANSWERS[i % 3], TWO_VALUES) for i in range(n)]


def _moments(n):
    moments = Moments()
    for i in range(n):
        answers = ANSWERS[i % 3]  # one item per value: the value's total is the answer
        totals = {"BP": answers["BP-1"], "AK": answers["AK-1"]}
        moments.add(Moments.of_person(totals, TWO_VALUES))
    return moments


def test_is_withheld_edge():
    assert is_withheld(4, TWO_VALUES, hide_individuals=True) is True
    assert is_withheld(5, TWO_VALUES, hide_individuals=True) is False
    assert is_withheld(0, TWO_VALUES, hide_individuals=True) is True
    assert is_withheld(6, TWO_VALUES, hide_individuals=True) is False
    # A period that shows individuals withholds nothing, however small the group.
    assert is_withheld(4, TWO_VALUES, hide_individuals=False) is False
    assert is_withheld(0, TWO_VALUES, hide_individuals=False) is False


def test_is_withheld_follows_the_version():
    assert is_withheld(2, rules_of(["BP-1"], min_group_size=3), True) is True
    assert is_withheld(3, rules_of(["BP-1"], min_group_size=3), True) is False
    assert is_withheld(0, rules_of(["BP-1"], min_group_size=0), True) is False


def test_group_result_edge():
    four = group_result(_people(4), eligible=9, rules=TWO_VALUES, hide_individuals=True)
    assert four.withheld is True
    assert (four.values, four.overall, four.band) == ({}, None, None)
    assert (four.submitted, four.eligible) == (4, 9)  # counts stay: they reveal no answer
    five = group_result(_people(5), eligible=9, rules=TWO_VALUES, hide_individuals=True)
    assert five.withheld is False
    assert five.overall.n == 5
    assert five.values["BP"].n == 5 and five.values["AK"].n == 5
    # BP answers 5, 3, 1, 5, 3 -> index 100, 50, 0, 100, 50; AK 4, 3, 2, 4, 3 -> 75, 50, 25,
    # 75, 50. Overall per person 87.5, 50, 12.5, 87.5, 50: sum 287.5, mean 57.5 -> Cukup.
    assert five.overall.mean == pytest.approx(57.5)
    assert five.band == CUKUP


def test_group_from_moments_edge():
    four = group_from_moments(_moments(4), eligible=9, rules=TWO_VALUES, hide_individuals=True)
    assert four.withheld is True
    assert (four.values, four.overall, four.band, four.submitted) == ({}, None, None, 4)
    five = group_from_moments(_moments(5), eligible=9, rules=TWO_VALUES, hide_individuals=True)
    assert five.withheld is False
    assert five.overall.n == 5
    assert five.overall.mean == pytest.approx(57.5)  # as in test_group_result_edge
    assert five.band == CUKUP


# --- Cronbach's alpha: 30 respondents give a number, 29 give none ---------------------------

# Statology's ten customers (test_scoring.py works alpha out by hand: 0.7734375); the data three
# times over gives the same alpha, since every sum of squares triples alike.
Q1 = [1, 2, 2, 3, 2, 2, 3, 3, 2, 3]
Q2 = [1, 1, 1, 2, 3, 3, 2, 3, 3, 3]
Q3 = [1, 1, 2, 1, 2, 3, 3, 3, 2, 3]
ROWS_30 = [list(r) for r in zip(Q1, Q2, Q3, strict=True)] * 3
ALPHA_RULES = Rules(
    scale_min=1,
    scale_max=3,
    items=(
        ItemRule("BP-1", "BP", False),
        ItemRule("BP-2", "BP", False),
        ItemRule("BP-3", "BP", False),
    ),
    bands=DEFAULT_BANDS,
    weights={},
    min_group_size=5,
)


def _raw(rows):
    return [{"BP-1": a, "BP-2": b, "BP-3": c} for a, b, c in rows]


def _sums(rows):
    """(n, sum, sum of squares) per item and of the totals, as the database hands them over."""
    items = [(len(rows), sum(r[j] for r in rows), sum(r[j] ** 2 for r in rows)) for j in range(3)]
    totals = [sum(r) for r in rows]
    return items, (len(rows), sum(totals), sum(t * t for t in totals))


def test_alpha_minimum_is_thirty_by_default():
    assert ALPHA_RULES.min_alpha_respondents == 30


def test_alpha_for_value_edge():
    assert alpha_for_value(_raw(ROWS_30[:29]), "BP", ALPHA_RULES) is None
    assert alpha_for_value(_raw(ROWS_30), "BP", ALPHA_RULES) == pytest.approx(0.7734375)


def test_alpha_from_sums_edge():
    items_29, totals_29 = _sums(ROWS_30[:29])
    items_30, totals_30 = _sums(ROWS_30)
    assert totals_30 == (30, 198, 1422)
    assert alpha_from_sums(items_29, totals_29, 30) is None
    assert alpha_from_sums(items_29, totals_29, 29) is not None  # the 29 rows are not degenerate
    assert alpha_from_sums(items_30, totals_30, 30) == pytest.approx(0.7734375, abs=1e-12)


def test_alpha_from_sums_needs_two_respondents_even_without_a_minimum():
    # Two people: totals 3 and 9, items (1, 3), (1, 3), (1, 3): alpha = 3/2 * (1 - 3*2/18) = 1.
    two = [[1, 1, 1], [3, 3, 3]]
    assert alpha_from_sums(*_sums(two), 0) == pytest.approx(1.0)
    assert alpha_from_sums(*_sums(two[:1]), 0) is None


# --- bands: the lower bound belongs to the band ---------------------------------------------


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (85.0, SANGAT_BAIK),
        (below(85.0), BAIK),
        (70.0, BAIK),
        (below(70.0), CUKUP),
        (55.0, CUKUP),
        (below(55.0), PERLU),
        (0.0, PERLU),
        (below(0.0), None),
    ],
)
def test_band_lower_bounds(index, expected):
    assert band_for(index, DEFAULT_BANDS) == expected


@pytest.mark.parametrize(
    ("total", "index", "expected"),
    # One value of five items on 1-5: index = (total - 5) * 100 / 20.
    [(22, 85.0, SANGAT_BAIK), (21, 80.0, BAIK), (19, 70.0, BAIK), (18, 65.0, CUKUP),
     (16, 55.0, CUKUP), (15, 50.0, PERLU), (5, 0.0, PERLU)],
)  # fmt: skip
def test_indices_land_exactly_on_the_band_edges(total, index, expected):
    rules = rules_of([f"BP-{i}" for i in range(1, 6)])
    person = person_from_total_list([total], rules)
    assert person.value_indices["BP"] == index
    assert person.overall == index
    assert person.band == expected


# --- quality flags --------------------------------------------------------------------------

SIX = rules_of([f"BP-{i}" for i in range(1, 7)])
VARIED = {f"BP-{i}": 1 + i % 5 for i in range(1, 7)}


def test_too_fast_edge_is_two_seconds_per_item():
    assert SIX.min_seconds_per_item == 2.0
    assert quality_flags(VARIED, 12.0, SIX).too_fast is False  # exactly 6 x 2 s
    assert quality_flags(VARIED, below(12.0), SIX).too_fast is True
    assert quality_flags_from_summary(1, 5, 6, 12.0, SIX).too_fast is False
    assert quality_flags_from_summary(1, 5, 6, below(12.0), SIX).too_fast is True
    assert quality_flags_from_summary(None, None, 0, 0.0, SIX).too_fast is False  # nothing read


def test_straight_lining_edge_is_two_answers():
    assert quality_flags({"BP-1": 3}, None, SIX).straight_lining is False
    assert quality_flags({"BP-1": 3, "BP-2": 3}, None, SIX).straight_lining is True
    assert quality_flags({"BP-1": 3, "BP-2": 4}, None, SIX).straight_lining is False
    assert quality_flags_from_summary(3, 3, 1, None, SIX).straight_lining is False
    assert quality_flags_from_summary(3, 3, 2, None, SIX).straight_lining is True
    assert quality_flags_from_summary(None, None, 0, None, SIX).straight_lining is False


# --- the suppression decision: every region holds 0 or at least min_group_size people ------
# Dinas D = its own members + Bidang X + Bidang Y + Bidang Z; a region is a shown group minus
# the shown groups just below it: what subtraction can isolate.

TREE = ["D", "X", "Y", "Z"]
UP = {"D": None, "X": "D", "Y": "D", "Z": "D"}


def _decide(own, x, y, z, minimum=5):
    return suppression(TREE, UP, {"D": own + x + y + z, "X": x, "Y": y, "Z": z}, minimum)


def test_region_of_exactly_min_group_size_needs_nothing_more():
    # X (3) and Y (2) are small; D minus Z leaves its own 0 + 3 + 2 = 5: enough.
    assert _decide(0, 3, 2, 6) == {"X": WITHHELD_SMALL, "Y": WITHHELD_SMALL}


def test_region_one_short_withholds_a_shown_unit_beside_it():
    # Y holds 1: D minus Z would isolate X and Y, 4 people; Z joins them.
    assert _decide(0, 3, 1, 6) == {
        "X": WITHHELD_SMALL,
        "Y": WITHHELD_SMALL,
        "Z": WITHHELD_COMPLEMENT,
    }


def test_group_of_exactly_min_group_size_is_shown_and_one_less_is_not():
    assert suppression(["D"], {"D": None}, {"D": 5}, 5) == {}
    assert suppression(["D"], {"D": None}, {"D": 4}, 5) == {"D": WITHHELD_SMALL}


def test_complement_takes_the_smallest_shown_unit_first():
    # X (2) small; D minus Y minus Z would give X and D's own 0: 2 people. Z (6) is smaller
    # than Y (9): Z is withheld, and D minus Y then leaves 8.
    assert _decide(0, 2, 9, 6) == {"X": WITHHELD_SMALL, "Z": WITHHELD_COMPLEMENT}
