"""Reminders to people who have not submitted: by e-mail, and as WhatsApp messages that HR
sends from their own phone (docs/design.md "Participation targets and reminders").

The rules that respect people are the database's, not only this module's:

- A reminder is first *claimed*: one INSERT ... SELECT adds a row per person that may be
  reminded now (on the roster, not submitted, no reminder in the last REMINDER_MIN_HOURS,
  fewer than REMINDER_MAX_PER_PERIOD in the period). Its `slot` is the person's count of
  reminders plus one, and (period, employee, slot) is unique: two clicks, or two HR officers,
  that claim the same person at the same moment compute the same slot, and the database
  keeps one row (ON CONFLICT DO NOTHING). Only a claimed row is ever sent.
- Sending takes a row from pending (or failed) to sending in one guarded UPDATE that is
  committed before the mail server is spoken to, and to sent (or failed) after: a row is
  handed to the server at most once by any number of workers. A row left in "sending" by a
  process that died is never retried (better one reminder lost than one sent twice).
- Just before sending, a person who has submitted in the meantime is skipped (cancelled).
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext
from flask_mail import Message
from sqlalchemy.dialects import postgresql, sqlite

from .. import pace
from ..extensions import db
from ..i18n import format_datetime
from ..models import (
    PERIOD_OPEN,
    RESPONSE_SUBMITTED,
    AuditLog,
    Employee,
    Period,
    Reminder,
    ReminderRun,
    Response,
    RosterEntry,
    utcnow,
)
from ..models.reminder import (
    EMAIL_CANCELLED,
    EMAIL_FAILED,
    EMAIL_GAVE_UP,
    EMAIL_PENDING,
    EMAIL_SENDING,
    EMAIL_SENT,
)
from . import mailer, org, results, targets

MODE_UNIT = "unit"  # everyone in the chosen unit's subtree who has not submitted
MODE_BELOW_TARGET = "below_target"  # everyone in a unit below its target
MODE_PICKED = "picked"  # the people HR ticked on the non-respondent list
MODES = (MODE_UNIT, MODE_BELOW_TARGET, MODE_PICKED)


class NotInScope(LookupError):
    """A picked person is not a non-respondent of the scope: the view answers 404."""


# --- the message -------------------------------------------------------------------------------


def login_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/login"


def _locale_of(person: Employee) -> str:
    languages = current_app.config["LANGUAGES"]
    return (
        person.locale if person.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def message_text(person: Employee, period: Period) -> tuple[str, str]:
    """(subject, body) in the person's language: their own name, the period, the deadline
    and the link to log in. No other person's name: not HR's, not a colleague's."""
    with force_locale(_locale_of(person)):
        deadline = format_datetime(period.closes_at)
        subject = gettext(
            "Reminder: %(period)s, deadline %(deadline)s", period=period.name, deadline=deadline
        )
        body = "\n\n".join(
            [
                gettext("Dear %(name)s,", name=person.name),
                gettext(
                    "you have not yet submitted your answers to %(period)s. "
                    "The deadline is %(deadline)s.",
                    period=period.name,
                    deadline=deadline,
                ),
                gettext(
                    "Log in with your NIP at %(url)s, answer the questions and send your answers.",
                    url=login_url(),
                ),
                gettext("This message was sent automatically; please do not reply to it."),
            ]
        )
    return subject, body


def whatsapp_link(person: Employee, period: Period) -> str | None:
    """https://wa.me/<number>?text=<the message>: HR opens it on their own phone."""
    if not person.phone:
        return None
    _subject, body = message_text(person, period)
    return f"https://wa.me/{person.phone.lstrip('+')}?text={quote(body, safe='')}"


# --- choosing and claiming ---------------------------------------------------------------------


def _not_submitted(period: Period, root_path: str | None):
    """Roster entries of the scope without a submitted response."""
    return results.roster_with_responses(period, root_path).where(
        sa.or_(Response.state.is_(None), Response.state != RESPONSE_SUBMITTED)
    )


def chosen_people(
    period: Period, scope_path: str | None, mode: str, picked: list[int] | None = None
) -> sa.Select:
    """The employee ids HR's choice names, all of them non-respondents of the scope."""
    query = _not_submitted(period, scope_path).add_columns(RosterEntry.employee_id)
    if mode == MODE_PICKED:
        wanted = sorted(set(picked or []))
        found = set(db.session.scalars(query.where(RosterEntry.employee_id.in_(wanted))))
        if not wanted or found != set(wanted):
            raise NotInScope
        return query.where(RosterEntry.employee_id.in_(wanted))
    if mode == MODE_BELOW_TARGET:
        board = targets.dashboard(period, scope_path)
        below = [r.unit.unit_id for r in board.rows if r.unit.eligible and not r.met]
        return query.where(RosterEntry.unit_id.in_(below))
    if mode == MODE_UNIT:
        return query
    raise ValueError(mode)


@dataclass(frozen=True)
class Claimed:
    batch: str
    claimed: int  # reminders claimed now
    chosen: int  # people chosen (not submitted)
    emails: int  # of the claimed, how many go out by e-mail
    whatsapp: int  # of the claimed, how many have a WhatsApp message

    @property
    def skipped(self) -> int:
        return self.chosen - self.claimed


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def claim(
    period: Period,
    people: sa.Select,
    *,
    email: bool,
    whatsapp: bool,
    actor: Employee | None,
    now: datetime | None = None,
) -> Claimed:
    """Claim one reminder for each chosen person who may be reminded now (see the module
    docstring); people with neither an e-mail address nor (for WhatsApp) a mobile number
    are left out. One INSERT ... SELECT whatever the number of people. Flushes, the caller
    commits."""
    now = now or utcnow()
    if period.state != PERIOD_OPEN or now >= period.closes_at:
        return Claimed("", 0, 0, 0, 0)  # answers are no longer taken: nothing to ask for
    config = current_app.config
    batch = secrets.token_hex(16)
    ids = people.with_only_columns(RosterEntry.employee_id).subquery()
    chosen = db.session.scalar(sa.select(sa.func.count()).select_from(ids))
    earlier = sa.orm.aliased(Reminder)
    count = (
        sa.select(sa.func.count(earlier.id))
        .where(earlier.period_id == period.id, earlier.employee_id == Employee.id)
        .scalar_subquery()
    )
    recent = sa.exists().where(
        earlier.period_id == period.id,
        earlier.employee_id == Employee.id,
        earlier.created_at > now - timedelta(hours=config["REMINDER_MIN_HOURS"]),
    )
    has_email = Employee.email.is_not(None) if email else sa.false()
    has_phone = Employee.phone.is_not(None) if whatsapp else sa.false()
    source = sa.select(
        sa.literal(period.id),
        Employee.id,
        count + 1,
        sa.literal(batch),
        sa.literal(actor.id if actor else None, sa.Integer),
        sa.literal(now, Reminder.created_at.type),
        has_email,
        has_phone,
        sa.case((has_email, EMAIL_PENDING), else_=sa.null()),
        sa.literal(0),
    ).where(
        Employee.id.in_(sa.select(ids.c.employee_id)),
        Employee.active.is_(True),
        sa.or_(has_email, has_phone),
        count < config["REMINDER_MAX_PER_PERIOD"],
        ~recent,
    )
    columns = [
        "period_id",
        "employee_id",
        "slot",
        "batch",
        "actor_id",
        "created_at",
        "via_email",
        "via_whatsapp",
        "email_state",
        "attempts",
    ]
    db.session.execute(
        _insert(Reminder.__table__).from_select(columns, source).on_conflict_do_nothing()
    )
    claimed, emails, phones = db.session.execute(
        sa.select(
            sa.func.count(Reminder.id),
            sa.func.count(sa.case((Reminder.via_email.is_(True), 1))),
            sa.func.count(sa.case((Reminder.via_whatsapp.is_(True), 1))),
        ).where(Reminder.batch == batch)
    ).one()
    if phones:
        _audit_batch(batch, "reminder_whatsapp_prepared", Reminder.via_whatsapp.is_(True), actor)
    db.session.flush()
    return Claimed(batch, claimed, chosen, emails, phones)


def _audit_batch(batch: str, action: str, condition, actor: Employee | None) -> None:
    """One audit entry per reminder of the batch, in one INSERT ... SELECT."""
    db.session.execute(
        sa.insert(AuditLog).from_select(
            ["at", "actor_id", "action", "object_type", "object_id", "after"],
            sa.select(
                Reminder.created_at,
                Reminder.actor_id,
                sa.literal(action),
                sa.literal("reminder"),
                sa.cast(Reminder.id, sa.String),
                sa.func.json_object(
                    "employee_id",
                    Reminder.employee_id,
                    "period_id",
                    Reminder.period_id,
                    "slot",
                    Reminder.slot,
                )
                if db.session.get_bind().dialect.name == "sqlite"
                else sa.func.json_build_object(
                    "employee_id",
                    Reminder.employee_id,
                    "period_id",
                    Reminder.period_id,
                    "slot",
                    Reminder.slot,
                ),
            ).where(Reminder.batch == batch, condition),
        )
    )


# --- sending ------------------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def _take(reminder_id: int, now: datetime) -> bool:
    """Pending (or failed and due again) -> sending, committed: nobody else will send it."""
    done = db.session.execute(
        sa.update(Reminder)
        .where(
            Reminder.id == reminder_id,
            sa.or_(
                Reminder.email_state == EMAIL_PENDING,
                sa.and_(Reminder.email_state == EMAIL_FAILED, Reminder.next_attempt_at <= now),
            ),
        )
        .values(email_state=EMAIL_SENDING, attempts=Reminder.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return done.rowcount == 1


def _finish(reminder: Reminder, state: str, now: datetime, error: str | None = None) -> None:
    reminder.email_state = state
    if state == EMAIL_SENT:
        reminder.sent_at = now
    if error is not None:
        reminder.last_error = error[:300]
        if state == EMAIL_FAILED:
            minutes = current_app.config["REMINDER_RETRY_MINUTES"] * 2 ** (reminder.attempts - 1)
            reminder.next_attempt_at = now + timedelta(minutes=minutes)
    db.session.add(
        AuditLog(
            at=now,
            actor_id=reminder.actor_id,
            action={EMAIL_SENT: "reminder_sent", EMAIL_CANCELLED: "reminder_cancelled"}.get(
                state, "reminder_failed"
            ),
            object_type="reminder",
            object_id=str(reminder.id),
            after={
                "employee_id": reminder.employee_id,
                "period_id": reminder.period_id,
                "slot": reminder.slot,
                "attempt": reminder.attempts,
                "error": reminder.last_error if state != EMAIL_SENT else None,
            },
        )
    )
    db.session.commit()


def _submitted(reminder: Reminder) -> bool:
    return (
        db.session.scalar(
            sa.select(Response.state).where(
                Response.period_id == reminder.period_id,
                Response.employee_id == reminder.employee_id,
            )
        )
        == RESPONSE_SUBMITTED
    )


def deliver(reminder_ids: list[int], *, now: datetime | None = None, progress=None) -> Delivery:
    """Send the e-mails of these reminders, each at most once (see the module docstring).
    Commits after every message: each state must outlive a crash of this process. A server
    that is down or refuses marks the message failed, to be retried by `send-due` later
    (REMINDER_MAX_ATTEMPTS in all), never lost and never sent twice."""
    now = now or utcnow()
    outcome = Delivery()
    total = len(reminder_ids)
    max_attempts = current_app.config["REMINDER_MAX_ATTEMPTS"]
    send = None
    connect_error = None
    stack = contextlib.ExitStack()  # the SMTP connection, opened at the first message
    try:
        for done, reminder_id in enumerate(reminder_ids, 1):
            if not _take(reminder_id, now):
                continue
            reminder = db.session.get(Reminder, reminder_id)
            person = reminder.employee
            period = db.session.get(Period, reminder.period_id)
            if _submitted(reminder) or period.state != PERIOD_OPEN or not person.email:
                _finish(reminder, EMAIL_CANCELLED, now, "not needed any more")
                outcome.cancelled += 1
                continue
            if send is None and connect_error is None:
                try:
                    send = stack.enter_context(mailer.channel())
                except (OSError, smtplib.SMTPException) as exc:
                    connect_error = f"{type(exc).__name__}: {exc}"
            try:
                if connect_error is not None:
                    raise smtplib.SMTPConnectError(0, connect_error)
                subject, body = message_text(person, period)
                send(
                    Message(
                        subject=subject,
                        recipients=[person.email],
                        body=body,
                        sender=current_app.config["MAIL_DEFAULT_SENDER"],
                    )
                )
            except (OSError, smtplib.SMTPException) as exc:
                error = connect_error or f"{type(exc).__name__}: {exc}"
                state = EMAIL_GAVE_UP if reminder.attempts >= max_attempts else EMAIL_FAILED
                _finish(reminder, state, now, error)
                outcome.failed += 1
                if connect_error is None and isinstance(exc, smtplib.SMTPServerDisconnected):
                    connect_error = error  # the connection is gone: fail the rest quickly
            except Exception as exc:  # noqa: BLE001  (unknown: whether it went out is unknown)
                _finish(reminder, EMAIL_GAVE_UP, now, f"{type(exc).__name__}: {exc}")
                outcome.failed += 1
            else:
                _finish(reminder, EMAIL_SENT, now)
                outcome.sent += 1
            if progress is not None:
                progress(done, total)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            stack.close()  # every state is committed already: a failing QUIT changes nothing
    return outcome


def batch_ids(batch: str) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Reminder.id)
            .where(Reminder.batch == batch, Reminder.email_state == EMAIL_PENDING)
            .order_by(Reminder.id)
        )
    )


# --- automatic reminders -----------------------------------------------------------------------


@dataclass
class DueRun:
    periods: int = 0
    claimed: int = 0
    delivery: Delivery | None = None


def due_steps(period: Period, now: datetime) -> list[int]:
    """The steps of the period's schedule whose time has come ("3 days before the deadline"
    has come 72 hours before closes_at), while it still accepts answers."""
    schedule = pace.parse_schedule(period.reminder_days) or ()
    if period.state != PERIOD_OPEN or now >= period.closes_at:
        return []
    return [d for d in schedule if now >= period.closes_at - timedelta(days=d)]


def send_due(now: datetime | None = None) -> DueRun:
    """What `flask reminders send-due` does: for every open period whose schedule has a step
    that is due and has not run, claim that step (a row per step, unique: running this twice
    runs it once), claim reminders for everyone who has not submitted, and send them; then
    send whatever is pending or due for a retry. Commits."""
    now = now or utcnow()
    run = DueRun()
    open_periods = db.session.scalars(
        sa.select(Period).where(Period.state == PERIOD_OPEN, Period.reminder_days.is_not(None))
    ).all()
    for period in open_periods:
        steps = due_steps(period, now)
        if not steps:
            continue
        batch = secrets.token_hex(16)
        inserted = db.session.execute(
            _insert(ReminderRun.__table__)
            .values(
                [
                    {"period_id": period.id, "days_before": d, "ran_at": now, "batch": batch}
                    for d in steps
                ]
            )
            .on_conflict_do_nothing()
        )
        db.session.commit()
        if not inserted.rowcount:
            continue  # every due step has run already
        run.periods += 1
        claimed = claim(
            period,
            chosen_people(period, None, MODE_UNIT),
            email=True,
            whatsapp=False,
            actor=None,
            now=now,
        )
        db.session.commit()
        run.claimed += claimed.claimed
    due = list(
        db.session.scalars(
            sa.select(Reminder.id)
            .join(Period, Period.id == Reminder.period_id)
            .where(
                Period.state == PERIOD_OPEN,
                sa.or_(
                    Reminder.email_state == EMAIL_PENDING,
                    sa.and_(Reminder.email_state == EMAIL_FAILED, Reminder.next_attempt_at <= now),
                ),
            )
            .order_by(Reminder.id)
        )
    )
    run.delivery = deliver(due, now=now)
    return run


# --- what HR sees -------------------------------------------------------------------------------


def last_reminded(period: Period, employee_ids) -> dict[int, tuple[datetime, int]]:
    """Per person, when they were last reminded in the period and how many times: one query."""
    rows = db.session.execute(
        sa.select(
            Reminder.employee_id, sa.func.max(Reminder.created_at), sa.func.count(Reminder.id)
        )
        .where(Reminder.period_id == period.id, Reminder.employee_id.in_(list(employee_ids)))
        .group_by(Reminder.employee_id)
    )
    return {eid: (at, n) for eid, at, n in rows}


@dataclass(frozen=True)
class WhatsAppLine:
    name: str
    nip: str
    unit: str
    phone: str
    link: str


def whatsapp_lines(batch: str) -> list[WhatsAppLine]:
    """The WhatsApp messages of a batch, for HR to open one by one on their phone."""
    rows = db.session.execute(
        sa.select(Reminder, Period)
        .join(Period, Period.id == Reminder.period_id)
        .where(Reminder.batch == batch, Reminder.via_whatsapp.is_(True))
        .order_by(Reminder.id)
    ).all()
    out = []
    for reminder, period in rows:
        person = reminder.employee
        out.append(
            WhatsAppLine(
                person.name,
                person.nip,
                person.unit.name,
                person.phone,
                whatsapp_link(person, period),
            )
        )
    return out


def batch_period(batch: str) -> int | None:
    return db.session.scalar(sa.select(Reminder.period_id).where(Reminder.batch == batch).limit(1))


def batch_visible(user: Employee, batch: str) -> bool:
    """HR sees a batch only while every person in it lies in their scope."""
    root = org.visible_root(user)
    if root is None:
        return True
    outside = db.session.scalar(
        sa.select(sa.func.count(Reminder.id))
        .join(
            RosterEntry,
            sa.and_(
                RosterEntry.period_id == Reminder.period_id,
                RosterEntry.employee_id == Reminder.employee_id,
            ),
        )
        .where(Reminder.batch == batch, ~org.in_subtree(RosterEntry.unit_path, root.path))
    )
    return not outside
