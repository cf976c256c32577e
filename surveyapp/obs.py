"""Observability: one JSON line per request, and every other app log line as JSON, each with
the request id.

The request line is built field by field from the method, the path, the names of query
parameters (never their values), the status and the user id. Bodies, forms, cookies and
headers other than X-Request-ID are never read here, so passwords, activation codes and
answers cannot reach the log through this module.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy or client may hand us as a request id: nginx's $request_id, a UUID, a trace
# id. Anything else (too long, spaces, newlines, quotes) is replaced, never logged.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
_START = "surveyapp.request_start"
_ID = "surveyapp.request_id"
_MAX_PATH = 300
_MAX_QUERY_KEYS = 20

request_logger = logging.getLogger("surveyapp.request")


def request_id() -> str | None:
    """This request's id: the caller's X-Request-ID if sane, else a new random one."""
    if not has_request_context():
        return None
    environ = request.environ
    rid = environ.get(_ID)
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        environ[_ID] = rid
    return rid


def _user_id() -> int | None:
    # Only a user this request already loaded; logging must not query the database.
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def request_fields(status: int) -> dict:
    start = request.environ.get(_START)
    fields = {
        "event": "request",
        "request_id": request_id(),
        "user_id": _user_id(),
        "method": request.method,
        "path": request.path[:_MAX_PATH],
        "status": status,
        "duration_ms": None if start is None else round((time.perf_counter() - start) * 1000, 1),
        "remote_addr": request.remote_addr,
    }
    if request.args:
        fields["query_keys"] = sorted(request.args.keys())[:_MAX_QUERY_KEYS]
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a traceback becomes one escaped string, not many lines."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            data.update(fields)
        else:
            data["message"] = record.getMessage()
        rid = getattr(record, "request_id", None)
        if rid and not data.get("request_id"):
            data["request_id"] = rid
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps every record logged during a request with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (the journal under systemd, a capture in tests)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging() -> None:
    """JSON lines on stderr for the `surveyapp` loggers; once per process."""
    logger = logging.getLogger("surveyapp")
    if any(getattr(h, "_surveyapp_json", False) for h in logger.handlers):
        return
    logger.removeHandler(default_handler)
    handler = _StderrHandler()
    handler._surveyapp_json = True
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(os.environ.get("SURVEYAPP_LOG_LEVEL", "INFO").upper())
    # Records still reach the root logger, so a host's own logging setup sees them too.
    logger.propagate = True


def register(app: Flask) -> None:
    configure_logging()
    # Our logger is configured; Flask must not add its plain-text default handler too.
    app.logger.removeHandler(default_handler)

    def _start() -> None:
        request.environ.setdefault(_START, time.perf_counter())
        request_id()

    # First of all before_request functions, so the duration includes the others (the
    # rate limiter, session checks) and a request they cut short still has an id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

    @app.after_request
    def _log_request(response):
        response.headers[REQUEST_ID_HEADER] = request_id()
        status = response.status_code
        request_logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "request",
            extra={"fields": request_fields(status)},
        )
        return response
