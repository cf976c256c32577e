"""S30 as a property: on random unit trees and rosters, no combination of what any scope
publishes isolates fewer than the minimum group size, and a unit's published cells are the
same in every scope.

The check does not trust the rule it tests (scoring.suppression and its regions): it collects
every group that some scope publishes, writes each as a vector over the smallest groups of
people the app could ever tell apart (the people placed directly in one unit), and asks, by
exact linear algebra over fractions, whether any set of those that holds 1..min-1 people lies
in the span of the published vectors. Sums, means, SDs and item counts are all linear in the
people of a group, so a set outside the span can be learnt from none of them.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.extensions import db
from surveyapp.services import periods, results
from tests.results_builders import make_version

ITEMS = [("BP-1", "BP", False), ("AK-1", "AK", True)]


@st.composite
def organisations(draw):
    n_units = draw(st.integers(2, 7))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_units)]
    # People placed directly in each unit who submitted, and a few who did not.
    submitted = [draw(st.integers(0, 7)) for _ in range(n_units)]
    absent = [draw(st.integers(0, 2)) for _ in range(n_units)]
    return {
        "parents": parents,
        "submitted": submitted,
        "absent": absent,
        "min": draw(st.integers(2, 5)),
    }


def _rank(rows: list[list[Fraction]]) -> int:
    """Gaussian elimination over fractions: exact, and the matrices here are tiny."""
    rows = [list(r) for r in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for col in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _cells(row) -> tuple:
    values = tuple(sorted((c, a.n, a.mean, a.sd) for c, a in row.values.items()))
    overall = None if row.overall is None else (row.overall.n, row.overall.mean, row.overall.sd)
    return (row.eligible, row.submitted, row.drafts, row.withheld, values, overall)


def check(build, session, org) -> None:
    version = make_version(session, ITEMS, min_group_size=org["min"])
    units = []
    for parent in org["parents"]:
        units.append(build.unit(parent=None if parent is None else units[parent]))
    people = [
        [build.employee(unit, password=None) for _ in range(org["submitted"][i])]
        for i, unit in enumerate(units)
    ]
    for i, unit in enumerate(units):
        for _ in range(org["absent"][i]):
            build.employee(unit, password=None)
    period = build.period([units[0]], version=version, hide_individuals=True)
    for i, members in enumerate(people):
        for k, person in enumerate(members):
            build.response(period, person, {"BP-1": 1 + (k + i) % 5, "AK-1": 1 + k % 5})
    periods.close_period(period)
    session.flush()

    # Every scope HR or an admin can ask for: the whole period and each unit.
    whole = {r.path: r for r in results.unit_results(period)}
    published: set[str] = set()
    for scope in [None, *(u.path for u in units)]:
        rows = results.unit_results(period, scope)
        for row in rows:
            # The same cells in every scope.
            assert _cells(row) == _cells(whole[row.path]), (scope, row.code)
            if not row.withheld:
                published.add(row.path)
        total = results.scope_result(period, scope)
        items = results.item_statistics(period, scope)
        # Item counts are published exactly where the scope's own numbers are.
        assert all(item.withheld == total.withheld for item in items)
        if not total.withheld:
            published.add(scope or "/")

    # Atoms: the people placed directly in one unit (only those who submitted count).
    atoms = [(u.path, len(people[i])) for i, u in enumerate(units) if people[i]]
    if not atoms:
        return

    def vector(group: str) -> list[Fraction]:
        return [Fraction(int(group == "/" or path.startswith(group))) for path, _ in atoms]

    span = [vector(g) for g in sorted(published)]
    base = _rank(span) if span else 0
    for size in range(1, len(atoms) + 1):
        for chosen in itertools.combinations(range(len(atoms)), size):
            people_in = sum(atoms[i][1] for i in chosen)
            if not 0 < people_in < org["min"]:
                continue
            target = [Fraction(int(i in chosen)) for i in range(len(atoms))]
            isolated = span and _rank([*span, target]) == base
            assert not isolated, (
                f"{[atoms[i][0] for i in chosen]} ({people_in} people) can be worked out "
                f"from {sorted(published)}"
            )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(org=organisations())
def test_s30_no_combination_of_scopes_isolates_a_small_group(build, session, org):
    savepoint = db.session.begin_nested()
    try:
        check(build, session, org)
    finally:
        savepoint.rollback()
        db.session.expire_all()


def test_s30_the_review_case_by_the_same_check(build, session):
    """Sekretariat 4 of its own, Bagian Organisasi 6, Bagian Umum 20 (the review's case)."""
    check(
        build,
        session,
        {"parents": [None, 0, 0], "submitted": [4, 6, 20], "absent": [0, 0, 0], "min": 5},
    )
