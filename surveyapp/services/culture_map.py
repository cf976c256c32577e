"""The culture map (Peta Budaya) of a questionnaire version and of a response.

A version's section is edited only while the version is a draft (questionnaires.is_frozen),
like its items, so a limiting behaviour edited in a new draft never changes what a frozen
version asked. A response holds at most `pick` choices per lens; submit needs exactly `pick`
in every lens (responses.submit). docs/culture-map.md has the whole design.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import content, culture
from ..extensions import db
from ..models import (
    KIND_LIMITING,
    KIND_VALUE,
    LENSES,
    RESPONSE_DRAFT,
    CoreValue,
    CultureBehaviour,
    CultureChoice,
    CultureMap,
    CultureOrder,
    Employee,
    Period,
    QuestionnaireVersion,
    Response,
    utcnow,
)
from ..models.culture import PICK_MAX, PICK_MIN
from . import audit, periods, questionnaires, responses

MAX_TEXT = 300
MAX_LIMITING = 30

# The three lenses in the employee's words (glossary: Diri saya, Unit saya saat ini, Unit saya
# yang saya harapkan), and the question each page asks.
LENS_NAMES = {
    "self": _l("Myself"),
    "current": _l("My unit today"),
    "desired": _l("My unit as I wish it to be"),
}
LENS_QUESTIONS = {
    "self": _l(
        "Choose the %(n)d behaviours that describe you best: as you are at work, not as you "
        "would like to be."
    ),
    "current": _l("Choose the %(n)d behaviours that describe best how your unit works today."),
    "desired": _l("Choose the %(n)d behaviours your unit needs most to work at its best."),
}


def section(version: QuestionnaireVersion) -> CultureMap | None:
    return db.session.get(CultureMap, version.id)


@dataclass(frozen=True)
class Listed:
    """A version's section as the result pages read it, in one statement once per database
    session (the HR pages of a closed period stay within their statement budget)."""

    pick: int
    rows: dict[int, CultureBehaviour]  # by id
    behaviours: list[culture.Behaviour]  # the pure module's view, in list order
    value_names: dict[str, tuple[str, str]]  # core value code -> (name id, name en)


_LISTED_KEY = "surveyapp.culture_listed"


def listed(version: QuestionnaireVersion) -> Listed | None:
    cache = db.session.info.setdefault(_LISTED_KEY, {})
    if version.id not in cache:
        found = db.session.execute(
            sa.select(CultureBehaviour, CultureMap.pick, CoreValue)
            .join(CultureMap, CultureMap.version_id == CultureBehaviour.version_id)
            .outerjoin(CoreValue, CoreValue.id == CultureBehaviour.core_value_id)
            .where(CultureBehaviour.version_id == version.id)
            .order_by(CultureBehaviour.position)
        ).all()
        cache[version.id] = (
            Listed(
                pick=found[0][1],
                rows={b.id: b for b, _pick, _value in found},
                behaviours=[
                    culture.Behaviour(b.id, b.code, value.code if value else None, b.position)
                    for b, _pick, value in found
                ],
                value_names={
                    value.code: (value.name_id, value.name_en)
                    for _b, _pick, value in found
                    if value is not None
                },
            )
            if found
            else None
        )
    return cache[version.id]


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _forget_listed(session, *_args) -> None:
    session.info.pop(_LISTED_KEY, None)


def catalogue(version: QuestionnaireVersion) -> list[culture.Behaviour] | None:
    """The version's list as the pure scoring module sees it; None without a section."""
    found = listed(version)
    return found.behaviours if found is not None else None


# --- editing a draft's section -----------------------------------------------------------------


def _writable(version: QuestionnaireVersion) -> None:
    if questionnaires.is_frozen(version):
        raise questionnaires.QuestionnaireError("frozen")


def _clean(text_id: str, text_en: str) -> tuple[str, str | None]:
    text_id, text_en = (text_id or "").strip(), (text_en or "").strip()
    if not text_id or len(text_id) > MAX_TEXT or len(text_en) > MAX_TEXT:
        raise questionnaires.QuestionnaireError("bad_text")
    return text_id, text_en or None


def add_section(
    version: QuestionnaireVersion, *, actor: Employee, pick: int = content.CULTURE_PICK
) -> CultureMap:
    """Give a draft the culture map: the 21 BerAKHLAK behaviours and the default limiting list."""
    _writable(version)
    if section(version) is not None:
        raise questionnaires.QuestionnaireError("bad_item")
    if not PICK_MIN <= pick <= PICK_MAX:
        raise questionnaires.QuestionnaireError("bad_pick")
    found = CultureMap(version_id=version.id, pick=pick)
    values = db.session.scalars(sa.select(CoreValue).order_by(CoreValue.position)).all()
    rows = [
        CultureBehaviour(
            code=f"{v.code}-{n}",
            kind=KIND_VALUE,
            core_value_id=v.id,
            behaviour=n,
            text_id=guide["id"],
            text_en=guide["en"],
        )
        for v in values
        for n, guide in enumerate(v.behaviours, 1)
    ] + [
        CultureBehaviour(
            code=item["code"], kind=KIND_LIMITING, text_id=item["id"], text_en=item["en"]
        )
        for item in content.LIMITING_BEHAVIOURS
    ]
    for position, row in enumerate(rows, 1):
        row.position = position
    found.behaviours = rows
    db.session.add(found)
    db.session.flush()
    questionnaires.touch(version)
    audit.record(
        "culture_map_added",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"pick": pick},
    )
    return found


def copy_section(source: QuestionnaireVersion, draft: QuestionnaireVersion) -> None:
    """new_draft's part: the draft gets its own copy of the section (new rows, same codes)."""
    found = section(source)
    if found is None:
        return
    copy = CultureMap(version_id=draft.id, pick=found.pick)
    copy.behaviours = [
        CultureBehaviour(
            code=b.code,
            kind=b.kind,
            core_value_id=b.core_value_id,
            behaviour=b.behaviour,
            text_id=b.text_id,
            text_en=b.text_en,
            position=b.position,
        )
        for b in found.behaviours
    ]
    db.session.add(copy)
    db.session.flush()


@dataclass(frozen=True)
class LimitingEdit:
    behaviour_id: int
    text_id: str
    text_en: str


def save_section(
    version: QuestionnaireVersion, pick: int, edits: list[LimitingEdit], *, actor: Employee
) -> None:
    """Change the number to choose and the limiting behaviours' wording, all or nothing.
    The 21 BerAKHLAK behaviours keep the wording of the core values."""
    _writable(version)
    found = section(version)
    if found is None:
        raise questionnaires.QuestionnaireError("bad_item")
    limiting = {b.id: b for b in found.behaviours if b.kind == KIND_LIMITING}
    if not PICK_MIN <= pick <= min(PICK_MAX, len(found.behaviours)):
        raise questionnaires.QuestionnaireError("bad_pick")
    cleaned = []
    for edit in edits:
        if edit.behaviour_id not in limiting:
            raise questionnaires.QuestionnaireError("bad_item")
        cleaned.append((limiting[edit.behaviour_id], *_clean(edit.text_id, edit.text_en)))
    changed = []
    for row, text_id, text_en in cleaned:
        if (row.text_id, row.text_en) != (text_id, text_en):
            changed.append({"code": row.code, "before": row.text_id, "after": text_id})
            row.text_id, row.text_en = text_id, text_en
    before_pick = found.pick
    found.pick = pick
    db.session.flush()
    questionnaires.touch(version)
    audit.record(
        "culture_map_edited",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        before={"pick": before_pick},
        after={"pick": pick, "limiting": changed},
    )


def add_limiting(
    version: QuestionnaireVersion, text_id: str, text_en: str, *, actor: Employee
) -> CultureBehaviour:
    _writable(version)
    found = section(version)
    if found is None:
        raise questionnaires.QuestionnaireError("bad_item")
    text_id, text_en = _clean(text_id, text_en)
    limiting = [b for b in found.behaviours if b.kind == KIND_LIMITING]
    if len(limiting) >= MAX_LIMITING:
        raise questionnaires.QuestionnaireError("bad_item")
    taken = {b.code for b in found.behaviours}
    code = next(f"L{n:02d}" for n in range(1, 100) if f"L{n:02d}" not in taken)
    row = CultureBehaviour(
        code=code,
        kind=KIND_LIMITING,
        text_id=text_id,
        text_en=text_en,
        position=max((b.position for b in found.behaviours), default=0) + 1,
    )
    found.behaviours.append(row)
    db.session.flush()
    questionnaires.touch(version)
    audit.record(
        "culture_behaviour_added",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        after={"code": code, "text": text_id},
    )
    return row


def remove_limiting(
    version: QuestionnaireVersion, behaviour: CultureBehaviour, *, actor: Employee
) -> None:
    _writable(version)
    found = section(version)
    if found is None or behaviour.version_id != version.id or behaviour.kind != KIND_LIMITING:
        raise questionnaires.QuestionnaireError("bad_item")
    if len(found.behaviours) - 1 < found.pick:
        raise questionnaires.QuestionnaireError("bad_pick")
    audit.record(
        "culture_behaviour_removed",
        actor=actor,
        object_type="questionnaire_version",
        object_id=version.id,
        before={"code": behaviour.code, "text": behaviour.text_id},
    )
    found.behaviours.remove(behaviour)
    db.session.flush()
    questionnaires.touch(version)


# --- a person's choices ------------------------------------------------------------------------


class CultureError(Exception):
    """A choice the rules refuse; `code` names the rule for the view."""

    def __init__(self, code: str, detail: dict | None = None):
        super().__init__(code)
        self.code = code
        self.detail = detail or {}


def order(period: Period, employee: Employee, response: Response | None) -> list[str]:
    """The codes in the order this person sees them: stored once they chose anything, before
    that drawn from a seed of the period and the person (the same draw that gets stored)."""
    if response is not None:
        stored = db.session.get(CultureOrder, response.id)
        if stored is not None:
            return list(stored.codes)
    found = section(period.version)
    codes = [b.code for b in found.behaviours] if found else []
    return culture.shuffled(codes, f"{period.id}:{employee.id}")


def ordered_behaviours(
    period: Period, employee: Employee, response: Response | None
) -> list[CultureBehaviour]:
    found = section(period.version)
    if found is None:
        return []
    by_code = {b.code: b for b in found.behaviours}
    seen = [by_code[c] for c in order(period, employee, response) if c in by_code]
    return seen + [b for b in found.behaviours if b not in seen]


def choices(response: Response | None) -> dict[str, set[str]]:
    """lens -> the codes chosen in it."""
    chosen: dict[str, set[str]] = {lens: set() for lens in LENSES}
    if response is None:
        return chosen
    rows = db.session.execute(
        sa.select(CultureChoice.lens, CultureBehaviour.code)
        .join(CultureBehaviour, CultureBehaviour.id == CultureChoice.behaviour_id)
        .where(CultureChoice.response_id == response.id)
    )
    for lens, code in rows:
        chosen[lens].add(code)
    return chosen


def save_lens(
    period: Period,
    employee: Employee,
    lens: str,
    codes: set[str],
    now: datetime | None = None,
) -> Response:
    """Replace one lens's choices with `codes` (the page's form, without JavaScript). More
    than `pick` is refused and writes nothing; fewer is kept as a draft."""
    found, ids = _checked(period, lens, codes)
    if len(codes) > found.pick:
        raise CultureError("too_many", {"chosen": len(codes), "pick": found.pick})
    response = _draft(responses.start_response(period, employee, now))
    now = now or utcnow()
    _remember_order(period, employee, response)
    db.session.execute(
        sa.delete(CultureChoice).where(
            CultureChoice.response_id == response.id, CultureChoice.lens == lens
        )
    )
    if ids:
        db.session.execute(
            sa.insert(CultureChoice),
            [
                {"response_id": response.id, "lens": lens, "behaviour_id": i, "chosen_at": now}
                for i in ids.values()
            ],
        )
    _touch(response, now)
    return response


def set_choice(
    period: Period,
    employee: Employee,
    lens: str,
    code: str,
    chosen: bool,
    now: datetime | None = None,
) -> tuple[Response, int]:
    """Tick or untick one behaviour (a click, saved at once). Ticking one more than `pick` is
    refused. Returns the response and how many the lens now holds."""
    found, ids = _checked(period, lens, {code})
    response = _draft(responses.start_response(period, employee, now))
    now = now or utcnow()
    _remember_order(period, employee, response)
    where = (
        CultureChoice.response_id == response.id,
        CultureChoice.lens == lens,
        CultureChoice.behaviour_id == ids[code],
    )
    if chosen:
        held = _count(response, lens)
        exists = db.session.scalar(sa.select(sa.func.count()).where(*where))
        if not exists:
            if held >= found.pick:
                raise CultureError("too_many", {"chosen": held + 1, "pick": found.pick})
            db.session.add(
                CultureChoice(
                    response_id=response.id, lens=lens, behaviour_id=ids[code], chosen_at=now
                )
            )
            db.session.flush()
    else:
        db.session.execute(sa.delete(CultureChoice).where(*where))
    _touch(response, now)
    return response, _count(response, lens)


def _checked(period: Period, lens: str, codes: set[str]) -> tuple[CultureMap, dict[str, int]]:
    found = section(period.version)
    if found is None or lens not in LENSES:
        raise CultureError("unknown_behaviour")
    if not periods.accepts_answers(period):
        raise CultureError("period_closed")
    by_code = {b.code: b.id for b in found.behaviours}
    unknown = sorted(codes - set(by_code))
    if unknown:
        raise CultureError("unknown_behaviour", {"codes": unknown})
    return found, {c: by_code[c] for c in codes}


def _draft(response: Response) -> Response:
    if response.state != RESPONSE_DRAFT:
        raise CultureError("already_submitted")
    return response


def _count(response: Response, lens: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            CultureChoice.response_id == response.id, CultureChoice.lens == lens
        )
    )


def _remember_order(period: Period, employee: Employee, response: Response) -> None:
    if db.session.get(CultureOrder, response.id) is None:
        db.session.add(
            CultureOrder(response_id=response.id, codes=order(period, employee, response))
        )
        db.session.flush()


def _touch(response: Response, now: datetime) -> None:
    db.session.execute(
        sa.update(Response)
        .where(Response.id == response.id, Response.state == RESPONSE_DRAFT)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )


def lens_counts(response: Response | None) -> dict[str, int]:
    counts = {lens: 0 for lens in LENSES}
    if response is None:
        return counts
    rows = db.session.execute(
        sa.select(CultureChoice.lens, sa.func.count())
        .where(CultureChoice.response_id == response.id)
        .group_by(CultureChoice.lens)
    )
    counts.update(dict(rows.all()))
    return counts


def incomplete_lenses(response: Response) -> dict[str, int]:
    """lens -> how many it holds, for every lens that does not hold exactly `pick`; empty
    when the response's version has no culture map or every lens is complete."""
    found = section(response.period.version)
    if found is None:
        return {}
    return {lens: n for lens, n in lens_counts(response).items() if n != found.pick}


def progress_by_response(response_ids: list[int]) -> dict[int, int]:
    """response id -> how many of its lenses hold exactly `pick` (one GROUP BY for any number;
    the home page and the progress bar count a complete lens as one answer)."""
    if not response_ids:
        return {}
    per_lens = (
        sa.select(CultureChoice.response_id, CultureMap.pick, sa.func.count().label("n"))
        .join(Response, Response.id == CultureChoice.response_id)
        .join(Period, Period.id == Response.period_id)
        .join(CultureMap, CultureMap.version_id == Period.version_id)
        .where(CultureChoice.response_id.in_(response_ids))
        .group_by(CultureChoice.response_id, CultureChoice.lens, CultureMap.pick)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(per_lens.c.response_id, sa.func.count())
        .where(per_lens.c.n == per_lens.c.pick)
        .group_by(per_lens.c.response_id)
    )
    return dict(rows.all())


def lens_total(version: QuestionnaireVersion) -> int:
    """How many 'answers' the culture map adds to the progress bar: one per lens."""
    return len(LENSES) if section(version) is not None else 0
