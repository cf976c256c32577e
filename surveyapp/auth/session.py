"""Loading the user from the session cookie, and what an expired session looks like."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..error_pages import render_error, wants_json
from ..extensions import db, login_manager
from ..models import Employee
from ..parsing import MAX_ID, ascii_int

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # the per-user counter and timeouts do this job


@login_manager.user_loader
def load_user(user_id: str) -> Employee | None:
    """The cookie holds "id:session_version"; a bumped counter ends every older session."""
    raw_id, _sep, raw_version = str(user_id).partition(":")
    employee_id, version = ascii_int(raw_id, 1, MAX_ID), ascii_int(raw_version, 0, MAX_ID)
    if employee_id is None or version is None:
        return None
    employee = db.session.get(Employee, employee_id)
    if employee is None or employee.session_version != version or not employee.active:
        return None
    return employee


@login_manager.unauthorized_handler
def unauthorized():
    message = _("Your session has ended. Please log in again; your saved answers are kept.")
    if session.pop("expired", False):
        flash(message, "warning")
    if wants_json() or request.path.startswith("/api/") or request.headers.get("X-Autosave"):
        return jsonify(
            error="session_expired", message=message, login_url=url_for("auth.login")
        ), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def csrf_error_response(error):
    """An expired or missing CSRF token: say so and offer a way back, never a bare 400."""
    message = _("Your form has expired. Reload the page and try again; nothing saved is lost.")
    if wants_json() or request.headers.get("X-Autosave"):
        return jsonify(error="csrf", message=message, login_url=url_for("auth.login")), 400
    return render_error(400, detail=message)
