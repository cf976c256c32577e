"""Responses and their answers; one response per person and period, by the database."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

RESPONSE_DRAFT = "draft"
RESPONSE_SUBMITTED = "submitted"


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "employee_id"),
        sa.CheckConstraint("state IN ('draft', 'submitted')", name="state_known"),
        sa.CheckConstraint(
            "(state = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    unit_path: Mapped[str] = mapped_column(sa.String(400))
    state: Mapped[str] = mapped_column(sa.String(10), default=RESPONSE_DRAFT)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    period = relationship("Period")
    employee = relationship("Employee")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


sa.Index("ix_responses_period_state_path", Response.period_id, Response.state, Response.unit_path)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "item_id"),
        # The exact range is the version's scale, checked by the service; this bound holds
        # for every scale a version may have.
        sa.CheckConstraint("value BETWEEN 0 AND 10", name="value_in_any_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    value: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="answers")
    item = relationship("Item")


ANSWER_MASK_BITS = 62  # bits of an answer mask column, below the sign bit
ANSWER_MASK_COLUMNS = 4  # so a version of up to 248 items x scale points is counted from masks


class ResponseScore(db.Model):
    """One submitted response's numbers, written in the submit transaction: per core value the
    sum of its item scores (reverse keying applied as scoring.item_score does) and how many
    items, and the lowest and highest raw answer and how many (for the quality flags).

    One row a person, so results read 100,000 rows without a GROUP BY instead of 2.8 million
    answers; `flask results verify` recomputes them from the answers. An admin reopening a
    response removes its row. The seven values are fixed (scoring.VALUE_CODES); a version that
    leaves a value out stores 0 items for it.
    """

    __tablename__ = "response_scores"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    bp_sum: Mapped[int]
    bp_items: Mapped[int]
    ak_sum: Mapped[int]
    ak_items: Mapped[int]
    ko_sum: Mapped[int]
    ko_items: Mapped[int]
    ha_sum: Mapped[int]
    ha_items: Mapped[int]
    lo_sum: Mapped[int]
    lo_items: Mapped[int]
    ad_sum: Mapped[int]
    ad_items: Mapped[int]
    kl_sum: Mapped[int]
    kl_items: Mapped[int]
    lowest_answer: Mapped[int]
    highest_answer: Mapped[int]
    answered: Mapped[int]
    # The culture-map choices per lens as bits (bit position - 1 of each chosen behaviour),
    # so that closing a period counts them from this row instead of 30 choice rows a person;
    # None for a version without a culture map or with a behaviour past MASK_POSITIONS.
    self_mask: Mapped[int | None] = mapped_column(sa.BigInteger)
    current_mask: Mapped[int | None] = mapped_column(sa.BigInteger)
    desired_mask: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The answers as bits, one per item and scale point (item position p, answer a: bit
    # (p - 1) * points + a - scale_min of the whole, ANSWER_MASK_BITS to a column), so that
    # closing a period counts answers per item from this row instead of 28 answer rows.
    answer_mask_0: Mapped[int | None] = mapped_column(sa.BigInteger)
    answer_mask_1: Mapped[int | None] = mapped_column(sa.BigInteger)
    answer_mask_2: Mapped[int | None] = mapped_column(sa.BigInteger)
    answer_mask_3: Mapped[int | None] = mapped_column(sa.BigInteger)

    @classmethod
    def sum_of(cls, code: str):
        return getattr(cls, f"{code.lower()}_sum")

    @classmethod
    def items_of(cls, code: str):
        return getattr(cls, f"{code.lower()}_items")

    @classmethod
    def mask_of(cls, lens: str):
        return getattr(cls, f"{lens}_mask")

    @classmethod
    def answer_mask(cls, column: int):
        return getattr(cls, f"answer_mask_{column}")
