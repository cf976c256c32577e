"""Admin: the question bank (versions, editing a draft, preview, publish, new draft)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import admin_required
from ..extensions import db
from ..i18n import current_locale
from ..models import Period, Questionnaire, QuestionnaireVersion
from ..services import questionnaires, responses
from ..services.questionnaires import ItemEdit, QuestionnaireError
from . import bp

ERRORS = {
    "frozen": _l("This version is frozen (published or used by a period). Make a new draft."),
    "conflict": _l(
        "Someone else saved this draft while you were editing it. Your changes are shown "
        "below and were not saved: reload the draft, then apply them again."
    ),
    "bad_text": _l("Every item needs an Indonesian text of at most 1000 characters."),
    "bad_group": _l("The minimum group size must be between 1 and 1000."),
    "empty_value": _l("Every core value needs at least one item before publishing."),
}


def _version(version_id: int) -> QuestionnaireVersion:
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        abort(404)
    return version


@bp.get("/questions")
@admin_required
def questions():
    listed = db.session.scalars(sa.select(Questionnaire).order_by(Questionnaire.name)).all()
    used = dict(
        db.session.execute(
            sa.select(Period.version_id, sa.func.count(Period.id)).group_by(Period.version_id)
        ).all()
    )
    return render_template("admin/questions/list.html", questionnaires=listed, used=used)


def _render_editor(version, status=200, submitted=None, message=None):
    errors, warnings = questionnaires.publish_problems(version)
    return render_template(
        "admin/questions/edit.html",
        version=version,
        frozen=questionnaires.is_frozen(version),
        pages=responses.value_pages(version),
        locale=current_locale(),
        submitted=submitted or {},
        message=message,
        publish_errors=errors,
        publish_warnings=warnings,
    ), status


@bp.get("/questions/<int:version_id>")
@admin_required
def question_version(version_id: int):
    return _render_editor(_version(version_id))[0]


@bp.post("/questions/<int:version_id>")
@admin_required
def question_version_save(version_id: int):
    version = _version(version_id)
    form = request.form
    edits = [
        ItemEdit(
            item.id,
            form.get(f"item-{item.id}-text_id", item.text_id)[:2000],
            form.get(f"item-{item.id}-text_en", item.text_en or "")[:2000],
            form.get(f"item-{item.id}-reverse") == "1",
        )
        for item in version.items
    ]
    try:
        group = int(form.get("min_group_size", ""))
        seen = int(form.get("lock_version", ""))
    except ValueError:
        abort(400)
    try:
        questionnaires.save_draft(version, edits, group, seen, actor=current_user)
    except QuestionnaireError as error:
        db.session.rollback()
        status = 409 if str(error) in ("conflict", "frozen") else 422
        return _render_editor(
            _version(version_id), status, submitted=form, message=ERRORS[str(error)]
        )
    db.session.commit()
    flash(_("The draft is saved."), "success")
    return redirect(url_for(".question_version", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/publish")
@admin_required
def question_version_publish(version_id: int):
    version = _version(version_id)
    try:
        warnings = questionnaires.publish(version, actor=current_user)
    except QuestionnaireError as error:
        db.session.rollback()
        flash(str(ERRORS[str(error)]), "error")
    else:
        db.session.commit()
        flash(_("The version is published and can be used by periods."), "success")
        if warnings:
            flash(_("Behaviours without an item: %(list)s.", list=", ".join(warnings)), "warning")
    return redirect(url_for(".question_version", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/copy")
@admin_required
def question_version_copy(version_id: int):
    draft = questionnaires.new_draft(_version(version_id), actor=current_user)
    db.session.commit()
    flash(_("A new draft was made from this version."), "success")
    return redirect(url_for(".question_version", version_id=draft.id), code=303)


@bp.get("/questions/<int:version_id>/preview/<int:number>")
@admin_required
def question_version_preview(version_id: int, number: int):
    version = _version(version_id)
    pages = responses.value_pages(version)
    if not 1 <= number <= len(pages):
        abort(404)
    value, items = pages[number - 1]
    return render_template(
        "admin/questions/preview.html",
        version=version,
        pages=pages,
        number=number,
        value=value,
        items=items,
        locale=current_locale(),
    )
