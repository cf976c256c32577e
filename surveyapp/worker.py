"""The worker side of background jobs on Redis: what a `flask worker` process runs.

The web side (services/jobs.RQEngine) queues `RQ_ENTRY`, a dotted path that RQ keeps in
Redis and a worker imports; jobs already queued name the function by that path, so
renaming or moving `rq_entry` is a change of the queue's contents (see docs/deployment.md,
"Background jobs")."""

from __future__ import annotations

from flask import Flask
from redis import Redis
from rq import Worker

from . import create_app
from .services import jobs

_app: Flask | None = None


def work(app: Flask, *, burst: bool = False) -> None:
    """Take jobs from the app's queue until stopped (or, with burst, until it is empty);
    each runs in `app`, built by create_app like the web app's, with the same job kinds."""
    global _app
    _app = app
    queue = app.config["JOBS_QUEUE"]
    Worker([queue], connection=Redis.from_url(app.config["REDIS_URL"])).work(burst=burst)


def rq_entry(job_id: str) -> None:
    """What an RQ worker runs for each job: the app is built once per worker process (when
    the worker was not started by `flask worker`, which hands its own)."""
    global _app
    if _app is None:
        _app = create_app()
    jobs.run_in_app(_app, job_id)
