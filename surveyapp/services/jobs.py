"""Long work in the background: big workbooks and roster imports as jobs with progress.

A request creates a job and returns at once; an engine runs it: RQ workers when
SURVEYAPP_REDIS_URL is set (any number of machines), otherwise a small thread pool inside
the app process (the embedded default), and inline in tests. Progress goes to a small store
beside the job (a file in instance/jobs/, or Redis) and never into the job's own database
transaction, so an all-or-nothing import can report progress without committing halfway.
A job whose worker is gone (process ended, heartbeat silent) is marked failed when it is
next looked at, so nothing stays "running" forever.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from ..db_sqlite import deferred_transactions, write_transaction
from ..extensions import db
from ..files import open_private, private_dir
from ..models import JOB_DONE, JOB_EXPIRED, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Employee, Job
from ..models.job import ACTIVE_STATES
from ..models.types import utcnow

KEEP_RESULTS = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=10)  # no sign of life from a worker on another machine
QUEUED_TOO_LONG = timedelta(hours=6)  # waiting in RQ's queue with no worker at all
PROGRESS_EVERY = 0.5  # seconds between progress writes


@dataclass(frozen=True)
class Output:
    """What a job leaves behind: a file to download (written to ctx.output_path), a summary."""

    name: str | None = None
    summary: dict | None = None


@dataclass(frozen=True)
class Kind:
    run: Callable[..., Output]
    read_only: bool  # exports only read: on SQLite they must not hold the write lock
    # Whether a user may still open a job of this kind (page, status, file): the rights the
    # job was started with, checked again on every look (S36). None: owner and admins.
    may_open: Callable[[Employee, Job], bool] | None = None


def register_kinds(app: Flask, kinds: Mapping[str, Kind]) -> None:
    """Add `kinds` to the jobs `app` can start and run. create_app hands it the one table
    (services/exports.KINDS), so a web process and an RQ worker know the same kinds, and
    nothing depends on which module happened to be imported first."""
    _state(app).setdefault("kinds", {}).update(kinds)


def kinds(app: Flask) -> Mapping[str, Kind]:
    return _state(app).get("kinds", {})


def _state(app: Flask) -> dict:
    return app.extensions.setdefault("surveyapp_jobs", {})


class JobFailed(Exception):
    """A failure whose message is meant for the user (anything else shows a generic one).
    Raise it with a lazy_gettext string: the job keeps the msgid, shown in the reader's
    language."""


def message_id(message) -> str:
    """The msgid of a lazy_gettext string, to keep and translate when someone reads it."""
    with force_locale("en"):  # the English catalogue maps every msgid to itself
        return str(message)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _jobs_dir(app: Flask) -> Path:
    return private_dir(app.config.get("JOBS_DIR") or Path(app.instance_path) / "jobs")


# --- progress -------------------------------------------------------------------------------


class _FileProgress:
    def __init__(self, app: Flask):
        self.folder = _jobs_dir(app)

    def write(self, job_id: str, data: dict) -> None:
        path = self.folder / f"{job_id}.progress"
        tmp = path.with_suffix(".tmp")
        with open_private(tmp, "w") as fh:
            fh.write(json.dumps(data))
        tmp.replace(path)  # atomic: a reader never sees half a file

    def read(self, job_id: str) -> dict | None:
        try:
            return json.loads((self.folder / f"{job_id}.progress").read_text())
        except (OSError, ValueError):
            return None

    def clear(self, job_id: str) -> None:
        (self.folder / f"{job_id}.progress").unlink(missing_ok=True)


class _RedisProgress:
    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url)

    def write(self, job_id: str, data: dict) -> None:
        self.redis.set(f"surveyapp:job:{job_id}", json.dumps(data), ex=7 * 24 * 3600)

    def read(self, job_id: str) -> dict | None:
        raw = self.redis.get(f"surveyapp:job:{job_id}")
        return json.loads(raw) if raw else None

    def clear(self, job_id: str) -> None:
        self.redis.delete(f"surveyapp:job:{job_id}")


def _progress_store(app: Flask):
    url = app.config.get("REDIS_URL")
    return _RedisProgress(url) if url else _FileProgress(app)


class JobContext:
    """Handed to a running job: where to write its file, and how to report progress."""

    def __init__(self, app: Flask, job: Job):
        self.app = app
        self.job_id = job.id
        self.owner_id = job.owner_id
        self.output_path = _jobs_dir(app) / f"{job.id}-{secrets.token_hex(8)}.out"
        self._store = _progress_store(app)
        self._last = 0.0
        self._started = time.monotonic()

    def open_output(self) -> IO[bytes]:
        """The job's file, created 0600: it holds names and NIPs (S39)."""
        return open_private(self.output_path)

    @property
    def owner(self) -> Employee:
        return db.session.get(Employee, self.owner_id)

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY and (total is None or done < total):
            return
        self._last = now
        self._store.write(
            self.job_id,
            {"done": done, "total": total, "at": time.time(), "elapsed": now - self._started},
        )


# --- engines -------------------------------------------------------------------------------


class InlineEngine:
    """Runs the job at once, in the caller's app context (tests, and `flask` commands)."""

    name = "inline"

    def dispatch(self, app: Flask, job: Job) -> None:
        run_job(app, job.id)


class ThreadEngine:
    """A small pool inside the app process: the embedded default of `make run`."""

    name = "thread"

    def __init__(self, workers: int):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="surveyapp-job")

    def dispatch(self, app: Flask, job: Job) -> None:
        self.pool.submit(run_in_app, app, job.id)


# What an RQ worker runs, by the dotted path RQ keeps in Redis (surveyapp/worker.py imports
# this module, so the path is named here rather than the function imported).
RQ_ENTRY = "surveyapp.worker.rq_entry"


class RQEngine:
    name = "rq"

    def __init__(self, url: str, queue: str):
        from redis import Redis
        from rq import Queue

        self.queue = Queue(queue, connection=Redis.from_url(url))

    def dispatch(self, app: Flask, job: Job) -> None:
        self.queue.enqueue(RQ_ENTRY, job.id, job_timeout=3 * 3600, result_ttl=0)


def run_in_app(app: Flask, job_id: str) -> None:
    """Run a job in a context of its own: a pool thread, or an RQ worker (surveyapp/worker.py)."""
    with app.app_context():
        try:
            run_job(app, job_id)
        finally:
            db.session.remove()


def engine(app: Flask):
    ext = _state(app)
    if "engine" not in ext:
        choice = app.config.get("JOBS_ENGINE") or (
            "rq" if app.config.get("REDIS_URL") else "thread"
        )
        if choice == "rq":
            ext["engine"] = RQEngine(app.config["REDIS_URL"], app.config["JOBS_QUEUE"])
        elif choice == "thread":
            ext["engine"] = ThreadEngine(app.config.get("JOBS_THREADS", 2))
            recover_stale(app)  # a fresh process: what its predecessor left running is dead
        else:
            ext["engine"] = InlineEngine()
    return ext["engine"]


# --- lifecycle -------------------------------------------------------------------------------


def dedupe_key(kind: str, owner_id: int, params: dict) -> str:
    raw = json.dumps([kind, owner_id, params], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def find_active(kind: str, owner: Employee, params: dict) -> Job | None:
    return db.session.scalar(
        sa.select(Job).where(
            Job.dedupe_key == dedupe_key(kind, owner.id, params), Job.state.in_(ACTIVE_STATES)
        )
    )


def start(kind: str, owner: Employee, params: dict) -> tuple[Job, bool]:
    """Create and dispatch a job, or return the same request's job that is still running
    (a second click). Commits: the job must exist before a worker looks for it."""
    app = current_app._get_current_object()
    if kind not in kinds(app):
        raise KeyError(kind)
    runner = engine(app)
    running = find_active(kind, owner, params)
    if running is not None and not _reap_if_dead(app, running):
        return running, False
    job = Job(
        id=secrets.token_urlsafe(24)[:32],
        kind=kind,
        owner_id=owner.id,
        params=params,
        dedupe_key=dedupe_key(kind, owner.id, params),
        state=JOB_QUEUED,
        # The in-process pool runs it here; an RQ job has no worker until one picks it up.
        worker=worker_identity() if runner.name == "thread" else None,
    )
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:  # the same click on another worker won the race
        db.session.rollback()
        return find_active(kind, owner, params), False
    runner.dispatch(app, job)
    return job, True


def run_job(app: Flask, job_id: str) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.state != JOB_QUEUED:
        return
    kind = kinds(app)[job.kind]
    job.state, job.started_at, job.worker = JOB_RUNNING, utcnow(), worker_identity()
    # Before the commit, while the job's row is loaded: reading it after the commit would
    # begin a transaction with the write lock that a read-only kind then kept to its end.
    ctx = JobContext(app, job)
    db.session.commit()
    ctx.progress(0, None, force=True)
    try:
        if kind.read_only:
            with deferred_transactions():
                output = kind.run(ctx, **job.params)
                db.session.rollback()  # end the read before writing the job's state
        else:
            output = kind.run(ctx, **job.params)
    except Exception as exc:  # noqa: BLE001  (any failure becomes a failed job, never a stuck one)
        db.session.rollback()
        app.logger.exception("job %s (%s) failed", job_id, job.kind)
        ctx.output_path.unlink(missing_ok=True)
        job = db.session.get(Job, job_id)
        job.state = JOB_FAILED
        job.message = message_id(exc.args[0])[:500] if isinstance(exc, JobFailed) else None
        db.session.commit()
        return
    job = db.session.get(Job, job_id)
    job.state, job.expires_at = JOB_DONE, utcnow() + KEEP_RESULTS
    job.summary = output.summary
    if output.name and ctx.output_path.exists():
        job.result_path, job.result_name = ctx.output_path.name, output.name
    db.session.commit()
    progress = _progress_store(app).read(job_id) or {}
    ctx.progress(
        progress.get("total") or progress.get("done") or 0, progress.get("total"), force=True
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(app: Flask, job: Job) -> bool:
    host, _, pid = (job.worker or ":").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if not _pid_alive(int(pid)):
            return True
        if int(pid) == os.getpid() and engine_name(app) == "thread":
            return False  # our own pool: alive while we are
    if job.state == JOB_QUEUED and not job.worker:
        return utcnow() - job.created_at > QUEUED_TOO_LONG
    seen = (_progress_store(app).read(job.id) or {}).get("at")
    last = seen or (job.started_at or job.created_at).timestamp()
    return time.time() - last > STALE_AFTER.total_seconds()


def engine_name(app: Flask) -> str | None:
    engine_obj = app.extensions.get("surveyapp_jobs", {}).get("engine")
    return getattr(engine_obj, "name", None)


def _dead(app: Flask, job: Job) -> bool:
    return job.state in ACTIVE_STATES and _worker_dead(app, job)


def _expired(job: Job) -> bool:
    return job.state == JOB_DONE and job.expires_at is not None and job.expires_at <= utcnow()


def _reap_if_dead(app: Flask, job: Job) -> bool:
    """Mark a job failed whose worker is gone. True when it was."""
    if not _dead(app, job):
        return False
    job.state, job.message = JOB_FAILED, None
    db.session.commit()
    return True


def recover_stale(app: Flask) -> int:
    """At a process start and in `flask jobs-cleanup`: fail every job whose worker is gone."""
    try:
        active = db.session.scalars(sa.select(Job).where(Job.state.in_(ACTIVE_STATES))).all()
    except sa.exc.DBAPIError:  # the table does not exist yet (before `flask db upgrade`)
        db.session.rollback()
        return 0
    return sum(_reap_if_dead(app, job) for job in active)


def expire(app: Flask, job: Job) -> bool:
    """Delete the file of a job finished more than 24 hours ago. True when it was expired."""
    if not _expired(job):
        return False
    if job.result_path:
        (_jobs_dir(app) / job.result_path).unlink(missing_ok=True)
    _progress_store(app).clear(job.id)
    job.state, job.result_path = JOB_EXPIRED, None
    db.session.commit()
    return True


def cleanup(app: Flask) -> tuple[int, int]:
    """Expire old results and fail dead jobs: (expired, failed)."""
    done = db.session.scalars(sa.select(Job).where(Job.state == JOB_DONE)).all()
    expired = sum(expire(app, job) for job in done)
    return expired, recover_stale(app)


def refresh(job: Job) -> Job:
    """Bring a job up to date when someone looks at it: expired, or its worker dead.
    Looking is a read (the job pages are GETs): only a job that needs a change takes the
    write lock, in a short transaction that decides again on the current row."""
    app = current_app._get_current_object()
    if _expired(job) or _dead(app, job):
        with write_transaction():
            expire(app, job)
            _reap_if_dead(app, job)
    return job


def visible_job(user: Employee, job_id: str) -> Job | None:
    """The job if `user` started it or is an admin, and still holds the rights its kind asks
    for; None otherwise (the caller answers 404)."""
    job = db.session.get(Job, job_id)
    if job is None or (job.owner_id != user.id and not user.is_admin):
        return None
    kind = kinds(current_app._get_current_object()).get(job.kind)
    if kind is not None and kind.may_open is not None and not kind.may_open(user, job):
        return None
    return refresh(job)


def status(job: Job) -> dict[str, Any]:
    """What the progress bar shows: percentage, rows done, time left."""
    progress = _progress_store(current_app._get_current_object()).read(job.id) or {}
    done, total = progress.get("done", 0), progress.get("total")
    percent = None
    eta = None
    if total:
        percent = min(100, int(100 * done / total))
        elapsed = progress.get("elapsed") or 0
        if 0 < done < total and elapsed:
            eta = round(elapsed * (total - done) / done)
    if job.state == JOB_DONE:
        percent, eta = 100, 0
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "done": done,
        "total": total,
        "percent": percent,
        "eta_seconds": eta,
        "message": job.message,
        "summary": job.summary,
        "has_file": bool(job.result_path),
    }


def result_file(job: Job) -> Path | None:
    if job.state != JOB_DONE or not job.result_path:
        return None
    path = _jobs_dir(current_app._get_current_object()) / job.result_path
    return path if path.exists() else None


def retry(job: Job, user: Employee) -> Job:
    """A failed job runs again as a new job with the same request."""
    if job.state != JOB_FAILED:
        raise ValueError("only a failed job can be retried")
    new, _ = start(job.kind, db.session.get(Employee, job.owner_id), job.params)
    return new
