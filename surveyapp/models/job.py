"""Background jobs: long exports and imports that outlive a web request."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None] = mapped_column()
    message: Mapped[str | None] = mapped_column(sa.String(500))
    result_path: Mapped[str | None] = mapped_column(sa.String(300))
    result_name: Mapped[str | None] = mapped_column(sa.String(200))
    summary: Mapped[dict | None] = mapped_column(sa.JSON)
    worker: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner = relationship("Employee")

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == JOB_DONE else None
        return min(100, int(100 * self.done / self.total))

    def __repr__(self) -> str:
        return f"<Job {self.kind} {self.state} {self.done}/{self.total}>"
