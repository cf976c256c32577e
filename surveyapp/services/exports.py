"""The work that runs as background jobs: the HR workbook, the non-respondent list, a roster
import and the close of a period. `KINDS` at the end lists them all; create_app registers
that table with the job engine (services/jobs.register_kinds).

The scope is checked again when the job runs, with the rights its owner has then."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import force_locale, to_user_timezone
from flask_babel import lazy_gettext as _l

from .. import excel
from ..extensions import db
from ..i18n import tz_abbreviation
from ..models import Employee, Job, Period, Unit, utcnow
from ..xlsx_reader import SpreadsheetRejected
from . import audit, imports, org, periods, reminders, reports, results
from .jobs import JobContext, JobFailed, Kind, Output, message_id

NOT_VISIBLE = _l("This period or unit is no longer in your scope.")


def _period_and_scope(ctx: JobContext, period_id: int, unit_id: int | None):
    user = ctx.owner
    try:
        period = reports.period_for(user, period_id)
        return user, period, reports.scope_for(user, period, unit_id)
    except (reports.NotVisible, PermissionError):
        raise JobFailed(NOT_VISIBLE) from None


def _still_in_scope(user: Employee, job: Job) -> bool:
    """The file holds the unit the job covered: whoever opens the job must see that unit now,
    by the rule of the HR pages (reports.scope_for), so a role taken away or a scope moved
    elsewhere closes it (S36)."""
    # The unit the run covered (the owner's scope when none was named); before it ran, the
    # unit asked for. None is the whole period of several top units: an admin's view.
    covered = (job.summary or {}).get("unit_id", job.params.get("unit_id"))
    try:
        period = reports.period_for(user, job.params["period_id"])
        reports.scope_for(user, period, covered)
    except (reports.NotVisible, PermissionError, KeyError):
        return False
    return covered is not None or job.summary is None or org.visible_root(user) is None


def _admin_only(user: Employee, job: Job) -> bool:
    """Activation codes of an import: only while its admin is still an admin."""
    return user.is_admin


def _today():
    return to_user_timezone(utcnow()).date()


def workbook(ctx: JobContext, period_id: int, unit_id: int | None, locale: str) -> Output:
    user, period, scope = _period_and_scope(ctx, period_id, unit_id)
    data = reports.workbook_report(period, scope, actor=user, locale=locale)
    with ctx.open_output() as fh:
        excel.write_report(data, fh, progress=ctx.progress)
    return Output(
        name=reports.report_filename(period, scope, _today(), "workbook", locale),
        summary={"unit": scope.code, "unit_id": scope.unit_id},
    )


def non_respondents(ctx: JobContext, period_id: int, unit_id: int | None, locale: str) -> Output:
    _user, period, scope = _period_and_scope(ctx, period_id, unit_id)
    total = reports.participation_totals(period, scope)
    expected = max(total.eligible - total.submitted, 0)

    def counted(rows):
        for i, row in enumerate(rows, 1):
            if i % 500 == 0:
                ctx.progress(i, expected)
            yield row

    with ctx.open_output() as fh:
        written = excel.write_non_respondents(
            counted(reports.non_respondents(period, scope)),
            fh,
            locale=locale,
            period_name=period.name,
        )
    ctx.progress(written, written, force=True)
    return Output(
        name=reports.report_filename(period, scope, _today(), "non_respondents", locale),
        summary={"rows": written, "unit": scope.code, "unit_id": scope.unit_id},
    )


def import_preview(
    ctx: JobContext, token: str, kind: str, deactivate_missing: bool, locale: str
) -> Output:
    """Check an uploaded roster for its preview: here, never inside a request, since a large
    or hostile file takes time and memory to read (S32). The result (counts, first rows, errors,
    or why the whole file was refused) is the job's private file, read by the preview page and
    deleted with the job's files after 24 hours. A file that cannot be imported is deleted."""
    path = imports.upload_path(ctx.app, token)
    if not path.exists():
        raise JobFailed(UPLOAD_GONE)
    with force_locale(locale):  # row messages in the language of the person who uploaded
        try:
            result = imports.preview(
                str(path),
                kind,
                deactivate_missing=deactivate_missing,
                actor=ctx.owner,
                progress=ctx.progress,
            )
        except SpreadsheetRejected as exc:
            result = {"ok": False, "rejected": [message_id(exc.message), exc.values]}
    if not result["ok"]:
        path.unlink(missing_ok=True)  # nothing to commit: the file must be fixed first
    with ctx.open_output() as fh:
        fh.write(json.dumps(result).encode())
    return Output(name="preview.json", summary={"ok": result["ok"], **result.get("counts", {})})


def import_roster(
    ctx: JobContext,
    token: str,
    kind: str,
    deactivate_missing: bool,
    join_open_periods: bool = False,
) -> Output:
    """Apply an uploaded roster that was previewed; the activation codes of new accounts
    become the job's file, downloadable once. With `join_open_periods` new and moved people
    join the open periods that cover their unit (the preview's choice)."""
    path = imports.upload_path(ctx.app, token)
    if not path.exists():
        raise JobFailed(UPLOAD_GONE)
    done = imports.run_import(
        str(path),
        kind,
        deactivate_missing=deactivate_missing,
        join_open_periods=join_open_periods and kind == "employees",
        actor=ctx.owner,
        # The bar shows the write only: the check was shown by the preview.
        progress=lambda phase: ctx.progress if phase == "write" else None,
    )
    if not done.ok:
        raise JobFailed(FILE_CHANGED)
    path.unlink(missing_ok=True)
    summary = {**done.counts, "joined": done.joined}
    if done.codes is None:
        return Output(summary=summary)
    # Only this process's user may read the codes while they wait for their one download.
    with ctx.open_output() as fh:
        excel.write_activation_codes(done.codes, fh)
    done.codes.close()
    return Output(name=f"kode-aktivasi-{_today():%Y%m%d}.xlsx", summary=summary)


def close_period(ctx: JobContext, period_id: int) -> Output:
    """Close a period and compute its results once (services/snapshots): at 100,000 people
    that takes longer than a page should, so it runs here with a progress bar."""
    period = db.session.get(Period, period_id)
    if period is None:
        raise JobFailed(NOT_OPEN)
    try:
        periods.close_period(period, actor=ctx.owner, progress=ctx.progress)
    except periods.PeriodError:
        raise JobFailed(NOT_OPEN) from None
    whole = results.published(period).total
    return Output(summary={"period_id": period.id, "responses": whole.submitted})


AUDIT_CHUNK = 500


def audit_log(ctx: JobContext, locale: str, **filters) -> Output:
    """The audit log as the admin filtered it, as a workbook: the same sentences and changes
    as the page, in the admin's language, a chunk of entries at a time."""
    chosen = audit.AuditFilter.from_params(filters)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(audit.query(chosen).order_by(None).subquery())
    )

    def lines():
        done = 0
        rows = db.session.scalars(audit.query(chosen).execution_options(yield_per=AUDIT_CHUNK))
        for chunk in rows.partitions(AUDIT_CHUNK):
            yield from audit.describe(chunk)
            done += len(chunk)
            ctx.progress(done, total)

    with force_locale(locale), ctx.open_output() as fh:
        written = excel.write_audit_log(
            lines(), fh, timezone=ctx.app.config["TIMEZONE"], zone_label=tz_abbreviation()
        )
    ctx.progress(written, written, force=True)
    return Output(name=f"log-audit-{_today():%Y%m%d}.xlsx", summary={"rows": written})


def send_reminders(ctx: JobContext, period_id: int, batch: str) -> Output:
    """Send the e-mails of one batch of claimed reminders (services/reminders.deliver): one
    message at a time, each committed, so the bar shows real progress and a crash loses or
    repeats nothing."""
    ids = reminders.batch_ids(batch)
    ctx.progress(0, len(ids), force=True)
    done = reminders.deliver(ids, progress=ctx.progress)
    ctx.progress(len(ids), len(ids), force=True)
    return Output(
        summary={
            "period_id": period_id,
            "sent": done.sent,
            "failed": done.failed,
            "cancelled": done.cancelled,
        }
    )


def job_subjects(jobs: Sequence[Job]) -> dict[str, list[str]]:
    """What each job covers, by job id: the unit code and the period code, so that two exports
    of the same kind are told apart ("Workbook (Excel) · DISKOMINFO · 2026-S2"). The unit is
    the one the run covered (its summary), else the one asked for; none for the whole period.
    Two queries for the whole list."""
    period_ids = {j.params.get("period_id") for j in jobs} - {None}
    unit_ids = {j.params.get("unit_id") for j in jobs if not (j.summary or {}).get("unit")}
    unit_ids -= {None}
    period_codes = {
        pid: code
        for pid, code in db.session.execute(
            sa.select(Period.id, Period.code).where(Period.id.in_(period_ids))
        )
    }
    unit_codes = {
        uid: code
        for uid, code in db.session.execute(
            sa.select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))
        )
    }
    subjects = {}
    for job in jobs:
        unit = (job.summary or {}).get("unit") or unit_codes.get(job.params.get("unit_id"))
        period = period_codes.get(job.params.get("period_id"))
        subjects[job.id] = [part for part in (unit, period) if part]
    return subjects


NOT_OPEN = _l("This period is not open, so it cannot be closed.")
UPLOAD_GONE = _l("The uploaded file is no longer there; upload it again.")
FILE_CHANGED = _l("The file no longer passes the checks; upload it again to see why.")


# Every kind of job, in one table: its function, whether it only reads (on SQLite it must
# then not hold the write lock, S33), and who may still open it (S36). create_app registers
# it, in the web app and in each `flask worker` alike.
KINDS: dict[str, Kind] = {
    "workbook": Kind(workbook, read_only=True, may_open=_still_in_scope),
    "non_respondents": Kind(non_respondents, read_only=True, may_open=_still_in_scope),
    "import_preview": Kind(import_preview, read_only=True, may_open=_admin_only),
    "import_roster": Kind(import_roster, read_only=False, may_open=_admin_only),
    "close_period": Kind(close_period, read_only=False, may_open=_admin_only),
    "audit_log": Kind(audit_log, read_only=True, may_open=_admin_only),
    "send_reminders": Kind(send_reminders, read_only=False),
}
