"""Admin: the audit log as sentences, filtered by words and dates, a page at a time, and the
filtered log as a workbook (a background job). There is no route that edits or deletes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ..access import admin_required
from ..db_sqlite import writes
from ..i18n import current_locale, to_utc
from ..parsing import day_arg, id_arg, page_arg
from ..services import audit, jobs
from . import bp
from .forms import AuditExportForm, AuditFilterForm


def _day(values, name: str, end: bool = False) -> datetime | None:
    """The start of the local day `name` gives (the next day's for `end`) in UTC; None when the
    filter is empty. A date that is not one (or outside parsing's years) is refused: 422."""
    day = day_arg(values, name)
    if day is None:
        return None
    return to_utc(datetime.combine(day + timedelta(days=1) if end else day, time.min))


def _filters(values) -> audit.AuditFilter:
    return audit.AuditFilter(
        who=(values.get("who") or "")[:100],
        action=values.get("action") or "",
        period_id=id_arg(values, "period"),
        start=_day(values, "from"),
        end=_day(values, "to", end=True),
    )


@bp.get("/audit")
@admin_required
def audit_log():
    args = request.args
    filters = _filters(args)
    form = AuditFilterForm(formdata=args)
    form.offer(audit.action_choices(), audit.periods())
    entries = audit.search(filters, page_arg(args))
    shown = {k: v for k, v in args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        export=AuditExportForm(formdata=None, data=_export_data(args)),
        entries=entries,
        lines=audit.describe(entries.items),
        params=shown,
        filtered=bool(shown),
    )


def _export_data(args) -> dict:
    return {
        "who": args.get("who", ""),
        "action": args.get("action", ""),
        "period": args.get("period", ""),
        "start": args.get("from", ""),
        "end": args.get("to", ""),
    }


@bp.post("/audit.xlsx")
@writes
@admin_required
def audit_export():
    """The entries the filter shows, as a workbook made by a background job (its page shows
    the progress and the download)."""
    form = AuditExportForm()
    if not form.validate_on_submit():
        return redirect(url_for(".audit_log"), code=303)
    filters = _filters(request.form)
    job, _created = jobs.start(
        "audit_log",
        current_user._get_current_object(),
        {**filters.params(), "locale": current_locale()},
    )
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
