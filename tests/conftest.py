"""Fixtures: one app and one migrated database per test session, a rolled-back transaction
per test, builders for the domain objects, and a logged-in client per role.

TEST_DATABASE_URL picks the database: unset means a SQLite file in a temporary folder; a
PostgreSQL URL names the server, and the run creates and drops a database of its own.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from surveyapp import create_app
from surveyapp.config import TestConfig
from surveyapp.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def _is_postgres(url: str | None) -> bool:
    return bool(url) and url.startswith("postgresql")


def create_database(tmp_dir: Path, label: str) -> tuple[str, callable]:
    """A new empty database for the run: (url, drop)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if _is_postgres(base):
        name = f"surveyapp_{label}_{uuid.uuid4().hex[:10]}"
        server = sa.make_url(base).set(database="postgres")
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()

        return str(sa.make_url(base).set(database=name).render_as_string(False)), drop
    path = tmp_dir / f"{label}-{uuid.uuid4().hex[:8]}.sqlite"
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def upgrade(app) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        alembic_upgrade()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, drop = create_database(tmp_path_factory.mktemp("db"), "test")
    yield url
    drop()


class IsolatedClient(FlaskClient):
    """Each request gets an app context (and so `g` and a database session) of its own, as
    in production; the test's own session then sees what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():  # the test's own session, if it has one
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    application.instance_path = str(instance)
    application.test_client_class = IsolatedClient
    upgrade(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside a transaction that is rolled back; commits become savepoints."""
    if "no_transaction" in request.keywords:
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, class_=Session, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            with app.app_context():
                yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Login throttling counters do not leak from one test into the next."""
    from surveyapp.services.accounts import _limiter_for

    yield
    _limiter_for(app.config["RATELIMIT_STORAGE_URI"]).storage.reset()


@pytest.fixture
def session(app_ctx):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_on(app, monkeypatch):
    """CSRF protection as in production, for the tests that attack it."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def build(app_ctx):
    """Builders for units, employees, periods and responses (tests/factories.py)."""
    return factories.Builder(db.session)


@pytest.fixture
def login(app, client):
    """Log a client in as an employee without the password round trip."""

    def _login(employee, a_client=None):
        c = a_client or client
        factories.login_session(c, employee)
        return c

    return _login


@pytest.fixture
def org(build):
    """A small tree: ROOT > (DINAS-A > A-1, DINAS-B), with people in each and one admin."""
    return build.standard_org()


@pytest.fixture
def employee_client(app, org, login):
    return login(org.employee, app.test_client())


@pytest.fixture
def hr_client(app, org, login):
    return login(org.hr_a, app.test_client())


@pytest.fixture
def admin_client(app, org, login):
    return login(org.admin, app.test_client())


def pytest_configure(config):
    config.addinivalue_line("markers", "no_transaction: the test manages its own database")


__all__ = ["ROOT", "TestConfig", "create_database", "upgrade"]
