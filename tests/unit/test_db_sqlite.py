"""SQLite: requests read with a plain BEGIN; the POSTs of views marked @writes, CLI commands and
writing jobs queue for the lock at BEGIN IMMEDIATE; a write without the lock is caught (S33)."""

import logging

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.db_sqlite import (
    READING_METHODS,
    UnmarkedWrite,
    configure_sqlite,
    deferred_transactions,
    view_writes,
)


def _begins(engine, block):
    seen = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        block()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def test_transactions_begin_immediate_unless_deferred(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    configure_sqlite(engine)

    def one_transaction():
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))

    def deferred():
        with deferred_transactions():
            one_transaction()

    assert _begins(engine, one_transaction) == ["BEGIN IMMEDIATE"]
    assert _begins(engine, deferred) == ["BEGIN"]
    assert _begins(engine, one_transaction) == ["BEGIN IMMEDIATE"]  # the mode does not leak
    engine.dispose()


def _write_in_deferred(engine):
    with deferred_transactions(), engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))


def test_a_write_without_the_write_lock_raises_when_strict_and_is_logged_otherwise(
    tmp_path, caplog
):
    strict = sa.create_engine(f"sqlite:///{tmp_path / 'strict.sqlite'}")
    configure_sqlite(strict, strict=True)
    with pytest.raises(UnmarkedWrite, match="@writes"):
        _write_in_deferred(strict)
    strict.dispose()

    lenient = sa.create_engine(f"sqlite:///{tmp_path / 'lenient.sqlite'}")
    configure_sqlite(lenient)
    with caplog.at_level(logging.WARNING, logger="surveyapp.db"):
        _write_in_deferred(lenient)
    assert "without the write lock" in caplog.text
    lenient.dispose()


def test_busy_timeout_comes_from_the_config(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'busy.sqlite'}")
    configure_sqlite(engine, busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_every_view_that_changes_state_is_marked():
    """Requests read by default: a POST view without @writes begins without the write lock.
    The upload preview's long read runs in a read-only job (S32, S33), so its POST, which
    stores the file and starts the job, is marked like every other."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    unmarked, marked_reads = set(), set()
    for rule in app.url_map.iter_rules():
        marked = view_writes(app.view_functions[rule.endpoint])
        if rule.methods - READING_METHODS and not marked:
            unmarked.add(rule.endpoint)
        if not rule.methods - READING_METHODS and marked:
            marked_reads.add(rule.endpoint)
    assert unmarked == set()
    assert marked_reads == set()


@pytest.mark.no_transaction
def test_a_report_page_reads_without_the_write_lock_and_a_save_takes_it(tmp_path):
    from flask_login import current_user

    from surveyapp.db_sqlite import write_transaction, writes
    from surveyapp.extensions import db
    from tests.conftest import IsolatedClient, upgrade
    from tests.factories import Builder, login_session

    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = IsolatedClient

    def set_locale():
        current_user.locale = "en"
        db.session.commit()
        return "saved"

    @writes
    def set_locale_marked():
        return set_locale()

    def read_then_write():
        current_user.name  # noqa: B018  (a read first, as any page does)
        with write_transaction():
            current_user.locale = "en"
        return "saved"

    app.add_url_rule("/t/unmarked", "unmarked", set_locale, methods=["POST"])
    app.add_url_rule("/t/marked", "marked", set_locale_marked, methods=["POST"])
    app.add_url_rule("/t/get-writes", "get_writes", read_then_write)
    upgrade(app)
    with app.app_context():
        org = Builder(db.session).standard_org()
        db.session.commit()
        hr, employee = org.hr_a, org.employee
        clients = []
        for person in (hr, employee):
            client = app.test_client()
            login_session(client, person)
            clients.append(client)
        engine = db.engine
        db.session.remove()  # nothing of the test's own holds a transaction open
    page = _begins(engine, lambda: clients[0].get("/hr/"))
    save = _begins(engine, lambda: clients[1].post("/locale", data={"lang": "en"}))
    if not page:
        pytest.fail("the page ran no transaction at all")
    assert set(page) == {"BEGIN"}
    assert "BEGIN IMMEDIATE" in save

    # A POST view that writes without @writes fails loudly (in tests), and writes nothing.
    assert clients[0].post("/t/unmarked").status_code == 500
    with app.app_context():
        assert db.session.get(type(hr), hr.id).locale != "en"
    assert set(_begins(engine, lambda: clients[0].post("/t/marked"))) == {"BEGIN IMMEDIATE"}
    # A GET that must write: the read begins plain, the write in a short immediate transaction,
    # and whatever reads after it (the request log) begins plain again.
    get_writes = _begins(engine, lambda: clients[1].get("/t/get-writes"))
    assert get_writes[:2] == ["BEGIN", "BEGIN IMMEDIATE"]
    assert set(get_writes[2:]) <= {"BEGIN"}
    with app.app_context():
        db.engine.dispose()
