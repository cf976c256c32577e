"""S33: on SQLite a read (report page, upload preview, /healthz) never holds the write lock, so
a long read never makes an employee's answer save wait. Always on a SQLite file of its own
(the case does not exist on PostgreSQL), with requests running as in production."""

from __future__ import annotations

import sqlite3
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models import Employee, Period
from surveyapp.services import imports, mailer, plans, reports, responses
from tests.conftest import IsolatedClient, upgrade
from tests.factories import Builder
from tests.integration.test_imports import person, xlsx

BUSY_MS = 5_000  # the save must commit well within the busy timeout


@pytest.fixture
def sqlite_app(tmp_path):
    path = tmp_path / "s33.sqlite"
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SQLITE_BUSY_TIMEOUT_MS": BUSY_MS,
            "JOBS_DIR": str(tmp_path / "jobs"),
        }
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = IsolatedClient
    upgrade(app)
    with app.app_context():
        build = Builder(db.session)
        org = build.standard_org()
        period = build.period([org.root])
        closed = build.period([org.root], state="closed")
        plan = plans.create_plan(
            org.hr_a,
            closed,
            reports.scope_for(org.hr_a, closed, org.dinas_a.id),
            focus=["AD"],
            goal="",
            actions=[],
        )
        db.session.commit()
        people = {
            role: SimpleNamespace(id=p.id, login_id=p.get_id())
            for role, p in (("admin", org.admin), ("hr", org.hr_a), ("employee", org.employee))
        }
        data = SimpleNamespace(
            path=path,
            people=people,
            period_id=period.id,
            period_code=period.code,
            version_id=period.version_id,
            item=period.version.items[0].code,
            unit_id=org.dinas_a.id,
            closed_id=closed.id,
            plan_id=plan.id,
            unplanned_unit_id=org.bidang_a1.id,
        )
        db.session.remove()  # nothing of the test's own holds a transaction open
    yield app, data
    with app.app_context():
        db.engine.dispose()


def _client(app, who=None):
    client = app.test_client()
    if who is not None:
        with client.session_transaction() as sess:
            sess["_user_id"] = who.login_id
            sess["_fresh"] = True
            sess["login_at"] = sess["seen_at"] = time.time()
            sess.permanent = True
    return client


@pytest.mark.no_transaction
def test_s33_long_read_does_not_block_an_answer_save(sqlite_app, monkeypatch):
    """An admin's upload preview is still reading when an employee's autosave arrives: the
    save commits at once and /healthz answers (both waited for the preview's lock before)."""
    app, data = sqlite_app
    people = data.people
    admin, employee = _client(app, people["admin"]), _client(app, people["employee"])
    anonymous = _client(app)

    previewing, saved = threading.Event(), threading.Event()
    plan_employees = imports.plan_employees

    def long_preview(*args, **kwargs):
        plan = plan_employees(*args, **kwargs)  # has read the units and the known people
        previewing.set()
        saved.wait(120)  # a big roster: the preview's transaction stays open meanwhile
        return plan

    monkeypatch.setattr(imports, "plan_employees", long_preview)
    preview: dict = {}
    upload = {"kind": "employees", "file": (xlsx([person()]), "roster.xlsx")}
    thread = threading.Thread(
        target=lambda: preview.update(
            reply=admin.post("/admin/imports", data=upload, content_type="multipart/form-data")
        )
    )
    thread.start()
    try:
        assert previewing.wait(30), "the preview never started"
        started = time.monotonic()
        save = employee.post(
            f"/survey/{data.period_code}/answers", json={"item": data.item, "value": 4}
        )
        took = time.monotonic() - started
        health_started = time.monotonic()
        health = anonymous.get("/healthz")
        health_took = time.monotonic() - health_started
    finally:
        saved.set()
        thread.join(60)

    assert save.status_code == 200, save.get_data(as_text=True)[:300]
    assert took < BUSY_MS / 1000 / 2, f"the save waited {took:.1f} s for the preview"
    assert health.status_code == 200 and health_took < 1
    # The check ran as a job (S32; inline here, so inside the upload's request) and was not
    # harmed either: its page shows the preview.
    assert preview["reply"].status_code == 303
    assert admin.get(preview["reply"].headers["Location"]).status_code == 200
    with app.app_context():
        period = db.session.get(Period, data.period_id)
        me = db.session.get(Employee, people["employee"].id)
        assert responses.answers_by_code(responses.find_response(period, me)) == {data.item: 4}


class LockProbe:
    """After every statement a request runs, another connection tries to take the write lock
    at once (no waiting): it fails exactly when the request holds it."""

    def __init__(self, engine, path):
        self.engine = engine
        self.other = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.log: list[tuple[str, bool]] = []

    def _after(self, _conn, _cursor, statement, *_args):
        try:
            self.other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            self.log.append((statement, True))
        else:
            self.other.execute("ROLLBACK")
            self.log.append((statement, False))

    def run(self, request):
        self.log = []
        sa.event.listen(self.engine, "after_cursor_execute", self._after)
        try:
            reply = request()
        finally:
            sa.event.remove(self.engine, "after_cursor_execute", self._after)
        return reply, self.log


def _who(endpoint: str, people: dict):
    blueprint = endpoint.split(".")[0]
    if endpoint in ("auth.login", "auth.activate") or blueprint == "health":
        return None
    return people[{"admin": "admin", "hr": "hr", "jobs": "hr"}.get(blueprint, "employee")]


@pytest.mark.no_transaction
def test_s33_get_pages_never_take_the_write_lock(sqlite_app):
    """Every GET route, requested as someone allowed to see it, reads with a plain BEGIN and
    never holds the write lock. The one GET that writes, a download (its audit entry, S20),
    reads first and takes the lock only for that write, in a transaction of its own."""
    app, data = sqlite_app
    people = data.people
    with app.app_context():
        period = db.session.get(Period, data.period_id)
        me = db.session.get(Employee, people["employee"].id)
        Builder(db.session).response(period, me)  # submitted: the result page has something
        item_id = period.version.items[0].id
        db.session.commit()
        db.session.remove()
    export = _client(app, people["hr"]).post(f"/hr/periods/{data.period_id}/report.xlsx")
    assert export.status_code == 303
    # A reminder by e-mail and WhatsApp (HR reminds themself), so that the WhatsApp page and
    # the outbox message have something to show.
    with app.app_context():
        hr = db.session.get(Employee, people["hr"].id)
        hr.email, hr.phone = "hr@sukamaju.go.id", "+6281234567890"
        db.session.commit()
        db.session.remove()
    remind = _client(app, people["hr"]).post(
        f"/hr/periods/{data.period_id}/reminders",
        data={"mode": "picked", "people": str(people["hr"].id), "email": "y", "whatsapp": "y"},
    )
    assert remind.status_code == 303 and "/whatsapp" in remind.headers["Location"]
    values = {
        "period_id": data.period_id,
        "period_code": data.period_code,
        "unit_id": data.unit_id,
        "version_id": data.version_id,
        "employee_id": people["employee"].id,
        "number": 1,
        "item_id": item_id,
        "job_id": export.headers["Location"].rsplit("/", 1)[1],
        "plan_id": data.plan_id,
        "batch": remind.headers["Location"].rsplit("/", 2)[1],
        "name": mailer.outbox(app)[0].name,
    }
    # A plan is made only after the close, for a unit that has none yet.
    overrides = {
        "hr.plan_new": {"period_id": data.closed_id, "unit_id": data.unplanned_unit_id},
    }
    with app.app_context():
        probe = LockProbe(db.engine, data.path)

    seen = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":  # static: no database
            continue
        with app.test_request_context():
            chosen = {**values, **overrides.get(rule.endpoint, {})}
            url = url_for(rule.endpoint, **{a: chosen[a] for a in rule.arguments})
        who = _who(rule.endpoint, people)
        reply, log = probe.run(lambda url=url, who=who: _client(app, who).get(url))
        seen[rule.endpoint] = reply.status_code
        assert reply.status_code == 200, (rule.endpoint, reply.status_code)  # the page ran
        begins = [s for s, _locked in log if s.startswith("BEGIN")]
        if who is not None:
            assert begins, f"{rule.endpoint} ran no transaction"
        if rule.endpoint == "jobs.download":
            first_lock = next(i for i, (s, _locked) in enumerate(log) if s == "BEGIN IMMEDIATE")
            assert log[0][0] == "BEGIN" and not any(locked for _s, locked in log[:first_lock])
            assert begins.count("BEGIN IMMEDIATE") == 1
            continue
        assert set(begins) <= {"BEGIN"}, (rule.endpoint, begins)
        locked = [s for s, is_locked in log if is_locked]
        assert not locked, (rule.endpoint, locked)
    probe.other.close()
    assert {"health.healthz", "hr.unit_results", "admin.imports_upload", "jobs.status"} <= set(seen)


@pytest.mark.no_transaction
def test_s33_cli_export_and_dry_run_read_without_the_write_lock(sqlite_app, tmp_path):
    """`flask export-report` and `import-employees --dry-run` are reads too: an operator running
    them during the survey holds no lock; the export takes it only for its audit entry."""
    app, data = sqlite_app
    runner = app.test_cli_runner()
    with app.app_context():
        probe = LockProbe(db.engine, data.path)
    target = tmp_path / "laporan.xlsx"
    args = ["export-report", "--period", data.period_code, "--output", str(target)]
    result, log = probe.run(lambda: runner.invoke(args=args))
    assert result.exit_code == 0, result.output
    first_lock = next(i for i, (s, _locked) in enumerate(log) if s == "BEGIN IMMEDIATE")
    assert log[0][0] == "BEGIN" and not any(locked for _s, locked in log[:first_lock])
    assert [s for s, _locked in log if s.startswith("BEGIN")].count("BEGIN IMMEDIATE") == 1

    xlsx([person()], path=tmp_path / "roster.xlsx")
    dry = ["import-employees", str(tmp_path / "roster.xlsx"), "--dry-run"]
    result, log = probe.run(lambda: runner.invoke(args=dry))
    assert result.exit_code == 0 and "dry-run" in result.output, result.output
    assert {s for s, _locked in log if s.startswith("BEGIN")} == {"BEGIN"}
    assert not any(locked for _s, locked in log)
    probe.other.close()
