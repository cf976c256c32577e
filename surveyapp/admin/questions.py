"""Admin: the question bank (versions, editing a draft, preview, publish, new draft)."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import current_locale
from ..models import Item, QuestionnaireVersion
from ..parsing import ascii_int, int_arg
from ..scoring import VALUE_CODES
from ..services import questionnaire_xlsx, questionnaires, responses
from ..services.questionnaires import ItemEdit, QuestionnaireError, Settings
from ..xlsx_reader import SpreadsheetRejected
from . import bp
from .forms import MAX_BANDS, ItemForm, NewItemForm, SettingsForm

ERRORS = {
    "frozen": _l("This version is frozen (published or used by a period). Make a new draft."),
    "conflict": _l(
        "Someone else saved this draft while you were editing it, so your changes were not "
        "saved yet. Nothing is lost: your input is shown below, with what is saved now under "
        "each field where it differs. Check it, then save again to keep your version."
    ),
    "publish_conflict": _l(
        "Someone changed this draft after you opened it. Check the changes below, then publish."
    ),
    "bad_text": _l("Write the statement in Indonesian, in at most 1000 characters."),
    "bad_group": _l("The minimum group size must be between 1 and 1000."),
    "empty_value": _l("Every core value needs at least one item before publishing."),
    "bad_scale": _l(
        "The scale must run between 0 and 10 with a word (in both languages) for every point."
    ),
    "bad_bands": _l(
        "Band thresholds must go down from the top band to 0, each with a name in both languages."
    ),
    "bad_weights": _l("Weights must be numbers above 0 and at most 100."),
    "bad_item": _l("Choose the behaviour this item measures."),
    "bad_order": _l(
        "The place must be a whole number from 1 to the number of items of this value."
    ),
    "scale_words": _l(
        "The scale has new points: fill in a word for each point in both languages, "
        "then save again."
    ),
}


def _version(version_id: int) -> QuestionnaireVersion:
    return db.get_or_404(QuestionnaireVersion, version_id)


def _item(version: QuestionnaireVersion, item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.version_id != version.id:
        abort(404)
    return item


@bp.get("/questions")
@admin_required
def questions():
    listed, used = questionnaires.listing()
    return render_template("admin/questions/list.html", questionnaires=listed, used=used)


@bp.get("/questions/<int:version_id>")
@admin_required
def question_version(version_id: int):
    """The draft as a list: its items grouped by core value, each with its behaviour's name
    and a link to its own page, and the settings in short."""
    version = _version(version_id)
    errors, warnings = questionnaires.publish_problems(version)
    return render_template(
        "admin/questions/edit.html",
        version=version,
        frozen=questionnaires.is_frozen(version),
        pages=responses.value_pages(version),
        values=questionnaires.core_values(),
        locale=current_locale(),
        publish_errors=errors,
        publish_warnings=warnings,
    )


# --- one item ------------------------------------------------------------------------------------


def _behaviour_choices(value, locale: str) -> list[SelectChoice]:
    return [SelectChoice(n, value.behaviour(n, locale)) for n in (1, 2, 3)]


@bp.route("/questions/<int:version_id>/items/<int:item_id>", methods=["GET", "POST"])
@writes
@admin_required
def question_item(version_id: int, item_id: int):
    """One item on its own page. A save changes this item only; a draft saved by someone else
    since the page was opened is a conflict (409) that shows the admin's input back, with what
    is saved now under each field that differs (S23)."""
    version = _version(version_id)
    item = _item(version, item_id)
    siblings = [i for i in version.items if i.core_value_id == item.core_value_id]
    form = ItemForm(
        data=None
        if request.method == "POST"
        else {
            "lock_version": version.lock_version,
            "text_id": item.text_id,
            "text_en": item.text_en or "",
            "behaviour": item.behaviour,
            "reverse": item.reverse,
            "order": siblings.index(item) + 1,
        }
    )
    form.behaviour.choices = _behaviour_choices(item.core_value, current_locale())
    status, message, conflict = 200, None, False
    if form.validate_on_submit():
        edit = ItemEdit(
            text_id=form.text_id.data,
            text_en=form.text_en.data or "",
            behaviour=form.behaviour.data,
            reverse=form.reverse.data,
            order=form.order.data,
        )
        try:
            changed = questionnaires.save_item(
                version, item, edit, form.lock_version.data, actor=current_user
            )
        except QuestionnaireError as error:
            db.session.rollback()
            version, item = _version(version_id), _item(_version(version_id), item_id)
            status, message = _refusal(form, error, ITEM_FIELDS)
            conflict = str(error) == "conflict"
        else:
            db.session.commit()
            if changed:
                flash(_("Item %(code)s is saved.", code=item.code), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(
                url_for(".question_version", version_id=version.id, _anchor=f"item-{item.id}"),
                code=303,
            )
    elif form.is_submitted():
        status, message = 422, _("Check the fields marked below; nothing was saved.")
    if conflict:
        form.lock_version.data = version.lock_version  # saving again keeps this admin's input
    siblings = [i for i in version.items if i.core_value_id == item.core_value_id]
    return render_template(
        "admin/questions/item.html",
        version=version,
        item=item,
        form=form,
        frozen=questionnaires.is_frozen(version),
        conflict=conflict,
        message=message,
        saved_order=siblings.index(item) + 1,
        count=len(siblings),
        locale=current_locale(),
    ), status


# Where a refusal of the service is shown on each page.
ITEM_FIELDS = {"bad_text": "text_id", "bad_item": "behaviour", "bad_order": "order"}
SETTINGS_FIELDS = {
    "bad_group": "min_group_size",
    "bad_scale": "points",
    "scale_words": "points",
    "bad_bands": "bands",
    "bad_weights": "weights",
}


def _refusal(form, error: QuestionnaireError, fields: dict[str, str]) -> tuple[int, str | None]:
    """The status and page message of a refused save; a refusal about one field is also shown
    next to it."""
    key = str(error)
    text = str(ERRORS[key])
    if key in ("conflict", "frozen"):
        return 409, text
    if key in fields:
        field = form[fields[key]]
        field.errors = [*(field.errors or []), text]
    return 422, text


@bp.route("/questions/<int:version_id>/items/new", methods=["GET", "POST"])
@writes
@admin_required
def question_item_add(version_id: int):
    version = _version(version_id)
    locale = current_locale()
    form = NewItemForm()
    form.behaviour.choices = {
        value.name(locale): [
            SelectChoice(f"{value.code}-{n}", value.behaviour(n, locale)) for n in (1, 2, 3)
        ]
        for value in questionnaires.core_values()
    }
    status, message = 200, None
    if form.validate_on_submit():
        value_code, _dash, number = (form.behaviour.data or "").partition("-")
        try:
            item = questionnaires.add_item(
                version,
                value_code,
                ascii_int(number, 1, 3) or 0,
                form.text_id.data,
                form.text_en.data or "",
                form.reverse.data,
                actor=current_user,
            )
        except QuestionnaireError as error:
            db.session.rollback()
            version = _version(version_id)
            status, message = _refusal(
                form, error, {"bad_item": "behaviour", "bad_text": "text_id"}
            )
        else:
            db.session.commit()
            flash(_("Item %(code)s was added.", code=item.code), "success")
            return redirect(
                url_for(".question_version", version_id=version.id, _anchor=f"item-{item.id}"),
                code=303,
            )
    elif form.is_submitted():
        status, message = 422, _("Check the fields marked below; nothing was saved.")
    return render_template(
        "admin/questions/new_item.html",
        version=version,
        form=form,
        frozen=questionnaires.is_frozen(version),
        message=message,
    ), status


# --- the settings --------------------------------------------------------------------------------


def _settings_data(version: QuestionnaireVersion) -> dict:
    return {
        "lock_version": version.lock_version,
        "scale_min": version.scale_min,
        "scale_max": version.scale_max,
        "points": [
            {
                "point": p,
                "word_id": version.scale_label(p, "id"),
                "word_en": version.scale_label(p, "en"),
            }
            for p in range(version.scale_min, version.scale_max + 1)
        ],
        "bands": [
            {"lower": b["lower"], "name_id": b["label_id"], "name_en": b["label_en"]}
            for b in version.bands
        ],
        "weights": [(version.weights or {}).get(code, 1) for code in VALUE_CODES],
        "min_group_size": version.min_group_size,
    }


def _settings_of(form: SettingsForm) -> Settings:
    """The form's settings for the service; a number the form could not read has already
    stopped the save."""
    low, high = form.scale_min.data, form.scale_max.data
    words = {entry.point.data: entry for entry in form.points}
    points = range(low, high + 1) if low is not None and high is not None and low < high else []
    bands = [b.form for b in form.bands if not b.form.is_blank()]
    return Settings(
        scale_min=low if low is not None else -1,
        scale_max=high if high is not None else -1,
        labels_id=[(words[p].word_id.data or "") if p in words else "" for p in points],
        labels_en=[(words[p].word_en.data or "") if p in words else "" for p in points],
        bands=[
            (
                b.lower.data if b.lower.data is not None else -1,
                b.name_id.data or "",
                b.name_en.data or "",
            )
            for b in bands
        ],
        weights={
            code: (w.data if w.data is not None else 1)
            for code, w in zip(VALUE_CODES, form.weights, strict=True)
        },
    )


def _fit_rows(form: SettingsForm) -> None:
    """Rows for every answer option of the range the admin typed (the words typed so far kept,
    new options empty), and one spare band row to add a band."""
    low, high = form.scale_min.data, form.scale_max.data
    if low is not None and high is not None and 0 <= low < high <= 10:
        typed = {e.point.data: (e.word_id.data, e.word_en.data) for e in form.points}
        if sorted(typed) != list(range(low, high + 1)):
            while form.points.entries:
                form.points.pop_entry()
            for p in range(low, high + 1):
                word_id, word_en = typed.get(p, ("", ""))
                form.points.append_entry({"point": p, "word_id": word_id, "word_en": word_en})
    if len(form.bands.entries) <= MAX_BANDS and not any(b.form.is_blank() for b in form.bands):
        form.bands.append_entry()


@bp.route("/questions/<int:version_id>/settings", methods=["GET", "POST"])
@writes
@admin_required
def question_settings(version_id: int):
    version = _version(version_id)
    form = SettingsForm(data=None if request.method == "POST" else _settings_data(version))
    status, message, conflict = 200, None, False
    if form.validate_on_submit():
        try:
            questionnaires.save_settings(
                version,
                _settings_of(form),
                form.min_group_size.data if form.min_group_size.data is not None else 0,
                form.lock_version.data,
                actor=current_user,
            )
        except QuestionnaireError as error:
            db.session.rollback()
            version = _version(version_id)
            status, message = _refusal(form, error, SETTINGS_FIELDS)
            conflict = str(error) == "conflict"
        else:
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(url_for(".question_version", version_id=version.id), code=303)
    elif form.is_submitted():
        status, message = 422, _("Check the fields marked below; nothing was saved.")
    if conflict:
        form.lock_version.data = version.lock_version
    _fit_rows(form)
    return render_template(
        "admin/questions/settings.html",
        version=version,
        form=form,
        frozen=questionnaires.is_frozen(version),
        conflict=conflict,
        message=message,
        values=questionnaires.core_values(),
        saved=_settings_data(version) if conflict else None,
        locale=current_locale(),
    ), status


@bp.post("/questions/<int:version_id>/publish")
@writes
@admin_required
def question_version_publish(version_id: int):
    version = _version(version_id)
    seen = int_arg(request.form, "lock_version", lo=0)
    try:
        warnings = questionnaires.publish(version, actor=current_user, seen_lock=seen)
    except QuestionnaireError as error:
        db.session.rollback()
        key = "publish_conflict" if str(error) == "conflict" else str(error)
        flash(str(ERRORS[key]), "error")
    else:
        db.session.commit()
        flash(_("The version is published and can be used by periods."), "success")
        if warnings:
            flash(_("Behaviours without an item: %(list)s.", list=", ".join(warnings)), "warning")
    return redirect(url_for(".question_version", version_id=version.id), code=303)


@bp.post("/questions/<int:version_id>/copy")
@writes
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


@bp.post("/questions/<int:version_id>/items/<int:item_id>/delete")
@writes
@admin_required
def question_item_remove(version_id: int, item_id: int):
    version = _version(version_id)
    item = db.session.get(Item, item_id)
    if item is None or item.version_id != version.id:
        abort(404)
    try:
        questionnaires.remove_item(version, item, actor=current_user)
    except QuestionnaireError as error:
        db.session.rollback()
        flash(str(ERRORS[str(error)]), "error")
    else:
        db.session.commit()
        flash(_("The item was removed from the draft."), "success")
    return redirect(url_for(".question_version", version_id=version_id), code=303)


@bp.get("/questions/<int:version_id>/items.xlsx")
@admin_required
def question_version_export(version_id: int):
    version = _version(version_id)
    buffer = io.BytesIO()
    questionnaire_xlsx.export_version(version, buffer)
    buffer.seek(0)
    response = send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"butir-kuesioner-v{version.number}.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/questions/<int:version_id>/items.xlsx")
@writes
@admin_required
def question_version_import(version_id: int):
    version = _version(version_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose an Excel file."), "error")
        return redirect(url_for(".question_version", version_id=version_id), code=303)
    try:
        errors = questionnaire_xlsx.import_items(version, upload.stream, actor=current_user)
    except SpreadsheetRejected as exc:
        errors = [str(exc)]
    except QuestionnaireError as error:
        errors = [str(ERRORS[str(error)])]
    if errors:
        db.session.rollback()
        for error in errors[:50]:
            flash(error.line() if hasattr(error, "line") else error, "error")
        flash(_("Nothing was changed."), "error")
    else:
        db.session.commit()
        flash(_("The items of the draft were replaced from the file."), "success")
    return redirect(url_for(".question_version", version_id=version_id), code=303)
