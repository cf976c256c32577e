"""The SQL of services.results and the pure scoring module agree, on random versions, trees and
answers: every person, every unit, the suppression decision, the total, item statistics.

Each example builds its data inside a savepoint and rolls it back, so examples do not see each
other (the test's own transaction is the usual rolled-back one)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp import scoring
from surveyapp.extensions import db
from surveyapp.services import results
from tests.results_builders import make_version

TOLERANCE = 1e-9


@st.composite
def scenarios(draw):
    lo, hi = draw(st.sampled_from([(1, 4), (1, 5), (1, 7)]))
    present = draw(st.sets(st.sampled_from(scoring.VALUE_CODES), min_size=1))
    items = []
    for code in scoring.VALUE_CODES:
        if code in present:
            for j in range(1, draw(st.integers(1, 6)) + 1):
                items.append((f"{code}-{j}", code, draw(st.booleans())))
    weights = {
        code: draw(st.floats(0.1, 5.0, allow_nan=False, allow_infinity=False))
        for code in sorted(present)
        if draw(st.booleans())
    }
    n_units = draw(st.integers(1, 6))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_units)]
    answer = st.integers(lo, hi)
    # Few distinct answers now and then, so that groups with no spread at all come up.
    answers = st.one_of(
        st.lists(answer, min_size=len(items), max_size=len(items)),
        answer.map(lambda a: [a] * len(items)),
    )
    people = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_units - 1),
                st.sampled_from(["submitted", "submitted", "draft", "none"]),
                answers,
            ),
            max_size=14,
        )
    )
    return {
        "scale": (lo, hi),
        "items": items,
        "weights": weights,
        "parents": parents,
        "people": people,
        "hide": draw(st.booleans()),
        "min_group_size": draw(st.integers(1, 4)),
    }


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE)


def same_aggregate(a: scoring.Aggregate | None, b: scoring.Aggregate | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.n == b.n and close(a.mean, b.mean) and close(a.sd, b.sd)


def same_band(mean, band_a, band_b, bands) -> bool:
    """Equal bands, except for a mean within rounding of a band edge."""
    if mean is not None and any(abs(mean - b.lower) < TOLERANCE for b in bands):
        return True
    return band_a == band_b


def check(build, session, s) -> None:
    version = make_version(
        session,
        s["items"],
        scale=s["scale"],
        weights=s["weights"],
        min_group_size=s["min_group_size"],
    )
    units = []
    for parent in s["parents"]:
        units.append(build.unit(parent=None if parent is None else units[parent]))
    employees = [build.employee(units[u], password=None) for u, _, _ in s["people"]]
    period = build.period([units[0]], version=version, hide_individuals=s["hide"])
    rules = results.rules_for(version)
    codes = [code for code, _, _ in s["items"]]
    expected = {}
    for person, (_, state, raw) in zip(employees, s["people"], strict=True):
        if state == "none":
            continue
        answers = dict(zip(codes, raw, strict=True))
        build.response(period, person, answers, submitted=state == "submitted")
        if state == "submitted":
            expected[person.id] = scoring.person_result(answers, rules)

    # Every person.
    got = results.person_results(period)
    assert set(got) == set(expected)
    for employee_id, want in expected.items():
        have = got[employee_id]
        # The database does scoring's operations in scoring's order: the same floats.
        assert have.value_indices == want.value_indices
        assert (have.overall, have.band) == (want.overall, want.band)

    # Every unit, over its subtree.
    by_unit = {u.id: u for u in units}
    state_of = {e.id: state for e, (_, state, _) in zip(employees, s["people"], strict=True)}
    home = {e.id: by_unit[e.unit_id] for e in employees}

    def group(members):
        people = [expected[e] for e in members if e in expected]
        group = scoring.group_result(people, len(members), rules, False)
        drafts = sum(1 for e in members if state_of[e] == "draft")
        return group, drafts

    rows = results.unit_results(period)
    assert [r.unit_id for r in rows] == [u.id for u in sorted(units, key=lambda u: u.path)]
    groups = {
        unit.path: group([e for e, u in home.items() if u.path.startswith(unit.path)])
        for unit in units
    }
    # The pure suppression decision over the whole tree (all units sit below units[0]).
    ordered = [u.path for u in sorted(units, key=lambda u: u.path)]
    hidden = {}
    if s["hide"]:
        parent = {"/": None, units[0].path: "/"}
        for unit, up in zip(units, s["parents"], strict=True):
            if up is not None:
                parent[unit.path] = units[up].path
        sizes = {path: g.submitted for path, (g, _) in groups.items()}
        sizes["/"] = sizes[units[0].path]
        hidden = scoring.suppression(["/", *ordered], parent, sizes, s["min_group_size"])
    for row in rows:
        want, drafts = groups[row.path]
        assert (row.eligible, row.submitted, row.drafts) == (
            want.eligible,
            want.submitted,
            drafts,
        )
        assert close(row.participation, want.participation)
        assert row.withheld == (row.path in hidden)
        assert row.withheld_reason == hidden.get(row.path)
        if row.path in hidden:
            assert row.values == {} and row.overall is None
            continue
        assert row.values.keys() == want.values.keys()
        for code, agg in want.values.items():
            assert same_aggregate(row.values[code], agg)
        assert same_aggregate(row.overall, want.overall)
        mean = want.overall.mean if want.overall else None
        assert same_band(mean, row.band, want.band, rules.bands)

    total = results.scope_result(period)
    assert same_aggregate(total.overall, rows[0].overall)
    assert total.eligible == len(employees)

    # Item statistics over the whole period: raw answers, not reverse-scored.
    submitted_raw = [raw for _, state, raw in s["people"] if state == "submitted"]
    for j, row in enumerate(results.item_statistics(period)):
        want = scoring.item_stats([raw[j] for raw in submitted_raw], *s["scale"])
        assert row.item.code == codes[j]
        assert row.n == want.n
        if row.withheld:
            assert "/" in hidden or units[0].path in hidden
        else:
            assert row.counts == want.counts
            assert close(row.mean, want.mean) and close(row.sd, want.sd)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(s=scenarios(), packed=st.booleans())
def test_sql_agrees_with_the_pure_module(build, session, monkeypatch, s, packed):
    # Both ways the totals leave the database: packed into one integer, or one SUM per value
    # (what a version with too many items for the packing gets).
    monkeypatch.setattr(results, "PACK_BITS", results.PACK_BITS if packed else 0)
    savepoint = db.session.begin_nested()
    try:
        check(build, session, s)
    finally:
        savepoint.rollback()
        db.session.expire_all()
