"""Admin: the audit log, filtered and paginated. There is no route that edits or deletes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template, request

from ..access import admin_required
from ..i18n import to_utc
from ..parsing import day_arg, page_arg
from ..services import audit
from . import bp


def _day(name: str, end: bool = False) -> datetime | None:
    """The start of the local day ?name= gives (the next day's for `end`) in UTC; None when the
    filter is empty. A date that is not one (or outside parsing's years) is refused: 422."""
    day = day_arg(request.args, name)
    if day is None:
        return None
    return to_utc(datetime.combine(day + timedelta(days=1) if end else day, time.min))


@bp.get("/audit")
@admin_required
def audit_log():
    args = request.args
    filters = audit.AuditFilter(
        who=args.get("who") or "",
        action=args.get("action") or "",
        object_type=args.get("object") or "",
        object_id=args.get("object_id") or "",
        start=_day("from"),
        end=_day("to", end=True),
    )
    return render_template(
        "admin/audit.html",
        entries=audit.search(filters, page_arg(args)),
        actions=audit.actions(),
        objects=audit.object_types(),
        args=args,
    )
