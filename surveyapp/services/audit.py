"""Writing the append-only audit log, and reading it back for the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from ..extensions import db
from ..models import AuditLog, Employee
from ..nip import nip_digits
from . import paging

PAGE_SIZE = 50


def record(
    action: str,
    *,
    actor: Employee | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditLog:
    entry = AuditLog(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the log to; empty fields filter nothing."""

    who: str = ""  # part of a name, or a whole NIP
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    start: datetime | None = None  # aware, inclusive
    end: datetime | None = None  # aware, exclusive


def search(filters: AuditFilter, page: int = 1, per_page: int = PAGE_SIZE) -> Pagination:
    """The entries that match, newest first, a page at a time."""
    query = sa.select(AuditLog).outerjoin(Employee, Employee.id == AuditLog.actor_id)
    who = filters.who.strip()[:100]
    if who:
        digits = nip_digits(who)
        query = query.where(
            sa.or_(
                Employee.name.ilike(f"%{who}%"),
                Employee.nip == digits if len(digits) == 18 else sa.false(),
            )
        )
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.object_type:
        query = query.where(AuditLog.object_type == filters.object_type)
    object_id = filters.object_id.strip()[:60]
    if object_id:
        query = query.where(AuditLog.object_id == object_id)
    if filters.start:
        query = query.where(AuditLog.at >= filters.start)
    if filters.end:
        query = query.where(AuditLog.at < filters.end)
    return paging.paginate(query.order_by(AuditLog.id.desc()), page, per_page=per_page)


def actions() -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return list(db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action)))


def object_types() -> list[str]:
    return sorted(
        db.session.scalars(
            sa.select(AuditLog.object_type).where(AuditLog.object_type.is_not(None)).distinct()
        )
    )
