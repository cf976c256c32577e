"""Employee pages."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ..services import periods, responses
from . import bp


@bp.get("/")
@login_required
def home():
    employee = current_user._get_current_object()
    open_statuses = responses.statuses_for(employee, periods.open_periods_for(employee))
    past_statuses = responses.statuses_for(employee, periods.past_periods_for(employee))
    return render_template("survey/home.html", open_statuses=open_statuses, past=past_statuses)
