"""S24 and S25 against a real gunicorn with 4 workers (SQLite or PostgreSQL, as the run is)."""

from __future__ import annotations

import http.client
import json
import random
import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from surveyapp.models import Answer, Item, Period, Response
from tests.concurrency.conftest import PEOPLE

# A minute or two each: `make test` runs them, `make test-fast` does not.
pytestmark = pytest.mark.slow


def _answers_by_person(served):
    rows = served.rows(
        sa.select(Response.employee_id, Item.code, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Item, Item.id == Answer.item_id)
    )
    stored: dict[int, dict[str, int]] = {}
    for employee_id, code, value in rows:
        stored.setdefault(employee_id, {})[code] = value
    return stored


def test_s24_200_people_saving_and_submitting_at_once_lose_nothing(served):
    served.start()
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(served.log_in, served.people))

    statuses: Counter = Counter()
    acknowledged: dict[int, dict[str, int]] = {}
    lock = threading.Lock()

    def fill_in_and_submit(person):
        rng = random.Random(person.id)
        mine: dict[str, int] = {}
        codes = served.remaining_items + [served.remaining_items[0]]  # one answer changed
        for code in codes:
            value = rng.randint(1, 5)
            status, _, body = served.save(person, code, value)
            with lock:
                statuses[status] += 1
            if status == 200 and json.loads(body)["saved"]:
                mine[code] = value
        # A double click: two submits at once.
        with ThreadPoolExecutor(max_workers=2) as twice:
            results = list(twice.map(lambda _: served.submit(person), range(2)))
        with lock:
            for status, _, _ in results:
                statuses[status] += 1
            acknowledged[person.id] = mine

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(fill_in_and_submit, served.people))
    served.stop()

    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 302, 303, 409}, statuses
    stored = _answers_by_person(served)
    for person in served.people:
        assert len(stored[person.id]) == 28, f"{person.nip} has {len(stored[person.id])}"
        for code, value in acknowledged[person.id].items():
            assert stored[person.id][code] == value, (person.nip, code)
    states = served.rows(sa.select(Response.state, sa.func.count()).group_by(Response.state))
    assert dict(states) == {"submitted": PEOPLE}
    assert served.scalar(sa.select(sa.func.count()).where(Response.submitted_at.is_(None))) == 0


def test_s25_server_killed_during_submits_leaves_no_half_response(served):
    # Everyone's answers are complete; only the submits run through HTTP.
    with served.app.app_context():
        from surveyapp.extensions import db

        # The period's own items: later versions (migration 0009's v2) reuse the item codes.
        version = sa.select(Period.version_id).where(Period.code == served.period_code)
        items = db.session.scalars(
            sa.select(Item).where(
                Item.code.in_(served.remaining_items), Item.version_id == version.scalar_subquery()
            )
        )
        responses = db.session.scalars(sa.select(Response)).all()
        for item in items:
            for response in responses:
                db.session.add(Answer(response_id=response.id, item_id=item.id, value=2))
        db.session.commit()
    served.start()
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(served.log_in, served.people))

    done = threading.Event()
    acked = []
    lock = threading.Lock()

    def submit(person):
        if done.is_set():
            return
        try:
            status, _, _ = served.submit(person)
        except (OSError, http.client.HTTPException):
            return  # the server died under this request (reset, or a half-read reply)
        with lock:
            acked.append((person.id, status))
            if len(acked) >= PEOPLE // 4:
                done.set()

    with ThreadPoolExecutor(max_workers=30) as pool:
        futures = [pool.submit(submit, p) for p in served.people]
        done.wait(timeout=120)
        served.stop(signal.SIGKILL)  # mid-flight: other submits are still running
        for future in futures:
            future.result()

    def check_every_response_whole():
        rows = served.rows(
            sa.select(
                Response.employee_id,
                Response.state,
                Response.submitted_at,
                sa.func.count(Answer.id),
            )
            .outerjoin(Answer, Answer.response_id == Response.id)
            .group_by(Response.id)
        )
        assert len(rows) == PEOPLE
        for employee_id, state, submitted_at, answers in rows:
            assert answers == 28, employee_id
            assert (state == "submitted") == (submitted_at is not None), employee_id
        return {employee_id for employee_id, state, _, _ in rows if state == "submitted"}

    submitted = check_every_response_whole()
    for person_id, status in acked:
        if status in (302, 303):
            assert person_id in submitted  # an acknowledged submit survived the kill

    # After a restart, everyone else can still submit, exactly once.
    served.start()
    for person in served.people:
        served.log_in(person)
        status, _, _ = served.submit(person)
        assert status in (302, 303, 409)
    served.stop()
    assert len(check_every_response_whole()) == PEOPLE
