"""Admin: periods (create, open, extend, close), the roster's late joiners, reopening."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from .. import pace
from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import format_datetime, format_number, to_utc
from ..models import (
    PERIOD_OPEN,
    Period,
    QuestionnaireVersion,
    Unit,
)
from ..services import accounts, jobs, periods, results, targets
from . import bp
from .forms import (
    MSG_PERCENT,
    MSG_SCHEDULE,
    ExtendForm,
    ImportJoinForm,
    NipForm,
    NipListForm,
    PeriodForm,
    TargetForm,
    UnitTargetForm,
)

# Why a line of a pasted list of late joiners is refused (periods.add_late_joiners).
LIST_PROBLEMS = {
    "not_a_nip": _l("Not a NIP: a NIP has 18 digits."),
    "listed_twice": _l("Already listed on line %(line)d."),
    "unknown": _l("No employee has this NIP."),
    "inactive": _l("%(name)s: this account is not active."),
    "already_on_roster": _l("%(name)s is already on the roster; remove this line."),
    "unit_not_in_period": _l("%(name)s: unit %(unit)s is not part of the period."),
}

PERIOD_ERRORS = {
    "closes_before_opens": _l("The period must close after it opens."),
    "no_units": _l("Choose at least one unit."),
    "not_draft": _l("Only a draft period can be opened."),
    "not_open": _l("The period is not open."),
    "not_later": _l("The new deadline must be later than the current one and in the future."),
    "inactive": _l("This account is not active."),
    "already_on_roster": _l("This person is already on the roster."),
    "unit_not_in_period": _l("This person's unit is not part of the period."),
    "empty_list": _l("Enter at least one NIP."),
    "list_too_long": _l("At most 5,000 NIPs at a time."),
    "unknown_import": _l("Choose one of the imports listed."),
    "not_submitted": _l("This response has not been submitted."),
    "code_taken": _l("This code is already used by another period."),
    "percent_range": MSG_PERCENT,
    "schedule": MSG_SCHEDULE,
    "closed": _l("The period is closed; its target can no longer change."),
    "unit_outside_period": _l("This unit is not part of the period."),
    "version_not_published": _l(
        "Only a published questionnaire version can be used by a period. Publish it first."
    ),
}


DEFAULT_TARGET = 80.0  # percent, as the column's default


def _admin():
    return current_user._get_current_object()


def _period(period_id: int) -> Period:
    return db.get_or_404(Period, period_id)


@bp.route("/periods/new", methods=["GET", "POST"])
@writes
@admin_required
def period_new():
    form = PeriodForm()
    versions = periods.published_versions()
    form.version.choices = [(v.id, f"{v.questionnaire.name} v{v.number}") for v in versions]
    units = periods.active_units()
    form.units.choices = [(u.id, u.name) for u in units]
    status = 200
    if form.validate_on_submit():
        try:
            period = periods.create_period(
                code=form.code.data,
                name=form.name.data,
                version=db.session.get(QuestionnaireVersion, form.version.data),
                opens_at=to_utc(form.opens_at.data),
                closes_at=to_utc(form.closes_at.data),
                scope_units=[db.session.get(Unit, uid) for uid in form.units.data],
                hide_individuals=form.hide_individuals.data,
                target_percent=form.target_percent.data or DEFAULT_TARGET,
                min_respondents=form.min_respondents.data,
                reminder_days=",".join(map(str, pace.parse_schedule(form.reminder_days.data))),
                actor=_admin(),
            )
        except periods.PeriodError as error:
            db.session.rollback()
            flash(str(PERIOD_ERRORS[str(error)]), "error")
            status = 422
        else:
            db.session.commit()
            flash(_("The period was created as a draft."), "success")
            return redirect(url_for(".period_detail", period_id=period.id))
    elif form.is_submitted():
        status = 422
    chosen = set(form.units.data or [])
    return render_template(
        "admin/periods/new.html", form=form, tree=unit_tree(units), chosen=chosen
    ), status


def unit_tree(units: list[Unit]) -> list[dict]:
    """Units (in path order, parents first) as nested nodes for the tree of checkboxes."""
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for unit in units:
        node = {"unit": unit, "children": []}
        nodes[unit.id] = node
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


@bp.get("/periods/<int:period_id>")
@admin_required
def period_detail(period_id: int):
    return _detail_page(_period(period_id))


def _detail_page(period: Period, joiner: NipListForm | None = None, problems=None, status=200):
    """The period page; a refused list of late joiners comes back as typed, with every bad
    line named (422)."""
    roster, submitted = periods.period_counts(period)
    by_import = ImportJoinForm(prefix="byimport")
    recent = periods.recent_imports() if period.state == PERIOD_OPEN else []
    by_import.entry.choices = [
        (
            r.entry_id,
            _(
                "%(when)s · %(who)s · %(n)s accounts created",
                when=format_datetime(r.at),
                who=r.actor or "flask import-employees",
                n=format_number(r.created, 0),
            ),
        )
        for r in recent
    ]
    problems = [
        (line, text, str(LIST_PROBLEMS[key]) % values if values else str(LIST_PROBLEMS[key]))
        for line, text, key, values in problems or []
    ]
    target = TargetForm(
        formdata=None,
        target_percent=_percent_text(period.target_percent),
        min_respondents=period.min_respondents,
        reminder_days=period.reminder_days or "",
    )
    unit_target = UnitTargetForm(prefix="unit")
    unit_target.unit.choices = _unit_choices(period)
    return render_template(
        "admin/periods/detail.html",
        period=period,
        roster=roster,
        submitted=submitted,
        target=target,
        unit_target=unit_target,
        unit_targets=targets.target_lines(period),
        extend=ExtendForm(),
        joiner=joiner or NipListForm(prefix="joiner"),
        problems=problems,
        by_import=by_import,
        recent_imports=recent,
        reopen=NipForm(prefix="reopen"),
    ), status


def _change(period_id: int, action, success):
    period = _period(period_id)
    try:
        action(period)
    except periods.PeriodError as error:
        db.session.rollback()
        flash(str(PERIOD_ERRORS.get(str(error), error)), "error")
    else:
        db.session.commit()
        flash(str(success), "success")
    return redirect(url_for(".period_detail", period_id=period_id), code=303)


@bp.post("/periods/<int:period_id>/open")
@writes
@admin_required
def period_open(period_id: int):
    return _change(
        period_id,
        lambda p: periods.open_period(p, actor=_admin()),
        _l("The period is open; its roster and unit tree are fixed."),
    )


@bp.post("/periods/<int:period_id>/close")
@writes
@admin_required
def period_close(period_id: int):
    """Closing computes the results once; at the size of a city that runs as a background job
    whose page shows its progress (services/exports.close_period)."""
    period = db.get_or_404(Period, period_id)
    if period.state != PERIOD_OPEN:
        flash(_("Only an open period can be closed."), "error")
        return redirect(url_for(".period_detail", period_id=period.id), code=303)
    job, _created = jobs.start("close_period", _admin(), {"period_id": period.id})
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


@bp.post("/periods/<int:period_id>/extend")
@writes
@admin_required
def period_extend(period_id: int):
    form = ExtendForm()
    if not form.validate_on_submit():
        flash(_("Enter the new deadline."), "error")
        return redirect(url_for(".period_detail", period_id=period_id), code=303)
    return _change(
        period_id,
        lambda p: periods.extend_period(p, to_utc(form.closes_at.data), actor=_admin()),
        _l("The deadline was extended."),
    )


def _person(form: NipForm):
    employee = accounts.find_by_nip(form.nip.data or "") if form.validate_on_submit() else None
    if employee is None:
        flash(_("No employee with this NIP."), "error")
    return employee


@bp.post("/periods/<int:period_id>/roster")
@writes
@admin_required
def period_add_joiner(period_id: int):
    """Late joiners by a pasted list of NIPs: all or nothing (periods.add_late_joiners)."""
    period = _period(period_id)
    form = NipListForm(prefix="joiner")
    if not form.validate_on_submit():
        flash(str(PERIOD_ERRORS["empty_list"]), "error")
        return _detail_page(period, form, status=422)
    try:
        added = periods.add_late_joiners(period, form.nips.data.splitlines(), actor=_admin())
    except periods.ListRefused as refused:
        db.session.rollback()
        flash(
            ngettext(
                "%(num)d line is refused, so nobody was added: fix or remove it and send the "
                "list again.",
                "%(num)d lines are refused, so nobody was added: fix or remove them and send "
                "the list again.",
                len(refused.problems),
            ),
            "error",
        )
        return _detail_page(period, form, refused.problems, status=422)
    except periods.PeriodError as error:
        db.session.rollback()
        flash(str(PERIOD_ERRORS.get(str(error), error)), "error")
        return _detail_page(period, form, status=422)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d person added to the roster.", "%(num)d people added to the roster.", added
        ),
        "success",
    )
    return redirect(url_for(".period_detail", period_id=period_id), code=303)


@bp.post("/periods/<int:period_id>/roster/import")
@writes
@admin_required
def period_add_import(period_id: int):
    """Late joiners: everyone one employees import created (periods.add_import_to_period)."""
    form = ImportJoinForm(prefix="byimport")
    if not form.validate_on_submit() or form.entry.data is None:
        flash(str(PERIOD_ERRORS["unknown_import"]), "error")
        return redirect(url_for(".period_detail", period_id=period_id), code=303)
    period = _period(period_id)
    try:
        done = periods.add_import_to_period(period, form.entry.data, actor=_admin())
    except periods.PeriodError as error:
        db.session.rollback()
        flash(str(PERIOD_ERRORS.get(str(error), error)), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Of the %(created)s accounts that import created, %(added)s were added to the "
                "roster, %(already)s were on it already, and %(outside)s are inactive or in a "
                "unit outside the period.",
                created=format_number(done.created, 0),
                added=format_number(done.added, 0),
                already=format_number(done.already, 0),
                outside=format_number(done.outside, 0),
            ),
            "success",
        )
    return redirect(url_for(".period_detail", period_id=period_id), code=303)


@bp.post("/periods/<int:period_id>/reopen")
@writes
@admin_required
def period_reopen(period_id: int):
    employee = _person(NipForm(prefix="reopen"))
    if employee is None:
        return redirect(url_for(".period_detail", period_id=period_id), code=303)

    def reopen(period):
        response = periods.response_of(period, employee)
        if response is None:
            raise periods.PeriodError("not_submitted")
        periods.reopen_response(response, actor=_admin())

    return _change(period_id, reopen, _l("The response is a draft again; the change is audited."))


def _percent_text(percent: float) -> str:
    """80 as "80", 82.5 as "82,5" or "82.5" (the form reads both)."""
    return format_number(percent, 0 if percent == int(percent) else 1)


def _unit_choices(period: Period) -> list[tuple[int, str]]:
    """The period's frozen tree once it is open; before that, the active units."""
    frozen = results.period_units(period)
    if frozen:
        return [(u.unit_id, "· " * u.depth + u.name) for u in frozen]
    return [(u.id, "· " * u.depth + u.name) for u in periods.active_units()]


@bp.post("/periods/<int:period_id>/target")
@writes
@admin_required
def period_target(period_id: int):
    form = TargetForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for(".period_detail", period_id=period_id), code=303)

    def change(period):
        try:
            targets.set_period_target(
                period,
                form.target_percent.data,
                form.min_respondents.data,
                form.reminder_days.data,
                actor=_admin(),
            )
        except targets.TargetError as error:
            raise periods.PeriodError(str(error)) from None

    return _change(period_id, change, _l("The participation target was saved."))


@bp.post("/periods/<int:period_id>/unit-target")
@writes
@admin_required
def period_unit_target(period_id: int):
    period = _period(period_id)
    form = UnitTargetForm(prefix="unit")
    form.unit.choices = _unit_choices(period)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for(".period_detail", period_id=period_id), code=303)

    def change(period):
        try:
            targets.set_unit_target(
                period, form.unit.data, form.target_percent.data, actor=_admin()
            )
        except targets.TargetError as error:
            raise periods.PeriodError(str(error)) from None

    return _change(period_id, change, _l("The unit's target was saved."))
