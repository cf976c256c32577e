"""services.responses called directly: the rule each refusal names, the `now` it is given,
the rows it must leave alone. Written for the mutants `make mutate` found alive
(docs/testing.md); the pages that call these are in test_survey.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp.models import Answer, CoreValue, Response
from surveyapp.services import responses
from surveyapp.services.responses import ResponseError, ResponseStatus
from tests.results_builders import make_version


@pytest.fixture
def period(build, org):
    return build.period([org.root])


def _late(period):
    """A moment after the period closed (it is still open by the clock)."""
    return period.closes_at + timedelta(seconds=1)


def _moment(period):
    """A moment inside the period, not now: shows that the caller's `now` is the one used."""
    return (period.opens_at + timedelta(hours=1)).replace(microsecond=0)


def _refused(code, call, *args, **kwargs):
    with pytest.raises(ResponseError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def _complete(period):
    return {item.code: 1 + i % 5 for i, item in enumerate(period.version.items)}


def _answer_rows(session, response):
    return session.execute(
        sa.select(Answer.item_id, Answer.value, Answer.answered_at)
        .where(Answer.response_id == response.id)
        .order_by(Answer.item_id)
    ).all()


def _column(session, column, response):
    return session.scalar(sa.select(column).where(Response.id == response.id))


def test_response_error_carries_its_code_and_detail():
    bare = ResponseError("period_closed")
    assert (str(bare), bare.code, bare.detail) == ("period_closed", "period_closed", {})
    assert ResponseError("unknown_item", {"items": [7]}).detail == {"items": [7]}


# --- finding and starting -------------------------------------------------------------------


def test_lookups_stay_in_their_period(build, org, period):
    elsewhere = build.period([org.dinas_b])  # org.employee works in A-1: not on this roster
    also_mine = build.period([org.root])
    mine = build.response(period, org.employee, submitted=False)
    assert responses.find_response(period, org.employee).id == mine.id
    assert responses.find_response(also_mine, org.employee) is None
    assert responses.roster_entry(period, org.employee).period_id == period.id
    assert responses.roster_entry(elsewhere, org.employee) is None


def test_start_response_returns_the_existing_row_whatever_the_period_says(org, period):
    existing = responses.start_response(period, org.employee)
    again = responses.start_response(period, org.employee, now=_late(period))
    assert again.id == existing.id


def test_start_response_refusals_and_the_time_it_records(build, org, period):
    elsewhere = build.period([org.dinas_b])
    _refused("not_on_roster", responses.start_response, elsewhere, org.employee)
    _refused("period_closed", responses.start_response, period, org.employee, _late(period))
    started = responses.start_response(period, org.employee, now=_moment(period))
    assert (started.state, started.started_at, started.updated_at) == (
        "draft",
        _moment(period),
        _moment(period),
    )


def test_two_tabs_starting_at_once_end_with_one_row(org, period, session, monkeypatch):
    """The other tab inserted between this one's look-up and its INSERT: the UNIQUE (period,
    employee) conflict is ignored and both read the same row."""
    first = responses.start_response(period, org.employee)
    real = responses.find_response
    calls = []

    def find_too_early(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(responses, "find_response", find_too_early)
    second = responses.start_response(period, org.employee)
    assert second.id == first.id and len(calls) == 2
    count = sa.select(sa.func.count(Response.id)).where(Response.period_id == period.id)
    assert session.scalar(count) == 1


# --- saving ---------------------------------------------------------------------------------


def test_save_answers_refusals_name_the_rule_and_the_items(build, org, period, session):
    draft = responses.start_response(period, org.employee)
    version = period.version
    first = version.items[0]
    other = make_version(session, [("BP-1", "BP", False)]).items[0]
    _refused("period_closed", responses.save_answers, draft, {first.id: 3}, _late(period))
    error = _refused("unknown_item", responses.save_answers, draft, {first.id: 3, other.id: 3})
    assert error.detail == {"items": [other.id]}
    error = _refused("out_of_scale", responses.save_answers, draft, {first.id: 9})
    assert error.detail == {"items": [first.id], "min": version.scale_min, "max": version.scale_max}
    assert _answer_rows(session, draft) == []


def test_changing_an_answer_keeps_one_row_and_moves_the_times(org, period, session):
    draft = responses.start_response(period, org.employee)
    item = period.version.items[0]
    earlier, later = _moment(period), _moment(period) + timedelta(minutes=5)
    responses.save_answers(draft, {item.id: 2}, earlier)
    assert responses.save_answers(draft, {item.id: 4}, later) == {item.id: 4}
    assert _answer_rows(session, draft) == [(item.id, 4, later)]
    assert _column(session, Response.updated_at, draft) == later


def test_saving_leaves_other_drafts_alone(org, period, session):
    mine = responses.start_response(period, org.employee, now=_moment(period))
    theirs = responses.start_response(period, org.colleague, now=_moment(period))
    responses.save_answers(mine, {period.version.items[0].id: 3}, _moment(period) + timedelta(1))
    assert _column(session, Response.updated_at, theirs) == _moment(period)
    assert _answer_rows(session, theirs) == []


def test_a_tab_that_still_shows_a_draft_cannot_change_a_sent_response(org, period, session):
    """Another tab submitted meanwhile: this one's object still says draft, the database
    says submitted. The upsert and the updated_at change both check the database."""
    item = period.version.items[0]
    responses.start_response(period, org.colleague)  # a draft of someone else's exists
    stale = responses.start_response(period, org.employee, now=_moment(period))
    responses.save_answers(stale, {item.id: 2}, _moment(period))
    sent_at = _moment(period) + timedelta(minutes=1)
    session.execute(
        sa.update(Response)
        .where(Response.id == stale.id)
        .values(state="submitted", submitted_at=sent_at, updated_at=sent_at)
        .execution_options(synchronize_session=False)
    )
    assert stale.state == "draft"
    responses.save_answers(stale, {item.id: 5}, sent_at + timedelta(minutes=1))
    assert _answer_rows(session, stale) == [(item.id, 2, _moment(period))]
    assert _column(session, Response.updated_at, stale) == sent_at


def test_save_by_code_refusals_and_the_time_it_records(org, period, session):
    code = period.version.items[0].code
    _refused("nothing_to_save", responses.save_by_code, period, org.employee, {})
    _refused(
        "period_closed", responses.save_by_code, period, org.employee, {code: 3}, _late(period)
    )
    error = _refused("unknown_item", responses.save_by_code, period, org.employee, {"NOPE": 3})
    assert error.detail == {"items": ["NOPE"]}
    # A closed period is the first thing said, before anything about the codes.
    _refused(
        "period_closed", responses.save_by_code, period, org.employee, {"NOPE": 3}, _late(period)
    )
    at = _moment(period)
    response, saved = responses.save_by_code(period, org.employee, {code: 3}, now=at)
    item_id = period.version.items[0].id
    assert saved == {item_id: 3}
    assert (response.started_at, _column(session, Response.updated_at, response)) == (at, at)
    assert _answer_rows(session, response) == [(item_id, 3, at)]


def test_save_by_code_reads_codes_of_the_periods_version_only(org, period, session):
    # A newer version with an item of the same code: the code still means this version's item.
    code = period.version.items[0].code
    make_version(session, [(code, code.split("-")[0], False)])
    response, saved = responses.save_by_code(period, org.employee, {code: 4})
    assert saved == {period.version.items[0].id: 4}
    assert responses.answers_by_code(response) == {code: 4}


def test_answered_count_counts_this_response_only(build, org, period):
    mine = build.response(period, org.employee, {"BP-1a": 3, "BP-2a": 3}, submitted=False)
    build.response(period, org.colleague, 4, submitted=False)
    assert responses.answered_count(mine) == 2


# --- what is missing, and submitting --------------------------------------------------------


def test_missing_items_in_questionnaire_order_and_from_this_version_only(build, org, session):
    version = make_version(
        session, [("BP-1", "BP", False), ("AK-1", "AK", False), ("KO-1", "KO", False)]
    )
    for item, position in zip(version.items, (13, 12, 11), strict=True):
        item.position = position  # questionnaire order is now KO-1, AK-1, BP-1
    session.flush()
    period = build.period([org.root], version=version)
    draft = build.response(period, org.employee, {"AK-1": 2}, submitted=False)
    assert [item.code for item in responses.missing_items(draft)] == ["KO-1", "BP-1"]
    error = _refused("incomplete", responses.submit, draft)
    assert error.detail == {"items": ["KO-1", "BP-1"]}


def test_submit_refusals_and_other_drafts(build, org, period, session):
    make_version(session, [("BP-1", "BP", False)])  # another version's items are not missing
    mine = build.response(period, org.employee, _complete(period), submitted=False)
    theirs = build.response(period, org.colleague, _complete(period), submitted=False)
    _refused("period_closed", responses.submit, mine, _late(period))
    assert responses.submit(mine, _moment(period)) is True
    assert (mine.state, mine.submitted_at) == ("submitted", _moment(period))
    assert _column(session, Response.state, theirs) == "draft"


# --- the pages and the home page ------------------------------------------------------------


def test_value_pages_follow_the_values_positions(period, session):
    values = session.scalars(sa.select(CoreValue).order_by(CoreValue.position)).all()
    for value in values:
        value.position = 100 - value.position  # KL first, BP last
    session.flush()
    pages = responses.value_pages(period.version)
    assert [value.code for value, _items in pages] == [v.code for v in reversed(values)]
    assert all(item.core_value_id == value.id for value, items in pages for item in items)


def test_open_for_refuses_a_draft_period_and_someone_not_on_the_roster(build, org, period):
    draft_period = build.period([org.root], state="draft")
    _refused("not_on_roster", responses.open_for, draft_period, org.employee)
    _refused("not_on_roster", responses.open_for, build.period([org.dinas_b]), org.employee)
    assert responses.open_for(period, org.employee).employee_id == org.employee.id


def test_statuses_for_each_period_in_the_order_asked(build, org, period):
    total = len(period.version.items)
    drafted, sent = build.period([org.root]), build.period([org.root])
    build.response(drafted, org.employee, {"BP-1a": 3, "BP-2a": 3}, submitted=False)
    done = build.response(sent, org.employee, 4)
    build.response(period, org.colleague, 4)  # someone else's answers count for nobody else
    statuses = responses.statuses_for(org.employee, [period, drafted, sent])
    assert [(s.period.id, s.state, s.answered, s.total, s.submitted_at) for s in statuses] == [
        (period.id, "not_started", 0, total, None),
        (drafted.id, "draft", 2, total, None),
        (sent.id, "submitted", total, total, done.submitted_at),
    ]
    assert [s.progress for s in statuses] == [0.0, 2 / total, 1.0]
    assert responses.statuses_for(org.employee, []) == []


def test_statuses_for_a_draft_without_answers_and_a_version_without_items(build, org, session):
    empty = build.period([org.root], version=make_version(session, []))
    started = build.period([org.root])
    build.response(started, org.employee, {}, submitted=False)
    statuses = responses.statuses_for(org.employee, [empty, started])
    assert [(s.state, s.answered, s.total, s.progress) for s in statuses] == [
        ("not_started", 0, 0, 0.0),
        ("draft", 0, len(started.version.items), 0.0),
    ]
    assert ResponseStatus(empty, "draft", 0, 0, None).progress == 0.0
