"""Error pages in both languages: no stack traces, no SQL, no paths."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or is not yours.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("File too large"),
        _l("The file or form you sent is larger than the limit of %(limit)s MB."),
    ),
    422: (
        _l("Value not accepted"),
        _l("The request holds a value that cannot be used. Check it and try again."),
    ),
    429: (
        _l("Too many requests"),
        _l("Too many attempts. Please wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. Nothing you saved is lost."),
    ),
}


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    from flask import current_app

    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    message = str(message) % {"limit": limit_mb} if "%(limit)s" in str(message) else str(message)
    if wants_json():
        return jsonify(error=str(title), message=detail or message), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail
    ), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        from .auth.session import csrf_error_response

        return csrf_error_response(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if code not in MESSAGES:
            return error
        # parsing.Refused says which value was refused (S37); werkzeug's own texts are English.
        return render_error(code, detail=getattr(error, "detail", None))

    @app.errorhandler(Exception)
    def _unhandled(error: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
