"""What surveyapp.scoring promises beyond the golden numbers: the refusals and their messages,
the inputs it tolerates, the counts it hands back. Written for the mutants `make mutate` found
alive (docs/testing.md); each test says which rule it holds in place."""

import re

import pytest

from surveyapp.scoring import (
    DEFAULT_BANDS,
    WITHHELD_COMPLEMENT,
    WITHHELD_SMALL,
    ItemRule,
    Moments,
    PersonResult,
    Rules,
    alpha_for_value,
    alpha_from_sums,
    cronbach_alpha,
    group_from_moments,
    group_result,
    item_score,
    item_stats_from_counts,
    overall_index,
    person_from_total_list,
    person_result,
    quality_flags,
    regions,
    suppression,
)


def rules_of(codes, *, scale=(1, 5), weights=None, **kwargs) -> Rules:
    return Rules(
        scale_min=scale[0],
        scale_max=scale[1],
        items=tuple(ItemRule(code, code.split("-")[0], False) for code in codes),
        bands=DEFAULT_BANDS,
        weights=weights or {},
        min_group_size=kwargs.pop("min_group_size", 5),
        **kwargs,
    )


def exactly(message: str) -> str:
    """A pytest.raises pattern for this whole message and nothing else."""
    return "^" + re.escape(message) + "$"


ZERO_WEIGHT = "total weight of the values is 0: the overall index is undefined"
SIZES = "minimum sizes must be >= 0"
SECONDS = "min_seconds_per_item must be a finite number >= 0"


# --- rules that a version cannot break ------------------------------------------------------


def test_rules_accept_the_lowest_allowed_settings():
    # Weight 0 leaves a value out of the overall; 0 respondents for alpha and 0 s per item
    # switch those checks off; half a second per item is a number like any other.
    rules = rules_of(["BP-1", "AK-1"], weights={"BP": 0.0}, min_alpha_respondents=0)
    assert person_result({"BP-1": 5, "AK-1": 1}, rules).overall == 0.0  # AK only
    assert rules_of(["BP-1"], min_group_size=0).min_group_size == 0
    assert rules_of(["BP-1"], min_seconds_per_item=0).min_seconds_per_item == 0
    assert rules_of(["BP-1"], min_seconds_per_item=0.5).min_seconds_per_item == 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_group_size": -1}, SIZES),
        ({"min_alpha_respondents": -1}, SIZES),
        ({"min_seconds_per_item": -1.0}, SECONDS),
        ({"min_seconds_per_item": float("nan")}, SECONDS),
    ],
)
def test_rules_refuse_negative_or_undefined_settings(kwargs, message):
    with pytest.raises(ValueError, match=exactly(message)):
        rules_of(["BP-1"], **kwargs)


def test_items_of_an_unknown_value_is_empty():
    assert rules_of(["BP-1"]).items_of("ZZ") == ()


def test_zero_total_weight_is_refused_everywhere_with_one_message():
    rules = rules_of(["BP-1", "AK-1"], weights={"BP": 0.0, "AK": 0.0})
    with pytest.raises(ValueError, match=exactly(ZERO_WEIGHT)):
        person_from_total_list([3, 3], rules)
    with pytest.raises(ValueError, match=exactly(ZERO_WEIGHT)):
        rules.overall_plan  # noqa: B018 - the property raises
    with pytest.raises(ValueError, match=exactly(ZERO_WEIGHT)):
        overall_index({"BP": 50.0}, {"BP": 0.0})


# --- what a bad answer or total is told -----------------------------------------------------


def test_answer_outside_the_scale_without_an_item_code():
    with pytest.raises(ValueError, match=exactly("answer 6 is outside the scale 1-5")):
        item_score(6, False, 1, 5)


def test_every_unknown_and_every_missing_item_is_named():
    rules = rules_of(["BP-1", "BP-2", "BP-3"])
    answers = {"BP-1": 3, "BP-2": 3, "BP-3": 3, "ZZ-1": 1, "ZZ-2": 1}
    with pytest.raises(
        ValueError, match=exactly("answers for items not in this version: ZZ-1, ZZ-2")
    ):
        person_result(answers, rules)
    with pytest.raises(ValueError, match=exactly("unanswered items: BP-2, BP-3")):
        alpha_for_value(
            [{"BP-1": 3}], "BP", rules_of(["BP-1", "BP-2", "BP-3"], min_alpha_respondents=0)
        )


def test_wrong_number_of_totals():
    with pytest.raises(ValueError, match=exactly("expected 2 value totals, got 1")):
        person_from_total_list([3], rules_of(["BP-1", "AK-1"]))


def test_moments_count_from_the_scale_floor():
    # Scale 2-6, two BP items, total 8: u = 8 - 2 * 2 = 4.
    moments = Moments.of_person({"BP": 8}, rules_of(["BP-1", "BP-2"], scale=(2, 6)))
    assert (moments.n, moments.sums, moments.products) == (1, {"BP": 4}, {("BP", "BP"): 16})


def test_person_result_without_an_index_for_a_value():
    rules = rules_of(["BP-1", "AK-1"])
    partial = PersonResult({"BP": 3.0}, {"BP": 50.0}, 50.0, None)
    with pytest.raises(ValueError, match=exactly("a person result has no index for value AK")):
        group_result([partial], 1, rules, hide_individuals=False)


def test_counts_and_sums_that_do_not_add_up():
    with pytest.raises(ValueError, match=exactly("count of answer 2 must be >= 0, got -1")):
        item_stats_from_counts({2: -1}, 1, 5)
    every_item = "every respondent must have a score for every item"
    with pytest.raises(ValueError, match=exactly(every_item)):
        cronbach_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match=exactly(every_item)):
        alpha_from_sums([(3, 6, 14), (2, 4, 8)], (3, 12, 50), 0)


# --- groups ---------------------------------------------------------------------------------

# One value of one item, so an index is 25 points per scale point: 5 -> 100, 4 -> 75, 3 -> 50.
ONE = rules_of(["BP-1"], min_group_size=2)


def _moments(*answers):
    moments = Moments()
    for answer in answers:
        moments.add(Moments.of_person({"BP": answer}, ONE))
    return moments


def test_group_from_moments_keeps_its_counts_shown_or_withheld():
    withheld = group_from_moments(_moments(5), 4, ONE, hide_individuals=True)
    assert (withheld.eligible, withheld.submitted, withheld.participation) == (4, 1, 0.25)
    shown = group_from_moments(_moments(5, 3), 4, ONE, hide_individuals=True)
    assert (shown.eligible, shown.submitted, shown.participation) == (4, 2, 0.5)


def test_group_of_two_has_a_spread_and_identical_people_have_none():
    # 100 and 50: mean 75, deviations 25 and -25, sample variance 1250 / 1, SD 35.3553391.
    two = group_from_moments(_moments(5, 3), 2, ONE, hide_individuals=False)
    assert two.overall.sd == pytest.approx(35.3553391)
    assert two.values["BP"].sd == pytest.approx(35.3553391)
    same = group_from_moments(_moments(4, 4, 4), 3, ONE, hide_individuals=False)
    assert (same.overall.mean, same.overall.sd) == (75.0, 0.0)


def test_an_empty_response_raises_no_flag():
    flags = quality_flags({}, None, ONE)
    assert (flags.straight_lining, flags.too_fast) == (False, False)


# --- secondary suppression: inputs it tolerates, parts it picks -----------------------------


def test_decision_for_a_group_without_a_size_or_a_parent_entry():
    # A group missing from `sizes` holds nobody: withheld as small, nothing to protect.
    assert suppression(["L"], {}, {}, 5) == {"L": WITHHELD_SMALL}
    assert suppression(["L"], {}, {}, 1) == {"L": WITHHELD_SMALL}  # 0 people, not 1
    assert suppression(["L"], {"L": None}, {"L": 5}, 5) == {}


def test_complement_looks_through_a_hidden_unit_to_the_shown_ones_below():
    # P 34 = A 11 (A's own 1 + A1 10) + B 3 + C 20. B is small; P minus C minus A1 would give
    # A's own 1 and B's 3: 4 people. Withholding A alone adds nothing to that region while A1
    # stays shown, so the rule withholds shown units until every region holds 5 or more.
    groups = ["P", "A", "A1", "B", "C"]
    parent = {"P": None, "A": "P", "A1": "A", "B": "P", "C": "P"}
    sizes = {"P": 34, "A": 11, "A1": 10, "B": 3, "C": 20}
    hidden = suppression(groups, parent, sizes, 5)
    below = regions(groups, parent, hidden)
    left = {g: sizes[g] - sum(sizes[c] for c in cs) for g, cs in below.items()}
    assert all(n == 0 or n >= 5 for n in left.values()), left
    assert hidden["B"] == WITHHELD_SMALL and "P" not in hidden


def test_complement_adds_units_up_until_the_minimum():
    # D 14 = own 1 + X 1 + Y 3 + Z 9: X and Y small; D minus Z leaves 1 + 1 + 3 = 5: enough.
    up = {"D": None, "X": "D", "Y": "D", "Z": "D"}
    sizes = {"D": 14, "X": 1, "Y": 3, "Z": 9}
    assert suppression(["D", "X", "Y", "Z"], up, sizes, 5) == {
        "X": WITHHELD_SMALL,
        "Y": WITHHELD_SMALL,
    }
    # Without D's own member the region is 4: Z is withheld too.
    sizes["D"] = 13
    assert suppression(["D", "X", "Y", "Z"], up, sizes, 5)["Z"] == WITHHELD_COMPLEMENT


def test_a_hidden_group_does_not_end_the_walk_over_the_groups_after_it():
    # X (1, small) comes first; D after it still needs its complement: D 10 = own 4 + Y 6.
    up = {"X": None, "D": None, "Y": "D"}
    assert suppression(["X", "D", "Y"], up, {"X": 1, "D": 10, "Y": 6}, 5) == {
        "X": WITHHELD_SMALL,
        "Y": WITHHELD_COMPLEMENT,
    }


def test_complement_prefers_a_unit_that_adds_people_to_the_region():
    # D 14 = own 3 + A 5 (all of it in A1 5, shown) + B 6. D minus A minus B leaves 3. Hiding A
    # adds nobody (A1 still shows the same 5), so B goes, although A is smaller.
    up = {"D": None, "A": "D", "A1": "A", "B": "D"}
    sizes = {"D": 14, "A": 5, "A1": 5, "B": 6}
    assert suppression(["D", "A", "A1", "B"], up, sizes, 5) == {"B": WITHHELD_COMPLEMENT}
