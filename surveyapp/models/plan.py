"""Action plans: what HR does about a unit's results after a period closes (docs/design.md
"Heatmap and action plans")."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

ACTION_PLANNED = "planned"
ACTION_IN_PROGRESS = "in_progress"
ACTION_DONE = "done"
ACTION_CANCELLED = "cancelled"
ACTION_STATUSES = (ACTION_PLANNED, ACTION_IN_PROGRESS, ACTION_DONE, ACTION_CANCELLED)


class ActionPlan(db.Model):
    """One plan per unit and closed period: the focus values (value codes) and a goal; the
    unit is named by id, and the period's frozen tree (PeriodUnit) says where it stood."""

    __tablename__ = "action_plans"
    __table_args__ = (sa.UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    focus: Mapped[list] = mapped_column(sa.JSON)  # value codes, in BerAKHLAK order
    goal: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Two officers editing one plan: the second save is refused instead of overwriting.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    period = relationship("Period")
    created_by = relationship("Employee")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanAction.position",
    )
    notes: Mapped[list[PlanNote]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(PlanNote.noted_on.desc(), PlanNote.id.desc())",
    )


class PlanAction(db.Model):
    __tablename__ = "plan_actions"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(sa.String(300))
    who: Mapped[str] = mapped_column(sa.String(200))
    due: Mapped[date] = mapped_column(sa.Date())
    status: Mapped[str] = mapped_column(sa.String(12), default=ACTION_PLANNED)

    plan: Mapped[ActionPlan] = relationship(back_populates="actions")


class PlanNote(db.Model):
    """A dated progress note; notes are added, never edited (the audit log holds each)."""

    __tablename__ = "plan_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[date] = mapped_column(sa.Date())
    text: Mapped[str] = mapped_column(sa.String(2000))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="notes")
    author = relationship("Employee")
