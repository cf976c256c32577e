"""Admin: the audit log, filtered and paginated. There is no route that edits or deletes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template, request

from ..access import admin_required
from ..extensions import db
from ..i18n import local_tz
from ..models import AuditLog, Employee
from ..nip import nip_digits
from ..parsing import day_arg, page_arg
from . import bp

PAGE_SIZE = 50


def _day(name: str, end: bool = False):
    """The start of the local day ?name= gives (the next day's for `end`) in UTC; None when the
    filter is empty. A date that is not one (or outside parsing's years) is refused: 422."""
    day = day_arg(request.args, name)
    if day is None:
        return None
    moment = datetime.combine(day, time.min, tzinfo=local_tz())
    return (moment + timedelta(days=1) if end else moment).astimezone(UTC)


@bp.get("/audit")
@admin_required
def audit_log():
    args = request.args
    query = sa.select(AuditLog).outerjoin(Employee, Employee.id == AuditLog.actor_id)
    who = (args.get("who") or "").strip()[:100]
    if who:
        digits = nip_digits(who)
        query = query.where(
            sa.or_(
                Employee.name.ilike(f"%{who}%"),
                Employee.nip == digits if len(digits) == 18 else sa.false(),
            )
        )
    action = args.get("action") or ""
    if action:
        query = query.where(AuditLog.action == action)
    object_type = args.get("object") or ""
    if object_type:
        query = query.where(AuditLog.object_type == object_type)
    object_id = (args.get("object_id") or "").strip()[:60]
    if object_id:
        query = query.where(AuditLog.object_id == object_id)
    start, end = _day("from"), _day("to", end=True)
    if start:
        query = query.where(AuditLog.at >= start)
    if end:
        query = query.where(AuditLog.at < end)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page_arg(args), pages)
    entries = db.session.scalars(
        query.order_by(AuditLog.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    actions = db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action))
    objects = db.session.scalars(
        sa.select(AuditLog.object_type).where(AuditLog.object_type.is_not(None)).distinct()
    )
    return render_template(
        "admin/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        actions=list(actions),
        objects=sorted(objects),
        args=args,
    )
