"""services.results runs the same number of SQL statements for an organisation ten times the
size: no query per person or per unit."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, CultureChoice, Employee, Response, RosterEntry, utcnow
from surveyapp.services import culture_map, participation, periods, results
from tests.factories import count_statements


def populate(build, session, n_units: int, n_people: int, seed: int, version=None):
    """A tree of n_units (a root, then each unit under a random earlier one) and n_people with a
    mix of submitted, draft and no responses, inserted in bulk."""
    rnd = random.Random(seed)
    units = [build.unit()]
    for _ in range(n_units - 1):
        units.append(build.unit(parent=rnd.choice(units)))
    now = utcnow()
    session.execute(
        sa.insert(Employee),
        [
            {
                "nip": f"1990{seed:02d}{i:012d}",
                "name": f"Pegawai {i}",
                "unit_id": rnd.choice(units).id,
                "jabatan": "Analis",
                "golongan": "III/a",
                "jenis": "PNS",
                "created_at": now,
            }
            for i in range(n_people)
        ],
    )
    period = build.period([units[0]], version=version or build.default_version())
    roster = session.execute(
        sa.select(RosterEntry.employee_id, RosterEntry.unit_id, RosterEntry.unit_path).where(
            RosterEntry.period_id == period.id
        )
    ).all()
    rows = []
    for employee_id, unit_id, unit_path in roster:
        state = rnd.choice(["submitted", "submitted", "submitted", "draft", None])
        if state:
            rows.append(
                {
                    "period_id": period.id,
                    "employee_id": employee_id,
                    "unit_id": unit_id,
                    "unit_path": unit_path,
                    "state": state,
                    "started_at": now - timedelta(minutes=20),
                    "updated_at": now,
                    "submitted_at": now if state == "submitted" else None,
                }
            )
    session.execute(sa.insert(Response), rows)
    response_ids = session.scalars(sa.select(Response.id).where(Response.period_id == period.id))
    items = [item.id for item in period.version.items]
    session.execute(
        sa.insert(Answer),
        [
            {"response_id": r, "item_id": i, "value": rnd.randint(1, 5), "answered_at": now}
            for r in response_ids
            for i in items
        ],
    )
    submitted = sa.select(Response.id).where(
        Response.period_id == period.id, Response.state == "submitted"
    )
    results.store_value_sums(submitted)
    section = culture_map.section(period.version)
    if section is not None:  # ten choices per lens, as submit demands
        ids = [b.id for b in section.behaviours]
        session.execute(
            sa.insert(CultureChoice),
            [
                {"response_id": r, "lens": lens, "behaviour_id": b, "chosen_at": now}
                for r in session.scalars(submitted)
                for lens in ("self", "current", "desired")
                for b in rnd.sample(ids, section.pick)
            ],
        )
    return period, units


def statements_for(period, units) -> dict[str, int]:
    """Statements per service call, each starting from a session that remembers nothing."""
    root = units[0].path
    calls = {
        "person_results": lambda: results.person_results(period),
        "unit_results": lambda: results.unit_results(period),
        "unit_results_subtree": lambda: results.unit_results(period, root),
        "scope_result": lambda: results.scope_result(period),
        "scope_result_unit": lambda: results.scope_result(period, root),
        "item_statistics": lambda: results.item_statistics(period, root),
        "alpha_by_value": lambda: results.alpha_by_value(period, root),
        "participation": lambda: participation.participation(period, root),
        "value_changes": lambda: results.value_changes(period, period, root),
    }
    counts = {}
    for name, call in calls.items():
        db.session.expire_all()
        results._forget_published(db.session)
        with count_statements() as statements:
            outcome = call()
        assert outcome  # each call produced something to count for
        counts[name] = len(statements)
    return counts


def test_statement_count_does_not_grow_with_the_organisation(build, session):
    small = statements_for(*populate(build, session, 10, 50, seed=1))
    large = statements_for(*populate(build, session, 100, 500, seed=2))
    assert small == large
    # And the fixed number is small: at most a dozen statements per call.
    assert max(small.values()) <= 12, small


def _page_statements(app, user, url) -> list[str]:
    from tests.factories import login_session

    client = app.test_client()
    login_session(client, user)
    assert client.get(url).status_code == 200  # warm: the snapshot is parsed once a process
    with count_statements() as statements:
        page = client.get(url)
    assert page.status_code == 200
    # The test's own SAVEPOINT / ROLLBACK TO around the request are not the page's.
    return [s for s in statements if "SAVEPOINT" not in s]


@pytest.mark.parametrize("culture", [False, True])
@pytest.mark.parametrize("size", [(10, 50), (100, 500)])
def test_hr_pages_of_a_closed_period_run_at_most_ten_statements(app, build, session, size, culture):
    """docs/design.md "Performance targets": at most 10 SQL statements per page, whatever the
    number of units, with the culture map too."""
    version = build.culture_version() if culture else None
    period, units = populate(build, session, *size, seed=3, version=version)
    periods.close_period(period)
    hr = build.employee(units[0], hr_unit=units[0], name="HR Uji")
    session.flush()
    unit_page = _page_statements(app, hr, f"/hr/periods/{period.id}/units/{units[1].id}")
    dashboard = _page_statements(app, hr, f"/hr/?period={period.id}")
    heatmap = _page_statements(app, hr, f"/hr/periods/{period.id}/heatmap?sort=BP&show=diff")
    assert len(unit_page) <= 10, "\n".join(unit_page)
    assert len(dashboard) <= 10, "\n".join(dashboard)
    assert len(heatmap) <= 10, "\n".join(heatmap)


def test_heatmap_runs_the_same_statements_for_ten_times_the_units(app, build, session):
    """The heatmap of 100 units costs what the heatmap of 10 does (one snapshot read)."""
    counts = []
    for size, seed in (((10, 50), 4), ((100, 500), 5)):
        period, units = populate(build, session, *size, seed=seed)
        periods.close_period(period)
        admin = build.employee(units[0], admin=True)
        session.flush()
        url = f"/hr/periods/{period.id}/heatmap?sort=overall&dir=desc"
        counts.append(len(_page_statements(app, admin, url)))
    assert counts[0] == counts[1]


def test_a_dashboard_of_many_units_names_ten_and_pages_the_table(app, build, session):
    """A city of 100 units: the ranking names the 10 furthest below target, the table shows
    50 units a page and the next page the rest; every unit appears exactly once."""
    from tests.factories import login_session

    period, units = populate(build, session, 100, 300, seed=5)
    hr = build.employee(units[0], hr_unit=units[0], name="HR Uji")
    session.flush()
    client = app.test_client()
    login_session(client, hr)
    seen = []
    for page in (1, 2):
        html = client.get(f"/hr/?period={period.id}&page={page}").get_data(as_text=True)
        ranking = html.split('class="table cards ranking"')[1].split("</table>")[0]
        table = html.split('aria-describedby="units-note"')[1].split("</table>")[0]
        assert ranking.count('<th scope="row">') == 10
        seen += [u.code for u in units if f'<span class="muted">{u.code}</span>' in table]
        assert f"Halaman {page} dari 2" in html
    assert sorted(seen) == sorted(u.code for u in units)
