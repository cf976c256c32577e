"""Admin: a draft version's culture map (Peta Budaya): add the section, the number to choose,
and the limiting behaviours. A frozen version's section is shown read-only; the rules are in
services/culture_map.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import FieldList, FormField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..forms import BaseForm
from ..i18n import current_locale
from ..models import CultureBehaviour, QuestionnaireVersion
from ..models.culture import PICK_MAX, PICK_MIN
from ..services import culture_map, questionnaires
from ..services.questionnaires import QuestionnaireError
from . import bp

ERRORS = {
    "frozen": _l("This version is frozen (published or used by a period). Make a new draft."),
    "bad_text": _l("Every limiting behaviour needs an Indonesian text of at most 300 characters."),
    "bad_pick": _l("The number to choose must be between 1 and 20 and not more than the list."),
    "bad_item": _l("This behaviour cannot be changed here."),
    "conflict": _l("Someone else saved this draft meanwhile. Reload the page and try again."),
}


class LimitingForm(BaseForm):
    class Meta:
        csrf = False  # a part of SectionForm, which carries the token

    behaviour_id = HiddenField()
    text_id = StringField(_l("Text (Indonesian)"), [DataRequired(), Length(max=300)])
    text_en = StringField(_l("Text (English)"), [Optional(), Length(max=300)])


class SectionForm(BaseForm):
    pick = IntegerField(_l("Behaviours to choose in each lens"), [NumberRange(PICK_MIN, PICK_MAX)])
    limiting = FieldList(FormField(LimitingForm))


class AddLimitingForm(BaseForm):
    text_id = StringField(_l("Text (Indonesian)"), [DataRequired(), Length(max=300)])
    text_en = StringField(_l("Text (English)"), [Optional(), Length(max=300)])


def _version(version_id: int) -> QuestionnaireVersion:
    return db.get_or_404(QuestionnaireVersion, version_id)


def _render(version, form=None, add=None, status=200):
    found = culture_map.section(version)
    if form is None and found is not None:
        form = SectionForm(
            data={
                "pick": found.pick,
                "limiting": [
                    {"behaviour_id": b.id, "text_id": b.text_id, "text_en": b.text_en or ""}
                    for b in found.behaviours
                    if b.limiting
                ],
            }
        )
    return render_template(
        "admin/questions/culture.html",
        version=version,
        section=found,
        frozen=questionnaires.is_frozen(version),
        form=form,
        add=add or AddLimitingForm(),
        blank=BaseForm(),
        locale=current_locale(),
    ), status


@bp.get("/questions/<int:version_id>/culture")
@admin_required
def culture_section(version_id: int):
    return _render(_version(version_id))[0]


def _refused(version, error: QuestionnaireError, form=None, add=None):
    db.session.rollback()
    flash(str(ERRORS.get(str(error), ERRORS["bad_item"])), "error")
    status = 409 if str(error) in ("frozen", "conflict") else 422
    return _render(_version(version.id), form, add, status)


@bp.post("/questions/<int:version_id>/culture")
@writes
@admin_required
def culture_section_save(version_id: int):
    version = _version(version_id)
    form = SectionForm()
    if not form.validate():
        flash(_("Check the fields marked below; nothing was saved."), "error")
        return _render(version, form, status=422)
    edits = []
    for entry in form.limiting.entries:
        try:
            behaviour_id = int(entry.form.behaviour_id.data)
        except (TypeError, ValueError):
            abort(400)
        edits.append(
            culture_map.LimitingEdit(
                behaviour_id, entry.form.text_id.data, entry.form.text_en.data or ""
            )
        )
    try:
        culture_map.save_section(version, form.pick.data, edits, actor=current_user)
    except QuestionnaireError as error:
        return _refused(version, error, form)
    db.session.commit()
    flash(_("The culture map of this draft is saved."), "success")
    return redirect(url_for(".culture_section", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/culture/add-section")
@writes
@admin_required
def culture_section_add(version_id: int):
    version = _version(version_id)
    if not BaseForm().validate():
        abort(400)
    try:
        culture_map.add_section(version, actor=current_user)
    except QuestionnaireError as error:
        return _refused(version, error)
    db.session.commit()
    flash(_("The draft now has a culture map with the default list."), "success")
    return redirect(url_for(".culture_section", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/culture/limiting")
@writes
@admin_required
def culture_limiting_add(version_id: int):
    version = _version(version_id)
    add = AddLimitingForm()
    if not add.validate():
        flash(_("Check the fields marked below; nothing was saved."), "error")
        return _render(version, add=add, status=422)
    try:
        culture_map.add_limiting(
            version, add.text_id.data, add.text_en.data or "", actor=current_user
        )
    except QuestionnaireError as error:
        return _refused(version, error, add=add)
    db.session.commit()
    flash(_("The limiting behaviour is added."), "success")
    return redirect(url_for(".culture_section", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/culture/limiting/<int:behaviour_id>/remove")
@writes
@admin_required
def culture_limiting_remove(version_id: int, behaviour_id: int):
    version = _version(version_id)
    if not BaseForm().validate():
        abort(400)
    behaviour = db.get_or_404(CultureBehaviour, behaviour_id)
    try:
        culture_map.remove_limiting(version, behaviour, actor=current_user)
    except QuestionnaireError as error:
        return _refused(version, error)
    db.session.commit()
    flash(_("The limiting behaviour is removed."), "success")
    return redirect(url_for(".culture_section", version_id=version.id), code=303)
