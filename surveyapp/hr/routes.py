"""HR pages: participation, who has not filled in, unit results and the workbook.

Every unit a request names is resolved by services/reports.scope_for, which applies the one HR
scope rule; whatever is wrong with it (unknown, outside the scope, not in the period, not a
number) the answer is the same 404.
"""

from __future__ import annotations

import tempfile

from flask import abort, render_template, request, send_file
from flask_login import current_user

from .. import excel
from ..access import hr_required
from ..extensions import db
from ..i18n import current_locale, local_tz
from ..models import utcnow
from ..services import reports
from . import bp, charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user():
    return current_user._get_current_object()


def _unit_arg() -> int | None:
    """?unit= as a unit id; anything else that is not empty is a forged value: 404."""
    raw = request.args.get("unit", "")
    if raw == "":
        return None
    if not raw.isdigit() or len(raw) > 12:
        abort(404)
    return int(raw)


def _period_and_scope(period_id: int, unit_id: int | None):
    user = _user()
    try:
        period = reports.period_for(user, period_id)
        return period, reports.scope_for(user, period, unit_id)
    except reports.NotVisible:
        abort(404)
    except PermissionError:
        abort(403)


def _xlsx_response(write, filename: str):
    """Build into a temporary file on disk (memory stays flat), then send it as a download."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it after the response)
    write(spool)
    spool.seek(0)
    response = send_file(spool, mimetype=XLSX, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


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
        chosen = request.args.get("period", type=int)
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
    page = reports.non_respondent_page(period, scope, request.args.get("page", 1, type=int))
    units = reports.participation_rows(period, own)
    return render_template(
        "hr/non_respondents.html", period=period, scope=scope, page=page, units=units
    )


@bp.get("/periods/<int:period_id>/non-respondents.xlsx")
@hr_required
def non_respondents_xlsx(period_id: int):
    period, scope = _period_and_scope(period_id, _unit_arg())
    filename = reports.report_filename(
        period, scope, utcnow().astimezone(local_tz()).date(), prefix="belum-mengisi"
    )
    response = _xlsx_response(
        lambda out: excel.write_non_respondents(
            reports.non_respondents(period, scope),
            out,
            locale=current_locale(),
            period_name=period.name,
        ),
        filename,
    )
    reports.record_download(
        _user(), period, scope, filename, "non_respondents", request.remote_addr
    )
    db.session.commit()
    return response


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
    return render_template("hr/unit_results.html", page=page, chart=chart)


@bp.get("/periods/<int:period_id>/report.xlsx")
@hr_required
def report_xlsx(period_id: int):
    """The workbook of DESIGN.md, built while the request waits.

    bench/export.py: 100,000 people take well under the 30 s worker timeout to write; the jobs
    of issue 11 take over for organisations where gathering plus writing gets close to it.
    """
    period, scope = _period_and_scope(period_id, _unit_arg())
    user = _user()
    try:
        data = reports.workbook_report(period, scope, actor=user, locale=current_locale())
    except reports.NotVisible:
        abort(404)
    filename = reports.report_filename(period, scope, utcnow().astimezone(local_tz()).date())
    response = _xlsx_response(lambda out: excel.write_report(data, out), filename)
    reports.record_download(user, period, scope, filename, "workbook", request.remote_addr)
    db.session.commit()
    return response
