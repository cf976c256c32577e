"""Questionnaire versions built to order, for the tests of services.results."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from surveyapp import scoring
from surveyapp.models import CoreValue, Item, Questionnaire, QuestionnaireVersion, utcnow

_seq = itertools.count(1)


def make_version(
    session,
    items: list[tuple[str, str, bool]],
    *,
    scale: tuple[int, int] = (1, 5),
    weights: dict[str, float] | None = None,
    bands: tuple[scoring.Band, ...] = scoring.DEFAULT_BANDS,
    min_group_size: int = 5,
) -> QuestionnaireVersion:
    """A published version of a questionnaire of its own: items as (code, value code, reverse)."""
    values = {v.code: v for v in session.scalars(sa.select(CoreValue))}
    n = next(_seq)
    questionnaire = Questionnaire(name=f"Kuesioner uji {n}")
    lo, hi = scale
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=1,
        status="published",
        published_at=utcnow(),
        scale_min=lo,
        scale_max=hi,
        scale_labels={
            "id": [str(p) for p in range(lo, hi + 1)],
            "en": [str(p) for p in range(lo, hi + 1)],
        },
        bands=[{"lower": b.lower, "label_id": b.label_id, "label_en": b.label_en} for b in bands],
        weights=weights or {},
        min_group_size=min_group_size,
    )
    version.items = [
        Item(
            code=code,
            core_value=values[value],
            behaviour=1,
            text_id=f"Butir {code}",
            text_en=f"Item {code}",
            reverse=reverse,
            position=position,
        )
        for position, (code, value, reverse) in enumerate(items, 1)
    ]
    session.add(questionnaire)
    session.flush()
    return version
