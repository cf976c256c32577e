"""A job's page with its progress bar, the status the bar polls, the download and retry.

Only the person who started a job, and admins, can see it: anyone else gets 404."""

from __future__ import annotations

import io

from flask import abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..db_sqlite import write_transaction, writes
from ..extensions import db
from ..models import Job
from ..services import audit, exports, jobs
from . import bp

KIND_NAMES = {
    "workbook": _l("Workbook (Excel)"),
    "non_respondents": _l("List of people who have not submitted"),
    "import_roster": _l("Roster import"),
    "close_period": _l("Closing the period and computing its results"),
    "import_preview": _l("Roster check"),
    "audit_log": _l("Audit log (Excel)"),
    "send_reminders": _l("Sending reminders"),
}
# Kinds whose file is read by their own page when done, never downloaded.
PAGE_ONLY = {"import_preview", "send_reminders"}
GENERIC_FAILURE = _l(
    "The job stopped because of an error. Try again; if it fails again, tell the admin."
)


def _job(job_id: str) -> Job:
    job = jobs.visible_job(current_user._get_current_object(), job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/")
@login_required
def mine():
    rows = db.session.scalars(
        db.select(Job)
        .where(Job.owner_id == current_user.id)
        .order_by(Job.created_at.desc())
        .limit(50)
    ).all()
    for job in rows:
        jobs.refresh(job)
    return render_template(
        "jobs/list.html", jobs=rows, kinds=KIND_NAMES, subjects=exports.job_subjects(rows)
    )


@bp.get("/<job_id>")
@login_required
def show(job_id: str):
    job = _job(job_id)
    if job.kind == "import_preview" and job.state == "done":
        from ..admin.imports import preview_page

        return preview_page(job)
    return render_template(
        "jobs/show.html",
        job=job,
        status=jobs.status(job),
        kinds=KIND_NAMES,
        subjects=exports.job_subjects([job]),
        failure=gettext(job.message) if job.message else GENERIC_FAILURE,
    )


@bp.get("/<job_id>/status")
@login_required
def status(job_id: str):
    job = _job(job_id)
    data = jobs.status(job)
    data["download_url"] = (
        url_for(".download", job_id=job.id)
        if data["has_file"] and job.kind not in PAGE_ONLY
        else None
    )
    if job.state == "failed":
        data["message"] = gettext(job.message) if job.message else str(GENERIC_FAILURE)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<job_id>/download")
@login_required
def download(job_id: str):
    job = _job(job_id)
    if job.kind in PAGE_ONLY or jobs.result_file(job) is None:  # refused without the write lock
        abort(404)
    # The audit entry (S20) and the one-time hand-over are the writes of this GET: in a short
    # transaction of their own that takes the write lock (surveyapp/db_sqlite.py).
    with write_transaction():
        job = _job(job_id)  # again, under the lock: a one-time file may just have gone
        path = jobs.result_file(job)
        if path is None:
            abort(404)
        period_id = job.params.get("period_id")
        audit.record(
            "report_downloaded" if period_id else "job_file_downloaded",
            actor=current_user,
            object_type="period" if period_id else "job",
            object_id=period_id or job.id,
            after={
                "kind": job.kind,
                "file": job.result_name,
                "job": job.id,
                "unit": (job.summary or {}).get("unit"),
            },
            ip=request.remote_addr,
        )
        if job.kind == "import_roster":
            # Activation codes are handed out once: the file goes with this download.
            data = io.BytesIO(path.read_bytes())
            path.unlink(missing_ok=True)
            job.result_path = None
            path = data
        name = job.result_name
    response = send_file(
        path,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=name,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<job_id>/retry")
@writes
@login_required
def retry(job_id: str):
    job = _job(job_id)
    if job.state != "failed":
        return redirect(url_for(".show", job_id=job.id))
    new = jobs.retry(job, current_user._get_current_object())
    return redirect(url_for(".show", job_id=new.id))
