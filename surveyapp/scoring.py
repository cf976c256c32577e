"""The scoring rules of docs/design.md "Scoring": numbers in, numbers out.

Pure on purpose: no Flask, no database, standard library only, so that the rules can be read
and tested on their own and the SQL aggregation can be checked against them. Every rule that
a questionnaire version can change (scale, reverse keying, bands, weights, thresholds) comes in
through `Rules`; nothing here hard-codes a version. Nothing is rounded: rounding is for display.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

VALUE_CODES: tuple[str, ...] = ("BP", "AK", "KO", "HA", "LO", "AD", "KL")  # fixed BerAKHLAK order


@dataclass(frozen=True)
class Band:
    """A named range of the 0-100 index, from `lower` (inclusive) up to the next band."""

    lower: float
    label_id: str
    label_en: str

    def label(self, locale: str) -> str:
        """English for any "en..." locale; Indonesian otherwise, since it is the app's default."""
        return self.label_en if (locale or "").lower().startswith("en") else self.label_id


@dataclass(frozen=True)
class ItemRule:
    """One item of a version as far as scoring cares: its value and whether it is reversed."""

    code: str
    value_code: str
    reverse: bool


@dataclass(frozen=True)
class Rules:
    """What a questionnaire version says about scoring; never constants in code."""

    scale_min: int
    scale_max: int
    items: tuple[ItemRule, ...]
    bands: tuple[Band, ...]
    weights: Mapping[str, float]
    min_group_size: int
    min_alpha_respondents: int = 30
    min_seconds_per_item: float = 2.0

    def __post_init__(self) -> None:
        # A bad version must fail when it is loaded, not as a wrong number in a report.
        _check_scale(self.scale_min, self.scale_max)
        items = tuple(self.items)
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise ValueError(f"item code {item.code!r} appears twice")
            seen.add(item.code)
            if item.value_code not in VALUE_CODES:
                raise ValueError(f"item {item.code!r} has unknown value code {item.value_code!r}")
        weights = dict(self.weights)
        for code, weight in weights.items():
            if code not in VALUE_CODES:
                raise ValueError(f"weight given for unknown value code {code!r}")
            if not math.isfinite(weight) or weight < 0:
                raise ValueError(f"weight of {code} must be a finite number >= 0, got {weight!r}")
        if self.min_group_size < 0 or self.min_alpha_respondents < 0:
            raise ValueError("minimum sizes must be >= 0")
        if not math.isfinite(self.min_seconds_per_item) or self.min_seconds_per_item < 0:
            raise ValueError("min_seconds_per_item must be a finite number >= 0")
        # Own copies, so that a caller changing its list or dict later cannot change the rules.
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "bands", tuple(self.bands))
        object.__setattr__(self, "weights", weights)

    @cached_property
    def value_codes(self) -> tuple[str, ...]:
        """Values that have items, in BerAKHLAK order; a version may leave a value out."""
        present = {item.value_code for item in self.items}
        return tuple(code for code in VALUE_CODES if code in present)

    def items_of(self, value_code: str) -> tuple[ItemRule, ...]:
        """The value's items in questionnaire order."""
        return self._items_by_value.get(value_code, ())

    @cached_property
    def _items_by_value(self) -> dict[str, tuple[ItemRule, ...]]:
        # Cached: a report scores every person of a period under the same rules.
        return {
            code: tuple(item for item in self.items if item.value_code == code)
            for code in VALUE_CODES
        }

    @cached_property
    def value_plan(self) -> tuple[tuple[str, int, int, int, int, float], ...]:
        """Per value with items: (code, k items, lowest total k*min, highest total k*max,
        k*(max-min), weight); what scoring a person needs, worked out once per version."""
        lo, hi = self.scale_min, self.scale_max
        plan = []
        for code in self.value_codes:
            k = len(self.items_of(code))
            plan.append((code, k, k * lo, k * hi, k * (hi - lo), self.weights.get(code, 1.0)))
        return tuple(plan)

    @cached_property
    def total_tables(self) -> tuple[tuple[str, int, tuple[tuple[float, float, float], ...]], ...]:
        """Per value with items: (code, lowest total, and for each possible total from there
        up (mean, index, weight * index)). A value has at most k * (max - min) + 1 totals, so
        scoring a person is seven lookups; the same operations as person_from_totals."""
        tables = []
        for code, k, low, high, span, weight in self.value_plan:
            rows = []
            for total in range(low, high + 1):
                index = (total - low) * 100 / span
                rows.append((total / k, index, weight * index))
            tables.append((code, low, tuple(rows)))
        return tuple(tables)

    @cached_property
    def value_pairs(self) -> tuple[tuple[str, str], ...]:
        """Each unordered pair of values with items once, squares included (see Moments)."""
        codes = self.value_codes
        return tuple((a, b) for i, a in enumerate(codes) for b in codes[i:])

    @cached_property
    def overall_plan(self) -> _OverallPlan:
        """The overall index as whole-number coefficients of the u's (see moments_aggregates)."""
        return _overall_plan(self)

    @cached_property
    def total_weight(self) -> float:
        """Sum of the weights of the values that have items, as overall_index adds them."""
        return math.fsum(self.weights.get(code, 1.0) for code in self.value_codes)


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(85, "Sangat Baik", "Very good"),
    Band(70, "Baik", "Good"),
    Band(55, "Cukup", "Fair"),
    Band(0, "Perlu Pengembangan", "Needs development"),
)
# Only a default for building new versions; scoring functions always take bands from Rules.


def _check_scale(scale_min: int, scale_max: int) -> None:
    if scale_max <= scale_min:
        raise ValueError(f"scale {scale_min}-{scale_max}: maximum must be above minimum")


def _check_answer(answer: int, scale_min: int, scale_max: int, code: str | None = None) -> None:
    where = f" for item {code}" if code else ""
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise ValueError(f"answer{where} must be a whole number, got {answer!r}")
    if not scale_min <= answer <= scale_max:
        raise ValueError(f"answer {answer}{where} is outside the scale {scale_min}-{scale_max}")


def item_score(answer: int, reverse: bool, scale_min: int, scale_max: int) -> int:
    """The answer, or its mirror on the scale for a reverse-keyed item, so that high is good."""
    _check_scale(scale_min, scale_max)
    _check_answer(answer, scale_min, scale_max)
    return scale_min + scale_max - answer if reverse else answer


def value_index(mean: float, scale_min: int, scale_max: int) -> float:
    """A mean item score moved onto 0-100, so that scales of 4, 5 or 7 points compare."""
    _check_scale(scale_min, scale_max)
    return (mean - scale_min) / (scale_max - scale_min) * 100


def mean_item_score(
    mean_answer: float | None, reverse: bool, scale_min: int, scale_max: int
) -> float | None:
    """An item's mean score from its mean answer: mirrored like each answer when reverse-keyed
    (the mean of mirrored answers is the mirrored mean)."""
    if mean_answer is None:
        return None
    return scale_min + scale_max - mean_answer if reverse else mean_answer


def band_label(band: Band | None, locale: str) -> str | None:
    """A band's name in the locale; None for no band (a withheld or empty group)."""
    return band.label(locale) if band is not None else None


def band_for(index: float | None, bands: Sequence[Band]) -> Band | None:
    """The highest band whose lower bound the index reaches; bands may come in any order."""
    if index is None:
        return None
    best: Band | None = None
    for band in bands:
        if index >= band.lower and (best is None or band.lower > best.lower):
            best = band
    return best


def overall_index(value_indices: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Weighted mean of the value indices; a value without a weight counts once."""
    pairs = [(weights.get(code, 1.0), index) for code, index in value_indices.items()]
    total_weight = math.fsum(weight for weight, _ in pairs)
    if total_weight == 0:
        raise ValueError("total weight of the values is 0: the overall index is undefined")
    return in_order_sum(weight * index for weight, index in pairs) / total_weight


def in_order_sum(terms: Iterable[float]) -> float:
    """Left to right with one rounding per addition: what a database does with a + b + c, so
    that an overall index computed in SQL (services/results.py) is the same float as here.
    (math.fsum, and sum() since Python 3.12, round differently.)"""
    total = 0.0
    for term in terms:
        total += term
    return total


@dataclass(frozen=True)
class PersonResult:
    """One response's numbers: per value and overall, unrounded."""

    value_means: dict[str, float]
    value_indices: dict[str, float]
    overall: float
    band: Band | None

    def value_band(self, value_code: str, bands: Sequence[Band]) -> Band | None:
        return band_for(self.value_indices.get(value_code), bands)


def _check_complete(answers: Mapping[str, int], rules: Rules) -> None:
    known = {item.code for item in rules.items}
    unknown = sorted(code for code in answers if code not in known)
    if unknown:
        raise ValueError(f"answers for items not in this version: {', '.join(unknown)}")
    missing = [item.code for item in rules.items if item.code not in answers]
    if missing:
        raise ValueError(f"unanswered items: {', '.join(missing)}")


def person_result(answers: Mapping[str, int], rules: Rules) -> PersonResult:
    """Score one complete response (item code -> raw answer) under a version's rules."""
    _check_complete(answers, rules)
    lo, hi = rules.scale_min, rules.scale_max
    totals = {
        code: sum(
            item_score(_answer(answers, item.code, lo, hi), item.reverse, lo, hi)
            for item in rules.items_of(code)
        )
        for code in rules.value_codes
    }
    return person_from_totals(totals, rules)


def person_from_totals(totals: Mapping[str, int], rules: Rules) -> PersonResult:
    """Score one response from its per-value sums of item scores (reverse keying applied).

    This is how the database's GROUP BY hands a person over; person_result comes here too,
    so there is one place for the arithmetic.
    """
    try:
        ordered = [totals[code] for code in rules.value_codes]
    except KeyError as missing:
        raise ValueError(f"no total for value {missing.args[0]}") from None
    return person_from_total_list(ordered, rules)


def person_from_total_list(totals: Sequence[int], rules: Rules) -> PersonResult:
    """person_from_totals with the totals in the order of rules.value_codes: the hot path of a
    report over a whole organisation, so each value's numbers are looked up in
    Rules.total_tables. A value index comes from the whole-number total with a single
    division, so an index that is exactly 85 is 85.0 (not 84.99999999999999) and the database,
    which sums whole numbers exactly, agrees to the last bit; overall as in overall_index (the
    same operations in the same order, so the same floats, in SQL too), band as in band_for."""
    tables = rules.total_tables
    if len(totals) != len(tables):
        raise ValueError(f"expected {len(tables)} value totals, got {len(totals)}")
    means: dict[str, float] = {}
    indices: dict[str, float] = {}
    weighted = []
    for (code, low, table), total in zip(tables, totals, strict=True):
        at = total - low
        if not 0 <= at < len(table):
            highest = low + len(table) - 1
            raise ValueError(f"total {total} of value {code} is outside {low}-{highest}")
        means[code], indices[code], weight_times_index = table[at]
        weighted.append(weight_times_index)
    if rules.total_weight == 0:
        raise ValueError("total weight of the values is 0: the overall index is undefined")
    overall = in_order_sum(weighted) / rules.total_weight
    return PersonResult(means, indices, overall, band_for(overall, rules.bands))


def _answer(answers: Mapping[str, int], code: str, lo: int, hi: int) -> int:
    answer = answers[code]
    _check_answer(answer, lo, hi, code)
    return answer


@dataclass(frozen=True)
class Aggregate:
    """n, mean and sample standard deviation (n - 1, like Excel STDEV.S and SQL stddev_samp)."""

    n: int
    mean: float | None
    sd: float | None


def aggregate(values: Iterable[float]) -> Aggregate:
    xs = list(values)
    n = len(xs)
    if n == 0:
        return Aggregate(0, None, None)
    mean = math.fsum(xs) / n
    if n < 2:
        return Aggregate(n, mean, None)
    # Two passes: the textbook one-pass formula loses digits when the spread is small.
    variance = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    return Aggregate(n, mean, math.sqrt(variance))


@dataclass(frozen=True)
class GroupResult:
    """A unit's numbers; withheld when n < min_group_size and the period hides individuals."""

    eligible: int
    submitted: int
    participation: float | None
    values: dict[str, Aggregate]
    overall: Aggregate | None
    band: Band | None
    withheld: bool


def participation_rate(submitted: int, eligible: int) -> float | None:
    """Submitted / eligible; None for a unit with nobody eligible (not 0 %, not 100 %)."""
    if eligible < 0:
        raise ValueError(f"eligible must be >= 0, got {eligible}")
    return submitted / eligible if eligible else None


def is_withheld(n: int, rules: Rules, hide_individuals: bool) -> bool:
    """Numbers of fewer than min_group_size people are withheld when individuals are hidden."""
    return hide_individuals and n < rules.min_group_size


WITHHELD_SMALL = "small"  # fewer respondents than the minimum group size
WITHHELD_COMPLEMENT = "complement"  # large enough, hidden so that subtraction reveals nothing


def suppression(
    groups: Sequence[str],
    parent: Mapping[str, str | None],
    sizes: Mapping[str, int],
    min_group_size: int,
) -> dict[str, str]:
    """The groups whose numbers are withheld, each with its reason (WITHHELD_SMALL or
    WITHHELD_COMPLEMENT): one decision for a whole tree of published groups.

    Published groups nest (a unit's subtree inside its parent's), so the only sets of people an
    attacker can isolate by adding and subtracting published sums are the *regions*: a shown
    group minus the largest shown groups below it, and unions of regions. Every region must
    therefore hold no respondent or at least min_group_size. Primary: a group below the minimum.
    Complementary: walking parents first, where a shown group's region is too small, hide the
    shown groups just below it (those that add people to the region first, then the smallest)
    until the region is large enough. Hiding a group only merges its region into the one above,
    which never makes a checked region smaller, so one pass suffices.

    `groups` come parents first; `parent` names each group's parent (None at the top); `sizes`
    gives the respondents of each group (its whole subtree).
    """
    children = _children(groups, parent)
    sizes = {g: sizes.get(g, 0) for g in groups}  # a group nobody reported holds nobody
    hidden = {g: WITHHELD_SMALL for g in groups if sizes[g] < min_group_size}

    def region(g: str, below: Sequence[str]) -> int:
        return sizes[g] - sum(sizes[c] for c in below)

    for g in groups:
        if g in hidden:
            continue
        below = _shown_below(g, children, hidden)
        while 0 < region(g, below) < min_group_size:
            adds = {c: region(c, _shown_below(c, children, hidden)) for c in below}
            pick = min(below, key=lambda c: (adds[c] == 0, sizes[c], c))
            hidden[pick] = WITHHELD_COMPLEMENT
            below.remove(pick)
            below.extend(_shown_below(pick, children, hidden))
    return hidden


def regions(
    groups: Sequence[str], parent: Mapping[str, str | None], hidden: Iterable[str]
) -> dict[str, list[str]]:
    """For each shown group, the shown groups just below it (through hidden ones): the shown
    group minus those is the smallest set of people that subtraction can isolate."""
    children = _children(groups, parent)
    hidden = set(hidden)
    return {g: _shown_below(g, children, hidden) for g in groups if g not in hidden}


def _children(groups: Sequence[str], parent: Mapping[str, str | None]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {g: [] for g in groups}
    for g in groups:
        up = parent.get(g)
        if up is not None:
            children[up].append(g)
    return children


def _shown_below(g: str, children: Mapping[str, list[str]], hidden) -> list[str]:
    """The largest shown groups strictly below g: its children, or below a hidden child."""
    found, stack = [], list(children[g])
    while stack:
        c = stack.pop()
        if c in hidden:
            stack.extend(children[c])
        else:
            found.append(c)
    return found


def group_result(
    people: Sequence[PersonResult], eligible: int, rules: Rules, hide_individuals: bool
) -> GroupResult:
    """Aggregate the person results of a unit; small groups are withheld so no one is exposed.

    Participation is always shown: how many took part says nothing about what anyone answered.
    """
    submitted = len(people)
    participation = participation_rate(submitted, eligible)
    if is_withheld(submitted, rules, hide_individuals):
        return GroupResult(eligible, submitted, participation, {}, None, None, True)
    values: dict[str, Aggregate] = {}
    for code in rules.value_codes:
        try:
            values[code] = aggregate(person.value_indices[code] for person in people)
        except KeyError:
            raise ValueError(f"a person result has no index for value {code}") from None
    overall = aggregate(person.overall for person in people)
    band = band_for(overall.mean, rules.bands)
    return GroupResult(eligible, submitted, participation, values, overall, band, False)


def _sample_variance(xs: Sequence[float]) -> float:
    mean = math.fsum(xs) / len(xs)
    return math.fsum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Internal consistency of items meant to measure one thing.

    rows are respondents, columns items (already reverse-scored).
    alpha = k/(k-1) * (1 - sum of item variances / variance of the totals), sample variances.
    None where it is undefined: fewer than 2 items, fewer than 2 respondents, or no spread in
    the totals.
    """
    n = len(rows)
    k = len(rows[0]) if n else 0
    if any(len(row) != k for row in rows):
        raise ValueError("every respondent must have a score for every item")
    if k < 2 or n < 2:
        return None
    totals = [math.fsum(row) for row in rows]
    total_variance = _sample_variance(totals)
    if total_variance == 0:
        return None
    item_variances = math.fsum(_sample_variance([row[j] for row in rows]) for j in range(k))
    return k / (k - 1) * (1 - item_variances / total_variance)


def alpha_for_value(
    item_scores_by_person: Sequence[Mapping[str, int]], value_code: str, rules: Rules
) -> float | None:
    """Cronbach's alpha of one value's items; None below rules.min_alpha_respondents people.

    Each mapping is one respondent's RAW answers (item code -> answer, as stored); this function
    reverse-keys them, since alpha over unreversed items measures the wording, not the value.
    Answers to items of other values are ignored, so a whole response can be passed.
    """
    if len(item_scores_by_person) < rules.min_alpha_respondents:
        return None
    items = rules.items_of(value_code)
    lo, hi = rules.scale_min, rules.scale_max
    rows = []
    for answers in item_scores_by_person:
        missing = [item.code for item in items if item.code not in answers]
        if missing:
            raise ValueError(f"unanswered items: {', '.join(missing)}")
        rows.append(
            [item_score(_answer(answers, i.code, lo, hi), i.reverse, lo, hi) for i in items]
        )
    return cronbach_alpha(rows)


@dataclass(frozen=True)
class ItemStats:
    """What people actually ticked on one item: raw answers, not reverse-scored."""

    n: int
    mean: float | None
    sd: float | None
    counts: dict[int, int]


def item_stats(raw_answers: Iterable[int], scale_min: int, scale_max: int) -> ItemStats:
    """Counts carry every scale point, zeros included, so charts and tables line up."""
    _check_scale(scale_min, scale_max)
    counts = dict.fromkeys(range(scale_min, scale_max + 1), 0)
    for answer in raw_answers:
        _check_answer(answer, scale_min, scale_max)
        counts[answer] += 1
    return item_stats_from_counts(counts, scale_min, scale_max)


def item_stats_from_counts(counts: Mapping[int, int], scale_min: int, scale_max: int) -> ItemStats:
    """Item statistics from how many people ticked each scale point (a GROUP BY's output).

    Whole-number sums make the mean and SD exact up to the final rounding to a float.
    """
    _check_scale(scale_min, scale_max)
    full = dict.fromkeys(range(scale_min, scale_max + 1), 0)
    for answer, count in counts.items():
        _check_answer(answer, scale_min, scale_max)
        if count < 0:
            raise ValueError(f"count of answer {answer} must be >= 0, got {count}")
        full[answer] += count
    agg = _aggregate_from_sums(
        sum(full.values()),
        sum(a * c for a, c in full.items()),
        sum(a * a * c for a, c in full.items()),
    )
    return ItemStats(agg.n, agg.mean, agg.sd, full)


def _aggregate_from_sums(
    n: int, total: int, squares: int, numerator: int = 1, denominator: int = 1
) -> Aggregate:
    """n, mean and sample SD of numbers x = u * numerator / denominator, given n, sum(u) and
    sum(u*u) of integers u.

    Whole-number arithmetic with one rounding at the end (Python's int / int is correctly
    rounded): the one-pass formula is only unsafe in floating point, not in whole numbers.
    """
    if n == 0:
        return Aggregate(0, None, None)
    mean = numerator * total / (denominator * n)
    if n < 2:
        return Aggregate(n, mean, None)
    spread = numerator * numerator * (n * squares - total * total)
    return Aggregate(n, mean, math.sqrt(spread / (denominator * denominator * n * (n - 1))))


def alpha_from_sums(
    item_sums: Sequence[tuple[int, int, int]],
    total_sums: tuple[int, int, int],
    min_respondents: int,
) -> float | None:
    """Cronbach's alpha from (n, sum, sum of squares) of each item and of the value totals.

    What the database can aggregate without handing every answer over. An item's variance is
    the same whether or not it is reverse-scored (a mirror does not change spread), so the
    item sums may be of raw answers; the totals must be of reverse-scored sums. Same None cases
    as cronbach_alpha, and None below min_respondents respondents.
    """
    n, total, squares = total_sums
    k = len(item_sums)
    if n < max(min_respondents, 2) or k < 2:
        return None
    total_ss = Fraction(n * squares - total * total, n * (n - 1))
    if total_ss == 0:
        return None
    item_ss = Fraction(0)
    for item_n, item_total, item_squares in item_sums:
        if item_n != n:
            raise ValueError("every respondent must have a score for every item")
        item_ss += Fraction(item_n * item_squares - item_total * item_total, n * (n - 1))
    return float(Fraction(k, k - 1) * (1 - item_ss / total_ss))


@dataclass
class Moments:
    """Whole-number sums over a group of people, enough for n, mean and SD of every value index
    and of the overall index: the count, per value the sum of u and per pair of values the sum
    of u_v * u_w, where u is a value's total score above its floor (total - k * scale_min).

    A database sums these per unit in one GROUP BY; units then add up into their parents
    without looking at a person again, and nothing is lost to floating point on the way.
    """

    n: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    products: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of_person(cls, totals: Mapping[str, int], rules: Rules) -> Moments:
        u = {
            code: totals[code] - len(rules.items_of(code)) * rules.scale_min
            for code in rules.value_codes
        }
        codes = rules.value_codes
        return cls(
            1,
            u,
            {(a, b): u[a] * u[b] for i, a in enumerate(codes) for b in codes[i:]},
        )

    def add(self, other: Moments) -> None:
        self.n += other.n
        for key, value in other.sums.items():
            self.sums[key] = self.sums.get(key, 0) + value
        for key, value in other.products.items():
            self.products[key] = self.products.get(key, 0) + value


@dataclass(frozen=True)
class _OverallPlan:
    """overall index = sum over values of coefficient_v * u_v / denominator, in whole numbers:
    coefficient_v / denominator = weight_v / total weight * 100 / (k_v * (max - min)) exactly
    (the float weights are binary fractions, so they are exact rationals)."""

    coefficients: dict[str, int]
    denominator: int


def _overall_plan(rules: Rules) -> _OverallPlan:
    if rules.total_weight == 0:
        raise ValueError("total weight of the values is 0: the overall index is undefined")
    total = Fraction(rules.total_weight)
    exact = {
        code: Fraction(weight) / total * Fraction(100, span)
        for code, _k, _low, _high, span, weight in rules.value_plan
    }
    denominator = math.lcm(*(c.denominator for c in exact.values()))
    return _OverallPlan({code: int(c * denominator) for code, c in exact.items()}, denominator)


def moments_aggregates(moments: Moments, rules: Rules) -> tuple[dict[str, Aggregate], Aggregate]:
    """n, mean and SD of each value index and of the overall index of the group.

    A value index is u * 100 / (k * (max - min)); the overall index is linear in the u's, so its
    sum comes from the sums and its sum of squares is a quadratic form in the products.
    """
    n = moments.n
    sums, products = moments.sums, moments.products
    values = {
        code: _aggregate_from_sums(n, sums.get(code, 0), products.get((code, code), 0), 100, span)
        for code, _k, _low, _high, span, _w in rules.value_plan
    }
    plan = rules.overall_plan
    a, d = plan.coefficients, plan.denominator
    if n == 0:
        return values, Aggregate(0, None, None)
    mean = sum(a[v] * sums.get(v, 0) for v in a) / (d * n)
    if n < 2:
        return values, Aggregate(n, mean, None)
    spread = 0  # n * sum (x - mean)^2 * d^2 = sum over pairs a_v a_w (n S_vw - s_v s_w)
    for v, w in rules.value_pairs:
        term = n * products.get((v, w), 0) - sums.get(v, 0) * sums.get(w, 0)
        spread += (1 if v == w else 2) * a[v] * a[w] * term
    return values, Aggregate(n, mean, math.sqrt(max(spread, 0) / (d * d * n * (n - 1))))


def group_from_moments(
    moments: Moments, eligible: int, rules: Rules, hide_individuals: bool
) -> GroupResult:
    """group_result for a group given by its Moments instead of its people; same numbers."""
    participation = participation_rate(moments.n, eligible)
    if is_withheld(moments.n, rules, hide_individuals):
        return GroupResult(eligible, moments.n, participation, {}, None, None, True)
    values, overall = moments_aggregates(moments, rules)
    band = band_for(overall.mean, rules.bands)
    return GroupResult(eligible, moments.n, participation, values, overall, band, False)


@dataclass(frozen=True)
class QualityFlags:
    """Signs that a response was not read: hints for HR, never a reason to drop it."""

    straight_lining: bool
    too_fast: bool

    def codes(self) -> list[str]:
        return [name for name in ("straight_lining", "too_fast") if getattr(self, name)]


def quality_flags(
    answers: Mapping[str, int], duration_seconds: float | None, rules: Rules
) -> QualityFlags:
    """Flag one response. Raw answers are compared, so ticking 5 everywhere is flagged even
    though the reverse items then score 1; an unknown duration is never too fast."""
    raw = list(answers.values())
    return quality_flags_from_summary(
        min(raw, default=None), max(raw, default=None), len(raw), duration_seconds, rules
    )


def quality_flags_from_summary(
    lowest: int | None,
    highest: int | None,
    answered: int,
    duration_seconds: float | None,
    rules: Rules,
) -> QualityFlags:
    """quality_flags from what a GROUP BY gives: lowest and highest raw answer, how many."""
    straight = answered >= 2 and lowest == highest
    too_fast = (
        duration_seconds is not None and duration_seconds < rules.min_seconds_per_item * answered
    )
    return QualityFlags(straight, too_fast)


def change(current: float | None, previous: float | None) -> float | None:
    """Difference from the previous period; None when either side has no number."""
    if current is None or previous is None:
        return None
    return current - previous
