"""Admin pages."""

from __future__ import annotations

from flask import render_template

from ..access import admin_required
from ..services.overview import admin_overview
from . import bp


@bp.get("/")
@admin_required
def home():
    return render_template("admin/home.html", **admin_overview())
