"""Background jobs: long exports and imports that outlive a web request.

Progress (rows done, total, last sign of life) is not kept here: it changes every half second
and lives in a small store beside the job (services/jobs.py), never in the database."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_DONE = "done"
JOB_FAILED = "failed"
JOB_EXPIRED = "expired"
JOB_STATES = (JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_EXPIRED)
ACTIVE_STATES = (JOB_QUEUED, JOB_RUNNING)


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed', 'expired')", name="state"
        ),
        # One running job per owner and request: a second click shows the first job.
        sa.Index(
            "uq_jobs_active_dedupe",
            "dedupe_key",
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # unguessable token
    kind: Mapped[str] = mapped_column(sa.String(40))
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict] = mapped_column(sa.JSON)
    dedupe_key: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(10), default=JOB_QUEUED)
    message: Mapped[str | None] = mapped_column(sa.String(500))
    result_path: Mapped[str | None] = mapped_column(sa.String(300))
    result_name: Mapped[str | None] = mapped_column(sa.String(200))
    summary: Mapped[dict | None] = mapped_column(sa.JSON)
    worker: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a done job's file

    def __repr__(self) -> str:
        return f"<Job {self.kind} {self.state}>"
