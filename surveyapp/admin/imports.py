"""Admin: roster import from xlsx. Upload, a dry-run preview (to create, to update, to
deactivate, errors by row and column), then an all-or-nothing commit that runs as a job.

Between preview and commit the file waits in instance/uploads under a random token; the
commit checks it again from scratch, so nothing the browser sends back is trusted."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import admin_required
from ..db_sqlite import writes
from ..services import imports, jobs
from ..xlsx_reader import SpreadsheetRejected
from . import bp
from .forms import ImportForm

PREVIEW_ERRORS = 500


@bp.route("/imports", methods=["GET", "POST"])
@admin_required
def imports_upload():
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/imports/upload.html", form=form)
    token, path = imports.save_upload(current_app, form.file.data.stream)
    try:
        if form.kind.data == "units":
            plan = imports.plan_units(str(path))
        else:
            plan = imports.plan_employees(
                str(path),
                deactivate_missing=form.deactivate_missing.data,
                actor=current_user._get_current_object(),
            )
    except SpreadsheetRejected as exc:
        path.unlink(missing_ok=True)
        flash(str(exc), "error")
        return render_template("admin/imports/upload.html", form=form), 422
    plan.close()  # the preview needs only the counts, the first rows and the errors
    if not plan.ok:
        path.unlink(missing_ok=True)  # nothing to commit: the file must be fixed first
    return render_template(
        "admin/imports/preview.html",
        plan=plan,
        token=token,
        kind=form.kind.data,
        deactivate_missing=form.deactivate_missing.data,
        max_errors=PREVIEW_ERRORS,
    ), 200 if plan.ok else 422


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
        {"token": token, "kind": kind, "deactivate_missing": request.form.get("deactivate") == "1"},
    )
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
