"""The employee's questionnaire: seven pages, autosave, review, one submit, the result."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from surveyapp import scoring
from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from surveyapp.services import periods, results

CODES_BY_PAGE = {}


def _items(period):
    return list(period.version.items)


def _answers(period, pattern=(4, 2, 5, 3, 1)):
    return {item.code: pattern[i % len(pattern)] for i, item in enumerate(_items(period))}


def _save(client, period, code, value, **headers):
    return client.post(
        f"/survey/{period.code}/answers",
        data=json.dumps({"item": code, "value": value}),
        headers={"Content-Type": "application/json", "X-Autosave": "1", **headers},
    )


def _stored(session, period, employee):
    return dict(
        session.execute(
            sa.select(Answer.item_id, Answer.value)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.period_id == period.id, Response.employee_id == employee.id)
        ).all()
    )


@pytest.fixture
def period(build, org):
    return build.period([org.root])


def test_full_journey_seven_pages_resume_review_submit_result(app, period, org, login, session):
    answers = _answers(period)
    first = login(org.employee, app.test_client())
    pages = {}
    for item in _items(period):
        pages.setdefault(item.core_value.position, []).append(item.code)
    assert len(pages) == 7
    # Pages 1-3 by the plain form (no JavaScript), page 4 by autosave clicks.
    for number, position in enumerate(sorted(pages)[:3], 1):
        page = first.get(f"/survey/{period.code}/page/{number}")
        assert page.status_code == 200
        data = {f"item-{code}": answers[code] for code in pages[position]}
        saved = first.post(f"/survey/{period.code}/page/{number}", data={**data, "go": "next"})
        assert saved.status_code == 303
        assert saved.headers["Location"].endswith(f"/page/{number + 1}")
    for code in pages[sorted(pages)[3]]:
        reply = _save(first, period, code, answers[code])
        assert reply.status_code == 200 and reply.get_json()["saved"] is True
    # Resume on another device: the answers are there, the review lists the rest.
    second = login(org.employee, app.test_client())
    page4 = second.get(f"/survey/{period.code}/page/4").get_data(as_text=True)
    some = pages[sorted(pages)[3]][0]
    assert re.search(rf'name="item-{some}" value="{answers[some]}"\s+checked', page4)
    review = second.get(f"/survey/{period.code}/review").get_data(as_text=True)
    missing = [c for p in sorted(pages)[4:] for c in pages[p]]
    assert all(f"#item-{code}" in review for code in missing)
    for number, position in enumerate(sorted(pages)[4:], 5):
        data = {f"item-{code}": answers[code] for code in pages[position]}
        second.post(f"/survey/{period.code}/page/{number}", data={**data, "go": "stay"})
    sent = second.post(f"/survey/{period.code}/submit", data={"confirm": "1"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/result")
    page = second.get(f"/survey/{period.code}/result").get_data(as_text=True)
    expected = scoring.person_result(answers, results.rules_for(period.version))
    with app.test_request_context():
        from flask_babel import force_locale

        from surveyapp.i18n import format_number

        with force_locale("id"):
            assert format_number(expected.overall) in page
            for index in expected.value_indices.values():
                assert format_number(index) in page
    assert "<svg" in page and "<table" in page


def test_result_numbers_equal_the_scoring_module(build, period, org, login, app):
    answers = _answers(period, (5, 4, 4, 3, 2, 1, 5))
    build.response(period, org.employee, answers)
    page = login(org.employee, app.test_client()).get(f"/survey/{period.code}/result")
    text = page.get_data(as_text=True)
    expected = scoring.person_result(answers, results.rules_for(period.version))
    overall = f"{expected.overall:.2f}".replace(".", ",")
    assert f'<p class="big-number">{overall}</p>' in text


def test_unit_average_only_from_the_minimum_group_size(build, period, org, login, app, session):
    build.response(period, org.employee, 4)
    build.response(period, org.colleague, 2)
    periods.close_period(period)
    session.flush()
    text = login(org.employee, app.test_client()).get(f"/survey/{period.code}/result").data
    assert b"terlalu sedikit" in text  # 2 people in Bidang A1 < 5


def test_s21_expired_session_keeps_saved_answers_and_says_how_to_log_back_in(
    app, period, org, login, session
):
    client = login(org.employee, app.test_client())
    code = _items(period)[0].code
    assert _save(client, period, code, 4).status_code == 200
    with client.session_transaction() as sess:
        sess["seen_at"] -= 61 * 60  # idle for more than an hour
    reply = _save(client, period, _items(period)[1].code, 3)
    assert reply.status_code == 401
    body = reply.get_json()
    assert body["error"] == "session_expired" and body["login_url"].startswith("/login")
    assert "jawaban" in body["message"].lower()
    assert list(_stored(session, period, org.employee).values()) == [4]


def test_s21_stale_csrf_token_is_answered_with_a_message_not_a_lost_answer(
    app, period, org, login, session, csrf_on
):
    client = login(org.employee, app.test_client())
    reply = _save(client, period, _items(period)[0].code, 4, **{"X-CSRFToken": "stale"})
    assert reply.status_code == 400 and reply.get_json()["error"] == "csrf"
    page = client.get(f"/survey/{period.code}/page/1").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert (
        _save(client, period, _items(period)[0].code, 4, **{"X-CSRFToken": token}).status_code
        == 200
    )


def test_s22_double_submit_two_tabs_and_retry_give_one_submitted_response(
    app, build, period, org, login, session
):
    answers = _answers(period)
    build.response(period, org.employee, answers, submitted=False)
    tab1 = login(org.employee, app.test_client())
    tab2 = login(org.employee, app.test_client())
    first = tab1.post(f"/survey/{period.code}/submit", data={"confirm": "1"})
    again = tab1.post(f"/survey/{period.code}/submit", data={"confirm": "1"})  # F5 / retry
    other = tab2.post(f"/survey/{period.code}/submit", data={"confirm": "1"})
    assert {r.status_code for r in (first, again, other)} == {303}
    assert "sudah dikirim" in tab2.get(other.headers["Location"]).get_data(as_text=True)
    rows = session.scalars(sa.select(Response).where(Response.employee_id == org.employee.id))
    (response,) = rows.all()
    assert response.state == "submitted"
    # The form in the other tab cannot change anything afterwards.
    code = _items(period)[0].code
    assert _save(tab2, period, code, 1).status_code == 409
    assert _stored(session, period, org.employee)[_items(period)[0].id] == answers[code]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"item": "XX-9z", "value": 3}, 404),
        ({"item": "BP-1a", "value": 9}, 422),
        ({"item": "BP-1a", "value": 0}, 422),
        ({"item": "BP-1a", "value": "3"}, 422),
        ({"item": "BP-1a"}, 422),
        ({"value": 3}, 400),
    ],
)
def test_bad_answers_get_a_clear_4xx_and_change_nothing(
    app, period, org, login, session, payload, status
):
    client = login(org.employee, app.test_client())
    reply = client.post(
        f"/survey/{period.code}/answers",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json", "X-Autosave": "1"},
    )
    assert reply.status_code == status
    assert reply.get_json()["message"]
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_form_with_a_forged_value_saves_nothing_on_the_page(app, period, org, login, session):
    client = login(org.employee, app.test_client())
    items = [i for i in _items(period) if i.core_value.position == 1]
    data = {f"item-{items[0].code}": "4", f"item-{items[1].code}": "7", "go": "next"}
    reply = client.post(f"/survey/{period.code}/page/1", data=data)
    assert reply.status_code == 422
    assert "tidak ada pada skala" in reply.get_data(as_text=True)
    assert _stored(session, period, org.employee) == {}


def test_s02_period_not_on_my_roster_and_unknown_period_are_404(app, build, org, login, session):
    theirs = build.period([org.dinas_b])  # Siti works in Dinas A
    client = login(org.employee, app.test_client())
    for url in (
        f"/survey/{theirs.code}/page/1",
        f"/survey/{theirs.code}/review",
        f"/survey/{theirs.code}/result",
        "/survey/NOPE/page/1",
    ):
        assert client.get(url).status_code == 404, url
    assert _save(client, theirs, "BP-1a", 3).status_code == 404
    assert client.post(f"/survey/{theirs.code}/submit", data={"confirm": "1"}).status_code == 404
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_s02_someone_elses_draft_is_never_reached(app, build, period, org, login, session):
    build.response(period, org.colleague, {"BP-1a": 5}, submitted=False)
    client = login(org.employee, app.test_client())
    page = client.get(f"/survey/{period.code}/page/1").get_data(as_text=True)
    assert "checked" not in page
    _save(client, period, "BP-1a", 2)
    values = session.scalars(
        sa.select(Answer.value).join(Response).where(Response.employee_id == org.colleague.id)
    ).all()
    assert values == [5]


def test_closed_period_is_read_only(app, build, org, login, session):
    closed = build.period([org.root], state="closed")
    client = login(org.employee, app.test_client())
    page = client.get(f"/survey/{closed.code}/page/1").get_data(as_text=True)
    assert "disabled" in page
    assert _save(client, closed, "BP-1a", 3).status_code == 409
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_submit_needs_every_answer_and_the_confirmation(app, build, period, org, login, session):
    build.response(period, org.employee, {"BP-1a": 3}, submitted=False)
    client = login(org.employee, app.test_client())
    no_tick = client.post(f"/survey/{period.code}/submit", data={})
    assert no_tick.headers["Location"].endswith("/review")
    incomplete = client.post(f"/survey/{period.code}/submit", data={"confirm": "1"})
    assert incomplete.headers["Location"].endswith("/review")
    assert session.scalar(sa.select(Response.state)) == "draft"


def test_saving_one_answer_costs_a_fixed_number_of_statements(app, period, org, login):
    client = login(org.employee, app.test_client())
    counts = [0]  # anything before the first save lands in this slot

    def count(*_args):
        counts[-1] += 1

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for item in _items(period)[:20]:
            counts.append(0)
            assert _save(client, period, item.code, 3).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    # The first answer also creates the draft; every later one costs the same.
    per_save = counts[1:]
    assert len(set(per_save[1:])) == 1, per_save
    assert per_save[0] <= per_save[1] + 3
