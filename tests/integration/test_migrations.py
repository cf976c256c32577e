"""Models and migrations agree, and the migrations go down and up again, on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from surveyapp import create_app
from surveyapp.extensions import db
from tests.conftest import create_database

pytestmark = pytest.mark.no_transaction


@pytest.fixture
def fresh_app(tmp_path):
    url, drop = create_database(tmp_path, "mig")
    application = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def _diff(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_autogenerate_finds_nothing_to_do(fresh_app):
    with fresh_app.app_context():
        upgrade()
    assert _diff(fresh_app) == []


def test_upgrade_downgrade_upgrade_round_trip(fresh_app):
    with fresh_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        count = db.session.scalar(sa.text("SELECT count(*) FROM core_values"))
        items = db.session.scalar(sa.text("SELECT count(*) FROM items"))
    assert count == 7
    assert items >= 21


def test_0006_drops_the_job_columns_nothing_read_and_keeps_the_jobs(fresh_app):
    from surveyapp.models import Job
    from tests.factories import Builder

    def columns() -> set[str]:
        return {c["name"] for c in sa.inspect(db.engine).get_columns("jobs")}

    unused = {"done", "total", "heartbeat_at", "finished_at"}
    with fresh_app.app_context():
        upgrade()
        assert not unused & columns()
        org = Builder(db.session).standard_org()
        db.session.add(
            Job(id="j" * 32, kind="workbook", owner_id=org.hr_a.id, params={}, dedupe_key="k")
        )
        db.session.commit()
        db.session.remove()
        downgrade(revision="0005")
        assert unused <= columns()
        done = db.session.scalar(sa.text("SELECT done FROM jobs"))
        db.session.remove()
        upgrade()
        assert not unused & columns()
        assert db.session.scalar(sa.text("SELECT kind FROM jobs")) == "workbook"
    assert done == 0
