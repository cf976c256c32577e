"""Participation targets per unit, and the reminders HR sends to people who have not
submitted (docs/design.md "Participation targets and reminders")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

EMAIL_PENDING = "pending"
EMAIL_SENDING = "sending"
EMAIL_SENT = "sent"
EMAIL_FAILED = "failed"  # retried later, a bounded number of times
EMAIL_GAVE_UP = "gave_up"  # failed too often: never sent
EMAIL_CANCELLED = "cancelled"  # the person submitted before it went out
EMAIL_STATES = (
    EMAIL_PENDING,
    EMAIL_SENDING,
    EMAIL_SENT,
    EMAIL_FAILED,
    EMAIL_GAVE_UP,
    EMAIL_CANCELLED,
)


class UnitTarget(db.Model):
    """A unit's own participation target in a period; the units below it inherit it."""

    __tablename__ = "unit_targets"
    __table_args__ = (
        sa.CheckConstraint("target_percent > 0 AND target_percent <= 100", name="percent"),
    )

    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )
    target_percent: Mapped[float] = mapped_column(sa.Float)


class Reminder(db.Model):
    """One reminder to one person in one period, by e-mail, WhatsApp or both.

    The row is the claim: `slot` counts the person's reminders in the period (1, 2, ...) and
    (period, employee, slot) is unique, so two clicks or two HR officers that compute the
    same next slot at the same time insert one row between them, and only a claimed row is
    ever sent (services/reminders.py)."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "employee_id", "slot", name="uq_reminders_slot"),
        sa.CheckConstraint("slot >= 1", name="slot_positive"),
        sa.CheckConstraint(
            "email_state IS NULL OR email_state IN "
            "('pending', 'sending', 'sent', 'failed', 'gave_up', 'cancelled')",
            name="email_state_known",
        ),
        sa.Index("ix_reminders_period_employee", "period_id", "employee_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id", ondelete="RESTRICT"))
    slot: Mapped[int]
    batch: Mapped[str] = mapped_column(sa.String(32), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="SET NULL")
    )  # None: an automatic reminder
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    via_email: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    via_whatsapp: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    email_state: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employee = relationship("Employee", foreign_keys=[employee_id])


class ReminderRun(db.Model):
    """A step of a period's reminder schedule that has run ("7 days before"): the row makes
    `flask reminders send-due` idempotent, however often cron starts it."""

    __tablename__ = "reminder_runs"

    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    days_before: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    batch: Mapped[str] = mapped_column(sa.String(32))
