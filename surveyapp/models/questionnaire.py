"""Core values, questionnaires, their versions and items."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

VERSION_DRAFT = "draft"
VERSION_PUBLISHED = "published"
SCALE_FLOOR, SCALE_CEILING = 0, 10  # no scale reaches outside (scale_bounds below)


class CoreValue(db.Model):
    """One of the seven BerAKHLAK values, in fixed order."""

    __tablename__ = "core_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(2), unique=True)
    position: Mapped[int] = mapped_column(unique=True)
    name_id: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    definition_id: Mapped[str] = mapped_column(sa.Text)
    definition_en: Mapped[str] = mapped_column(sa.Text)
    # The three behaviour guides (panduan perilaku): [{"id": ..., "en": ...}, ...]
    behaviours: Mapped[list] = mapped_column(sa.JSON, default=list)

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_id

    def definition(self, locale: str) -> str:
        return self.definition_en if locale.startswith("en") else self.definition_id

    def behaviour(self, number: int, locale: str) -> str:
        entry = self.behaviours[number - 1]
        return entry["en"] if locale.startswith("en") else entry["id"]


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number"
    )


class QuestionnaireVersion(db.Model):
    """Scale, items, bands, weights and minimum group size; frozen once a period uses it."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "number"),
        sa.CheckConstraint("scale_min < scale_max", name="scale_ordered"),
        sa.CheckConstraint("scale_min >= 0 AND scale_max <= 10", name="scale_bounds"),
        sa.CheckConstraint("min_group_size >= 1", name="min_group_positive"),
        sa.CheckConstraint("status IN ('draft', 'published')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaires.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default=VERSION_DRAFT)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    # {"id": ["Tidak pernah", ...], "en": ["Never", ...]}, one label per scale point
    scale_labels: Mapped[dict] = mapped_column(sa.JSON)
    # [{"lower": 85, "label_id": "Sangat Baik", "label_en": "Very good"}, ...]
    bands: Mapped[list] = mapped_column(sa.JSON)
    # {"BP": 1, ...}; a missing value code weighs 1
    weights: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    min_group_size: Mapped[int] = mapped_column(default=5)
    # Optimistic locking: two admins editing the same draft cannot overwrite each other.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    items: Mapped[list[Item]] = relationship(
        back_populates="version", order_by="Item.position", cascade="all, delete-orphan"
    )
    # The optional culture-map section (models/culture.py); None when the version has none.
    culture_map = relationship("CultureMap", uselist=False, cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": lock_version}

    def scale(self, locale: str) -> list[tuple[int, str]]:
        """Every point of the scale with its word, lowest first."""
        return [(p, self.scale_label(p, locale)) for p in range(self.scale_min, self.scale_max + 1)]

    def scale_label(self, point: int, locale: str) -> str:
        """The point's word in the locale; the number itself where a version has none."""
        labels = self.scale_labels.get("en" if locale.startswith("en") else "id") or []
        index = point - self.scale_min
        return labels[index] if 0 <= index < len(labels) else str(point)


class Item(db.Model):
    """A questionnaire item (butir); text in Indonesian is required, English optional."""

    __tablename__ = "items"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "code"),
        sa.CheckConstraint("behaviour BETWEEN 1 AND 3", name="behaviour_1_3"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(20))
    core_value_id: Mapped[int] = mapped_column(
        sa.ForeignKey("core_values.id", ondelete="RESTRICT"), index=True
    )
    behaviour: Mapped[int]
    text_id: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str | None] = mapped_column(sa.Text)
    reverse: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    position: Mapped[int]

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="items")
    core_value: Mapped[CoreValue] = relationship()

    def text(self, locale: str) -> str:
        if locale.startswith("en") and self.text_en:
            return self.text_en
        return self.text_id
