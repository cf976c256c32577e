"""HR pages: participation for the units in the HR officer's scope."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_login import current_user

from ..access import hr_required
from ..extensions import db
from ..models import PERIOD_DRAFT, Period
from ..services import org
from ..services.participation import participation
from . import bp


@bp.get("/")
@hr_required
def home():
    user = current_user._get_current_object()
    try:
        root = org.visible_root(user)
    except PermissionError:
        abort(403)
    periods = list(
        db.session.scalars(
            sa.select(Period).where(Period.state != PERIOD_DRAFT).order_by(Period.opens_at.desc())
        )
    )
    period = None
    if periods:
        chosen = request.args.get("period", type=int)
        period = next((p for p in periods if p.id == chosen), periods[0])
    rows = participation(period, root.path if root is not None else None) if period else []
    return render_template("hr/home.html", periods=periods, period=period, rows=rows, scope=root)
