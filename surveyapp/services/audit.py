"""Writing the append-only audit log."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditLog, Employee


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
