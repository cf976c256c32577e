"""`flask backup` and the documented restore (docs/deployment.md), on the database the run
uses: a SQLite file, or PostgreSQL through pg_dump/pg_restore when TEST_DATABASE_URL names
one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.backup import BackupError, libpq_env
from surveyapp.backup import backup as make_backup
from surveyapp.extensions import db
from surveyapp.models import RESPONSE_SUBMITTED, Employee, Item, Period
from surveyapp.services import responses
from tests import factories
from tests.conftest import create_database, upgrade

WRITERS = 4
EMPLOYEES = 300


def expected_value(employee_id: int, item_id: int) -> int:
    return 1 + (employee_id * 7 + item_id) % 5


@pytest.fixture
def live(tmp_path):
    """A database of its own that threads commit to, as the running app would."""
    url, drop = create_database(tmp_path, "backup")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    upgrade(app)
    with app.app_context():
        build = factories.Builder(db.session)
        root = build.unit("KOTA", "Pemerintah Kota Cadangan")
        staff = [
            build.employee(root, nip=f"19900101202001{1 + i % 2}{i:03d}", password=None)
            for i in range(EMPLOYEES)
        ]
        period = build.period([root], code="2026-S2")
        db.session.commit()
        ids = (period.id, [e.id for e in staff])
    yield app, url, ids
    with app.app_context():
        db.engine.dispose()
    drop()


class Writers:
    """Threads that each answer every item (one transaction) and then submit (another)."""

    def __init__(self, app, period_id: int, employee_ids: list[int]):
        self.app, self.period_id = app, period_id
        self.done = 0
        self.errors: list[BaseException] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(employee_ids[i::WRITERS],), daemon=True)
            for i in range(WRITERS)
        ]

    def _run(self, employee_ids: list[int]) -> None:
        try:
            with self.app.app_context():
                period = db.session.get(Period, self.period_id)
                item_ids = list(
                    db.session.scalars(
                        sa.select(Item.id).where(Item.version_id == period.version_id)
                    )
                )
                for employee_id in employee_ids:
                    if self.stop.is_set():
                        break
                    employee = db.session.get(Employee, employee_id)
                    response = responses.start_response(period, employee)
                    responses.save_answers(
                        response, {i: expected_value(employee_id, i) for i in item_ids}
                    )
                    db.session.commit()
                    assert responses.submit(response)
                    db.session.commit()
                    with self.lock:
                        self.done += 1
                db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.done < count:
            assert not self.errors, self.errors
            assert any(t.is_alive() for t in self.threads), "writers ran out of employees"
            assert time.monotonic() < deadline, f"only {self.done} of {count} submits"
            time.sleep(0.005)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def restore(backup_file: Path, url: str, tmp_path: Path) -> tuple[str, callable]:
    """The restore docs/deployment.md describes, into a fresh database: (url, drop)."""
    if url.startswith("sqlite"):
        target = tmp_path / "restored.sqlite"
        shutil.copyfile(backup_file, target)
        return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
    restored_url, drop = create_database(tmp_path, "restored")
    name = sa.make_url(restored_url).database
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={name}", str(backup_file)],
        env={**os.environ, **libpq_env(sa.make_url(restored_url))},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return restored_url, drop


def needs_pg_dump(url: str) -> None:
    if url.startswith("postgresql") and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump/pg_restore not installed")


@pytest.mark.no_transaction
def test_s26_backup_taken_while_submits_run_restores_to_a_consistent_database(live, tmp_path):
    app, url, (period_id, employee_ids) = live
    needs_pg_dump(url)
    out = tmp_path / "cadangan.backup"
    with Writers(app, period_id, employee_ids) as writers:
        writers.wait_for(5)
        before = writers.done
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(out)])
        after = writers.done
        # Writes go on after the snapshot: the backup did not stop the app.
        writers.wait_for(after + 3)
    assert not writers.errors, writers.errors
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"backup {out} ")
    assert "restore:" in result.output
    assert not list(tmp_path.glob(".*partial*"))

    restored_url, drop = restore(out, url, tmp_path)
    try:
        if restored_url.startswith("sqlite"):
            with sqlite3.connect(restored_url.removeprefix("sqlite:///")) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        engine = sa.create_engine(restored_url)
        with engine.connect() as conn:
            n_items = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM items i JOIN periods p ON p.version_id = i.version_id "
                    "WHERE p.id = :p"
                ),
                {"p": period_id},
            )
            rows = conn.execute(
                sa.text(
                    "SELECT r.id, r.employee_id, r.state, r.submitted_at, count(a.id) "
                    "FROM responses r LEFT JOIN answers a ON a.response_id = r.id "
                    "GROUP BY r.id, r.employee_id, r.state, r.submitted_at"
                )
            ).all()
            answers = conn.execute(
                sa.text(
                    "SELECT r.employee_id, a.item_id, a.value FROM answers a "
                    "JOIN responses r ON r.id = a.response_id"
                )
            ).all()
            employees = conn.scalar(sa.text("SELECT count(*) FROM employees"))
        engine.dispose()
    except BaseException:
        drop()
        raise
    try:
        assert n_items >= 21
        assert employees == EMPLOYEES
        # Every response is whole: a complete draft or fully submitted, never half.
        for _id, _emp, state, submitted_at, count in rows:
            assert count == n_items
            assert (state == RESPONSE_SUBMITTED) == (submitted_at is not None)
        submitted = sum(1 for r in rows if r[2] == RESPONSE_SUBMITTED)
        # A snapshot of one moment during the backup: everything committed before it
        # started is there; at most one submit per writer was committed but not yet counted.
        assert before <= submitted <= after + WRITERS
        assert len(rows) <= after + 2 * WRITERS
        # The data are the data that were written.
        assert answers and all(v == expected_value(e, i) for e, i, v in answers)

        # The restored database serves the app.
        restored = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": restored_url})
        assert restored.test_client().get("/healthz").get_json()["status"] == "ok"
        with restored.app_context():
            period = db.session.get(Period, period_id)
            status = responses.statuses_for(db.session.get(Employee, rows[0][1]), [period])[0]
            assert status.answered == n_items
            db.engine.dispose()
    finally:
        drop()


def test_backup_never_overwrites_an_existing_file(runner, tmp_path):
    out = tmp_path / "kemarin.backup"
    out.write_bytes(b"yesterday's backup")
    result = runner.invoke(args=["backup", "--output", str(out)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert out.read_bytes() == b"yesterday's backup"


def test_backup_into_a_missing_folder_is_refused(runner, tmp_path):
    out = tmp_path / "tidak-ada" / "x.backup"
    result = runner.invoke(args=["backup", "--output", str(out)])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert not out.parent.exists()


@pytest.mark.no_transaction  # the CLI must run in this app's context, not the suite's
def test_postgresql_without_pg_dump_prints_the_command_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app:Rahasia-DB-1@db.internal:5433/survey",
        }
    )
    out = tmp_path / "survey.dump"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(out)])
    assert result.exit_code == 1
    assert "pg_dump was not found" in result.output
    assert (
        f"pg_dump --format=custom --file={out} --host=db.internal --port=5433 --username=app survey"
        in result.output
    )
    assert "Rahasia-DB-1" not in result.output
    assert not out.exists()


def test_sqlite_in_memory_and_the_database_itself_are_refused(tmp_path):
    with pytest.raises(BackupError, match="in-memory"):
        make_backup("sqlite://", tmp_path / "a.backup")
    live_db = tmp_path / "live.sqlite"
    sqlite3.connect(live_db).close()
    with pytest.raises(BackupError, match="already exists"):
        make_backup(f"sqlite:///{live_db}", live_db)
    with pytest.raises(BackupError, match="over the database"):
        make_backup(f"sqlite:///{live_db}", Path(f"{live_db}-wal"))
