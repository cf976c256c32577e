"""The question bank: draft versions are edited, published, and copied into new drafts.

A version that is published (or used by a period) is frozen: changing it would change the
meaning of answers already given. Two admins saving the same draft: the lock_version
counter lets the first save win and refuses the second (S23) instead of overwriting it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    VERSION_DRAFT,
    VERSION_PUBLISHED,
    CoreValue,
    Employee,
    Item,
    Period,
    QuestionnaireVersion,
    utcnow,
)
from . import audit


class QuestionnaireError(ValueError):
    """`str(error)` is the rule's key: frozen, conflict, empty_value, bad_text, bad_group."""


@dataclass(frozen=True)
class ItemEdit:
    item_id: int
    text_id: str
    text_en: str
    reverse: bool


def is_frozen(version: QuestionnaireVersion) -> bool:
    used = db.session.scalar(sa.select(Period.id).where(Period.version_id == version.id).limit(1))
    return version.status != VERSION_DRAFT or used is not None


def save_draft(
    version: QuestionnaireVersion,
    edits: list[ItemEdit],
    min_group_size: int,
    seen_lock: int,
    *,
    actor: Employee,
) -> None:
    """Apply an admin's edits to a draft, all or nothing, if nobody saved it in between."""
    if is_frozen(version):
        raise QuestionnaireError("frozen")
    if min_group_size < 1 or min_group_size > 1000:
        raise QuestionnaireError("bad_group")
    items = {item.id: item for item in version.items}
    for edit in edits:
        if edit.item_id not in items or not edit.text_id.strip() or len(edit.text_id) > 1000:
            raise QuestionnaireError("bad_text")
    # Compare and bump in one statement: the second of two concurrent saves updates no row.
    bumped = db.session.execute(
        sa.update(QuestionnaireVersion)
        .where(
            QuestionnaireVersion.id == version.id,
            QuestionnaireVersion.lock_version == seen_lock,
        )
        .values(lock_version=QuestionnaireVersion.lock_version + 1, min_group_size=min_group_size)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise QuestionnaireError("conflict")
    changed = []
    for edit in edits:
        item = items[edit.item_id]
        new = (edit.text_id.strip(), edit.text_en.strip() or None, edit.reverse)
        if (item.text_id, item.text_en, item.reverse) != new:
            changed.append({"code": item.code, "before": item.text_id, "after": new[0]})
            item.text_id, item.text_en, item.reverse = new
    db.session.flush()
    db.session.refresh(version)
    audit.record(
        "version_edited",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"items": changed, "min_group_size": min_group_size},
    )


def publish_problems(version: QuestionnaireVersion) -> tuple[list[str], list[str]]:
    """(errors, warnings): a value without items blocks publishing; a behaviour without an
    item is only a warning (the index still works, the behaviour just is not measured)."""
    values = db.session.scalars(sa.select(CoreValue).order_by(CoreValue.position)).all()
    errors, warnings = [], []
    for value in values:
        mine = [i for i in version.items if i.core_value_id == value.id]
        if not mine:
            errors.append(value.code)
            continue
        for number in (1, 2, 3):
            if not any(i.behaviour == number for i in mine):
                warnings.append(f"{value.code}-{number}")
    return errors, warnings


def publish(version: QuestionnaireVersion, *, actor: Employee) -> list[str]:
    if version.status != VERSION_DRAFT:
        raise QuestionnaireError("frozen")
    errors, warnings = publish_problems(version)
    if errors:
        raise QuestionnaireError("empty_value")
    version.status = VERSION_PUBLISHED
    version.published_at = utcnow()
    audit.record(
        "version_published",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"warnings": warnings},
    )
    return warnings


def new_draft(version: QuestionnaireVersion, *, actor: Employee) -> QuestionnaireVersion:
    """Copy a version (frozen or not) into the next draft of the same questionnaire."""
    number = (
        db.session.scalar(
            sa.select(sa.func.max(QuestionnaireVersion.number)).where(
                QuestionnaireVersion.questionnaire_id == version.questionnaire_id
            )
        )
        or 0
    ) + 1
    draft = QuestionnaireVersion(
        questionnaire_id=version.questionnaire_id,
        number=number,
        status=VERSION_DRAFT,
        scale_min=version.scale_min,
        scale_max=version.scale_max,
        scale_labels=dict(version.scale_labels),
        bands=list(version.bands),
        weights=dict(version.weights or {}),
        min_group_size=version.min_group_size,
    )
    draft.items = [
        Item(
            code=i.code,
            core_value_id=i.core_value_id,
            behaviour=i.behaviour,
            text_id=i.text_id,
            text_en=i.text_en,
            reverse=i.reverse,
            position=i.position,
        )
        for i in version.items
    ]
    db.session.add(draft)
    db.session.flush()
    audit.record(
        "version_copied",
        actor=actor,
        object_type="questionnaire_version",
        object_id=draft.id,
        after={"from_version": version.id, "number": number},
    )
    return draft
