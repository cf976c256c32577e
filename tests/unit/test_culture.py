"""The culture map's numbers (surveyapp/culture.py), against arithmetic done by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from surveyapp import culture
from surveyapp.scoring import VALUE_CODES, band_for

# A small list: the 21 BerAKHLAK behaviours (positions 1-21) and three limiting ones (22-24).
CATALOGUE = [
    culture.Behaviour(id=n, code=f"{code}-{k}", value=code, position=n)
    for n, (code, k) in enumerate(((c, k) for c in VALUE_CODES for k in (1, 2, 3)), 1)
] + [culture.Behaviour(id=21 + k, code=f"L0{k}", value=None, position=21 + k) for k in (1, 2, 3)]
ID = {b.code: b.id for b in CATALOGUE}
PICK = 3


def person(self_, current, desired):
    return {
        "self": [ID[c] for c in self_],
        "current": [ID[c] for c in current],
        "desired": [ID[c] for c in desired],
    }


# Seven people, three choices in each lens.
SEVEN = [
    person(("BP-1", "AK-1", "KO-1"), ("BP-1", "L01", "L02"), ("BP-1", "AK-1", "KO-1")),
    person(("BP-1", "AK-1", "HA-1"), ("BP-1", "L01", "L03"), ("BP-1", "AK-1", "KL-1")),
    person(("BP-1", "AK-1", "KO-1"), ("L01", "L02", "AK-1"), ("BP-1", "KO-1", "KL-1")),
    person(("BP-1", "KO-1", "LO-1"), ("BP-1", "L02", "KO-1"), ("AK-1", "KO-1", "HA-1")),
    person(("AK-1", "KO-1", "AD-1"), ("L01", "AK-1", "HA-1"), ("BP-1", "AK-1", "AD-1")),
    person(("BP-1", "HA-1", "KL-1"), ("BP-1", "AK-1", "LO-1"), ("BP-1", "KO-1", "LO-1")),
    person(("AK-1", "LO-1", "L01"), ("L03", "AD-1", "KL-1"), ("AK-1", "KL-1", "HA-1")),
]


def codes(behaviours):
    return [b.code for b in behaviours]


def test_a_unit_of_seven_worked_by_hand():
    counts = culture.tally(SEVEN)
    got = culture.unit_culture(counts, 7, CATALOGUE, PICK)
    # Self:    BP-1 5 (people 1,2,3,4,6), AK-1 5 (1,2,3,5,7), KO-1 4 (1,3,4,5), HA-1 2, LO-1 2,
    #          AD-1 1, KL-1 1, L01 1: 21 votes = 7 people x 3.
    # Current: BP-1 4 (1,2,4,6), L01 4 (1,2,3,5), L02 3 (1,3,4), AK-1 3 (3,5,6), L03 2 (2,7),
    #          KO-1, HA-1, LO-1, AD-1, KL-1 1 each: 21 votes.
    # Desired: BP-1 5 (1,2,3,5,6), AK-1 5 (1,2,4,5,7), KO-1 4 (1,3,4,6), KL-1 3 (2,3,7),
    #          HA-1 2 (4,7), AD-1 1, LO-1 1: 21 votes.
    assert counts["current"][ID["L02"]] == 3 and counts["current"][ID["AK-1"]] == 3
    assert got.shares["self"][ID["BP-1"]] == 5 / 7
    assert got.shares["current"][ID["KL-2"]] == 0
    # Top 3. Self: BP-1 and AK-1 (5 each, list order), KO-1 (4).
    assert codes(got.top["self"]) == ["BP-1", "AK-1", "KO-1"]
    # Current: L01 and BP-1 tie at 4: the limiting one first. L02 and AK-1 tie at 3 for the
    # last place: the limiting one takes it (a tie never hides a problem).
    assert codes(got.top["current"]) == ["L01", "BP-1", "L02"]
    assert codes(got.top["desired"]) == ["BP-1", "AK-1", "KO-1"]
    # Keselarasan nilai pribadi-organisasi: self {BP-1, AK-1, KO-1} and current
    # {L01, BP-1, L02} share BP-1: 1 of 3 -> 100/3.
    assert got.personal_alignment == 100 / 3
    # Keselarasan budaya saat ini-diharapkan: current and desired share BP-1 only -> 100/3.
    assert got.desired_alignment == 100 / 3
    # Energi positif: current votes to limiting behaviours 4 + 3 + 2 = 9, to BerAKHLAK 12;
    # 12 / 21 * 100 = 400/7 = 57.142857...
    assert got.positive_energy == float(Fraction(400, 7))
    # Health = (100/3 + 100/3 + 400/7) / 3 = (1400/21 + 1200/21) / 3 = 2600/63 = 41.27: C.
    assert got.health == float(Fraction(2600, 63))
    assert got.band.label_id == "C Tidak Sehat"
    # Implementasi: fair share of a value = 3 of 24 behaviours; BP has 4 of 21 current votes:
    # (4/21) / (3/24) * 100 = 9600/63 = 152.38; AK 3 votes -> 7200/63 = 114.29; KO, HA, LO,
    # AD and KL 1 vote each -> 2400/63 = 38.10.
    assert got.implementation["BP"] == float(Fraction(9600, 63))
    assert got.implementation["AK"] == float(Fraction(7200, 63))
    for value in ("KO", "HA", "LO", "AD", "KL"):
        assert got.implementation[value] == float(Fraction(2400, 63))
    # Limiting behaviours in the current culture, most chosen first: L01 4/7, L02 3/7, L03 2/7.
    assert [(b.code, share) for b, share in got.limiting_current] == [
        ("L01", 4 / 7),
        ("L02", 3 / 7),
        ("L03", 2 / 7),
    ]
    # Gaps desired - current in people: KO-1 4-1 = 3; AK-1 5-3 = 2 and KL-1 3-1 = 2 (list
    # order); BP-1 5-4 = 1 and HA-1 2-1 = 1; AD-1 and LO-1 0 are no gap. In points: 3/7*100.
    assert [g.behaviour.code for g in got.gaps] == ["KO-1", "AK-1", "KL-1", "BP-1", "HA-1"]
    assert got.gaps[0].points == float(Fraction(300, 7))
    assert (got.gaps[0].current, got.gaps[0].desired) == (1 / 7, 4 / 7)
    assert got.matches("self", "current") == {ID["BP-1"]}


def test_ties_follow_the_list_among_equals_and_put_limiting_first():
    votes = {ID["KL-3"]: 2, ID["BP-2"]: 2, ID["L03"]: 2, ID["AK-1"]: 5}
    assert codes(culture.rank(votes, CATALOGUE)[:4]) == ["AK-1", "L03", "BP-2", "KL-3"]
    assert codes(culture.top(votes, CATALOGUE, 2)) == ["AK-1", "L03"]
    # Nobody chose the rest: they follow in list order, limiting first.
    assert codes(culture.rank({}, CATALOGUE)[:2]) == ["L01", "L02"]


@pytest.mark.parametrize(
    ("personal", "desired", "energy", "band"),
    [
        (100, 100, 25, "A Sehat"),  # exactly 75
        (100, 100, Fraction(2497, 100), "B Cukup Sehat"),  # 74.99
        (50, 50, 50, "B Cukup Sehat"),  # exactly 50
        (50, 50, Fraction(4997, 100), "C Tidak Sehat"),  # 49.99
        (0, 0, 0, "C Tidak Sehat"),
    ],
)
def test_health_bands_meet_their_bounds_exactly(personal, desired, energy, band):
    score = culture.health(Fraction(personal), Fraction(desired), Fraction(energy))
    assert band_for(score, culture.HEALTH_BANDS).label_id == band


def test_nobody_gives_no_map_and_one_value_taking_every_vote_scores_list_size_over_three():
    assert culture.unit_culture({}, 0, CATALOGUE, PICK) is None
    votes = {ID["BP-1"]: 1, ID["BP-2"]: 1, ID["BP-3"]: 1}
    assert culture.implementation(votes, CATALOGUE)["BP"] == 800  # (3/3) / (3/24) * 100
    assert culture.positive_energy({ID["L01"]: 3}, CATALOGUE) == 0


def test_the_shuffle_depends_only_on_its_seed():
    codes_ = [b.code for b in CATALOGUE]
    a = culture.shuffled(codes_, "7:42")
    assert a == culture.shuffled(codes_, "7:42")
    assert sorted(a) == sorted(codes_) and a != codes_
    assert culture.shuffled(codes_, "7:43") != a
