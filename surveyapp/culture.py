"""The culture map's numbers (docs/culture-map.md): counts of chosen behaviours in, indices out.

Pure like scoring.py: no Flask, no database, standard library only. The SQL path
(services/results.py) only counts choices per unit, lens and behaviour; both paths turn counts
into indices here, and tests/integration/test_culture_property.py checks that counting in SQL
and counting people here agree. Every index is this application's own measure, built in the
spirit of the national BerAKHLAK culture survey; it is not the official index. Indices are
computed as exact fractions and turned into floats once, so a boundary such as 75 is met
exactly. Nothing is rounded: rounding is for display.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .scoring import Band, band_for

LENSES: tuple[str, ...] = ("self", "current", "desired")  # models.culture.LENSES
SELF, CURRENT, DESIRED = LENSES

# The health band of a unit's culture, from the health score (the mean of the two alignments
# and positive energy). "B Cukup Sehat 50-74.9" means from 50 up to, not including, 75.
HEALTH_BANDS: tuple[Band, ...] = (
    Band(75, "A Sehat", "A Healthy"),
    Band(50, "B Cukup Sehat", "B Fairly healthy"),
    Band(0, "C Tidak Sehat", "C Unhealthy"),
)
GAP_COUNT = 5  # how many of the biggest gaps between current and desired are listed

Counts = Mapping[str, Mapping[int, int]]  # lens -> behaviour id -> how many chose it


@dataclass(frozen=True)
class Behaviour:
    """One behaviour on a version's list: `value` is its core value code, None when limiting."""

    id: int
    code: str
    value: str | None
    position: int

    @property
    def limiting(self) -> bool:
        return self.value is None


def shuffled(codes: Sequence[str], seed: str) -> list[str]:
    """The codes in a random order that depends only on the seed (the stored per-person
    order starts from it, so a page shown before the first save is the order that is kept)."""
    out = list(codes)
    # A display order against position bias, not a secret: reproducible by design.
    random.Random(seed).shuffle(out)  # nosec B311
    return out


def tally(people: Iterable[Mapping[str, Iterable[int]]]) -> dict[str, dict[int, int]]:
    """Count, per lens and behaviour id, how many people chose it (the pure twin of the
    GROUP BY)."""
    counts: dict[str, dict[int, int]] = {lens: {} for lens in LENSES}
    for person in people:
        for lens, chosen in person.items():
            into = counts.setdefault(lens, {})
            for behaviour_id in set(chosen):
                into[behaviour_id] = into.get(behaviour_id, 0) + 1
    return counts


def add_counts(into: dict[str, dict[int, int]], other: Counts) -> None:
    """Roll a unit's counts into a group's (a parent's subtree, the organisation)."""
    for lens, by_behaviour in other.items():
        target = into.setdefault(lens, {})
        for behaviour_id, n in by_behaviour.items():
            target[behaviour_id] = target.get(behaviour_id, 0) + n


def rank(votes: Mapping[int, int], catalogue: Sequence[Behaviour]) -> list[Behaviour]:
    """Every behaviour, most chosen first. Ties: a limiting behaviour before a BerAKHLAK one
    (a tie never hides a problem), then the order of the version's list."""
    return sorted(
        catalogue, key=lambda b: (-votes.get(b.id, 0), 0 if b.limiting else 1, b.position)
    )


def top(votes: Mapping[int, int], catalogue: Sequence[Behaviour], pick: int) -> list[Behaviour]:
    """The `pick` most chosen behaviours of a lens, by `rank`'s tie rule."""
    return rank(votes, catalogue)[:pick]


@dataclass(frozen=True)
class Gap:
    behaviour: Behaviour
    current: float  # share of respondents, 0-1
    desired: float
    points: float  # (desired - current) * 100: percentage points people want more of it


@dataclass(frozen=True)
class UnitCulture:
    """One group's culture map: n respondents, per lens the share of respondents who chose
    each behaviour (0-1) and the top `pick`, and the indices (0-100; implementation is 100
    at a value's fair share)."""

    n: int
    pick: int
    shares: dict[str, dict[int, float]]
    top: dict[str, list[Behaviour]]
    personal_alignment: float
    desired_alignment: float
    positive_energy: float
    implementation: dict[str, float]
    health: float
    band: Band
    limiting_current: list[tuple[Behaviour, float]]
    gaps: list[Gap]

    def matches(self, lens_a: str, lens_b: str) -> set[int]:
        return {b.id for b in self.top[lens_a]} & {b.id for b in self.top[lens_b]}


def alignment(top_a: Sequence[Behaviour], top_b: Sequence[Behaviour], pick: int) -> Fraction:
    """Behaviours two top-N lists share, out of N, on 0-100."""
    return Fraction(len({b.id for b in top_a} & {b.id for b in top_b}) * 100, pick)


def positive_energy(current: Mapping[int, int], catalogue: Sequence[Behaviour]) -> Fraction:
    """The share of current-culture votes that go to BerAKHLAK behaviours, 0-100."""
    total = sum(current.get(b.id, 0) for b in catalogue)
    if total == 0:
        return Fraction(0)
    good = sum(current.get(b.id, 0) for b in catalogue if not b.limiting)
    return Fraction(good * 100, total)


def implementation(
    current: Mapping[int, int], catalogue: Sequence[Behaviour]
) -> dict[str, Fraction]:
    """Per core value: its behaviours' share of the current-culture votes against its fair
    share (its behaviours' share of the list), times 100. 100 = exactly its fair share; a
    value nobody sees scores 0; one that takes all the votes scores (list size / 3) * 100."""
    total = sum(current.get(b.id, 0) for b in catalogue)
    size = len(catalogue)
    out: dict[str, Fraction] = {}
    values = []
    for b in catalogue:
        if b.value is not None and b.value not in values:
            values.append(b.value)
    for value in values:
        mine = [b for b in catalogue if b.value == value]
        votes = sum(current.get(b.id, 0) for b in mine)
        out[value] = Fraction(0) if total == 0 else Fraction(votes * size * 100, total * len(mine))
    return out


def health(personal: Fraction, desired: Fraction, energy: Fraction) -> Fraction:
    """The health score: the plain mean of the two alignments and positive energy."""
    return (personal + desired + energy) / 3


def unit_culture(
    counts: Counts, n: int, catalogue: Sequence[Behaviour], pick: int
) -> UnitCulture | None:
    """A group's culture map from its counts; None when nobody in it answered."""
    if n <= 0:
        return None
    votes = {lens: dict(counts.get(lens, {})) for lens in LENSES}
    tops = {lens: top(votes[lens], catalogue, pick) for lens in LENSES}
    personal = alignment(tops[SELF], tops[CURRENT], pick)
    desired = alignment(tops[CURRENT], tops[DESIRED], pick)
    energy = positive_energy(votes[CURRENT], catalogue)
    score = health(personal, desired, energy)
    band = band_for(score, HEALTH_BANDS)
    shares = {lens: {b.id: votes[lens].get(b.id, 0) / n for b in catalogue} for lens in LENSES}
    limiting_now = [
        (b, votes[CURRENT][b.id] / n)
        for b in rank(votes[CURRENT], catalogue)
        if b.limiting and votes[CURRENT].get(b.id, 0) > 0
    ]
    differences = {
        b.id: votes[DESIRED].get(b.id, 0) - votes[CURRENT].get(b.id, 0) for b in catalogue
    }
    wanted = [b for b in rank(differences, catalogue) if differences[b.id] > 0][:GAP_COUNT]
    gaps = [
        Gap(
            b,
            votes[CURRENT].get(b.id, 0) / n,
            votes[DESIRED].get(b.id, 0) / n,
            float(Fraction(differences[b.id] * 100, n)),
        )
        for b in wanted
    ]
    return UnitCulture(
        n=n,
        pick=pick,
        shares=shares,
        top=tops,
        personal_alignment=float(personal),
        desired_alignment=float(desired),
        positive_energy=float(energy),
        implementation={k: float(v) for k, v in implementation(votes[CURRENT], catalogue).items()},
        health=float(score),
        band=band,
        limiting_current=limiting_now,
        gaps=gaps,
    )
