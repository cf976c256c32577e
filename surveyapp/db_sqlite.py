"""SQLite settings for many workers: foreign keys, WAL, a busy timeout, immediate writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .files import make_private

_configured: set[int] = set()
_deferred: ContextVar[bool] = ContextVar("sqlite_deferred", default=False)


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """Transactions begun inside only read: a plain BEGIN, so a long report does not hold the
    write lock and block every answer save (WAL lets readers and the writer run together)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def configure_sqlite(engine: Engine) -> None:
    if id(engine) in _configured:
        return
    _configured.add(id(engine))

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy own the transaction so BEGIN IMMEDIATE below takes effect.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            _make_files_private(engine.url.database)
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers queue on the database lock at BEGIN instead of failing on upgrade later.
        conn.exec_driver_sql("BEGIN" if _deferred.get() else "BEGIN IMMEDIATE")


def _make_files_private(database: str) -> None:
    """The database holds every name, NIP and answer: 0600 like every such file (S39). SQLite
    creates its -wal and -shm files with the database file's mode, so they follow it."""
    for path in (database, f"{database}-wal", f"{database}-shm"):
        # Missing (not yet created, a URI name) or not ours: the owner's choice stands.
        with suppress(OSError):
            make_private(path)


# Pages that only read, some of them heavily (reports): on SQLite they must not hold the write
# lock while they compute, or every answer save waits for them.
READ_ONLY_PAGES = frozenset(
    {
        "hr.home",
        "hr.non_respondents",
        "hr.unit_results",
        "survey.result",
        "admin.home",
        "admin.audit_log",
    }
)


def register_read_only_pages(app) -> None:
    """Registered before any other before_request, so the first query already reads deferred."""
    from flask import g, request

    @app.before_request
    def _read_only_page():
        if request.method in ("GET", "HEAD") and request.endpoint in READ_ONLY_PAGES:
            g.sqlite_deferred = _deferred.set(True)

    @app.teardown_request
    def _end_read_only_page(_exc):
        token = g.pop("sqlite_deferred", None)
        if token is not None:
            _deferred.reset(token)
