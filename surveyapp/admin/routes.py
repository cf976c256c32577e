"""Admin pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ..access import admin_required
from ..extensions import db
from ..models import AuditLog, Employee, Period, QuestionnaireVersion, Unit
from . import bp


@bp.get("/")
@admin_required
def home():
    counts = {
        "units": db.session.scalar(sa.select(sa.func.count(Unit.id))),
        "employees": db.session.scalar(
            sa.select(sa.func.count(Employee.id)).where(Employee.active.is_(True))
        ),
        "versions": db.session.scalar(sa.select(sa.func.count(QuestionnaireVersion.id))),
    }
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.opens_at.desc())))
    recent = list(db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id.desc()).limit(20)))
    return render_template("admin/home.html", counts=counts, periods=periods, recent=recent)
