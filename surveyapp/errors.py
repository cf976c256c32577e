"""Error pages in both languages: no stack traces, no SQL, no paths.

The pages themselves are error_pages.py; this module only hooks them up."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth.session import csrf_error_response
from .error_pages import MESSAGES, render_error
from .extensions import db


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error_response)

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
