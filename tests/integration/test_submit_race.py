"""S22 without a server: two database sessions submit the same draft (two tabs, a retried
request). The guard is the UPDATE ... WHERE state = 'draft' in services.responses.submit: the
second submit finds nothing to update, changes nothing and reports that it was already sent.
Without the guard the second overwrites submitted_at, and these tests fail.

Real commits on the suite's own database (no rolled-back transaction), so the fixture removes
what it made; it makes nothing that writes to the append-only audit log.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.extensions import db
from surveyapp.models import (
    PERIOD_OPEN,
    RESPONSE_SUBMITTED,
    Answer,
    Employee,
    Period,
    Response,
    RosterEntry,
    Unit,
    utcnow,
)
from surveyapp.services import responses
from tests.factories import Builder

pytestmark = pytest.mark.no_transaction

NOW = utcnow().replace(microsecond=0)
FIRST = NOW - timedelta(minutes=2)  # when the first submit happens
SECOND = NOW - timedelta(minutes=1)  # when the second one tries


class _PerThreadSession:
    """Stands in for db.session so that each thread talks to a session of its own: the
    services read `db.session`, and a test of two sessions needs two."""

    def __init__(self):
        self._local = threading.local()

    def use(self, session: Session) -> None:
        self._local.session = session

    def __getattr__(self, name):
        return getattr(self._local.session, name)


@pytest.fixture
def draft(app):
    """A complete draft (every item answered, values 1-5 in turn) in an open period, committed;
    removed again afterwards. Returns the response id."""
    with app.app_context():
        build = Builder(db.session)
        unit = build.unit(f"RACE-{uuid.uuid4().hex[:8]}", "Bidang Uji Balapan")
        person = build.employee(unit, password=None)
        period = Period(
            code=f"RACE-{uuid.uuid4().hex[:8]}",
            name="Periode uji balapan",
            version=build.default_version(),
            opens_at=NOW - timedelta(days=1),
            closes_at=NOW + timedelta(days=14),
            state=PERIOD_OPEN,
            opened_at=NOW - timedelta(days=1),
        )
        db.session.add(period)
        db.session.flush()
        db.session.add(
            RosterEntry(
                period_id=period.id, employee_id=person.id, unit_id=unit.id, unit_path=unit.path
            )
        )
        values = {item.code: 1 + i % 5 for i, item in enumerate(period.version.items)}
        response = build.response(period, person, values, submitted=False)
        ids = (response.id, period.id, person.id, unit.id)
        db.session.commit()
    yield ids[0]
    response_id, period_id, person_id, unit_id = ids
    with app.app_context():
        db.session.execute(sa.delete(Answer).where(Answer.response_id == response_id))
        db.session.execute(sa.delete(Response).where(Response.id == response_id))
        db.session.execute(sa.delete(RosterEntry).where(RosterEntry.period_id == period_id))
        db.session.delete(db.session.get(Period, period_id))  # its scope rows go with it
        db.session.execute(sa.delete(Employee).where(Employee.id == person_id))
        db.session.execute(sa.delete(Unit).where(Unit.id == unit_id))
        db.session.commit()


@pytest.fixture
def sessions(app):
    """Two sessions on the app's engine, db.session switched per thread, in an app context that
    stays for the whole test (a nested one would tear the switch down on leaving).

    expire_on_commit=False: a session that has committed keeps what it read, as a second tab
    keeps the page it loaded."""
    with app.app_context():
        original = db.session
        switch = _PerThreadSession()
        made = [Session(db.engine, expire_on_commit=False) for _ in range(2)]
        db.session = switch
        try:
            yield switch, made
        finally:
            db.session = original
            for session in made:
                session.rollback()
                session.close()


def _stored(response_id):
    """What the database holds now, read by a third session."""
    with Session(db.engine) as fresh:
        response = fresh.get(Response, response_id)
        answers = fresh.execute(
            sa.select(Answer.item_id, Answer.value, Answer.answered_at)
            .where(Answer.response_id == response_id)
            .order_by(Answer.item_id)
        ).all()
        fresh.rollback()
        return response.state, response.submitted_at, response.updated_at, answers


def _submit(switch, session, response, now):
    switch.use(session)
    sent = responses.submit(response, now)
    session.commit()
    return sent


def _read_draft(switch, session, response_id):
    """Load the response and its period as a request does before it decides to submit."""
    switch.use(session)
    response = session.get(Response, response_id)
    assert response.state == "draft" and response.period.state == PERIOD_OPEN
    if session.get_bind().dialect.name == "sqlite":
        # Every SQLite transaction begins IMMEDIATE (writers queue at BEGIN): a reader still in
        # its transaction would hold the first submit off. End it, keeping what was read.
        session.commit()
    return response


def _assert_one_submit(response_id, before, results):
    assert results == [True, False]  # the second one reports "already submitted"
    state, submitted_at, updated_at, answers = _stored(response_id)
    assert state == RESPONSE_SUBMITTED
    assert submitted_at == FIRST and updated_at == FIRST  # the second changed neither
    assert answers == before  # every answer, value and time, as it was


def test_s22_second_submit_after_the_first_committed(draft, sessions):
    switch, (first, second) = sessions
    before = _stored(draft)[3]
    sent_first = _submit(switch, first, _read_draft(switch, first, draft), FIRST)
    switch.use(second)
    sent_second = _submit(switch, second, second.get(Response, draft), SECOND)
    _assert_one_submit(draft, before, [sent_first, sent_second])


def test_s22_second_submit_read_the_draft_before_the_first_committed(draft, sessions):
    switch, (first, second) = sessions
    before = _stored(draft)[3]
    stale = _read_draft(switch, second, draft)  # the second tab still shows a draft
    sent_first = _submit(switch, first, _read_draft(switch, first, draft), FIRST)
    assert stale.state == "draft"  # so it gets past the early "already submitted" check
    sent_second = _submit(switch, second, stale, SECOND)
    assert stale.state == RESPONSE_SUBMITTED and stale.submitted_at == FIRST
    _assert_one_submit(draft, before, [sent_first, sent_second])


def _waiting_on_a_lock(session) -> bool:
    return bool(
        session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    )


def test_s22_second_submit_waits_while_the_first_is_uncommitted(draft, sessions):
    """The first UPDATE has run but not committed when the second arrives: the second waits
    (PostgreSQL: on the row lock; SQLite: at BEGIN IMMEDIATE), then finds no draft."""
    switch, (first, second) = sessions
    before = _stored(draft)[3]
    stale = _read_draft(switch, second, draft)
    mine = _read_draft(switch, first, draft)
    switch.use(first)
    assert responses.submit(mine, FIRST) is True  # updated, not yet committed
    outcome = []

    def second_tab():
        try:
            outcome.append(_submit(switch, second, stale, SECOND))
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcome.append(error)

    thread = threading.Thread(target=second_tab)
    thread.start()
    deadline = time.monotonic() + 5
    if first.get_bind().dialect.name == "postgresql":
        with Session(db.engine) as watcher:
            while not _waiting_on_a_lock(watcher) and time.monotonic() < deadline:
                time.sleep(0.02)
                watcher.rollback()
    else:
        time.sleep(0.3)
    assert thread.is_alive(), "the second submit did not wait for the first"
    first.commit()
    thread.join(30)
    assert not thread.is_alive()
    _assert_one_submit(draft, before, [True, *outcome])
