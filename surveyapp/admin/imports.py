"""Admin: roster import from xlsx. Upload, a dry-run preview (to create, to update, to
deactivate, errors by row and column), then an all-or-nothing commit. Both the check behind
the preview and the commit run as jobs: a request only stores the file and starts the job, so
no request reads a workbook however large or hostile it is (S32).

Between preview and commit the file waits in instance/uploads under a random token; the
commit checks it again from scratch, so nothing the browser sends back is trusted."""

from __future__ import annotations

import io
import json

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import excel
from ..access import admin_required
from ..db_sqlite import writes
from ..i18n import current_locale
from ..models import Job
from ..services import imports, jobs
from . import bp
from .forms import ImportForm


@bp.route("/imports", methods=["GET", "POST"])
@writes
@admin_required
def imports_upload():
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/imports/upload.html", form=form)
    token, _path = imports.save_upload(current_app, form.file.data.stream)
    job, _created = jobs.start(
        "import_preview",
        current_user._get_current_object(),
        {
            "token": token,
            "kind": form.kind.data,
            "deactivate_missing": bool(form.deactivate_missing.data),
            "locale": current_locale(),
        },
    )
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


@bp.get("/imports/template.xlsx")
@admin_required
def imports_template():
    """The employees roster template (excel.write_roster_template), its help in the page's
    language."""
    data = io.BytesIO()
    excel.write_roster_template(
        imports.EMPLOYEE_COLUMNS + imports.OPTIONAL_EMPLOYEE_COLUMNS, data, locale=current_locale()
    )
    data.seek(0)
    return send_file(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name="templat-pegawai.xlsx",
    )


def preview_page(job: Job):
    """The page of a finished check (jobs.show hands it over): the preview and the commit
    button, or why the file was refused (422), with nothing written."""
    path = jobs.result_file(job)
    if path is None:
        abort(404)
    result = json.loads(path.read_text())
    rejected = result.get("rejected")
    return render_template(
        "admin/imports/preview.html",
        result=result,
        rejected=_(rejected[0], **rejected[1]) if rejected else None,
        token=job.params["token"],
        kind=job.params["kind"],
        deactivate_missing=job.params["deactivate_missing"],
        max_errors=imports.PREVIEW_ERRORS,
    ), 200 if result["ok"] else 422


@bp.post("/imports/<token>/commit")
@writes
@admin_required
def imports_commit(token: str):
    kind = request.form.get("kind")
    if kind not in ("units", "employees"):
        abort(400)
    try:
        path = imports.upload_path(current_app, token)
    except ValueError:
        abort(404)
    if not path.exists():
        flash(_("The uploaded file is no longer there; upload it again."), "error")
        return redirect(url_for(".imports_upload"), code=303)
    job, _created = jobs.start(
        "import_roster",
        current_user._get_current_object(),
        {
            "token": token,
            "kind": kind,
            "deactivate_missing": request.form.get("deactivate") == "1",
            "join_open_periods": request.form.get("join") == "1",
        },
    )
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
