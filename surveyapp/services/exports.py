"""The exports that run as background jobs: the HR workbook and the non-respondent list.

The scope is checked again when the job runs, with the rights its owner has then."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import excel
from ..i18n import local_tz
from ..models import utcnow
from . import reports
from .jobs import JobContext, JobFailed, Output, job_kind

NOT_VISIBLE = _l("This period or unit is no longer in your scope.")


def _period_and_scope(ctx: JobContext, period_id: int, unit_id: int | None):
    user = ctx.owner
    try:
        period = reports.period_for(user, period_id)
        return user, period, reports.scope_for(user, period, unit_id)
    except (reports.NotVisible, PermissionError):
        raise JobFailed(NOT_VISIBLE) from None


def _today():
    return utcnow().astimezone(local_tz()).date()


@job_kind("workbook", read_only=True)
def workbook(ctx: JobContext, period_id: int, unit_id: int | None, locale: str) -> Output:
    user, period, scope = _period_and_scope(ctx, period_id, unit_id)
    data = reports.workbook_report(period, scope, actor=user, locale=locale)
    excel.write_report(data, ctx.output_path, progress=ctx.progress)
    return Output(
        name=reports.report_filename(period, scope, _today()), summary={"unit": scope.code}
    )


@job_kind("non_respondents", read_only=True)
def non_respondents(ctx: JobContext, period_id: int, unit_id: int | None, locale: str) -> Output:
    _user, period, scope = _period_and_scope(ctx, period_id, unit_id)
    total = reports.participation_totals(period, scope)
    expected = max(total.eligible - total.submitted, 0)

    def counted(rows):
        for i, row in enumerate(rows, 1):
            if i % 500 == 0:
                ctx.progress(i, expected)
            yield row

    written = excel.write_non_respondents(
        counted(reports.non_respondents(period, scope)),
        ctx.output_path,
        locale=locale,
        period_name=period.name,
    )
    ctx.progress(written, written, force=True)
    return Output(
        name=reports.report_filename(period, scope, _today(), prefix="belum-mengisi"),
        summary={"rows": written, "unit": scope.code},
    )
