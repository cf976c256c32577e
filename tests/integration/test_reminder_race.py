"""Two HR officers (or two clicks) remind the same person at the same moment, each in a
database session of its own: the database keeps one reminder (the unique slot of
services/reminders.claim), on SQLite and on PostgreSQL.

Real commits on the suite's own database (no rolled-back transaction), so the fixture removes
what it made; the claims are e-mail only and write nothing to the append-only audit log.
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.extensions import db
from surveyapp.models import PERIOD_OPEN, Employee, Period, Reminder, RosterEntry, Unit, utcnow
from surveyapp.services import reminders
from tests.factories import Builder
from tests.integration.test_submit_race import _PerThreadSession, _waiting_on_a_lock

pytestmark = pytest.mark.no_transaction

NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def roster(app):
    """An open period with one person (with an e-mail address) who has not submitted."""
    with app.app_context():
        build = Builder(db.session)
        unit = build.unit(f"RMD-{uuid.uuid4().hex[:8]}", "Bidang Uji Pengingat")
        person = build.employee(unit, password=None)
        person.email = "uji@sukamaju.go.id"
        period = Period(
            code=f"RMD-{uuid.uuid4().hex[:8]}",
            name="Periode uji pengingat",
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
        ids = (period.id, person.id, unit.id)
        db.session.commit()
    yield ids
    period_id, person_id, unit_id = ids
    with app.app_context():
        db.session.execute(sa.delete(Reminder).where(Reminder.period_id == period_id))
        db.session.execute(sa.delete(RosterEntry).where(RosterEntry.period_id == period_id))
        db.session.delete(db.session.get(Period, period_id))
        db.session.execute(sa.delete(Employee).where(Employee.id == person_id))
        db.session.execute(sa.delete(Unit).where(Unit.id == unit_id))
        db.session.commit()


class _Switch(_PerThreadSession):
    """The switch of test_submit_race, in a thread that has an app context of its own (the
    claim reads its caps from the config): leaving that context removes no session."""

    def remove(self) -> None:
        """Deliberately nothing: the test closes its sessions itself."""


@pytest.fixture
def sessions(app):
    with app.app_context():
        original = db.session
        switch = _Switch()
        made = [Session(db.engine, expire_on_commit=False) for _ in range(2)]
        db.session = switch
        try:
            yield switch, made
        finally:
            db.session = original
            for session in made:
                session.rollback()
                session.close()


def _claim(switch, session, period_id, person_id):
    switch.use(session)
    period = session.get(Period, period_id)
    people = reminders.chosen_people(period, None, reminders.MODE_PICKED, [person_id])
    if session.get_bind().dialect.name == "sqlite":
        session.commit()  # SQLite: the read ends, the write below begins IMMEDIATE
    return reminders.claim(period, people, email=True, whatsapp=False, actor=None, now=NOW)


def _stored(period_id) -> list[int]:
    with Session(db.engine) as fresh:
        slots = list(
            fresh.scalars(
                sa.select(Reminder.slot)
                .where(Reminder.period_id == period_id)
                .order_by(Reminder.slot)
            )
        )
        fresh.rollback()
        return slots


def test_two_claims_one_after_the_other(app, roster, sessions):
    switch, (first, second) = sessions
    period_id, person_id, _unit = roster
    one = _claim(switch, first, period_id, person_id)
    first.commit()
    two = _claim(switch, second, period_id, person_id)
    second.commit()
    assert (one.claimed, two.claimed) == (1, 0)
    assert _stored(period_id) == [1]


def test_two_claims_at_once_keep_one(app, roster, sessions):
    """The first claim has inserted but not committed when the second runs: the second cannot
    see the first's row, computes the same slot, and waits on it (PostgreSQL: the unique
    index; SQLite: the write lock at BEGIN IMMEDIATE); when the first commits, the second
    inserts nothing."""
    switch, (first, second) = sessions
    period_id, person_id, _unit = roster
    one = _claim(switch, first, period_id, person_id)  # inserted, not committed
    outcome = {}

    def second_officer():
        with app.app_context():
            try:
                outcome["claimed"] = _claim(switch, second, period_id, person_id).claimed
                second.commit()
            except Exception as exc:  # noqa: BLE001  (reported below)
                outcome["error"] = exc

    thread = threading.Thread(target=second_officer)
    thread.start()
    if first.get_bind().dialect.name == "postgresql":
        with Session(db.engine) as watcher:
            for _ in range(200):
                if _waiting_on_a_lock(watcher):
                    break
                thread.join(0.05)
            watcher.rollback()
        assert thread.is_alive()  # really waiting on the first claim
    else:
        thread.join(0.5)
    switch.use(first)
    first.commit()
    thread.join(30)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome
    assert (one.claimed, outcome["claimed"]) == (1, 0)
    assert _stored(period_id) == [1]
