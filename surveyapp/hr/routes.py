"""HR pages: participation, who has not filled in, unit results and the workbook.

Every unit a request names is resolved by services/reports.scope_for, which applies the one HR
scope rule; whatever is wrong with it (unknown, outside the scope, not in the period, not a
number) the answer is the same 404.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from .. import charts
from ..access import hr_required
from ..db_sqlite import writes
from ..i18n import current_locale
from ..parsing import id_arg, page_arg
from ..services import culture_results, jobs, reports
from . import bp


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
    rows, totals, scope = [], None, None
    if period is not None:
        scope = reports.scope_for(user, period, None)
        rows = reports.participation_rows(period, scope, sort, descending)
        totals = reports.participation_totals(period, scope)
    return render_template(
        "hr/home.html",
        periods=periods,
        period=period,
        rows=rows,
        totals=totals,
        scope=scope,
        sort=sort,
        descending=descending,
    )


@bp.get("/periods/<int:period_id>/non-respondents")
@hr_required
def non_respondents(period_id: int):
    period, scope = _period_and_scope(period_id, _unit_arg())
    own = reports.scope_for(_user(), period, None)
    page = reports.non_respondent_page(period, scope, page_arg(request.args))
    units = reports.participation_rows(period, own)
    return render_template(
        "hr/non_respondents.html", period=period, scope=scope, page=page, units=units
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
