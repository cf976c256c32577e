"""Response headers and session lifetime rules (docs/security.md S09, S14)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, session
from flask_login import current_user, logout_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def _now_ts() -> float:
    return datetime.now(UTC).timestamp()


def session_expired() -> bool:
    """Idle past PERMANENT_SESSION_LIFETIME or older than SESSION_ABSOLUTE_LIFETIME."""
    cfg = current_app.config
    now = _now_ts()
    login_at = session.get("login_at")
    seen_at = session.get("seen_at", login_at)
    if login_at is None:
        return False
    if now - login_at > cfg["SESSION_ABSOLUTE_LIFETIME"].total_seconds():
        return True
    return seen_at is not None and now - seen_at > cfg["PERMANENT_SESSION_LIFETIME"].total_seconds()


def start_session() -> None:
    """Called at login: a fresh session (no fixation), stamped for the timeouts."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session.permanent = True
    session["login_at"] = session["seen_at"] = _now_ts()


def register(app: Flask) -> None:
    @app.before_request
    def _enforce_session_lifetime():
        if current_user.is_authenticated:
            if session_expired():
                logout_user()
                session.pop("login_at", None)
                session.pop("seen_at", None)
                session["expired"] = True
            else:
                session["seen_at"] = _now_ts()

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["PRODUCTION"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if current_user and getattr(current_user, "is_authenticated", False):
            headers.setdefault("Cache-Control", "no-store")
        headers.pop("Server", None)
        return response
