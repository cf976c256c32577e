"""Results computed once: per-response sums at submit, the snapshot at close, and `flask
results verify` finding the stored numbers equal to a recomputation from the raw answers after
every way the data can change (submit, reopen, late joiner, roster change, unit move)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import to_user_timezone

from surveyapp import scoring
from surveyapp.models import Answer, Response, ResponseScore, ResultSnapshot, RosterEntry
from surveyapp.services import org as org_service
from surveyapp.services import periods, responses, results, snapshots, targets


def _fill_and_submit(period, person, rng) -> None:
    """Through the service, as the employee's pages do."""
    values = {item.code: rng.randint(1, 5) for item in period.version.items}
    response, _ = responses.save_by_code(period, person, values)
    assert responses.submit(response)


def _verify(runner, period) -> None:
    out = runner.invoke(args=["results", "verify", "--period", period.code])
    assert out.exit_code == 0, out.output
    assert f"verified {period.code}" in out.output


@pytest.fixture
def people(build, org):
    """Twelve more people in Bidang A1 and six in Dinas B, all on the roster."""
    return [build.employee(org.bidang_a1) for _ in range(12)] + [
        build.employee(org.dinas_b) for _ in range(6)
    ]


def _scores(session, response):
    return session.get(ResponseScore, response.id)


def test_submit_stores_the_sums_of_the_scoring_module(build, org, session):
    period = build.period([org.root])
    rng = random.Random(1)
    values = {item.code: rng.randint(1, 5) for item in period.version.items}
    response, _ = responses.save_by_code(period, org.employee, values)
    assert _scores(session, response) is None  # a draft has no result
    responses.submit(response)
    stored = _scores(session, response)
    rules = results.rules_for(period.version)
    for code in scoring.VALUE_CODES:
        items = rules.items_of(code)
        want = sum(scoring.item_score(values[i.code], i.reverse, 1, 5) for i in items)
        got = getattr(stored, f"{code.lower()}_sum"), getattr(stored, f"{code.lower()}_items")
        assert got == (want, len(items)), code
    assert (stored.lowest_answer, stored.highest_answer, stored.answered) == (
        min(values.values()),
        max(values.values()),
        len(values),
    )
    # A second submit (double click) writes nothing more.
    assert not responses.submit(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(ResponseScore)) == 1


def test_every_mutation_path_leaves_results_equal_to_the_answers(
    build, org, people, session, runner
):
    rng = random.Random(16)
    period = build.period([org.root])
    late = build.employee(org.bidang_a1, name="Datang Belakangan")  # after the roster
    for person in people[:15]:
        _fill_and_submit(period, person, rng)
    # Reopen: an admin sends one back; the sums go; the person changes an answer and submits.
    again = responses.find_response(period, people[0])
    periods.reopen_response(again, actor=org.admin)
    session.flush()
    assert _scores(session, again) is None
    first = period.version.items[0]
    responses.save_by_code(period, people[0], {first.code: 1})
    assert responses.submit(again)
    # A late joiner is added and submits.
    periods.add_late_joiner(period, late, actor=org.admin)
    _fill_and_submit(period, late, rng)
    # A roster change and a unit move after the period opened: the period's frozen tree
    # and roster keep where people were.
    people[16].unit_id = org.dinas_a.id
    org_service.move_unit(org.bidang_a1, org.dinas_b)
    session.flush()
    _fill_and_submit(period, people[16], rng)
    periods.close_period(period)
    session.flush()
    _verify(runner, period)
    assert snapshots.verify(period) == []
    # The snapshot serves the same numbers as a computation from the answers.
    stored = results.published(period)
    fresh = results.Published.of(
        results.build_tree(period, results.FROM_ANSWERS), results.rules_for(period.version)
    )
    assert stored.units == fresh.units and stored.total == fresh.total
    assert stored.total.submitted == 17


def test_verify_finds_an_answer_changed_behind_the_apps_back(build, org, people, session, runner):
    rng = random.Random(3)
    period = build.period([org.root])
    for person in people:
        _fill_and_submit(period, person, rng)
    periods.close_period(period)
    session.flush()
    _verify(runner, period)
    answer = session.scalar(sa.select(Answer).order_by(Answer.id).limit(1))
    answer.value = 1 if answer.value != 1 else 5
    session.flush()
    out = runner.invoke(args=["results", "verify", "--period", period.code])
    assert out.exit_code == 1
    assert "differ" in out.output or "stored" in out.output
    # Rebuilding the snapshot does not hide it: the stored sums still disagree.
    assert runner.invoke(args=["results", "rebuild", "--period", period.code]).exit_code == 0
    assert any("stored sums" in p for p in snapshots.verify(period))


def test_closing_builds_the_snapshot_and_pages_read_it(build, org, people, session):
    rng = random.Random(4)
    period = build.period([org.root])
    for person in people:
        _fill_and_submit(period, person, rng)
    assert session.get(ResultSnapshot, period.id) is None
    periods.close_period(period)
    session.flush()
    assert session.get(ResultSnapshot, period.id) is not None
    # With its answers gone the period still publishes the same numbers: they come from
    # the snapshot, not from a new computation.
    before = results.scope_result(period, org.bidang_a1.path)
    session.execute(sa.delete(Answer))
    session.expire_all()
    assert results.scope_result(period, org.bidang_a1.path) == before


def test_verify_refuses_a_period_that_is_not_closed(build, org, runner):
    period = build.period([org.root])
    out = runner.invoke(args=["results", "verify", "--period", period.code])
    assert out.exit_code != 0 and "not closed" in out.output
    out = runner.invoke(args=["results", "rebuild", "--period", "NOPE"])
    assert out.exit_code != 0 and "No opened period" in out.output


def test_admin_closes_through_a_job_that_computes_the_results(
    build, org, people, session, admin_client
):
    rng = random.Random(5)
    period = build.period([org.root])
    for person in people:
        _fill_and_submit(period, person, rng)
    session.flush()
    started = admin_client.post(f"/admin/periods/{period.id}/close")
    assert started.status_code == 303 and "/jobs/" in started.headers["Location"]
    page = admin_client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Periode ditutup dan hasilnya sudah dihitung" in page
    session.expire_all()
    assert period.state == "closed"
    assert session.get(ResultSnapshot, period.id) is not None
    assert snapshots.verify(period) == []
    # A second click finds nothing to close, and says so.
    again = admin_client.post(f"/admin/periods/{period.id}/close", follow_redirects=True)
    assert "Hanya periode yang sedang dibuka" in again.get_data(as_text=True)


def test_a_late_joiner_after_a_unit_move_counts_where_the_period_has_the_unit(
    build, org, people, session, runner
):
    """The roster entry takes the period's frozen path, not the unit's new one: otherwise the
    person would count under one path in the participation and under another in the answers."""
    rng = random.Random(7)
    period = build.period([org.root])
    frozen = results.period_units(period)
    frozen_path = next(u.path for u in frozen if u.unit_id == org.bidang_a1.id)
    org_service.move_unit(org.bidang_a1, org.dinas_b)
    session.flush()
    assert org.bidang_a1.path != frozen_path
    late = build.employee(org.bidang_a1, name="Pindahan Baru")
    periods.add_late_joiner(period, late, actor=org.admin)
    session.flush()
    for person in [*people[:12], late]:
        _fill_and_submit(period, person, rng)
    assert responses.find_response(period, late).unit_path == frozen_path
    periods.close_period(period)
    session.flush()
    _verify(runner, period)
    on_roster = session.scalar(
        sa.select(sa.func.count(RosterEntry.id)).where(
            RosterEntry.period_id == period.id, RosterEntry.unit_path == frozen_path
        )
    )
    bidang = results.published(period).group(frozen_path)
    assert (bidang.eligible, bidang.submitted) == (on_roster, 13)


def test_a_closed_periods_curve_is_counted_once_at_close(build, org, people, session, runner):
    """The dashboard's curve of a closed period comes from the snapshot: a submission time
    changed behind the app's back afterwards does not move it, and verify names the day."""
    rng = random.Random(5)
    period = build.period([org.root])
    for person in people:
        _fill_and_submit(period, person, rng)
    submitted = session.scalars(
        sa.select(Response).where(Response.period_id == period.id).order_by(Response.id)
    ).all()
    for response in submitted[:3]:
        response.submitted_at = response.submitted_at - timedelta(days=2)
    session.flush()
    want = Counter(to_user_timezone(r.submitted_at).date() for r in submitted)
    assert len(want) == 2 and sum(want.values()) == len(people)
    periods.close_period(period)
    session.flush()
    assert targets.daily_submissions(period, None, per_unit=False) == {results.ORGANISATION: want}
    bidang = org.bidang_a1.path
    assert sum(targets.daily_submissions(period, bidang, per_unit=False)[bidang].values()) == 12

    submitted[5].submitted_at = submitted[5].submitted_at - timedelta(days=1)
    session.flush()
    assert targets.daily_submissions(period, None, per_unit=False) == {results.ORGANISATION: want}
    problems = snapshots.verify(period)
    assert any(p.startswith(f"daily of {results.ORGANISATION}:") for p in problems), problems


def test_a_snapshot_made_before_the_curve_was_kept_counts_it(build, org, people, session):
    rng = random.Random(6)
    period = build.period([org.root])
    for person in people[:4]:
        _fill_and_submit(period, person, rng)
    periods.close_period(period)
    session.flush()
    stored = session.get(ResultSnapshot, period.id)
    stored.data = {k: v for k, v in stored.data.items() if k != "daily"}
    stored.built_at = stored.built_at - timedelta(seconds=1)  # a new snapshot to the readers
    session.flush()
    assert snapshots.load(period).tree.daily is None
    daily = targets.daily_submissions(period, None, per_unit=False)[results.ORGANISATION]
    assert sum(daily.values()) == 4
