"""Login, logout, activation, password change and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..db_sqlite import writes
from ..extensions import db, limiter
from ..security import start_session
from ..services import accounts
from . import bp
from .forms import ActivationForm, ChangePasswordForm, LoginForm

LOGIN_FAILED = _l("The NIP or password is wrong, or the account is not active.")
LOGIN_THROTTLED = _l(
    "Too many failed attempts for this NIP. Wait 15 minutes and try again, "
    "or ask HR to reset your account."
)


def safe_next(target: str | None) -> str | None:
    """Only a same-site path: not //host, not \\\\host, not a scheme (S11)."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    if user.is_admin:
        return url_for("admin.home")
    if user.is_hr:
        return url_for("hr.home")
    return url_for("survey.home")


def _per_address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@writes
@limiter.limit(_per_address_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        result = accounts.authenticate(form.nip.data, form.password.data, ip=request.remote_addr)
        if result.employee is not None:
            start_session()
            login_user(result.employee)
            db.session.commit()
            return redirect(safe_next(form.next.data) or home_for(result.employee))
        db.session.commit()
        flash(str(LOGIN_THROTTLED if result.throttled else LOGIN_FAILED), "error")
        return render_template("auth/login.html", form=form), 429 if result.throttled else 200
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@writes
def logout():
    if current_user.is_authenticated:
        from ..services import audit

        audit.record(
            "logout", actor=current_user, object_type="employee", object_id=current_user.id
        )
        accounts.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/activate", methods=["GET", "POST"])
@writes
@limiter.limit(_per_address_limit, methods=["POST"])
def activate():
    form = ActivationForm()
    errors: list[str] = []
    if form.validate_on_submit():
        result = accounts.activate(
            form.nip.data, form.code.data, form.password.data, ip=request.remote_addr
        )
        db.session.commit()
        if result.employee is not None:
            flash(_("Your account is active. Log in with your NIP and new password."), "success")
            return redirect(url_for("auth.login"))
        if result.problems:
            errors = accounts.password_messages(result.problems)
        else:
            errors = [
                _(
                    "The NIP or activation code is wrong, already used or expired. "
                    "Ask HR for a new code if needed."
                )
            ]
    return render_template("auth/activate.html", form=form, errors=errors)


@bp.route("/account/password", methods=["GET", "POST"])
@writes
@login_required
def change_password():
    form = ChangePasswordForm()
    errors: list[str] = []
    if form.validate_on_submit():
        employee = current_user._get_current_object()
        if not accounts.verify_secret(employee.password_hash, form.current.data):
            errors = [_("The current password is wrong.")]
        else:
            try:
                accounts.set_password(employee, form.password.data)
            except accounts.WeakPassword as exc:
                errors = accounts.password_messages(exc.problems)
        if not errors:
            db.session.commit()
            # Every other session ends with the counter; this one starts afresh.
            start_session()
            login_user(employee)
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(home_for(employee))
    return render_template("auth/change_password.html", form=form, errors=errors)


@bp.post("/locale")
@writes
def set_locale():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("survey.home"))
