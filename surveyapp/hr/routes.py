"""HR pages: participation, who has not filled in, unit results and the workbook.

Every unit a request names is resolved by services/reports.scope_for, which applies the one HR
scope rule; whatever is wrong with it (unknown, outside the scope, not in the period, not a
number) the answer is the same 404.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import charts
from ..access import hr_required
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import current_locale
from ..models import utcnow
from ..parsing import id_arg, page_arg
from ..services import culture_results, jobs, paging, reminders, reports, targets
from . import bp
from .forms import RemindForm


def _user():
    return current_user._get_current_object()


def _unit_arg(source=None) -> int | None:
    """?unit= (or the form's unit) as a unit id; anything else not empty is forged: 404."""
    return id_arg(request.args if source is None else source, "unit")


def _period_and_scope(period_id: int, unit_id: int | None):
    user = _user()
    try:
        period = reports.period_for(user, period_id)
        return period, reports.scope_for(user, period, unit_id)
    except reports.NotVisible:
        abort(404)
    except PermissionError:
        abort(403)


@bp.get("/")
@hr_required
def home():
    user = _user()
    try:
        periods = reports.visible_periods(user)
    except PermissionError:
        abort(403)
    period = None
    if periods:
        chosen = id_arg(request.args, "period")
        period = next((p for p in periods if p.id == chosen), periods[0])
    sort = request.args.get("sort")
    sort = sort if sort in reports.SORT_KEYS else None
    descending = request.args.get("dir") == "desc"
    rows, totals, scope, board, curve = [], None, None, None, None
    if period is not None:
        scope = reports.scope_for(user, period, None)
        tree = reports.participation_rows(period, scope)
        rows = paging.paginate_rows(
            reports.sorted_rows(tree, sort, descending),
            page_arg(request.args),
            reports.UNITS_PER_PAGE,
        )
        totals = reports.participation_totals(period, scope)
        board = targets.dashboard(period, scope.path, tree)
        curve = _curve(board)
    return render_template(
        "hr/home.html",
        periods=periods,
        period=period,
        rows=rows,
        totals=totals,
        scope=scope,
        sort=sort,
        descending=descending,
        board=board,
        curve=curve,
    )


def _curve(board):
    if board.total is None:
        return None
    projection = board.total.projection
    return charts.participation_curve(
        board.curve,
        board.total.unit.eligible,
        (board.deadline - board.opened_on).days,
        board.total.target.rate,
        projection.rate_at_deadline if projection else None,
    )


@bp.get("/periods/<int:period_id>/non-respondents")
@hr_required
def non_respondents(period_id: int):
    period, scope = _period_and_scope(period_id, _unit_arg())
    own = reports.scope_for(_user(), period, None)
    page = reports.non_respondent_page(period, scope, page_arg(request.args))
    units = reports.participation_rows(period, own)
    reminded = reminders.last_reminded(period, [line.employee_id for line in page.items])
    form = RemindForm(formdata=None, unit=scope.unit_id or "")
    return render_template(
        "hr/non_respondents.html",
        period=period,
        scope=scope,
        page=page,
        units=units,
        reminded=reminded,
        form=form,
        min_hours=current_app.config["REMINDER_MIN_HOURS"],
        max_reminders=current_app.config["REMINDER_MAX_PER_PERIOD"],
    )


@bp.post("/periods/<int:period_id>/reminders")
@writes
@hr_required
def remind(period_id: int):
    """Claim reminders for the people HR chose (services/reminders.py: caps and the database
    claim), then send the e-mails as a background job and/or show the WhatsApp messages."""
    form = RemindForm()
    period, scope = _period_and_scope(period_id, _unit_arg(request.form))
    back = url_for(".non_respondents", period_id=period.id, unit=scope.unit_id or "")
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back, code=303)
    if period.state != "open":
        flash(_("Reminders can only be sent while the period is open."), "error")
        return redirect(back, code=303)
    try:
        people = reminders.chosen_people(period, scope.path, form.mode.data, form.people.data)
    except reminders.NotInScope:
        abort(404)
    claimed = reminders.claim(
        period, people, email=form.email.data, whatsapp=form.whatsapp.data, actor=_user()
    )
    db.session.commit()
    if not claimed.claimed:
        flash(
            _(
                "Nobody to remind: everyone chosen was reminded recently, has had the most "
                "reminders a period allows, or has no e-mail address or mobile number."
            ),
            "info",
        )
        return redirect(back, code=303)
    flash(
        ngettext("%(num)d reminder prepared.", "%(num)d reminders prepared.", claimed.claimed)
        + (
            " "
            + ngettext(
                "%(num)d person was left out (reminded recently, reminded the most "
                "times allowed, or no address).",
                "%(num)d people were left out "
                "(reminded recently, reminded the most times allowed, or no address).",
                claimed.skipped,
            )
            if claimed.skipped
            else ""
        ),
        "success",
    )
    if claimed.emails:
        job, _created = jobs.start(
            "send_reminders", _user(), {"period_id": period.id, "batch": claimed.batch}
        )
        if not claimed.whatsapp:
            return redirect(url_for("jobs.show", job_id=job.id), code=303)
    return redirect(url_for(".whatsapp", batch=claimed.batch), code=303)


@bp.get("/reminders/<batch>/whatsapp")
@hr_required
def whatsapp(batch: str):
    """The WhatsApp messages of one batch: HR opens each link on their own phone."""
    if len(batch) != 32 or not reminders.batch_visible(_user(), batch):
        abort(404)
    period_id = reminders.batch_period(batch)
    if period_id is None:
        abort(404)
    period, _scope = _period_and_scope(period_id, None)
    return render_template("hr/whatsapp.html", period=period, lines=reminders.whatsapp_lines(batch))


@bp.get("/periods/<int:period_id>/units/<int:unit_id>/print")
@hr_required
def printable(period_id: int, unit_id: int):
    """Who has not submitted in one unit, on paper for the head of the unit."""
    period, scope = _period_and_scope(period_id, unit_id)
    lines = list(reports.non_respondents(period, scope))
    reminded = reminders.last_reminded(period, [line.employee_id for line in lines])
    return render_template(
        "hr/print_unit.html",
        period=period,
        scope=scope,
        lines=lines,
        reminded=reminded,
        now=utcnow(),
    )


@bp.post("/periods/<int:period_id>/non-respondents.xlsx")
@writes
@hr_required
def non_respondents_xlsx(period_id: int):
    """The list as a background job (services/exports.py): the page shows its progress."""
    return _start_export("non_respondents", period_id)


@bp.get("/periods/<int:period_id>/units/<int:unit_id>")
@hr_required
def unit_results(period_id: int, unit_id: int):
    period, scope = _period_and_scope(period_id, unit_id)
    try:
        page = reports.unit_page(_user(), period, scope, current_locale())
    except reports.NotVisible:
        abort(404)
    chart = None
    if not page.withheld:
        chart = charts.index_bars(
            [(v.name, v.mean, v.previous) for v in page.values],
            thresholds=page.thresholds,
        )
    culture_page = None
    if page.results_shown and not page.withheld:
        culture_page = culture_results.unit_page(
            period, scope.path, scope.code, current_locale(), page.previous
        )
    return render_template("hr/unit_results.html", page=page, chart=chart, culture=culture_page)


@bp.post("/periods/<int:period_id>/report.xlsx")
@writes
@hr_required
def report_xlsx(period_id: int):
    """The workbook of docs/design.md "The HR workbook", built as a background job.

    A 100,000-person workbook takes longer to gather and write than a web worker may hold a
    request (bench/export.py), so every export is a job: one way for every size, a progress
    bar, and a second click shows the running job instead of starting another."""
    return _start_export("workbook", period_id)


def _start_export(kind: str, period_id: int):
    period, scope = _period_and_scope(period_id, _unit_arg(request.form))
    job, _created = jobs.start(
        kind,
        _user(),
        {"period_id": period.id, "unit_id": scope.unit_id, "locale": current_locale()},
    )
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
