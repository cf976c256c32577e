"""Admin: the outbox, where e-mail goes when no mail server is set (services/mailer.py)."""

from __future__ import annotations

from flask import abort, current_app, render_template

from ..access import admin_required
from ..services import mailer
from . import bp


@bp.get("/outbox")
@admin_required
def outbox():
    app = current_app._get_current_object()
    return render_template(
        "admin/outbox.html",
        messages=mailer.outbox(app),
        configured=bool(app.config.get("MAIL_SERVER")),
    )


@bp.get("/outbox/<name>")
@admin_required
def outbox_message(name: str):
    message = mailer.read_outbox(current_app._get_current_object(), name)
    if message is None:
        abort(404)
    return render_template("admin/outbox_message.html", message=message)
