"""SQLite for many workers: foreign keys, WAL, a busy timeout, and the write lock taken only
where a request writes (S33).

SQLite has one writer at a time; in WAL mode readers never wait for it, nor it for them. A
transaction begun with a plain (deferred) BEGIN takes the write lock at its first write, and
that upgrade fails at once with SQLITE_BUSY ("database is locked") when another connection
holds the lock or committed after this transaction first read: the busy timeout does not
help there. BEGIN IMMEDIATE takes the lock at the start, waiting up to the busy timeout.
So the mode is chosen when a transaction begins:

- Requests read by default. GET, HEAD and OPTIONS, and every view not marked, begin with a
  plain BEGIN: a report page, an upload preview or /healthz never holds the write lock, so
  an employee's autosave never waits for them.
- A view that writes is marked `@writes`; its POSTs (not its GETs) begin with BEGIN
  IMMEDIATE, so its read-then-write (answer save, submit, admin edits) queues for the lock
  instead of failing on the upgrade. Keep such views short: no long reads under the lock.
- A GET that must write (a download's audit entry, expiring a job) does it inside
  `write_transaction()`: the read ends, and the write runs in a short transaction of its own
  that begins with BEGIN IMMEDIATE.
- Outside requests (CLI commands, background jobs) transactions begin IMMEDIATE, since they
  write; read-only job kinds (exports) opt out with `deferred_transactions()`.

We mark writers rather than retry on SQLITE_BUSY: a retry would have to replay a whole
request (an uploaded stream, files written, flashed messages), while a marked writer simply
waits its turn. A write inside a deferred transaction is a missing mark: it raises
`UnmarkedWrite` when SQLITE_STRICT_WRITES is on (the tests), so an unmarked view fails the
suite, and is logged as a warning in production, where SQLite's upgrade usually succeeds.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .files import make_private

log = logging.getLogger("surveyapp.db")

_configured: weakref.WeakSet[Engine] = weakref.WeakSet()
_deferred: ContextVar[bool] = ContextVar("sqlite_deferred", default=False)
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES_MARK = "_writes_database"

View = TypeVar("View", bound=Callable)


class UnmarkedWrite(RuntimeError):
    """A write inside a transaction that began without the write lock (see the module)."""


def writes(view: View) -> View:
    """Mark a view whose POSTs write: on SQLite they begin with the write lock."""
    setattr(view, WRITES_MARK, True)
    return view


def view_writes(view: Callable | None) -> bool:
    return bool(getattr(view, WRITES_MARK, False))


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """Transactions begun inside only read: a plain BEGIN, so a long report does not hold the
    write lock and block every answer save (WAL lets readers and the writer run together)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


@contextmanager
def write_transaction() -> Iterator[None]:
    """For a request that reads and must also write a little: end the read, run the block in
    a transaction that begins with the write lock, and commit it. Whatever the block read
    before is reloaded inside, so it decides on current rows."""
    from .extensions import db

    db.session.commit()  # ends the read; nothing is pending in a reading request
    token = _deferred.set(False)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _deferred.reset(token)


def configure_sqlite(
    engine: Engine, *, busy_timeout_ms: int = 30_000, strict: bool = False
) -> None:
    if engine in _configured:
        return
    _configured.add(engine)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy own the transaction so BEGIN IMMEDIATE below takes effect.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # How long BEGIN IMMEDIATE waits for another writer's (short) transaction.
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            _make_files_private(engine.url.database)
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN" if _deferred.get() else "BEGIN IMMEDIATE")

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _guard(_conn, _cursor, statement, _params, _context, _many):
        if _deferred.get() and _WRITE.match(statement):
            where = _endpoint()
            if strict:
                raise UnmarkedWrite(
                    f"{where} writes in a transaction begun without the write lock: mark the "
                    "view @writes or write inside write_transaction() (surveyapp/db_sqlite.py)"
                )
            log.warning("sqlite write without the write lock", extra={"fields": {"at": where}})


def _make_files_private(database: str) -> None:
    """The database holds every name, NIP and answer: 0600 like every such file (S39). SQLite
    creates its -wal and -shm files with the database file's mode, so they follow it."""
    for path in (database, f"{database}-wal", f"{database}-shm"):
        # Missing (not yet created, a URI name) or not ours: the owner's choice stands.
        with suppress(OSError):
            make_private(path)


def _endpoint() -> str:
    from flask import has_request_context, request

    return f"{request.method} {request.endpoint}" if has_request_context() else "a job"


def register_request_modes(app) -> None:
    """Each request chooses its mode before anything reads (first of the before_request
    functions): the write lock at BEGIN only for the POSTs of views marked @writes."""
    from flask import g, request

    def _choose_mode():
        view = app.view_functions.get(request.endpoint)
        reads = request.method in READING_METHODS or not view_writes(view)
        g.sqlite_mode = _deferred.set(reads)

    app.before_request_funcs.setdefault(None, []).insert(0, _choose_mode)

    @app.teardown_request
    def _end_mode(_exc):
        token = g.pop("sqlite_mode", None)
        if token is not None:
            _deferred.reset(token)
