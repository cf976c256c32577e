"""SQLite settings for many workers: foreign keys, WAL, a busy timeout, immediate writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

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
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers queue on the database lock at BEGIN instead of failing on upgrade later.
        conn.exec_driver_sql("BEGIN" if _deferred.get() else "BEGIN IMMEDIATE")
