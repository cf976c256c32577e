"""HR after the close: the heatmap of a closed period, and action plans (docs/design.md
"Heatmap and action plans").

Units and plans are resolved through services/reports.scope_for (the one HR scope rule);
whatever is wrong (unknown, outside the scope, not part of the period) the answer is 404.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from flask_login import current_user

from ..access import hr_required
from ..admin.forms import refuse
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import current_locale
from ..models import utcnow
from ..parsing import id_arg
from ..services import heatmap as heatmaps
from ..services import plans, privacy, reports
from . import bp
from .forms import NoteForm, PlanForm


def _user():
    return current_user._get_current_object()


def _period_and_scope(period_id: int, unit_id: int | None):
    user = _user()
    try:
        period = reports.period_for(user, period_id)
        return period, reports.scope_for(user, period, unit_id)
    except reports.NotVisible:
        abort(404)
    except PermissionError:
        abort(403)


@bp.get("/periods/<int:period_id>/heatmap")
@hr_required
def heatmap(period_id: int):
    period, scope = _period_and_scope(period_id, id_arg(request.args, "unit"))
    mode = request.args.get("show")
    mode = mode if mode in heatmaps.MODES else heatmaps.MODE_INDEX
    data = None
    if privacy.results_published(period):
        data = heatmaps.heatmap(
            period,
            scope,
            current_locale(),
            request.args.get("sort"),
            request.args.get("dir") == "desc",
        )
    return render_template(
        "hr/heatmap.html",
        period=period,
        scope=scope,
        data=data,
        mode=mode,
        pending_note=None if data else privacy.results_pending_note(period),
    )


# Action plans ----------------------------------------------------------------------------------
def _plan(plan_id: int):
    try:
        return plans.find_plan(_user(), plan_id)
    except reports.NotVisible:
        abort(404)
    except PermissionError:
        abort(403)


def _today() -> date:
    return to_user_timezone(utcnow()).date()


@bp.get("/plans")
@hr_required
def plan_list():
    try:
        lines = plans.plans_in_scope(_user())
    except PermissionError:
        abort(403)
    locale = current_locale()
    return render_template(
        "hr/plans.html",
        lines=[(line, plans.followup(line.plan, locale)) for line in lines],
        status_of=lambda plan: plans.status_label(plans.plan_status(plan.actions)),
    )


def _plan_form_page(form: PlanForm, period, scope, plan=None, status: int = 200):
    suggestions = plans.suggestions(period, scope, current_locale())
    form.offer(suggestions)
    return (
        render_template(
            "hr/plan_form.html",
            form=form,
            period=period,
            scope=scope,
            plan=plan,
            suggestions=suggestions,
            withheld=plans.withheld_reason(period, scope),
        ),
        status,
    )


def _refused(form: PlanForm, exc: plans.PlanRefused) -> None:
    db.session.rollback()
    refuse(form, exc.field, str(exc))


@bp.route("/periods/<int:period_id>/units/<int:unit_id>/plan", methods=["GET", "POST"])
@writes
@hr_required
def plan_new(period_id: int, unit_id: int):
    period, scope = _period_and_scope(period_id, unit_id)
    if not privacy.results_published(period):
        abort(404)
    existing = plans.plan_of(period, scope.unit_id)
    if existing is not None:
        return redirect(url_for("hr.plan_detail", plan_id=existing.id), code=303)
    form = PlanForm()
    if request.method == "GET":
        form.add_blank_rows()
        form.focus.data = [
            s.code for s in plans.suggestions(period, scope, current_locale()) if s.suggested
        ][: plans.FOCUS_MAX]
        return _plan_form_page(form, period, scope)
    form.offer(plans.suggestions(period, scope, current_locale()))
    if form.validate_on_submit():
        try:
            plan = plans.create_plan(
                _user(),
                period,
                scope,
                focus=form.focus.data,
                goal=form.goal.data,
                actions=form.filled_actions(),
                ip=request.remote_addr,
            )
        except plans.PlanRefused as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(str(_l("The action plan was saved.")), "success")
            return redirect(url_for("hr.plan_detail", plan_id=plan.id), code=303)
    return _plan_form_page(form, period, scope, status=422)


@bp.get("/plans/<int:plan_id>")
@hr_required
def plan_detail(plan_id: int):
    plan, scope = _plan(plan_id)
    return _detail_page(plan, scope, NoteForm(data={"noted_on": _today()}))


def _detail_page(plan, scope, note_form: NoteForm, status: int = 200):
    return (
        render_template(
            "hr/plan.html",
            plan=plan,
            scope=scope,
            period=plan.period,
            followup=plans.followup(plan, current_locale()),
            status=plans.status_label(plans.plan_status(plan.actions)),
            status_label=plans.status_label,
            note_form=note_form,
        ),
        status,
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@writes
@hr_required
def plan_edit(plan_id: int):
    plan, scope = _plan(plan_id)
    if request.method == "GET":
        form = PlanForm(
            data={
                "focus": list(plan.focus),
                "goal": plan.goal,
                "lock_version": str(plan.lock_version),
                "actions": [
                    {"what": a.what, "who": a.who, "due": a.due, "status": a.status}
                    for a in plan.actions
                ],
            }
        )
        form.add_blank_rows()
        return _plan_form_page(form, plan.period, scope, plan)
    form = PlanForm()
    form.offer(plans.suggestions(plan.period, scope, current_locale()))
    if form.validate_on_submit():
        try:
            changed = plans.update_plan(
                _user(),
                plan,
                scope,
                focus=form.focus.data,
                goal=form.goal.data,
                actions=form.filled_actions(),
                lock_version=form.lock(),
                ip=request.remote_addr,
            )
        except plans.PlanRefused as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            if changed:
                flash(str(_l("The action plan was saved.")), "success")
            else:
                flash(str(_l("Nothing changed.")), "info")
            return redirect(url_for("hr.plan_detail", plan_id=plan.id), code=303)
    return _plan_form_page(form, plan.period, scope, plan, status=422)


@bp.post("/plans/<int:plan_id>/notes")
@writes
@hr_required
def plan_note(plan_id: int):
    plan, scope = _plan(plan_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            plans.add_note(
                _user(),
                plan,
                scope,
                noted_on=form.noted_on.data,
                text=form.text.data,
                ip=request.remote_addr,
            )
        except plans.PlanRefused as exc:
            db.session.rollback()
            refuse(form, exc.field, str(exc))
        else:
            db.session.commit()
            flash(str(_l("The progress note was added.")), "success")
            return redirect(url_for("hr.plan_detail", plan_id=plan.id, _anchor="notes"), code=303)
    plan, scope = _plan(plan_id)
    return _detail_page(plan, scope, form, status=422)
