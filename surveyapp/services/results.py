"""A period's numbers, computed by the database: person indices, unit results, item statistics,
reliability and change since the previous period.

Every function runs a fixed number of statements whatever the size of the organisation: the
answers are summed per person and per roster unit with GROUP BY (reverse keying in SQL), and
only the per-unit sums come back to Python, where units add up into their parents (work in
proportion to units times depth, never to people). The sums are whole numbers, so the arithmetic
that turns them into indices, means and standard deviations (in `scoring`) is exact up to the
last rounding, and agrees with the pure reference to the last digits.

These functions report; they do not decide who may see what. A view checks the user's scope
(services.org) before it asks for a subtree, and shows individual results only where the
period allows it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask_babel import to_user_timezone

from .. import culture, scoring
from ..extensions import db
from ..models import (
    ANSWER_MASK_BITS,
    ANSWER_MASK_COLUMNS,
    MASK_POSITIONS,
    PERIOD_CLOSED,
    PERIOD_OPEN,
    RESPONSE_SUBMITTED,
    Answer,
    CoreValue,
    CultureBehaviour,
    CultureChoice,
    Item,
    Period,
    PeriodUnit,
    QuestionnaireVersion,
    Response,
    ResponseScore,
    RosterEntry,
    utcnow,
)
from . import org

# --- the version's rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    """A version's scoring rules plus what the SQL needs: item rows and core value ids."""

    rules: scoring.Rules
    items: tuple[Item, ...]
    value_ids: dict[str, int]  # value code -> core_values.id


def _load_version(version: QuestionnaireVersion) -> _Version:
    """The version's items in order with their core values: one query, once per database
    session (a page asks for the rules from several places)."""
    cache = db.session.info.setdefault(_VERSIONS_KEY, {})
    found = cache.get(version.id)
    if found is None:
        found = cache[version.id] = _read_version(version)
    return found


_VERSIONS_KEY = "surveyapp.versions"


def _read_version(version: QuestionnaireVersion) -> _Version:
    rows = db.session.scalars(
        sa.select(Item)
        .join(Item.core_value)
        .options(sa.orm.contains_eager(Item.core_value))
        .where(Item.version_id == version.id)
        .order_by(Item.position, Item.id)
    ).all()
    rules = scoring.Rules(
        scale_min=version.scale_min,
        scale_max=version.scale_max,
        items=tuple(scoring.ItemRule(i.code, i.core_value.code, bool(i.reverse)) for i in rows),
        bands=tuple(
            scoring.Band(float(b["lower"]), str(b["label_id"]), str(b["label_en"]))
            for b in version.bands or ()
        ),
        weights={str(k): float(v) for k, v in (version.weights or {}).items()},
        min_group_size=version.min_group_size,
    )
    return _Version(rules, tuple(rows), {i.core_value.code: i.core_value_id for i in rows})


def version_items(version: QuestionnaireVersion) -> tuple[Item, ...]:
    """The version's items in questionnaire order, each with its core value loaded."""
    return _load_version(version).items


def rules_for(version: QuestionnaireVersion) -> scoring.Rules:
    """The scoring rules a version states: scale, items and their reverse flags, bands, weights,
    minimum group size."""
    return _load_version(version).rules


# --- shared SQL pieces -----------------------------------------------------------------------


def _in_scope(path_column, root_path: str | None):
    return sa.true() if root_path is None else org.in_subtree(path_column, root_path)


# Per-person value totals leave the database packed into one whole number where they fit: one
# SUM per answer row instead of one per value, which is most of the cost on 2.8 million answers.
BIGINT = sa.BigInteger()
PACK_BITS = 62  # below the sign bit of a 64-bit integer, in SQLite and in PostgreSQL


class _Totals:
    """How each response's per-value totals come out of a GROUP BY over its answers, and how
    they are read back (in Python, or in SQL by an outer query).

    Packed: u_v = total_v - k_v * min lies in 0..k_v * (max - min), so it needs a fixed number
    of bits; value v gets its own bit field, each answer adds (score - min) << shift_v, and one
    SUM carries all the values without carries between fields. When a version's fields do not
    fit in PACK_BITS, one SUM per value instead. Reverse keying happens in SQL either way.
    """

    def __init__(self, info: _Version):
        rules = info.rules
        lo, hi = rules.scale_min, rules.scale_max
        self.plan = rules.value_plan
        shifts, bit = {}, 0
        for code, _k, _low, _high, span, _w in self.plan:
            shifts[code] = bit
            bit += span.bit_length()
        self.packed = bit <= PACK_BITS
        self.shifts = shifts
        self.fields = [
            (shifts[code], (1 << span.bit_length()) - 1, low)
            for code, _k, low, _high, span, _w in self.plan
        ]
        above_floor = sa.case(
            (Item.reverse, sa.literal(hi) - Answer.value), else_=Answer.value - lo
        )
        if self.packed:
            field = sa.case(
                *(
                    (Item.core_value_id == info.value_ids[c], sa.literal(1 << shifts[c], BIGINT))
                    for c in shifts
                ),
                else_=sa.literal(0, BIGINT),
            )
            self.columns = [sa.func.sum(above_floor * field).label("packed")]
        else:
            self.columns = [
                sa.func.sum(
                    sa.case((Item.core_value_id == info.value_ids[c], above_floor), else_=0)
                ).label(f"u_{c}")
                for c in shifts
            ]

    def totals(self, values) -> list[int]:
        """Python: the per-value totals of one response (in rules.value_codes order) from its
        row's columns."""
        if self.packed:
            packed = int(values[0])
            return [((packed >> shift) & mask) + low for shift, mask, low in self.fields]
        return [int(u) + low for (_shift, _mask, low), u in zip(self.fields, values, strict=True)]

    def u_columns(self, per_response) -> dict[str, sa.ColumnElement]:
        """SQL: u_v of each row of a per-response subquery made with these columns."""
        if not self.packed:
            return {code: per_response.c[f"u_{code}"] for code in self.shifts}
        packed = sa.cast(per_response.c.packed, BIGINT)  # PostgreSQL sums bigint as numeric
        return {
            code: packed.op(">>")(sa.literal(self.shifts[code], sa.Integer)).op("&")(
                sa.literal((1 << span.bit_length()) - 1, BIGINT)
            )
            for code, _k, _low, _high, span, _w in self.plan
        }


def _submitted_answers(period: Period, root_path: str | None):
    """FROM answers JOIN responses JOIN items, for the submitted responses of the subtree."""
    return (
        sa.select()
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Item, Item.id == Answer.item_id)
        .where(
            Response.period_id == period.id,
            Response.state == RESPONSE_SUBMITTED,
            _in_scope(Response.unit_path, root_path),
        )
    )


def item_score_sql(scale_sum):
    """SQL twin of scoring.item_score: the answer, or `min + max - answer` when reversed."""
    return sa.case((Item.reverse, scale_sum - Answer.value), else_=Answer.value)


def store_value_sums(response_ids) -> None:
    """Write the ResponseScore row of each given submitted response: a list of ids (in chunks,
    under SQLite's limit on parameters) or a SELECT of them. One INSERT ... SELECT with a GROUP
    BY per chunk, in the caller's transaction (the submit's, the seed's, a backfill's)."""
    if isinstance(response_ids, list | tuple):
        for start in range(0, len(response_ids), 5000):
            _insert_scores(list(response_ids[start : start + 5000]))
    else:
        _insert_scores(response_ids)


def _insert_scores(response_ids) -> None:
    score = item_score_sql(QuestionnaireVersion.scale_min + QuestionnaireVersion.scale_max)
    columns, values = ["response_id"], [Answer.response_id]
    for code in scoring.VALUE_CODES:
        mine = CoreValue.code == code
        columns += [f"{code.lower()}_sum", f"{code.lower()}_items"]
        values += [
            sa.func.sum(sa.case((mine, score), else_=0)),
            sa.func.count(sa.case((mine, 1))),
        ]
    columns += ["lowest_answer", "highest_answer", "answered"]
    values += [sa.func.min(Answer.value), sa.func.max(Answer.value), sa.func.count()]
    version = QuestionnaireVersion
    bit = answer_bit(
        Item.position,
        Answer.value - version.scale_min,
        version.scale_max - version.scale_min + 1,
    )
    for column in range(ANSWER_MASK_COLUMNS):
        columns.append(f"answer_mask_{column}")
        values.append(
            sa.func.sum(
                sa.case(
                    (bit // ANSWER_MASK_BITS == column, _one_bit(bit % ANSWER_MASK_BITS)),
                    else_=0,
                )
            )
        )
    for lens in culture.LENSES:
        columns.append(f"{lens}_mask")
        values.append(_choice_mask(Answer.response_id, lens))
    rows = (
        sa.select(*values)
        .join(Item, Item.id == Answer.item_id)
        .join(CoreValue, CoreValue.id == Item.core_value_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .where(Answer.response_id.in_(response_ids))
        .group_by(Answer.response_id)
    )
    db.session.execute(sa.insert(ResponseScore).from_select(columns, rows))


# The layout of the masks in ResponseScore, in one place for the submit that writes them and
# the close that counts them (migration 0010 keeps its own copy, as migrations do). Each works
# on whole numbers and on SQL expressions alike.


def answer_bit(position, offset, points):
    """The bit, counted over the answer mask columns together, of answer `scale_min + offset`
    to the item at `position` on a scale of `points` points."""
    return (position - 1) * points + offset


def choice_bit(position):
    """The bit, in its lens's mask, of the behaviour at list `position`."""
    return position - 1


def _one_bit(bit):
    """SQL: 1 << bit, as a 64-bit whole number."""
    return sa.cast(sa.literal(1), BIGINT).op("<<")(bit)


def _bit_count(mask, bit: int):
    """SQL: how many rows have `bit` set in `mask` (NULL masks count nothing). A filtered
    COUNT, a third cheaper on PostgreSQL than summing the shifted bit as a 64-bit number."""
    one_bit = sa.literal(1 << bit, BIGINT, literal_execute=True)
    return sa.func.count().filter(mask.op("&")(one_bit) != 0)


def _choice_mask(response_id, lens: str):
    """SQL: the response's choices in the lens as bits (choice_bit); NULL without choices, or
    when one lies past MASK_POSITIONS. A subquery correlated to `response_id`."""
    position = CultureBehaviour.position
    last = MASK_POSITIONS
    return (
        sa.select(
            sa.case(
                (sa.func.max(position) > last, sa.null()),
                else_=sa.func.sum(sa.case((position <= last, _one_bit(choice_bit(position))))),
            )
        )
        .select_from(CultureChoice)
        .join(CultureBehaviour, CultureBehaviour.id == CultureChoice.behaviour_id)
        .where(CultureChoice.response_id == response_id, CultureChoice.lens == lens)
        .scalar_subquery()
    )


def forget_value_sums(response_id: int) -> None:
    """A reopened response has no result until it is submitted again."""
    db.session.execute(sa.delete(ResponseScore).where(ResponseScore.response_id == response_id))


FROM_SUMS, FROM_ANSWERS = "sums", "answers"


def _per_response(period: Period, info: _Version, root_path: str | None, source: str):
    """One row per submitted response of the subtree: who and where, the lowest and highest
    raw answer and how many, and u_<code> = value total - k * scale_min for each value.

    FROM_SUMS reads the row stored at submit (one a person, no GROUP BY); FROM_ANSWERS
    recomputes it from the raw answers (28 rows a person), for `flask results verify`."""
    rules = info.rules
    keys = (
        Response.id.label("response_id"),
        Response.employee_id.label("employee_id"),
        Response.unit_id.label("unit_id"),
        Response.unit_path.label("unit_path"),
        # Plain (naive UTC) times: a duration needs no time zone, and 100,000 rows need no
        # conversion each (models.types.UTCDateTime).
        sa.type_coerce(Response.started_at, sa.DateTime()).label("started_at"),
        sa.type_coerce(Response.submitted_at, sa.DateTime()).label("submitted_at"),
    )
    if source == FROM_ANSWERS:
        packing = _Totals(info)
        query = _submitted_answers(period, root_path).add_columns(
            *keys,
            sa.func.min(Answer.value).label("lowest"),
            sa.func.max(Answer.value).label("highest"),
            sa.func.count().label("answered"),
            *packing.columns,
        )
        # Grouped by the primary key alone (the other columns depend on it), so that SQLite
        # walks the responses in order and needs no sort.
        return query.group_by(Response.id), packing.u_columns
    else:
        lo = rules.scale_min
        query = (
            sa.select(
                *keys,
                ResponseScore.lowest_answer.label("lowest"),
                ResponseScore.highest_answer.label("highest"),
                ResponseScore.answered.label("answered"),
                *(
                    (ResponseScore.sum_of(c) - ResponseScore.items_of(c) * lo).label(f"u_{c}")
                    for c in rules.value_codes
                ),
            )
            .select_from(ResponseScore)
            .join(Response, Response.id == ResponseScore.response_id)
            .where(
                Response.period_id == period.id,
                Response.state == RESPONSE_SUBMITTED,
                _in_scope(Response.unit_path, root_path),
            )
        )

        def u(sub):
            return {code: sub.c[f"u_{code}"] for code in rules.value_codes}

        return query, u


# --- people ----------------------------------------------------------------------------------


class PersonIndices:
    """One submitted response's numbers as the database worked them out (a row of
    person_results' query, unrounded), with the band and the answer-quality hints read off it
    when asked: a report over a whole organisation fetches one row a person and builds nothing
    more for the people it does not show."""

    __slots__ = ("_row", "_rules")

    def __init__(self, row, rules: scoring.Rules):
        self._row = row
        self._rules = rules

    response_id = property(lambda self: self._row[0])
    employee_id = property(lambda self: self._row[1])
    unit_id = property(lambda self: self._row[2])
    unit_path = property(lambda self: self._row[3])
    overall = property(lambda self: self._row[9])

    @property
    def value_indices(self) -> dict[str, float]:
        return dict(zip(self._rules.value_codes, self._row[10:], strict=True))

    @property
    def band(self) -> scoring.Band | None:
        return scoring.band_for(self.overall, self._rules.bands)

    @property
    def flags(self) -> scoring.QualityFlags:
        started, submitted, low, high, n = self._row[4:9]
        # Naive UTC on both sides (see _per_response): only their difference is needed.
        duration = (submitted - started).total_seconds() if submitted and started else None
        return scoring.quality_flags_from_summary(low, high, n, duration, self._rules)

    def value_band(self, value_code: str, bands) -> scoring.Band | None:
        return scoring.band_for(self.value_indices.get(value_code), bands)


class People(Mapping[int, PersonIndices]):
    """person_results' answer: each submitted response's row by employee id."""

    def __init__(self, rows, rules: scoring.Rules):
        self._rows = {row[1]: row for row in rows}
        self._rules = rules

    def __getitem__(self, employee_id: int) -> PersonIndices:
        return PersonIndices(self._rows[employee_id], self._rules)

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


DOUBLE = sa.Double()


def person_results(
    period: Period,
    root_path: str | None = None,
    *,
    employee_id: int | None = None,
    source: str = FROM_SUMS,
) -> People:
    """Every submitted response of the period whose roster unit lies under root_path (None: all),
    by employee id; employee_id narrows it to one person. One query: the database turns each
    person's totals into value indices and the overall index with the operations of
    scoring.person_from_total_list, in the same order (each value index one division of whole
    numbers, the overall index the weighted indices added left to right, then divided by the
    total weight), so they are the same floats; tests compare the two."""
    info = _load_version(period.version)
    rules = info.rules
    rules.overall_plan  # noqa: B018 -- raises when the total weight is 0, as scoring does
    query, u_columns = _per_response(period, info, root_path, source)
    if employee_id is not None:
        query = query.where(Response.employee_id == employee_id)
    per_response = query.subquery()
    u = u_columns(per_response)
    indices, overall = [], None
    for code, _k, _low, _high, span, weight in rules.value_plan:
        index = sa.cast(u[code] * 100, DOUBLE) / sa.literal(float(span), DOUBLE)
        indices.append(index.label(f"index_{code}"))
        term = sa.literal(float(weight), DOUBLE) * index
        overall = term if overall is None else overall + term
    overall = (overall / sa.literal(rules.total_weight, DOUBLE)).label("overall")
    columns = [per_response.c[name] for name in _PERSON_COLUMNS]
    query = sa.select(*columns, overall, *indices)
    return People(plain_rows(query), rules)


def plain_rows(query) -> list[tuple]:
    """All rows of a Core query, as the driver's own tuples where the driver converts every
    column itself (psycopg): at 100,000 rows SQLAlchemy's Row objects cost a third of the
    time. SQLite hands times over as text, which SQLAlchemy's types parse: Rows there."""
    connection = db.session.connection()
    with connection.execute(query) as result:
        if connection.dialect.name == "sqlite":
            return result.all()
        return result.cursor.fetchall()


_PERSON_COLUMNS = (  # PersonIndices reads them by position: keep the order
    "response_id",
    "employee_id",
    "unit_id",
    "unit_path",
    "started_at",
    "submitted_at",
    "lowest",
    "highest",
    "answered",
)


# --- units -----------------------------------------------------------------------------------


class Counts:
    """Who took part: what follows from eligible, submitted and drafts, for every class that
    has them (Tally, Numbers, participation rows): one rule for every page and workbook."""

    eligible: int
    submitted: int
    drafts: int

    @property
    def not_started(self) -> int:
        return self.eligible - self.submitted - self.drafts

    @property
    def rate(self) -> float | None:
        return scoring.participation_rate(self.submitted, self.eligible)


@dataclass(frozen=True)
class Numbers(Counts):
    """A group's numbers: counts always; statistics unless withheld (then empty and None)."""

    eligible: int
    submitted: int
    drafts: int
    participation: float | None
    values: dict[str, scoring.Aggregate]
    overall: scoring.Aggregate | None
    band: scoring.Band | None
    withheld: bool


@dataclass(frozen=True)
class UnitResult(Numbers):
    """A unit of the period's roster snapshot and its subtree's numbers. depth counts from the
    top of the result; withheld_reason says why numbers are withheld (scoring.WITHHELD_*)."""

    unit_id: int | None
    code: str | None
    name: str | None
    path: str
    depth: int
    parent_unit_id: int | None
    withheld_reason: str | None = None


@dataclass
class Tally(Counts):
    """Counts being added up (a unit's subtree)."""

    eligible: int = 0
    submitted: int = 0
    drafts: int = 0

    def add(self, other: Tally) -> None:
        self.eligible += other.eligible
        self.submitted += other.submitted
        self.drafts += other.drafts


def roster_with_responses(period: Period, root_path: str | None = None):
    """FROM the period's roster (under root_path), each entry outer-joined to its response:
    the one base of every count and every list of people; callers add columns and joins."""
    return (
        sa.select()
        .select_from(RosterEntry)
        .outerjoin(
            Response,
            sa.and_(
                Response.period_id == RosterEntry.period_id,
                Response.employee_id == RosterEntry.employee_id,
            ),
        )
        .where(RosterEntry.period_id == period.id, _in_scope(RosterEntry.unit_path, root_path))
    )


def count_columns() -> tuple:
    """eligible, submitted, drafts over roster_with_responses, in that order."""
    return (
        sa.func.count(RosterEntry.id),
        sa.func.count(sa.case((Response.state == RESPONSE_SUBMITTED, 1))),
        sa.func.count(sa.case((Response.state != RESPONSE_SUBMITTED, 1))),
    )


def _roster_counts(period: Period, root_path: str | None) -> dict[str, Tally]:
    """Eligible, submitted and draft counts per unit of the frozen tree: one GROUP BY."""
    query = (
        roster_with_responses(period, root_path)
        .add_columns(RosterEntry.unit_id, *count_columns())
        .group_by(RosterEntry.unit_id)
    )
    path_of = _path_of_unit(period)
    tallies: dict[str, Tally] = {}
    for unit_id, e, s, d in db.session.execute(query):
        tallies.setdefault(path_of.get(unit_id, ORGANISATION), Tally()).add(Tally(e, s, d))
    return tallies


def _path_of_unit(period: Period) -> dict[int, str]:
    """Unit id -> its path in the period's frozen tree. Results group by the unit id (a whole
    number is the cheaper key over 100,000 rows) and are named by the frozen path; a roster
    entry's unit is always in that tree (services/periods)."""
    return {u.unit_id: u.path for u in period_units(period)}


def _unit_sums(
    period: Period, info: _Version, source: str = FROM_SUMS
) -> tuple[dict[str, scoring.Moments], dict[str, dict[int, dict[int, int]]] | None]:
    """Per unit of the frozen tree, in one query over one row a person: scoring.Moments of the
    submitted people and (FROM_SUMS) what _answer_counts_by_path counts, from the answer masks
    of ResponseScore, a count of one bit per item and scale point. The counts are None when
    the version's items and points do not fit the masks, a submitted response has none, or the
    source is the raw answers: the caller then counts the answers."""
    rules = info.rules
    codes = rules.value_codes
    pairs = rules.value_pairs
    query, u_columns = _per_response(period, info, None, source)
    cells = _answer_mask_cells(info) if source == FROM_SUMS else None
    used = sorted({bit // ANSWER_MASK_BITS for bit, _item, _answer in cells or ()})
    if cells is not None:
        query = query.add_columns(*(ResponseScore.answer_mask(c).label(f"mask_{c}") for c in used))
    per_response = query.subquery()
    u = u_columns(per_response)
    columns = [
        sa.func.count(),
        *(sa.func.sum(u[c]) for c in codes),
        *(sa.func.sum(u[a] * u[b]) for a, b in pairs),
    ]
    if cells is not None:
        mask = {c: per_response.c[f"mask_{c}"] for c in used}
        columns += [sa.func.count(mask[c]) for c in used]
        columns += [
            _bit_count(mask[bit // ANSWER_MASK_BITS], bit % ANSWER_MASK_BITS)
            for bit, _item, _answer in cells
        ]
    query = sa.select(per_response.c.unit_id, *columns).group_by(per_response.c.unit_id)
    path_of = _path_of_unit(period)
    moments: dict[str, scoring.Moments] = {}
    counts: dict[str, dict[int, dict[int, int]]] | None = {} if cells is not None else None
    width = 2 + len(codes) + len(pairs)
    for row in db.session.connection().execute(query):
        n = int(row[1])
        path = path_of.get(row[0], ORGANISATION)
        sums = [int(x) for x in row[2 : 2 + len(codes)]]
        products = [int(x) for x in row[2 + len(codes) : width]]
        own = scoring.Moments(
            n, dict(zip(codes, sums, strict=True)), dict(zip(pairs, products, strict=True))
        )
        moments.setdefault(path, scoring.Moments()).add(own)
        if counts is None:
            continue
        if any(with_masks != n for with_masks in row[width : width + len(used)]):
            counts = None  # a response without its masks (not expected): count the answers
            continue
        into = counts.setdefault(path, {})
        for (_bit, item_id, answer), k in zip(cells, row[width + len(used) :], strict=True):
            if k:
                by_answer = into.setdefault(item_id, {})
                by_answer[answer] = by_answer.get(answer, 0) + int(k)
    return moments, counts


def _answer_mask_cells(info: _Version) -> list[tuple[int, int, int]] | None:
    """(bit, item id, raw answer) for each item and scale point, in the answer masks' layout
    (answer_bit); None when they do not fit the masks."""
    rules = info.rules
    points = rules.scale_max - rules.scale_min + 1
    items = [(item.id, item.position) for item in info.items]
    if not items or max(p for _id, p in items) * points > ANSWER_MASK_BITS * ANSWER_MASK_COLUMNS:
        return None
    return [
        (answer_bit(position, offset, points), item_id, rules.scale_min + offset)
        for item_id, position in items
        for offset in range(points)
    ]


def _answer_counts_by_path(period: Period, info: _Version) -> dict[str, dict[int, dict[int, int]]]:
    """unit path -> item id -> raw answer -> how many submitted responses gave it.

    Grouped by the response's unit id and item, one count per scale point in the row: a
    whole-number key and a fifth of the groups make this, the one query over every answer of
    the period, cost about what a bare GROUP BY item, answer costs (bench/aggregate.py)."""
    rules = info.rules
    points = range(rules.scale_min, rules.scale_max + 1)
    query = (
        sa.select(
            Response.unit_id,
            Answer.item_id,
            *(sa.func.count(sa.case((Answer.value == point, 1))) for point in points),
        )
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.period_id == period.id, Response.state == RESPONSE_SUBMITTED)
        .group_by(Response.unit_id, Answer.item_id)
    )
    path_of = _path_of_unit(period)
    counts: dict[str, dict[int, dict[int, int]]] = {}
    for unit_id, item_id, *per_point in db.session.connection().execute(query):
        into = counts.setdefault(path_of.get(unit_id, ORGANISATION), {}).setdefault(item_id, {})
        for point, n in zip(points, per_point, strict=True):
            if n:
                into[point] = into.get(point, 0) + n
    return counts


def _ancestors(path: str) -> list[str]:
    """ "/1/4/9/" -> ["/1/", "/1/4/", "/1/4/9/"]."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _numbers(moments: scoring.Moments, tally: Tally, rules: scoring.Rules) -> Numbers:
    """A group's numbers before the suppression decision (see _withhold_where_decided)."""
    group = scoring.group_from_moments(moments, tally.eligible, rules, False)
    return Numbers(
        eligible=tally.eligible,
        submitted=tally.submitted,
        drafts=tally.drafts,
        participation=scoring.participation_rate(tally.submitted, tally.eligible),
        values=group.values,
        overall=group.overall,
        band=group.band,
        withheld=False,
    )


def period_units(period: Period) -> tuple[PeriodUnit, ...]:
    """The period's frozen unit tree in tree order: one query, once per database session.
    Plain rows with PeriodUnit's attributes, not entities: they are only read, and a city's
    500 units load several times faster without the identity map."""
    cache = db.session.info.setdefault(_UNITS_KEY, {})
    found = cache.get(period.id)
    if found is None:
        found = cache[period.id] = tuple(
            db.session.execute(
                sa.select(*(PeriodUnit.__table__.c[name] for name in _UNIT_COLUMNS))
                .where(PeriodUnit.period_id == period.id)
                .order_by(PeriodUnit.path)
            )
        )
    return found


_UNIT_COLUMNS = ("id", "period_id", "unit_id", "parent_unit_id", "code", "name", "path", "depth")


_UNITS_KEY = "surveyapp.period_units"


def _period_units(period: Period, root_path: str | None) -> list[PeriodUnit]:
    units = period_units(period)
    return list(units if root_path is None else (u for u in units if u.path.startswith(root_path)))


def subtree_counts(
    period: Period, root_path: str | None
) -> tuple[list[PeriodUnit], dict[str, Tally], dict[str, Tally]]:
    """Units in tree order, and per unit path the direct and the subtree counts."""
    units = _period_units(period, root_path)
    direct = _roster_counts(period, root_path)
    subtree: dict[str, Tally] = {u.path: Tally() for u in units}
    for path, tally in direct.items():
        for ancestor in _ancestors(path):
            total = subtree.get(ancestor)
            if total is not None:
                total.add(tally)
    return units, direct, subtree


ORGANISATION = "/"  # the whole period as one group: it may cover several separate trees


@dataclass
class Tree:
    """Everything a period's published numbers are made of, for its whole frozen unit tree
    and the organisation: per group the subtree's counts, the whole-number sums scoring needs
    (scoring.Moments), the count of each raw answer per item, and the suppression decision.
    Plain data, so a closed period stores it as its snapshot (services/snapshots.py)."""

    version_id: int
    hide: bool
    units: list[dict]  # path, unit_id, code, name, depth, parent_unit_id; tree order
    tallies: dict[str, Tally]
    moments: dict[str, scoring.Moments]
    counts: dict[str, dict[int, dict[int, int]]]  # group -> item id -> answer -> people
    hidden: dict[str, str]  # group -> scoring.WITHHELD_*
    # group -> lens -> culture behaviour id -> people who chose it (the culture map; empty
    # for a version without one, and in snapshots made before it existed)
    culture: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)
    # group -> ISO local day -> submissions that day: the participation curve of a closed
    # period (None in snapshots made before it was kept; the dashboard then counts them)
    daily: dict[str, dict[str, int]] | None = None


TREE_STEPS = 6  # the steps of build_tree (its queries and the decision), then storing it


def build_tree(period: Period, source: str = FROM_SUMS, progress=None) -> Tree:
    """The period's tree from the database: four GROUP BY queries whatever its size (roster
    counts, moments with the answer counts from the masks, culture map choices, submissions
    per day; and the answers themselves where the masks cannot tell); units then add up into
    their parents in Python (work in proportion to units times depth).
    `progress(done, TREE_STEPS)` after each step."""

    def step(done: int) -> None:
        if progress is not None:
            progress(done, TREE_STEPS)

    info = _load_version(period.version)
    rules = info.rules
    units = _period_units(period, None)
    paths = [u.path for u in units]
    groups_of = _group_finder(paths)

    tallies = {g: Tally() for g in [*paths, ORGANISATION]}
    for path, tally in _roster_counts(period, None).items():
        for group in groups_of(path):
            tallies[group].add(tally)
    step(1)
    moments = {g: scoring.Moments() for g in tallies}
    by_unit, found = _unit_sums(period, info, source)
    for path, own in by_unit.items():
        for group in groups_of(path):
            moments[group].add(own)
    step(2)
    counts: dict[str, dict[int, dict[int, int]]] = {g: {} for g in tallies}
    if found is None:
        found = _answer_counts_by_path(period, info)
    for path, by_item in found.items():
        for group in groups_of(path):
            into = counts[group]
            for item_id, by_answer in by_item.items():
                target = into.setdefault(item_id, {})
                for answer, n in by_answer.items():
                    target[answer] = target.get(answer, 0) + n
    step(3)
    chosen = culture_by_group(period, source)
    daily: dict[str, dict[str, int]] = {g: {} for g in tallies}
    for path, by_day in _daily_by_path(period).items():
        for group in groups_of(path):
            into = daily[group]
            for day, n in by_day.items():
                into[day] = into.get(day, 0) + n
    step(4)
    hide = bool(period.hide_individuals)
    hidden = {}
    if hide:
        hidden = scoring.suppression(
            [ORGANISATION, *paths],
            parents(paths),
            {g: m.n for g, m in moments.items()},
            rules.min_group_size,
        )
    step(5)
    base = min((u.depth for u in units), default=0)
    return Tree(
        version_id=period.version_id,
        hide=hide,
        units=[
            {
                "path": u.path,
                "unit_id": u.unit_id,
                "code": u.code,
                "name": u.name,
                "depth": u.depth - base,
                "parent_unit_id": u.parent_unit_id,
            }
            for u in units
        ],
        tallies=tallies,
        moments=moments,
        counts=counts,
        hidden=hidden,
        culture=chosen,
        daily=daily,
    )


def local_day(column):
    """A UTC timestamp column as the instance zone's calendar day, in SQL. The zone's offset
    now is used (Indonesia keeps no summer time)."""
    offset = to_user_timezone(utcnow()).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if db.engine.dialect.name == "postgresql":
        return sa.cast(column + sa.literal(timedelta(minutes=minutes)), sa.Date)
    return sa.func.date(column, f"{minutes:+d} minutes")


def as_date(value) -> date:
    """A day as the database hands it back (a date, or SQLite's text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _daily_by_path(period: Period) -> dict[str, dict[str, int]]:
    """unit path -> ISO local day -> submissions: one GROUP BY over the period's responses."""
    day = local_day(Response.submitted_at)
    query = (
        sa.select(Response.unit_id, day, sa.func.count())
        .where(Response.period_id == period.id, Response.state == RESPONSE_SUBMITTED)
        .group_by(Response.unit_id, day)
    )
    path_of = _path_of_unit(period)
    found: dict[str, dict[str, int]] = {}
    for unit_id, raw_day, n in db.session.connection().execute(query):
        by_day = found.setdefault(path_of.get(unit_id, ORGANISATION), {})
        when = as_date(raw_day).isoformat()
        by_day[when] = by_day.get(when, 0) + n
    return found


def _group_finder(paths):
    """groups_of(path): the groups a unit's people count in: the unit and each of its
    ancestors that the period has, and the organisation."""
    known = set(paths)

    def groups_of(path: str) -> list[str]:
        return [a for a in _ancestors(path) if a in known] + [ORGANISATION]

    return groups_of


def culture_by_group(
    period: Period, source: str = FROM_SUMS
) -> dict[str, dict[str, dict[int, int]]]:
    """The culture map's part of the tree: per group (a unit's subtree, the organisation) and
    lens, how many chose each behaviour; empty for a version without a culture map.
    FROM_SUMS counts the choice masks stored at submit (one row a person) where it can;
    FROM_ANSWERS, and any period it cannot, counts the choices themselves."""
    if period.version.culture_map is None:
        return {}
    units = _period_units(period, None)
    groups_of = _group_finder(u.path for u in units)
    chosen: dict[str, dict[str, dict[int, int]]] = {u.path: {} for u in units}
    chosen[ORGANISATION] = {}
    found = _culture_counts_from_masks(period, units) if source == FROM_SUMS else None
    if found is None:
        found = _culture_counts_by_path(period, units)
    for path, by_lens in found.items():
        for group in groups_of(path):
            culture.add_counts(chosen[group], by_lens)
    return chosen


def _culture_counts_from_masks(
    period: Period, units: list[PeriodUnit]
) -> dict[str, dict[str, dict[int, int]]] | None:
    """What _culture_counts_by_path counts, from the masks of ResponseScore: one GROUP BY per
    unit over one row a person, a sum of one bit per lens and behaviour. None when a
    behaviour lies past MASK_POSITIONS or a submitted response has no mask (the caller then
    counts the choices)."""
    behaviours = [(b.id, b.position) for b in period.version.culture_map.behaviours]
    if not behaviours or max(position for _id, position in behaviours) > MASK_POSITIONS:
        return None
    columns = []
    for lens in culture.LENSES:
        mask = ResponseScore.mask_of(lens)
        columns.append(sa.func.count(mask))
        columns += [_bit_count(mask, choice_bit(position)) for _id, position in behaviours]
    query = (
        sa.select(Response.unit_id, sa.func.count(), *columns)
        .select_from(ResponseScore)
        .join(Response, Response.id == ResponseScore.response_id)
        .where(Response.period_id == period.id, Response.state == RESPONSE_SUBMITTED)
        .group_by(Response.unit_id)
    )
    path_of = {u.unit_id: u.path for u in units}
    width = 1 + len(behaviours)
    found: dict[str, dict[str, dict[int, int]]] = {}
    for unit_id, people, *sums in db.session.connection().execute(query):
        by_lens = found.setdefault(path_of.get(unit_id, ORGANISATION), {})
        for i, lens in enumerate(culture.LENSES):
            with_mask, *per_behaviour = sums[i * width : (i + 1) * width]
            if with_mask != people:
                return None  # a response without its mask (not expected): count the choices
            for (behaviour_id, _position), n in zip(behaviours, per_behaviour, strict=True):
                if n:
                    into = by_lens.setdefault(lens, {})
                    into[behaviour_id] = into.get(behaviour_id, 0) + int(n)
    return found


def _culture_counts_by_path(
    period: Period, units: list[PeriodUnit]
) -> dict[str, dict[str, dict[int, int]]]:
    """unit path -> lens -> culture behaviour id -> how many submitted responses chose it: one
    GROUP BY over the period's choices by the response's unit id and the behaviour, one count
    per lens in the row (a third of the groups that grouping by the lens too makes, as the
    answer counts do with the scale points)."""
    query = (
        sa.select(
            Response.unit_id,
            CultureChoice.behaviour_id,
            *(sa.func.count(sa.case((CultureChoice.lens == lens, 1))) for lens in culture.LENSES),
        )
        .select_from(CultureChoice)
        .join(Response, Response.id == CultureChoice.response_id)
        .where(Response.period_id == period.id, Response.state == RESPONSE_SUBMITTED)
        .group_by(Response.unit_id, CultureChoice.behaviour_id)
    )
    path_of = {u.unit_id: u.path for u in units}
    found: dict[str, dict[str, dict[int, int]]] = {}
    for unit_id, behaviour_id, *per_lens in db.session.connection().execute(query):
        by_lens = found.setdefault(path_of.get(unit_id, ORGANISATION), {})
        for lens, n in zip(culture.LENSES, per_lens, strict=True):
            if n:
                into = by_lens.setdefault(lens, {})
                into[behaviour_id] = into.get(behaviour_id, 0) + n
    return found


def parents(paths) -> dict[str, str | None]:
    """Each unit path's nearest ancestor among `paths`, or ORGANISATION: the tree of groups
    the suppression decision walks (a period may leave out units between two of its own)."""
    known = set(paths)
    tree: dict[str, str | None] = {ORGANISATION: None}
    for path in known:
        above = [a for a in _ancestors(path)[:-1] if a in known]
        tree[path] = above[-1] if above else ORGANISATION
    return tree


@dataclass(frozen=True)
class Published:
    """What a period publishes: every unit of its frozen tree (tree order) and the
    organisation, with the one suppression decision applied. Every page, export scope, trend
    and comparison reads its numbers from here, so a unit's published cells are the same in
    every view (docs/privacy.md)."""

    units: tuple[UnitResult, ...]
    total: UnitResult
    tree: Tree

    def group(self, path: str | None) -> UnitResult | None:
        """The group a scope's root path names (None: the organisation)."""
        if path is None or path == ORGANISATION:
            return self.total
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> dict[str, UnitResult]:
        return {r.path: r for r in self.units}

    @classmethod
    def of(cls, tree: Tree, rules: scoring.Rules) -> Published:
        def result(group: str, unit: dict) -> UnitResult:
            numbers = _numbers(tree.moments[group], tree.tallies[group], rules)
            made = UnitResult(**_fields(numbers), **unit)
            reason = tree.hidden.get(group)
            return _withhold(made, reason) if reason else made

        organisation = {
            "path": ORGANISATION,
            "unit_id": None,
            "code": None,
            "name": None,
            "depth": 0,
            "parent_unit_id": None,
        }
        return cls(
            tuple(result(u["path"], u) for u in tree.units),
            result(ORGANISATION, organisation),
            tree,
        )


_CACHE_KEY = "surveyapp.results"


def published(period: Period) -> Published:
    """The period's published numbers: a closed period's snapshot, or (for an admin following
    an open period) computed now. Once per database session; any flush forgets it.

    The decision needs the whole tree whatever scope is asked for: computed per scope, a unit
    export would show a unit that the whole-organisation view hides, and subtracting the two
    would give the hidden people away (docs/security.md S30)."""
    cache = db.session.info.setdefault(_CACHE_KEY, {})
    key = (period.id, period.version_id, bool(period.hide_individuals), period.state)
    if key not in cache:
        from . import snapshots

        found = snapshots.load(period) if period.state == PERIOD_CLOSED else None
        if found is None:
            found = Published.of(build_tree(period), rules_for(period.version))
        cache[key] = found
    return cache[key]


@sa.event.listens_for(sa.orm.Session, "after_flush")
@sa.event.listens_for(sa.orm.Session, "after_soft_rollback")
def _forget_published(session, *_args) -> None:
    session.info.pop(_CACHE_KEY, None)
    session.info.pop(_VERSIONS_KEY, None)
    session.info.pop(_UNITS_KEY, None)


def unit_results(period: Period, root_path: str | None = None) -> list[UnitResult]:
    """One result per unit of the period's frozen tree under root_path (None: all), in tree
    order, each over its whole subtree, as the period publishes it."""
    units = published(period).units
    if root_path is None:
        return list(units)
    chosen = [r for r in units if r.path.startswith(root_path)]
    base = min((r.depth for r in chosen), default=0)
    return [replace(r, depth=r.depth - base) for r in chosen]


def _withhold(result: UnitResult, reason: str) -> UnitResult:
    return replace(
        result, values={}, overall=None, band=None, withheld=True, withheld_reason=reason
    )


def _fields(numbers: Numbers) -> dict:
    return {name: getattr(numbers, name) for name in Numbers.__dataclass_fields__}


def scope_result(period: Period, root_path: str | None = None) -> UnitResult:
    """The published result of the subtree root under root_path, or for None the whole period
    (a unit of its own with no id, code or name)."""
    found = published(period).group(root_path)
    if found is None:
        raise LookupError(f"unit path {root_path!r} is not in the period's roster snapshot")
    return found


# --- items and reliability -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatsRow:
    """What people ticked on one item (raw answers, not reverse-scored); withheld like a unit."""

    item: Item
    value_code: str
    n: int
    mean: float | None
    sd: float | None
    counts: dict[int, int]
    withheld: bool


def _scope_counts(period: Period, root_path: str | None) -> tuple[dict, bool]:
    """The scope's answer counts per item, and whether the period's one decision withholds
    the scope (a scope that is no group of the period publishes nothing)."""
    found = published(period)
    group = found.group(root_path)
    counts = found.tree.counts.get(root_path or ORGANISATION, {})
    return counts, group is None or group.withheld


def item_statistics(period: Period, root_path: str | None = None) -> list[ItemStatsRow]:
    """n, mean, SD and count per scale point of every item, in questionnaire order.

    Withheld (only n) exactly where the scope's unit result is withheld: the counts are sums
    over the same people, so they follow the same decision (a group of one's counts are its
    answers, and two scopes' counts subtract like their means).
    """
    info = _load_version(period.version)
    rules = info.rules
    counts, withheld = _scope_counts(period, root_path)
    rows = []
    for item, rule in zip(info.items, rules.items, strict=True):
        stats = scoring.item_stats_from_counts(
            counts.get(item.id, {}), rules.scale_min, rules.scale_max
        )
        if withheld:
            rows.append(ItemStatsRow(item, rule.value_code, stats.n, None, None, {}, True))
        else:
            rows.append(
                ItemStatsRow(
                    item, rule.value_code, stats.n, stats.mean, stats.sd, stats.counts, False
                )
            )
    return rows


def alpha_by_value(period: Period, root_path: str | None = None) -> dict[str, float | None]:
    """Cronbach's alpha per value over the subtree's submitted responses; None below the
    version's minimum respondents for alpha, for a value with one item, or with no spread,
    and for a scope whose results are withheld."""
    info = _load_version(period.version)
    rules = info.rules
    counts, withheld = _scope_counts(period, root_path)
    if withheld:
        return dict.fromkeys(rules.value_codes)
    moments = published(period).tree.moments[root_path or ORGANISATION]
    result: dict[str, float | None] = {}
    for code in rules.value_codes:
        item_sums = []
        for item, rule in zip(info.items, rules.items, strict=True):
            if rule.value_code != code:
                continue
            c = counts.get(item.id, {})
            item_sums.append(
                (
                    sum(c.values()),
                    sum(a * k for a, k in c.items()),
                    sum(a * a * k for a, k in c.items()),
                )
            )
        total = (moments.n, moments.sums.get(code, 0), moments.products.get((code, code), 0))
        result[code] = scoring.alpha_from_sums(item_sums, total, rules.min_alpha_respondents)
    return result


# --- across periods --------------------------------------------------------------------------


def earlier_periods(
    period: Period, *, limit: int | None = None, closed_only: bool = True, employee_id=None
) -> list[Period]:
    """Periods of the same questionnaire (any version) that opened before this one, oldest
    first; the latest `limit` of them. Closed ones only by default (an open period publishes
    nothing yet); with employee_id, only those in which that person submitted."""
    query = (
        sa.select(Period)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Period.version_id)
        .where(
            QuestionnaireVersion.questionnaire_id == period.version.questionnaire_id,
            Period.id != period.id,
            Period.state.in_((PERIOD_CLOSED,) if closed_only else (PERIOD_OPEN, PERIOD_CLOSED)),
            Period.opens_at < period.opens_at,
        )
        .order_by(Period.opens_at.desc(), Period.id.desc())
        .limit(limit)
    )
    if employee_id is not None:
        query = query.join(Response, Response.period_id == Period.id).where(
            Response.employee_id == employee_id, Response.state == RESPONSE_SUBMITTED
        )
    return list(reversed(db.session.scalars(query).all()))


def previous_period(period: Period) -> Period | None:
    """The latest closed earlier period: the one a change is measured against."""
    found = earlier_periods(period, limit=1)
    return found[0] if found else None


def next_period(period: Period) -> Period | None:
    """The first closed period of the same questionnaire (any version) that opened after this
    one: where what was planned after this period is measured again (services/plans.py)."""
    return db.session.scalar(
        sa.select(Period)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Period.version_id)
        .where(
            QuestionnaireVersion.questionnaire_id == period.version.questionnaire_id,
            Period.id != period.id,
            Period.state == PERIOD_CLOSED,
            Period.opens_at > period.opens_at,
        )
        .order_by(Period.opens_at, Period.id)
        .limit(1)
    )


OVERALL = "overall"


def value_changes(
    period: Period, previous: Period | None, root_path: str | None = None
) -> dict[str, dict[str, float | None]]:
    """Per unit code of this period's subtree: per value code (and OVERALL) the change of the
    mean index since `previous`. Units are matched by code, so a unit that moved still compares;
    a unit, value or number missing or withheld on either side gives None."""
    current = unit_results(period, root_path)
    before = {r.code: r for r in unit_results(previous)} if previous is not None else {}
    codes = rules_for(period.version).value_codes
    changes: dict[str, dict[str, float | None]] = {}
    for unit in current:
        old = before.get(unit.code)
        row: dict[str, float | None] = {}
        for code in codes:
            now_mean = _mean(unit.values.get(code))
            old_mean = _mean(old.values.get(code)) if old else None
            row[code] = scoring.change(now_mean, old_mean)
        row[OVERALL] = scoring.change(_mean(unit.overall), _mean(old.overall) if old else None)
        changes[unit.code] = row
    return changes


def _mean(agg: scoring.Aggregate | None) -> float | None:
    return agg.mean if agg is not None else None
