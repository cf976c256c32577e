"""What an error looks like, as a page or as JSON: the title and message per status code.

Apart from errors.py (which registers the handlers) so that a handler living elsewhere, such
as the expired-session and CSRF answers of auth/session.py, can render the same page while
errors.py imports it: both import this module at the top, and neither imports the other's
functions late to dodge a cycle."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

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
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    message = str(message) % {"limit": limit_mb} if "%(limit)s" in str(message) else str(message)
    if wants_json():
        return jsonify(error=str(title), message=detail or message), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail
    ), code
