"""What the admin's home page shows: the size of the organisation, the periods, the latest
audit entries."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Employee, Period, QuestionnaireVersion, Unit
from . import audit

RECENT_AUDIT = 20


def admin_overview() -> dict:
    return {
        "counts": {
            "units": db.session.scalar(sa.select(sa.func.count(Unit.id))),
            "employees": db.session.scalar(
                sa.select(sa.func.count(Employee.id)).where(Employee.active.is_(True))
            ),
            "versions": db.session.scalar(sa.select(sa.func.count(QuestionnaireVersion.id))),
        },
        "periods": list(db.session.scalars(sa.select(Period).order_by(Period.opens_at.desc()))),
        "recent": audit.recent(RECENT_AUDIT),
    }
