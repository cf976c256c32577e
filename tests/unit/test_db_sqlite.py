"""SQLite: writers queue at BEGIN IMMEDIATE; report pages read with a plain BEGIN."""

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.db_sqlite import READ_ONLY_PAGES, configure_sqlite, deferred_transactions


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


def test_read_only_pages_exist():
    """A renamed report page would quietly go back to holding the write lock."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert set(app.view_functions) >= READ_ONLY_PAGES


@pytest.mark.no_transaction
def test_a_report_page_reads_without_the_write_lock_and_a_save_takes_it(tmp_path):
    from surveyapp.extensions import db
    from tests.conftest import IsolatedClient, upgrade
    from tests.factories import Builder, login_session

    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = IsolatedClient
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
    with app.app_context():
        db.engine.dispose()
