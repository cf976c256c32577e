"""The culture map (Peta Budaya) section of a questionnaire version, and a response's choices.

A version owns its section: how many behaviours to choose per lens (`pick`) and the list to
choose from, the 21 BerAKHLAK behaviours plus the limiting behaviours the version names. Like
the items, all of it is frozen once the version is (services/questionnaires.is_frozen), so a
choice always refers to the wording the person saw (docs/culture-map.md).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

LENS_SELF, LENS_CURRENT, LENS_DESIRED = "self", "current", "desired"
LENSES = (LENS_SELF, LENS_CURRENT, LENS_DESIRED)  # the page order, and the scoring order
KIND_VALUE, KIND_LIMITING = "value", "limiting"
PICK_MIN, PICK_MAX = 1, 20
# Behaviours at list positions 1..MASK_POSITIONS fit the bits of a response's stored choice
# masks (models.response.ResponseScore), below the sign bit of a 64-bit integer.
MASK_POSITIONS = 62


class CultureMap(db.Model):
    """A version's culture-map section; a version without a row has none."""

    __tablename__ = "culture_maps"
    __table_args__ = (sa.CheckConstraint("pick BETWEEN 1 AND 20", name="pick_range"),)

    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE"), primary_key=True
    )
    pick: Mapped[int] = mapped_column(default=10)

    behaviours: Mapped[list[CultureBehaviour]] = relationship(
        order_by="CultureBehaviour.position", cascade="all, delete-orphan"
    )


class CultureBehaviour(db.Model):
    """One behaviour on the list: a BerAKHLAK behaviour (its value and number) or a limiting
    one (neither). Codes are stable within the version: BP-1 ... KL-3, L01 ...; choices and
    snapshots refer to the id."""

    __tablename__ = "culture_behaviours"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "code"),
        sa.CheckConstraint("kind IN ('value', 'limiting')", name="kind_known"),
        sa.CheckConstraint(
            "(kind = 'value') = (core_value_id IS NOT NULL AND behaviour IS NOT NULL)",
            name="value_has_behaviour",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("culture_maps.version_id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(10))
    core_value_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("core_values.id", ondelete="RESTRICT")
    )
    behaviour: Mapped[int | None]
    text_id: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int]

    core_value = relationship("CoreValue")

    @property
    def limiting(self) -> bool:
        return self.kind == KIND_LIMITING

    def text(self, locale: str) -> str:
        if locale.startswith("en") and self.text_en:
            return self.text_en
        return self.text_id


class CultureChoice(db.Model):
    """One behaviour a person chose in one lens; a lens holds at most `pick` of them."""

    __tablename__ = "culture_choices"
    __table_args__ = (
        sa.CheckConstraint("lens IN ('self', 'current', 'desired')", name="lens_known"),
    )

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    lens: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    behaviour_id: Mapped[int] = mapped_column(
        sa.ForeignKey("culture_behaviours.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CultureOrder(db.Model):
    """The order a person sees the list in (shuffled against position bias), stored with the
    first choice, so a reload, another device or a later release shows the same order."""

    __tablename__ = "culture_orders"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    codes: Mapped[list] = mapped_column(sa.JSON)
