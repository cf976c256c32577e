"""Action plans: after a period closes, HR picks focus values for a unit, plans actions and
notes progress; the next closed period of the same questionnaire measures the focus values
again (docs/design.md "Heatmap and action plans").

Who may see and change a plan is the one HR scope rule (reports.scope_for on the plan's period
and unit): outside it a plan does not exist (NotVisible, a 404). Every change is audited with
what the plan was before and after. Numbers come from results.published, so a withheld unit
stays withheld in a plan's before and after (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import scoring, validation
from ..extensions import db
from ..models import (
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_IN_PROGRESS,
    ACTION_PLANNED,
    ACTION_STATUSES,
    ActionPlan,
    Employee,
    Period,
    PeriodUnit,
    PlanAction,
    PlanNote,
    utcnow,
)
from ..parsing import BAD_DATE as MSG_DATE
from ..parsing import FIRST_YEAR, LAST_YEAR
from . import audit, org, privacy, results
from .reports import NotVisible, Scope, scope_for, value_headings

GOAL_MAX = ActionPlan.goal.type.length
WHAT_MAX = PlanAction.what.type.length
WHO_MAX = PlanAction.who.type.length
NOTE_MAX = PlanNote.text.type.length
FOCUS_MAX = 3  # a focus of more values is no focus
SUGGEST_LOWEST = 2  # the page suggests the lowest one or two values ...
SUGGEST_BELOW = 2  # ... and those furthest below the organisation

STATUS_LABELS = {
    ACTION_PLANNED: _l("Planned"),
    ACTION_IN_PROGRESS: _l("In progress"),
    ACTION_DONE: _l("Done"),
    ACTION_CANCELLED: _l("Cancelled"),
}

MSG_NOT_CLOSED = _l("An action plan can be made once the period is closed.")
MSG_EXISTS = _l("This unit already has an action plan for this period.")
MSG_NO_FOCUS = _l("Choose at least one focus value.")
MSG_TOO_MANY_FOCUS = _l("Choose at most %(n)d focus values.")
MSG_UNKNOWN_FOCUS = _l("Not a valid choice.")
MSG_STALE = _l(
    "Someone else changed this plan while you were editing it. Nothing was saved; "
    "here is the plan as it is now."
)
MSG_STATUS = _l("Not a valid choice.")


class PlanRefused(ValueError):
    """A plan change the rules refuse; `field` names the form field it is about (None: the
    whole change) and `str()` is the message in the current language."""

    def __init__(self, message, field: str | None = None, **values):
        super().__init__(message)
        self.message = message
        self.field = field
        self.values = values

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.values if self.values else text


@dataclass(frozen=True)
class ActionInput:
    what: str
    who: str
    due: date | None
    status: str


# Reading ---------------------------------------------------------------------------------------
def find_plan(user: Employee, plan_id: int) -> tuple[ActionPlan, Scope]:
    """The plan and its unit if the user's scope holds that unit; NotVisible otherwise, so
    that nobody learns which plans exist outside their scope."""
    plan = db.session.get(ActionPlan, plan_id)
    if plan is None:
        raise NotVisible
    return plan, scope_for(user, plan.period, plan.unit_id)


def plan_of(period: Period, unit_id: int | None) -> ActionPlan | None:
    if unit_id is None:
        return None
    return db.session.scalar(
        sa.select(ActionPlan).where(
            ActionPlan.period_id == period.id, ActionPlan.unit_id == unit_id
        )
    )


@dataclass(frozen=True)
class PlanLine:
    plan: ActionPlan
    unit_code: str
    unit_name: str
    period: Period


def plans_in_scope(user: Employee, period: Period | None = None) -> list[PlanLine]:
    """The plans of units the user may see (where each unit stood in its period's tree),
    newest period first, then in tree order: one query, actions loaded with it."""
    root = org.visible_root(user)
    query = (
        sa.select(ActionPlan, PeriodUnit.code, PeriodUnit.name)
        .join(
            PeriodUnit,
            sa.and_(
                PeriodUnit.period_id == ActionPlan.period_id,
                PeriodUnit.unit_id == ActionPlan.unit_id,
            ),
        )
        .join(Period, Period.id == ActionPlan.period_id)
        .options(sa.orm.selectinload(ActionPlan.actions), sa.orm.contains_eager(ActionPlan.period))
        .order_by(Period.opens_at.desc(), PeriodUnit.path)
    )
    if root is not None:
        query = query.where(org.in_subtree(PeriodUnit.path, root.path))
    if period is not None:
        query = query.where(ActionPlan.period_id == period.id)
    return [
        PlanLine(plan, code, name, plan.period)
        for plan, code, name in db.session.execute(query).unique()
    ]


def plan_status(actions) -> str:
    """A plan's status, read from its actions (one rule, never stored twice): no action, or
    none begun, is planned; every action not cancelled done is done; all cancelled is
    cancelled; anything else is in progress."""
    live = [a.status for a in actions if a.status != ACTION_CANCELLED]
    if not actions:
        return ACTION_PLANNED
    if not live:
        return ACTION_CANCELLED
    if all(s == ACTION_DONE for s in live):
        return ACTION_DONE
    if any(s in (ACTION_IN_PROGRESS, ACTION_DONE) for s in live):
        return ACTION_IN_PROGRESS
    return ACTION_PLANNED


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


@dataclass(frozen=True)
class Suggestion:
    """A value as the plan form offers it: its index, its difference to the organisation, and
    why the page suggests it (one of the lowest; among the furthest below the organisation)."""

    code: str
    name: str
    mean: float | None
    difference: float | None
    lowest: bool
    below: bool

    @property
    def suggested(self) -> bool:
        return self.lowest or self.below


def suggestions(period: Period, scope: Scope, locale: str) -> list[Suggestion]:
    """Every value of the period's version in BerAKHLAK order, the suggested ones marked; no
    marks where the unit's results are withheld (nothing is shown, so nothing is suggested)."""
    headings = value_headings(period.version, locale)
    unit = results.scope_result(period, scope.path)
    if unit.withheld:
        return [Suggestion(h.code, h.name, None, None, False, False) for h in headings]
    organisation = results.scope_result(period, None)
    means = {h.code: _mean(unit.values.get(h.code)) for h in headings}
    differences = {
        h.code: scoring.change(means[h.code], _mean(organisation.values.get(h.code)))
        for h in headings
    }
    ranked = sorted((m, code) for code, m in means.items() if m is not None)
    lowest = {code for _m, code in ranked[:SUGGEST_LOWEST]}
    below_ranked = sorted((d, code) for code, d in differences.items() if d is not None and d < 0)
    below = {code for _d, code in below_ranked[:SUGGEST_BELOW]}
    return [
        Suggestion(
            h.code, h.name, means[h.code], differences[h.code], h.code in lowest, h.code in below
        )
        for h in headings
    ]


def withheld_reason(period: Period, scope: Scope) -> str | None:
    """Why the unit's own results are withheld in the period (scoring.WITHHELD_*), or None."""
    unit = results.scope_result(period, scope.path)
    return (unit.withheld_reason or scoring.WITHHELD_SMALL) if unit.withheld else None


def _mean(agg: scoring.Aggregate | None) -> float | None:
    return agg.mean if agg is not None else None


# Before and after ------------------------------------------------------------------------------
NOT_IN_PERIOD = "absent"  # the unit (by code) did not take part in the later period


@dataclass(frozen=True)
class FocusChange:
    """A focus value of the plan's unit in the plan's period and in the next one. A side that
    is withheld carries the reason (scoring.WITHHELD_* or NOT_IN_PERIOD) and no number."""

    code: str
    name: str
    before: float | None
    before_withheld: str | None
    after: float | None
    after_withheld: str | None

    @property
    def change(self) -> float | None:
        return scoring.change(self.after, self.before)


@dataclass(frozen=True)
class Followup:
    later: Period | None  # None until a later closed period of the questionnaire exists
    changes: list[FocusChange]


def _unit_numbers(period: Period, *, unit_id=None, code=None):
    """A unit's published result in a period, by id or by code (units are matched by code
    across periods, as results.value_changes does); None if it did not take part."""
    for result in results.published(period).units:
        if (unit_id is not None and result.unit_id == unit_id) or (
            code is not None and result.code == code
        ):
            return result
    return None


def _side(result, code: str) -> tuple[float | None, str | None]:
    if result is None:
        return None, NOT_IN_PERIOD
    if result.withheld:
        return None, result.withheld_reason or scoring.WITHHELD_SMALL
    return _mean(result.values.get(code)), None


def followup(plan: ActionPlan, locale: str) -> Followup:
    """The focus values before (the plan's period) and after (the next closed period of the
    same questionnaire) for the same unit, as each period publishes them."""
    names = {h.code: h.name for h in value_headings(plan.period.version, locale)}
    before_unit = _unit_numbers(plan.period, unit_id=plan.unit_id)
    later = results.next_period(plan.period)
    after_unit = None
    if later is not None and before_unit is not None:
        after_unit = _unit_numbers(later, code=before_unit.code)
    changes = []
    for code in plan.focus:
        before, before_withheld = _side(before_unit, code)
        after, after_withheld = _side(after_unit, code) if later is not None else (None, None)
        changes.append(
            FocusChange(code, names.get(code, code), before, before_withheld, after, after_withheld)
        )
    return Followup(later, changes)


# Changing --------------------------------------------------------------------------------------
def _check_published(period: Period) -> None:
    if not privacy.results_published(period):
        raise PlanRefused(MSG_NOT_CLOSED)


def _clean_focus(period: Period, focus) -> list[str]:
    codes = results.rules_for(period.version).value_codes
    chosen = set(focus or ())
    if not chosen:
        raise PlanRefused(MSG_NO_FOCUS, "focus")
    if not chosen <= set(codes):
        raise PlanRefused(MSG_UNKNOWN_FOCUS, "focus")
    if len(chosen) > FOCUS_MAX:
        raise PlanRefused(MSG_TOO_MANY_FOCUS, "focus", n=FOCUS_MAX)
    return [code for code in codes if code in chosen]


def _clean_text(rule, value, field: str, limit: int, required: bool) -> str:
    try:
        return rule(value, limit, required=required)
    except validation.Invalid as exc:
        raise PlanRefused(exc.message, field, **exc.values) from None


def _clean_actions(actions) -> list[ActionInput]:
    cleaned = []
    for n, action in enumerate(actions or ()):
        where = f"actions-{n}-"
        what = _clean_text(validation.one_line, action.what, where + "what", WHAT_MAX, True)
        who = _clean_text(validation.one_line, action.who, where + "who", WHO_MAX, True)
        if not isinstance(action.due, date) or not FIRST_YEAR <= action.due.year <= LAST_YEAR:
            raise PlanRefused(MSG_DATE, where + "due", first=FIRST_YEAR, last=LAST_YEAR)
        if action.status not in ACTION_STATUSES:
            raise PlanRefused(MSG_STATUS, where + "status")
        cleaned.append(ActionInput(what, who, action.due, action.status))
    return cleaned


def _state(plan: ActionPlan, unit_code: str | None = None) -> dict:
    """What the audit log keeps of a plan: everything a person typed or chose."""
    return {
        "period": plan.period.code,
        "unit": unit_code,
        "focus": list(plan.focus),
        "goal": plan.goal,
        "actions": [
            {"what": a.what, "who": a.who, "due": a.due.isoformat(), "status": a.status}
            for a in plan.actions
        ],
    }


def _set_actions(plan: ActionPlan, actions: list[ActionInput]) -> None:
    plan.actions = [
        PlanAction(position=n, what=a.what, who=a.who, due=a.due, status=a.status)
        for n, a in enumerate(actions)
    ]


def create_plan(
    user: Employee,
    period: Period,
    scope: Scope,
    *,
    focus,
    goal: str,
    actions,
    ip: str | None = None,
) -> ActionPlan:
    """A unit's plan for a closed period; the scope comes from reports.scope_for, so it is
    inside the user's. One plan per unit and period, held by the database: of two officers
    creating one at once, the second is refused."""
    _check_published(period)
    if scope.unit_id is None:
        raise NotVisible
    focus = _clean_focus(period, focus)
    goal = _clean_text(validation.paragraphs, goal, "goal", GOAL_MAX, False)
    cleaned = _clean_actions(actions)
    if plan_of(period, scope.unit_id) is not None:
        raise PlanRefused(MSG_EXISTS)
    now = utcnow()
    plan = ActionPlan(
        period=period,
        unit_id=scope.unit_id,
        focus=focus,
        goal=goal,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    _set_actions(plan, cleaned)
    try:
        with db.session.begin_nested():
            db.session.add(plan)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise PlanRefused(MSG_EXISTS) from None
    audit.record(
        "plan_created",
        actor=user,
        object_type="action_plan",
        object_id=plan.id,
        after=_state(plan, scope.code),
        ip=ip,
    )
    return plan


def update_plan(
    user: Employee,
    plan: ActionPlan,
    scope: Scope,
    *,
    focus,
    goal: str,
    actions,
    lock_version: int | None,
    ip: str | None = None,
) -> bool:
    """Replace the plan's focus, goal and actions; False when nothing changed (and nothing is
    written). A form opened before someone else's save is refused (MSG_STALE)."""
    if lock_version != plan.lock_version:
        raise PlanRefused(MSG_STALE)
    focus = _clean_focus(plan.period, focus)
    goal = _clean_text(validation.paragraphs, goal, "goal", GOAL_MAX, False)
    cleaned = _clean_actions(actions)
    before = _state(plan, scope.code)
    current = [ActionInput(a.what, a.who, a.due, a.status) for a in plan.actions]
    if (focus, goal, cleaned) == (list(plan.focus), plan.goal, current):
        return False
    plan.focus = focus
    plan.goal = goal
    if cleaned != current:
        _set_actions(plan, cleaned)
    plan.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "plan_changed",
        actor=user,
        object_type="action_plan",
        object_id=plan.id,
        before=before,
        after=_state(plan, scope.code),
        ip=ip,
    )
    return True


def add_note(
    user: Employee,
    plan: ActionPlan,
    scope: Scope,
    *,
    noted_on: date | None,
    text: str,
    ip: str | None = None,
) -> PlanNote:
    """A dated progress note (the date is the day the note is about, today by default)."""
    if not isinstance(noted_on, date) or not FIRST_YEAR <= noted_on.year <= LAST_YEAR:
        raise PlanRefused(MSG_DATE, "noted_on", first=FIRST_YEAR, last=LAST_YEAR)
    text = _clean_text(validation.paragraphs, text, "text", NOTE_MAX, True)
    note = PlanNote(plan=plan, noted_on=noted_on, text=text, author_id=user.id)
    db.session.add(note)
    db.session.flush()
    audit.record(
        "plan_note_added",
        actor=user,
        object_type="action_plan",
        object_id=plan.id,
        after={"unit": scope.code, "noted_on": noted_on.isoformat(), "text": text},
        ip=ip,
    )
    return note


# The workbook's "Rencana Aksi" sheet ----------------------------------------------------------
@dataclass(frozen=True)
class PlanReport:
    """One plan as the workbook shows it, already in the report's language (the sheet writer,
    report_sheets.write_plans, only formats)."""

    unit_code: str
    unit_name: str
    status: str
    goal: str
    focus: list[FocusChange]
    actions: list[tuple[str, str, date, str]]  # what, who, due, status (words)
    notes: list[tuple[date, str]]


@dataclass(frozen=True)
class PlansReport:
    period_name: str
    scope_name: str
    later_name: str | None  # the period that measured the focus values again, if any
    min_group_size: int
    plans: list[PlanReport]


def plans_report(period: Period, scope: Scope, locale: str) -> PlansReport:
    """The plans made after `period` for units of the scope (already checked by the caller
    through reports.scope_for), in tree order, with before and after of their focus values."""
    query = (
        sa.select(ActionPlan, PeriodUnit.code, PeriodUnit.name)
        .join(
            PeriodUnit,
            sa.and_(
                PeriodUnit.period_id == ActionPlan.period_id,
                PeriodUnit.unit_id == ActionPlan.unit_id,
            ),
        )
        .where(ActionPlan.period_id == period.id)
        .options(sa.orm.selectinload(ActionPlan.actions), sa.orm.selectinload(ActionPlan.notes))
        .order_by(PeriodUnit.path)
    )
    if scope.path is not None:
        query = query.where(org.in_subtree(PeriodUnit.path, scope.path))
    lines = []
    later = results.next_period(period)
    with force_locale(locale):
        for plan, code, name in db.session.execute(query):
            lines.append(
                PlanReport(
                    unit_code=code,
                    unit_name=name,
                    status=status_label(plan_status(plan.actions)),
                    goal=plan.goal,
                    focus=followup(plan, locale).changes,
                    actions=[(a.what, a.who, a.due, status_label(a.status)) for a in plan.actions],
                    notes=[(n.noted_on, n.text) for n in reversed(plan.notes)],
                )
            )
        scope_name = scope.name or gettext("The whole organisation")
    return PlansReport(
        period_name=period.name,
        scope_name=scope_name,
        later_name=later.name if later is not None else None,
        min_group_size=results.rules_for(period.version).min_group_size,
        plans=lines,
    )
