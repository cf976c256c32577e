"""The culture map counted in SQL (the snapshot at close) agrees with the pure module counting
people, on random trees, rosters and choices: every unit's shares, top lists, indices and
band, the organisation, and the one suppression decision. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp import culture, scoring
from surveyapp.extensions import db
from surveyapp.services import culture_map, culture_results, periods, results, snapshots

PICK = 10  # the default version's number to choose
LIST = 35  # its 21 BerAKHLAK and 14 limiting behaviours


@st.composite
def scenarios(draw):
    n_units = draw(st.integers(1, 5))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_units)]
    # Now and then choices from a short stretch of the list, so that ties come up.
    pool = draw(st.sampled_from([LIST, 14, 11]))
    lens = st.lists(st.integers(0, pool - 1), min_size=PICK, max_size=PICK, unique=True)
    people = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_units - 1),
                st.sampled_from(["submitted", "submitted", "submitted", "draft"]),
                st.tuples(lens, lens, lens),
            ),
            max_size=12,
        )
    )
    return {"parents": parents, "people": people, "hide": draw(st.booleans())}


def same_map(have: culture.UnitCulture, want: culture.UnitCulture) -> None:
    assert have.n == want.n
    assert have.shares == want.shares
    assert have.top == want.top
    for name in ("personal_alignment", "desired_alignment", "positive_energy", "health"):
        assert getattr(have, name) == getattr(want, name), name
    assert have.implementation == want.implementation
    assert have.band == want.band
    assert have.limiting_current == want.limiting_current
    assert have.gaps == want.gaps


def check(build, session, s) -> None:
    version = build.culture_version()
    units = []
    for parent in s["parents"]:
        units.append(build.unit(parent=None if parent is None else units[parent]))
    employees = [build.employee(units[u], password=None) for u, _, _ in s["people"]]
    period = build.period([units[0]], version=version, hide_individuals=s["hide"])
    behaviours = culture_map.catalogue(version)
    chosen_by = {}
    for person, (_, state, lenses) in zip(employees, s["people"], strict=True):
        picked = {
            lens: [behaviours[i].id for i in idx]
            for lens, idx in zip(culture.LENSES, lenses, strict=True)
        }
        build.response(period, person, 4, submitted=state == "submitted", choices=picked)
        if state == "submitted":
            chosen_by[person.id] = picked
    session.flush()
    periods.close_period(period)
    session.flush()
    assert snapshots.verify(period) == []

    by_unit = {u.id: u for u in units}
    home = {e.id: by_unit[e.unit_id] for e in employees}
    parent = {"/": None, units[0].path: "/"}
    for unit, up in zip(units, s["parents"], strict=True):
        if up is not None:
            parent[unit.path] = units[up].path
    members = {
        unit.path: [e for e, u in home.items() if u.path.startswith(unit.path) and e in chosen_by]
        for unit in units
    }
    hidden = {}
    if s["hide"]:
        sizes = {path: len(people) for path, people in members.items()}
        sizes["/"] = sizes[units[0].path]
        ordered = sorted(members)
        hidden = scoring.suppression(["/", *ordered], parent, sizes, version.min_group_size)

    rows = culture_results.unit_rows(period)
    assert [r.unit.path for r in rows] == sorted(members)
    for row in rows:
        people = members[row.unit.path]
        if row.unit.path in hidden or not people:
            assert row.culture is None
            continue
        want = culture.unit_culture(
            culture.tally(chosen_by[e] for e in people), len(people), behaviours, PICK
        )
        same_map(row.culture, want)
    whole = culture_results.group_culture(period, None)
    everyone = members[units[0].path]
    if "/" in hidden or not everyone:
        assert whole is None
    else:
        want = culture.unit_culture(
            culture.tally(chosen_by[e] for e in everyone), len(everyone), behaviours, PICK
        )
        same_map(whole, want)
    # The snapshot read back from its JSON gives the same maps.
    snapshots._LOADED.clear()
    db.session.expire_all()
    assert snapshots.load(period).tree.culture == results.build_tree(period).culture


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(s=scenarios())
def test_sql_counts_agree_with_counting_people(build, session, s):
    savepoint = db.session.begin_nested()
    try:
        check(build, session, s)
    finally:
        savepoint.rollback()
        db.session.expire_all()
