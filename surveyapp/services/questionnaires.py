"""The question bank: draft versions are edited, published, and copied into new drafts.

A version that is published (or used by a period) is frozen: changing it would change the
meaning of answers already given. Two admins saving the same draft: the lock_version
counter lets the first save win and refuses the second (S23) instead of overwriting it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    VERSION_DRAFT,
    VERSION_PUBLISHED,
    CoreValue,
    Employee,
    Item,
    Period,
    Questionnaire,
    QuestionnaireVersion,
    utcnow,
)
from ..models.questionnaire import SCALE_CEILING, SCALE_FLOOR
from . import audit, culture_map


class QuestionnaireError(ValueError):
    """`str(error)` is the rule's key: frozen, conflict, empty_value, bad_text, bad_group,
    bad_order, bad_scale, scale_words, bad_bands, bad_weights, bad_item."""


MAX_POSITION = 10_000


@dataclass(frozen=True)
class ItemEdit:
    """One item as the admin left it on its own page."""

    text_id: str
    text_en: str
    behaviour: int
    reverse: bool
    # Its place among the items of its core value, from 1 (employees see each value's items
    # on one page, in this order); None keeps the current place.
    order: int | None = None


def _bump(version: QuestionnaireVersion, seen_lock: int | None = None, **values) -> None:
    """Count one more change to the draft, in one statement that also compares the counter the
    editor saw: the second of two concurrent saves updates no row and gets `conflict`."""
    where = [QuestionnaireVersion.id == version.id]
    if seen_lock is not None:
        where.append(QuestionnaireVersion.lock_version == seen_lock)
    bumped = db.session.execute(
        sa.update(QuestionnaireVersion)
        .where(*where)
        .values(lock_version=QuestionnaireVersion.lock_version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise QuestionnaireError("conflict")


def touch(version: QuestionnaireVersion) -> None:
    """Any change to a draft's items outside the editor (add, remove, import) counts as a
    save, so an admin still editing the old page gets a conflict instead of silently losing
    edits to items that changed under them."""
    _bump(version)
    db.session.refresh(version)


def is_frozen(version: QuestionnaireVersion) -> bool:
    used = db.session.scalar(sa.select(Period.id).where(Period.version_id == version.id).limit(1))
    return version.status != VERSION_DRAFT or used is not None


@dataclass(frozen=True)
class Settings:
    """What a version says about scoring: scale and its words, bands, weights."""

    scale_min: int
    scale_max: int
    labels_id: list[str]
    labels_en: list[str]
    bands: list[tuple[float, str, str]]  # (lower, label_id, label_en), highest first
    weights: dict[str, float]


def check_settings(settings: Settings) -> None:
    if not SCALE_FLOOR <= settings.scale_min < settings.scale_max <= SCALE_CEILING:
        raise QuestionnaireError("bad_scale")
    points = settings.scale_max - settings.scale_min + 1
    labels = settings.labels_id + settings.labels_en
    if len(settings.labels_id) != points or len(settings.labels_en) != points:
        raise QuestionnaireError("bad_scale")
    if not all(label.strip() and len(label) <= 60 for label in labels):
        raise QuestionnaireError("bad_scale")
    lowers = [b[0] for b in settings.bands]
    if (
        not settings.bands
        or lowers[-1] != 0
        or any(a <= b for a, b in zip(lowers, lowers[1:], strict=False))
        or any(not 0 <= x <= 100 for x in lowers)
        or not all(b[1].strip() and b[2].strip() for b in settings.bands)
    ):
        raise QuestionnaireError("bad_bands")
    if any(not 0 < w <= 100 for w in settings.weights.values()):
        raise QuestionnaireError("bad_weights")


def _check_lock(version: QuestionnaireVersion, seen_lock: int) -> None:
    if is_frozen(version):
        raise QuestionnaireError("frozen")
    if seen_lock != version.lock_version:
        raise QuestionnaireError("conflict")


def save_item(
    version: QuestionnaireVersion, item: Item, edit: ItemEdit, seen_lock: int, *, actor: Employee
) -> bool:
    """Apply the admin's edit of one item, if nobody saved the draft in between; no other item
    changes (its neighbours only move when the item's order does). Returns whether anything
    changed; a save that changes nothing writes nothing."""
    if item.version_id != version.id:
        raise QuestionnaireError("bad_item")
    _check_lock(version, seen_lock)
    text_id, text_en = edit.text_id.strip(), edit.text_en.strip()
    if not text_id or len(text_id) > 1000 or len(text_en) > 1000:
        raise QuestionnaireError("bad_text")
    if edit.behaviour not in (1, 2, 3):
        raise QuestionnaireError("bad_item")
    siblings = sorted(
        (i for i in version.items if i.core_value_id == item.core_value_id),
        key=lambda i: i.position,
    )
    if edit.order is not None and not 1 <= edit.order <= len(siblings):
        raise QuestionnaireError("bad_order")
    before = _item_record(item, siblings)
    new = {"text_id": text_id, "text_en": text_en or None, "reverse": edit.reverse}
    if edit.behaviour != item.behaviour:
        value_code = item.core_value.code
        taken = {i.code for i in version.items}
        letter = next(
            c
            for c in "abcdefghijklmnopqrstuvwxyz"
            if f"{value_code}-{edit.behaviour}{c}" not in taken
        )
        new |= {"behaviour": edit.behaviour, "code": f"{value_code}-{edit.behaviour}{letter}"}
    if edit.order is not None and siblings.index(item) + 1 != edit.order:
        slots = [i.position for i in siblings]
        siblings.remove(item)
        siblings.insert(edit.order - 1, item)
        for sibling, slot in zip(siblings, slots, strict=True):
            sibling.position = slot
    for key, value in new.items():
        setattr(item, key, value)
    after = _item_record(item, siblings)
    if after == before:
        return False
    _bump(version, seen_lock)
    db.session.flush()
    db.session.refresh(version)
    changed = [k for k in after if after[k] != before[k]]
    audit.record(
        "item_edited",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        before={"code": before["code"], **{k: before[k] for k in changed if k != "code"}},
        after={"code": after["code"], **{k: after[k] for k in changed if k != "code"}},
    )
    return True


def _item_record(item: Item, siblings: list[Item]) -> dict:
    return {
        "code": item.code,
        "text_id": item.text_id,
        "text_en": item.text_en,
        "behaviour": item.behaviour,
        "reverse": item.reverse,
        "order": siblings.index(item) + 1,
    }


def save_settings(
    version: QuestionnaireVersion,
    settings: Settings,
    min_group_size: int,
    seen_lock: int,
    *,
    actor: Employee,
) -> None:
    """Scale, bands, weights and the minimum group size of a draft, all or nothing, if nobody
    saved the draft in between; the items are left alone."""
    _check_lock(version, seen_lock)
    if min_group_size < 1 or min_group_size > 1000:
        raise QuestionnaireError("bad_group")
    new_range = (settings.scale_min, settings.scale_max)
    if new_range != (version.scale_min, version.scale_max) and not all(
        label.strip() for label in settings.labels_id + settings.labels_en
    ):
        raise QuestionnaireError("scale_words")
    check_settings(settings)
    before = _settings_record(version)
    _bump(
        version,
        seen_lock,
        min_group_size=min_group_size,
        scale_min=settings.scale_min,
        scale_max=settings.scale_max,
        scale_labels={
            "id": [w.strip() for w in settings.labels_id],
            "en": [w.strip() for w in settings.labels_en],
        },
        bands=[
            {"lower": _plain(b[0]), "label_id": b[1].strip(), "label_en": b[2].strip()}
            for b in settings.bands
        ],
        weights={code: _plain(w) for code, w in settings.weights.items()},
    )
    db.session.refresh(version)
    after = _settings_record(version)
    changed = [k for k in after if after[k] != before[k]]
    audit.record(
        "version_edited",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )


def _plain(number: float) -> int | float:
    """85.0 is stored as 85, so that the log and the workbook say 85."""
    return int(number) if float(number).is_integer() else number


def _settings_record(version: QuestionnaireVersion) -> dict:
    return {
        "min_group_size": version.min_group_size,
        "scale": [version.scale_min, version.scale_max],
        "scale_labels": version.scale_labels,
        "bands": version.bands,
        "weights": version.weights or {},
    }


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


def publish(
    version: QuestionnaireVersion, *, actor: Employee, seen_lock: int | None = None
) -> list[str]:
    """Publish what the admin looked at: a draft changed since they opened it is a conflict.
    The ORM's version counter also catches a save landing between this check and the write
    (StaleDataError), reported the same way."""
    if version.status != VERSION_DRAFT or is_frozen(version):
        raise QuestionnaireError("frozen")
    if seen_lock is not None and seen_lock != version.lock_version:
        raise QuestionnaireError("conflict")
    errors, warnings = publish_problems(version)
    if errors:
        raise QuestionnaireError("empty_value")
    version.status = VERSION_PUBLISHED
    version.published_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        raise QuestionnaireError("conflict") from None
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
    culture_map.copy_section(version, draft)
    audit.record(
        "version_copied",
        actor=actor,
        object_type="questionnaire_version",
        object_id=draft.id,
        after={"from_version": version.id, "number": number},
    )
    return draft


def add_item(
    version: QuestionnaireVersion,
    value_code: str,
    behaviour: int,
    text_id: str,
    text_en: str,
    reverse: bool,
    *,
    actor: Employee,
) -> Item:
    """A new item in a draft, coded after its value and behaviour (BP-2c, the next letter)."""
    if is_frozen(version):
        raise QuestionnaireError("frozen")
    value = db.session.scalar(sa.select(CoreValue).where(CoreValue.code == value_code))
    if value is None or behaviour not in (1, 2, 3):
        raise QuestionnaireError("bad_item")
    if not text_id.strip() or len(text_id) > 1000:
        raise QuestionnaireError("bad_text")
    taken = {i.code for i in version.items}
    letter = next(
        c for c in "abcdefghijklmnopqrstuvwxyz" if f"{value_code}-{behaviour}{c}" not in taken
    )
    item = Item(
        code=f"{value_code}-{behaviour}{letter}",
        core_value_id=value.id,
        behaviour=behaviour,
        text_id=text_id.strip(),
        text_en=text_en.strip() or None,
        reverse=reverse,
        position=max((i.position for i in version.items), default=0) + 1,
    )
    version.items.append(item)
    db.session.flush()
    touch(version)
    audit.record(
        "item_added",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"code": item.code, "text": item.text_id},
    )
    return item


def remove_item(version: QuestionnaireVersion, item: Item, *, actor: Employee) -> None:
    if is_frozen(version):
        raise QuestionnaireError("frozen")
    if item.version_id != version.id:
        raise QuestionnaireError("bad_item")
    audit.record(
        "item_removed",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        before={"code": item.code, "text": item.text_id},
    )
    version.items.remove(item)
    db.session.flush()
    touch(version)


def core_values() -> list[CoreValue]:
    """The seven values in their fixed order."""
    return list(db.session.scalars(sa.select(CoreValue).order_by(CoreValue.position)))


def listing() -> tuple[list[Questionnaire], dict[int, int]]:
    """Every questionnaire, and per version id how many periods use it (a used version is
    frozen)."""
    listed = db.session.scalars(sa.select(Questionnaire).order_by(Questionnaire.name)).all()
    used = db.session.execute(
        sa.select(Period.version_id, sa.func.count(Period.id)).group_by(Period.version_id)
    ).all()
    return list(listed), dict(used)
