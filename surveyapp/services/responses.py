"""Reading an employee's responses (status per period)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    PERIOD_CLOSED,
    PERIOD_OPEN,
    RESPONSE_DRAFT,
    RESPONSE_SUBMITTED,
    Answer,
    CoreValue,
    Employee,
    Item,
    Period,
    Response,
    RosterEntry,
    utcnow,
)
from . import culture_map, periods, results


@dataclass(frozen=True)
class ResponseStatus:
    period: Period
    state: str  # "not_started", "draft", "submitted"
    answered: int
    total: int
    submitted_at: datetime | None

    @property
    def progress(self) -> float:
        return self.answered / self.total if self.total else 0.0


def statuses_for(employee: Employee, periods: list[Period]) -> list[ResponseStatus]:
    """Status of the employee's response in each period, in two queries for any number."""
    if not periods:
        return []
    period_ids = [p.id for p in periods]
    totals = dict(
        db.session.execute(
            sa.select(Period.id, sa.func.count(Item.id))
            .join(Item, Item.version_id == Period.version_id)
            .where(Period.id.in_(period_ids))
            .group_by(Period.id)
        ).all()
    )
    rows = db.session.execute(
        sa.select(
            Response.period_id,
            Response.state,
            Response.submitted_at,
            sa.func.count(Answer.id),
            Response.id,
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.employee_id == employee.id, Response.period_id.in_(period_ids))
        .group_by(Response.id, Response.period_id, Response.state, Response.submitted_at)
    ).all()
    by_period = {r[0]: r for r in rows}
    lenses = culture_map.progress_by_response([r[4] for r in rows])
    statuses = []
    for period in periods:
        row = by_period.get(period.id)
        total = totals.get(period.id, 0) + culture_map.lens_total(period.version)
        if row is None:
            statuses.append(ResponseStatus(period, "not_started", 0, total, None))
        else:
            state = "submitted" if row[1] == RESPONSE_SUBMITTED else "draft"
            answered = row[3] + lenses.get(row[4], 0)
            statuses.append(ResponseStatus(period, state, answered, total, row[2]))
    return statuses


# --- filling in --------------------------------------------------------------------------


class ResponseError(Exception):
    """A change to a response that the rules refuse; `code` says which rule, for the view."""

    def __init__(self, code: str, detail: dict | None = None):
        super().__init__(code)
        self.code = code
        self.detail = detail or {}


def roster_entry(period: Period, employee: Employee) -> RosterEntry | None:
    return db.session.scalar(
        sa.select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.employee_id == employee.id
        )
    )


def find_response(period: Period, employee: Employee) -> Response | None:
    return db.session.scalar(
        sa.select(Response).where(
            Response.period_id == period.id, Response.employee_id == employee.id
        )
    )


def start_response(period: Period, employee: Employee, now: datetime | None = None) -> Response:
    """The employee's response in the period, created as a draft on first use.

    Two tabs starting at once both end with the same row: the UNIQUE (period, employee)
    constraint decides, and the loser reads the winner's row.
    """
    existing = find_response(period, employee)
    if existing is not None:
        return existing
    entry = roster_entry(period, employee)
    if entry is None:
        raise ResponseError("not_on_roster")
    if not periods.accepts_answers(period, now):
        raise ResponseError("period_closed")
    now = now or utcnow()
    values = {
        "period_id": period.id,
        "employee_id": employee.id,
        "unit_id": entry.unit_id,
        "unit_path": entry.unit_path,
        "state": RESPONSE_DRAFT,
        "started_at": now,
        "updated_at": now,
    }
    db.session.execute(_insert_ignoring_conflict(Response, values, ["period_id", "employee_id"]))
    return find_response(period, employee)


def _dialect_insert(model):
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def _insert_ignoring_conflict(model, values, keys):
    return _dialect_insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)


def save_answers(
    response: Response, answers: dict[int, int], now: datetime | None = None
) -> dict[int, int]:
    """Upsert answers by item id, in one statement; refuses the whole batch on any bad value.

    Returns what was saved. The period must accept answers and the response be a draft.
    """
    period = response.period
    if not periods.accepts_answers(period, now):
        raise ResponseError("period_closed")
    if response.state != RESPONSE_DRAFT:
        raise ResponseError("already_submitted")
    if not answers:
        return {}
    version = period.version
    valid_items = set(
        db.session.scalars(
            sa.select(Item.id).where(Item.version_id == version.id, Item.id.in_(list(answers)))
        )
    )
    unknown = sorted(set(answers) - valid_items)
    if unknown:
        raise ResponseError("unknown_item", {"items": unknown})
    out_of_scale = sorted(
        i for i, v in answers.items() if not version.scale_min <= v <= version.scale_max
    )
    if out_of_scale:
        raise ResponseError(
            "out_of_scale",
            {"items": out_of_scale, "min": version.scale_min, "max": version.scale_max},
        )
    now = now or utcnow()
    insert = _dialect_insert(Answer).values(
        [
            {"response_id": response.id, "item_id": item_id, "value": value, "answered_at": now}
            for item_id, value in answers.items()
        ]
    )
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["response_id", "item_id"],
            set_={"value": insert.excluded.value, "answered_at": insert.excluded.answered_at},
            # A response submitted meanwhile (another tab) keeps its answers.
            where=sa.exists().where(Response.id == response.id, Response.state == RESPONSE_DRAFT),
        )
    )
    db.session.execute(
        sa.update(Response)
        .where(Response.id == response.id, Response.state == RESPONSE_DRAFT)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return dict(answers)


def missing_items(response: Response) -> list[Item]:
    answered = sa.select(Answer.item_id).where(Answer.response_id == response.id)
    return list(
        db.session.scalars(
            sa.select(Item)
            .where(Item.version_id == response.period.version_id, Item.id.not_in(answered))
            .order_by(Item.position)
        )
    )


def submit(response: Response, now: datetime | None = None) -> bool:
    """Submit once. True when this call submitted it, False when it already was.

    The UPDATE ... WHERE state = 'draft' is the guard: a double click, F5 or a second tab
    finds nothing to update and changes nothing.
    """
    if response.state == RESPONSE_SUBMITTED:
        return False
    if not periods.accepts_answers(response.period, now):
        raise ResponseError("period_closed")
    missing = missing_items(response)
    if missing:
        raise ResponseError("incomplete", {"items": [i.code for i in missing]})
    lenses = culture_map.incomplete_lenses(response)
    if lenses:  # every lens of the culture map needs exactly its number of choices
        raise ResponseError("culture_incomplete", {"lenses": lenses})
    now = now or utcnow()
    result = db.session.execute(
        sa.update(Response)
        .where(Response.id == response.id, Response.state == RESPONSE_DRAFT)
        .values(state=RESPONSE_SUBMITTED, submitted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(response)
    if result.rowcount != 1:
        return False
    results.store_value_sums([response.id])  # the same transaction: all or nothing
    return True


# --- the questionnaire pages -----------------------------------------------------------------


def value_pages(version) -> list[tuple[CoreValue, list[Item]]]:
    """One page per core value, in the fixed BerAKHLAK order, with that value's items."""
    values = db.session.scalars(sa.select(CoreValue).order_by(CoreValue.position)).all()
    by_value: dict[int, list[Item]] = {v.id: [] for v in values}
    for item in version.items:
        by_value.setdefault(item.core_value_id, []).append(item)
    return [(v, by_value[v.id]) for v in values if by_value.get(v.id)]


def open_for(period: Period, employee: Employee) -> RosterEntry:
    """The roster entry that lets `employee` see this period; ResponseError otherwise."""
    if period.state not in (PERIOD_OPEN, PERIOD_CLOSED):
        raise ResponseError("not_on_roster")
    entry = roster_entry(period, employee)
    if entry is None:
        raise ResponseError("not_on_roster")
    return entry


def save_by_code(
    period: Period, employee: Employee, values: dict[str, int], now: datetime | None = None
) -> tuple[Response, dict[int, int]]:
    """Save answers given by item code (the form and the autosave use codes, never ids): the
    draft is created on the first answer. All or nothing on any bad code or value."""
    if not values:
        raise ResponseError("nothing_to_save")
    if not periods.accepts_answers(period, now):
        raise ResponseError("period_closed")
    ids = dict(
        db.session.execute(
            sa.select(Item.code, Item.id).where(
                Item.version_id == period.version_id, Item.code.in_(list(values))
            )
        ).all()
    )
    unknown = sorted(set(values) - set(ids))
    if unknown:
        raise ResponseError("unknown_item", {"items": unknown})
    response = start_response(period, employee, now)
    saved = save_answers(response, {ids[code]: v for code, v in values.items()}, now)
    return response, saved


def answers_by_code(response: Response | None) -> dict[str, int]:
    if response is None:
        return {}
    return dict(
        db.session.execute(
            sa.select(Item.code, Answer.value)
            .join(Answer, Answer.item_id == Item.id)
            .where(Answer.response_id == response.id)
        ).all()
    )


def answered_count(response: Response) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Answer.id)).where(Answer.response_id == response.id)
    )


def progress(response: Response | None, version) -> tuple[int, int]:
    """(answered, total) for the progress bar: every item, and each lens of the culture map
    as one answer once it holds exactly its number of choices."""
    total = len(version.items) + culture_map.lens_total(version)
    if response is None:
        return 0, total
    lenses = culture_map.progress_by_response([response.id]).get(response.id, 0)
    return answered_count(response) + lenses, total
