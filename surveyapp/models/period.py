"""Assessment periods and the roster they snapshot when they open."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

PERIOD_DRAFT = "draft"
PERIOD_OPEN = "open"
PERIOD_CLOSED = "closed"
PERIOD_STATES = (PERIOD_DRAFT, PERIOD_OPEN, PERIOD_CLOSED)


class Period(db.Model):
    __tablename__ = "periods"
    __table_args__ = (
        sa.CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
        sa.CheckConstraint("state IN ('draft', 'open', 'closed')", name="state_known"),
        sa.CheckConstraint("target_percent > 0 AND target_percent <= 100", name="target"),
        sa.CheckConstraint("min_respondents IS NULL OR min_respondents > 0", name="minimum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_versions.id", ondelete="RESTRICT"), index=True
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(sa.String(10), default=PERIOD_DRAFT)
    # When true HR sees no individual results and small groups are withheld.
    hide_individuals: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Participation target (services/targets.py): a percentage of the roster, and optionally
    # a minimum number of respondents for the whole period.
    target_percent: Mapped[float] = mapped_column(sa.Float, default=80.0, server_default="80")
    min_respondents: Mapped[int | None]
    # Automatic reminders: days before the deadline, "7,3,1" (services/reminders.py).
    reminder_days: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    version = relationship("QuestionnaireVersion")
    scope_units: Mapped[list[PeriodScope]] = relationship(cascade="all, delete-orphan")


class PeriodScope(db.Model):
    """A unit chosen for the period; its whole subtree takes part."""

    __tablename__ = "period_scopes"

    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )

    unit = relationship("Unit")


class PeriodUnit(db.Model):
    """The unit tree as it stood when the period opened, so later renames and moves do not
    change that period's report."""

    __tablename__ = "period_units"
    __table_args__ = (sa.UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    parent_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT")
    )
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    path: Mapped[str] = mapped_column(sa.String(400), index=True)
    depth: Mapped[int]


class RosterEntry(db.Model):
    """Who is eligible in a period, and in which unit, frozen at opening."""

    __tablename__ = "roster_entries"
    __table_args__ = (sa.UniqueConstraint("period_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    unit_path: Mapped[str] = mapped_column(sa.String(400))

    employee = relationship("Employee")
    unit = relationship("Unit")


sa.Index("ix_roster_entries_period_path", RosterEntry.period_id, RosterEntry.unit_path)


class ResultSnapshot(db.Model):
    """A closed period's published numbers, computed once: per unit of the frozen tree (and
    the organisation) the counts, the whole-number sums scoring needs, the count of each
    answer per item, and the suppression decision (services/results.py). Pages, workbooks
    and trends read it; `flask results verify` recomputes it from the raw answers."""

    __tablename__ = "result_snapshots"

    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict] = mapped_column(sa.JSON)
