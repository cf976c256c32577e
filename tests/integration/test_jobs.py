"""Background jobs: lifecycle, duplicate clicks, access, restart; inline, thread pool and RQ."""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.jobs.routes import KIND_NAMES
from surveyapp.models import Job, utcnow
from surveyapp.services import exports, jobs
from surveyapp.services.jobs import JobFailed, Kind, Output
from tests.conftest import create_database, upgrade
from tests.factories import Builder

SEEN: dict[str, list] = {"progress": [], "runs": []}


def _steps(ctx, total: int, fail_first: bool = False):
    SEEN["runs"].append(ctx.job_id)
    if fail_first and len(SEEN["runs"]) == 1:
        raise JobFailed(_l("This period or unit is no longer in your scope."))
    for done in range(0, total + 1, 10):
        ctx.progress(done, total, force=True)
        SEEN["progress"].append(jobs.status(db.session.get(Job, ctx.job_id)))
    ctx.output_path.write_bytes(b"hasil")
    return Output(name="hasil.txt", summary={"rows": total})


@pytest.fixture(autouse=True)
def _reset_seen():
    SEEN["progress"].clear()
    SEEN["runs"].clear()


@pytest.fixture(autouse=True, scope="module")
def _test_kind(app):
    """A kind of job for these tests only, registered the way create_app registers the
    real ones, and taken away again."""
    jobs.register_kinds(app, {"test_steps": Kind(_steps, read_only=False)})
    yield
    app.extensions["surveyapp_jobs"]["kinds"].pop("test_steps")


def test_create_app_registers_every_kind_and_the_jobs_page_names_each(app):
    """One table (services/exports.KINDS), registered by create_app: a fresh app knows every
    kind without any module imported for its side effects, and each has a name to show."""
    fresh = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert dict(jobs.kinds(fresh)) == exports.KINDS
    assert set(exports.KINDS) == set(KIND_NAMES)
    assert exports.KINDS["workbook"].read_only and not exports.KINDS["import_roster"].read_only


@pytest.fixture
def period(build, org):
    period = build.period([org.root])
    build.response(period, org.employee)
    return period


def test_lifecycle_queued_running_with_progress_done(org, session):
    job, created = jobs.start("test_steps", org.hr_a, {"total": 30})
    assert created and job.state == "done"
    running = SEEN["progress"]
    assert {s["state"] for s in running} == {"running"}
    assert [s["percent"] for s in running] == [0, 33, 66, 100]
    assert jobs.status(job)["percent"] == 100 and job.summary == {"rows": 30}
    assert jobs.result_file(job).read_bytes() == b"hasil"


def test_done_job_expires_after_24_hours_and_its_file_is_deleted(app, org, session):
    job, _ = jobs.start("test_steps", org.hr_a, {"total": 10})
    path = jobs.result_file(job)
    job.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    expired, failed = jobs.cleanup(app)
    assert (expired, failed) == (1, 0)
    assert job.state == "expired" and not path.exists() and jobs.result_file(job) is None


def test_looking_at_an_expired_job_expires_it_in_a_short_write(app, org, login, session):
    """The job pages are GETs and read without the write lock (S33); the expiry they notice
    is written in a short transaction of its own (strict in tests: otherwise a 500)."""
    job, _ = jobs.start("test_steps", org.hr_a, {"total": 10})
    path = jobs.result_file(job)
    job.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    client = login(org.hr_a, app.test_client())
    assert client.get(f"/jobs/{job.id}/status").get_json()["state"] == "expired"
    assert not path.exists() and client.get(f"/jobs/{job.id}/download").status_code == 404


def test_failed_job_shows_a_clear_message_and_can_be_retried(app, org, login, session):
    job, _ = jobs.start("test_steps", org.hr_a, {"total": 10, "fail_first": True})
    assert job.state == "failed"
    client = login(org.hr_a, app.test_client())
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "tidak lagi berada dalam cakupan Anda" in page and "Traceback" not in page
    retried = client.post(f"/jobs/{job.id}/retry")
    assert retried.status_code == 302
    new_id = retried.headers["Location"].rsplit("/", 1)[1]
    assert new_id != job.id and session.get(Job, new_id).state == "done"


def test_a_second_click_shows_the_running_job(org, session):
    params = {"total": 10}
    running = Job(
        id="running-" + uuid.uuid4().hex[:20],
        kind="test_steps",
        owner_id=org.hr_a.id,
        params=params,
        dedupe_key=jobs.dedupe_key("test_steps", org.hr_a.id, params),
        state="running",
        worker=jobs.worker_identity(),
        started_at=utcnow(),
    )
    session.add(running)
    session.flush()
    again, created = jobs.start("test_steps", org.hr_a, params)
    assert again.id == running.id and not created
    assert session.scalar(sa.select(sa.func.count(Job.id))) == 1


def test_someone_else_gets_404_and_an_admin_may_look(app, org, login, period, session):
    job, _ = jobs.start(
        "workbook", org.hr_a, {"period_id": period.id, "unit_id": None, "locale": "id"}
    )
    for person, code in ((org.hr_b, 404), (org.employee, 404), (org.admin, 200)):
        client = login(person, app.test_client())
        assert client.get(f"/jobs/{job.id}").status_code == code
        assert client.get(f"/jobs/{job.id}/download").status_code == code
        assert client.get(f"/jobs/{job.id}/status").status_code == code


def test_a_job_whose_worker_died_is_marked_failed_when_looked_at(app, org, session):
    dead = Job(
        id="dead-" + uuid.uuid4().hex[:20],
        kind="test_steps",
        owner_id=org.hr_a.id,
        params={},
        dedupe_key="x" * 64,
        state="running",
        worker=f"{jobs.socket.gethostname()}:{_dead_pid()}",
        started_at=utcnow(),
    )
    silent = Job(
        id="silent-" + uuid.uuid4().hex[:20],
        kind="test_steps",
        owner_id=org.hr_a.id,
        params={},
        dedupe_key="y" * 64,
        state="running",
        worker="other-host:123",
        started_at=utcnow() - timedelta(hours=1),
    )
    session.add_all([dead, silent])
    session.flush()
    assert jobs.recover_stale(app) == 2
    assert dead.state == "failed" and silent.state == "failed"


def _dead_pid() -> int:
    pid = 999_999
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_workbook_export_through_the_job_page(app, hr_client, period):
    started = hr_client.post(f"/hr/periods/{period.id}/report.xlsx")
    page = hr_client.get(started.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "jobs.js" in page
    status = hr_client.get(started.headers["Location"] + "/status").get_json()
    assert status["state"] == "done" and status["download_url"]
    book = load_workbook(io.BytesIO(hr_client.get(status["download_url"]).data))
    assert book.sheetnames[0] == "Ringkasan"


# --- real engines: committed data, a thread pool, and RQ against Redis ---------------------


@pytest.fixture
def committed(tmp_path):
    url, drop = create_database(tmp_path, "jobs")
    made = []

    def make(**config):
        application = create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": url,
                "JOBS_DIR": str(tmp_path),
                **config,
            }
        )
        application.instance_path = str(tmp_path)
        if not made:
            upgrade(application)
            with application.app_context():
                build = Builder(db.session)
                org = build.standard_org()
                period = build.period([org.root])
                build.response(period, org.employee)
                db.session.commit()
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()
    drop()


def _owner_and_period(application):
    from surveyapp.models import Employee, Period

    hr = db.session.scalar(sa.select(Employee).where(Employee.is_hr.is_(True)))
    return hr, db.session.scalar(sa.select(Period))


@pytest.mark.no_transaction
def test_thread_pool_runs_the_export_in_the_background(committed):
    application = committed(JOBS_ENGINE="thread")
    with application.app_context():
        owner, period = _owner_and_period(application)
        job, _ = jobs.start(
            "workbook", owner, {"period_id": period.id, "unit_id": None, "locale": "id"}
        )
        job_id = job.id
    deadline = time.monotonic() + 60
    while True:
        with application.app_context():
            state = db.session.get(Job, job_id).state
        if state in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert state == "done"


def test_rq_queues_the_worker_entry_by_a_path_that_resolves():
    """RQ keeps the function as a dotted path in Redis: it must name surveyapp/worker.py."""
    from rq.utils import import_attribute

    from surveyapp import worker

    assert jobs.RQ_ENTRY == "surveyapp.worker.rq_entry"
    assert import_attribute(jobs.RQ_ENTRY) is worker.rq_entry


@pytest.mark.no_transaction
def test_rq_worker_runs_the_export(committed, monkeypatch):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not answering at 127.0.0.1:6379")
    from rq import Queue, SimpleWorker

    from surveyapp import worker

    queue_name = "surveyapp-test-" + uuid.uuid4().hex[:8]
    application = committed(
        JOBS_ENGINE="rq", REDIS_URL="redis://127.0.0.1:6379/14", JOBS_QUEUE=queue_name
    )
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/14")
    try:
        with application.app_context():
            owner, period = _owner_and_period(application)
            params = {"period_id": period.id, "unit_id": None, "locale": "id"}
            job, _ = jobs.start("workbook", owner, params)
            assert job.state == "queued"
            again, created = jobs.start("workbook", owner, params)  # a second click
            assert again.id == job.id and not created
            job_id = job.id
        monkeypatch.setattr(worker, "_app", application)  # what `flask worker` hands over
        SimpleWorker([Queue(queue_name, connection=connection)], connection=connection).work(
            burst=True
        )
        with application.app_context():
            done = db.session.get(Job, job_id)
            assert done.state == "done" and jobs.result_file(done) is not None
    finally:
        Queue(queue_name, connection=connection).delete(delete_jobs=True)


def test_flask_worker_needs_redis_and_runs_its_jobs_in_its_own_app(app, runner, monkeypatch):
    redis = pytest.importorskip("redis")
    from surveyapp import worker

    monkeypatch.setattr(worker, "_app", None)
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    refused = runner.invoke(args=["worker", "--burst"])
    assert refused.exit_code != 0 and "SURVEYAPP_REDIS_URL is not set" in refused.output
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not answering at 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/14")
    monkeypatch.setitem(app.config, "JOBS_QUEUE", "surveyapp-test-" + uuid.uuid4().hex[:8])
    burst = runner.invoke(args=["worker", "--burst"])  # an empty queue: stops at once
    assert burst.exit_code == 0, burst.output
    assert worker._app is app


def _hr_export(client, period, kind: str = "report.xlsx") -> str:
    started = client.post(f"/hr/periods/{period.id}/{kind}")
    assert started.status_code == 303
    job_url = started.headers["Location"]
    assert client.get(job_url + "/download").status_code == 200
    return job_url


def test_s36_job_download_refused_after_role_removed(app, org, login, period, session):
    client = login(org.hr_a, app.test_client())
    job_url = _hr_export(client, period)
    org.hr_a.is_hr, org.hr_a.hr_unit = False, None
    session.flush()
    for url in (job_url, job_url + "/status", job_url + "/download"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert b"PK" not in answer.data[:2]  # no workbook


def test_s36_job_download_refused_after_scope_moved(app, org, login, period, session):
    client = login(org.hr_a, app.test_client())
    workbook = _hr_export(client, period)
    listing = client.post(f"/hr/periods/{period.id}/non-respondents.xlsx")
    assert listing.status_code == 303
    # A scope that still covers the unit (the parent) keeps the file.
    org.hr_a.hr_unit = org.root
    session.flush()
    assert client.get(workbook + "/download").status_code == 200
    # A scope moved to a sibling unit does not.
    org.hr_a.hr_unit = org.dinas_b
    session.flush()
    for job_url in (workbook, listing.headers["Location"]):
        assert client.get(job_url).status_code == 404
        assert client.get(job_url + "/download").status_code == 404


def test_job_page_and_my_exports_name_the_unit_and_period(app, org, hr_client, period):
    """Two workbooks of the same period for two units are told apart: the job page's title
    is "kind · unit code · period code", the list shows each with its unit, period and time,
    and the bar's rows read as a sentence of the page's language."""
    urls = [
        hr_client.post(f"/hr/periods/{period.id}/report.xlsx", data=form).location
        for form in ({}, {"unit": str(org.bidang_a1.id)})
    ]
    page = hr_client.get(urls[0]).get_data(as_text=True)
    name = f"Laporan (Excel) · DINAS-A · {period.code}"
    assert f"<h1>{name}</h1>" in page
    assert f"<title>{name} · " in page
    assert 'data-text="{done} dari {total} baris"' in page
    listing = hr_client.get("/jobs/").get_data(as_text=True)
    for unit in ("DINAS-A", "A-1"):
        assert listing.count(f"Laporan (Excel) · {unit} · {period.code}</a>") == 1, unit
    assert listing.count('data-label="Dimulai"') == len(urls)
    assert 'class="table cards"' in listing
