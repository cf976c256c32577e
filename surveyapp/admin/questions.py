"""Admin: the question bank (versions, editing a draft, preview, publish, new draft)."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import current_locale
from ..models import Item, QuestionnaireVersion
from ..models.questionnaire import SCALE_CEILING, SCALE_FLOOR
from ..parsing import MAX_ID, ascii_decimal, ascii_int, int_arg
from ..scoring import VALUE_CODES
from ..services import questionnaire_xlsx, questionnaires, responses
from ..services.questionnaires import ItemEdit, QuestionnaireError, Settings
from ..xlsx_reader import SpreadsheetRejected
from . import bp

ERRORS = {
    "frozen": _l("This version is frozen (published or used by a period). Make a new draft."),
    "conflict": _l(
        "Someone else saved this draft while you were editing it, so your changes were not "
        "saved yet. Nothing is lost: your input is shown below, with the text saved now under "
        "each item where it differs. Check it, then save again to keep your version."
    ),
    "publish_conflict": _l(
        "Someone changed this draft after you opened it. Check the changes below, then publish."
    ),
    "bad_text": _l("Every item needs an Indonesian text of at most 1000 characters."),
    "bad_group": _l("The minimum group size must be between 1 and 1000."),
    "empty_value": _l("Every core value needs at least one item before publishing."),
    "bad_scale": _l(
        "The scale must run between 0 and 10 with a word (in both languages) for every point."
    ),
    "bad_bands": _l(
        "Band thresholds must go down from the top band to 0, each with a name in both languages."
    ),
    "bad_weights": _l("Weights must be numbers above 0 and at most 100."),
    "bad_item": _l("Choose a core value and a behaviour (1-3) for the new item."),
    "bad_order": _l("The order of an item must be a whole number from 1 to 10000."),
    "scale_words": _l(
        "The scale has new points: fill in a word for each point in both languages, "
        "then save again."
    ),
}

MAX_BANDS = 10


def _band_rows(form) -> list[tuple[str, str, str]]:
    """The band rows the editor sent, blank rows (the spare one, or one cleared to remove a
    band) left out."""
    rows = []
    for n in range(MAX_BANDS + 1):
        if f"band-{n}-lower" not in form:
            break
        row = tuple(form.get(f"band-{n}-{k}", "").strip()[:60] for k in ("lower", "id", "en"))
        if any(row):
            rows.append(row)
    return rows


def _settings(form) -> Settings | None:
    """The scale, bands and weights from the editor; None when the form does not carry them."""
    if "scale_min" not in form:
        return None
    low, high = _scale_point(form.get("scale_min")), _scale_point(form.get("scale_max"))
    if low is None or high is None:
        raise QuestionnaireError("bad_scale")
    points = range(low, high + 1) if low < high else range(0)
    # Numbers only here; services/questionnaires.check_settings holds their ranges.
    bands = [
        (ascii_decimal(lower), name_id, name_en) for lower, name_id, name_en in _band_rows(form)
    ]
    if any(lower is None for lower, _id, _en in bands):
        raise QuestionnaireError("bad_bands")
    weights = {code: ascii_decimal(form.get(f"weight-{code}") or "1") for code in VALUE_CODES}
    if None in weights.values():
        raise QuestionnaireError("bad_weights")
    return Settings(
        scale_min=low,
        scale_max=high,
        labels_id=[form.get(f"label-id-{p}", "")[:100] for p in points] or [""],
        labels_en=[form.get(f"label-en-{p}", "")[:100] for p in points] or [""],
        bands=bands,
        weights=weights,
    )


def _scale_point(raw) -> int | None:
    return ascii_int(str(raw), SCALE_FLOOR, SCALE_CEILING)


def _position(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    position = ascii_int(raw, 0, MAX_ID)  # the service refuses what is not 1..MAX_POSITION
    if position is None:
        raise QuestionnaireError("bad_order")
    return position


def _editor_values(version, submitted) -> dict:
    """What every field of the editor shows: the admin's own input when the page comes back
    after a refused save (S23: nothing they typed is lost), the saved draft otherwise."""
    form = submitted or {}

    def pick(key, saved):
        return form.get(key, saved) if form else saved

    low = _scale_point(pick("scale_min", version.scale_min))
    high = _scale_point(pick("scale_max", version.scale_max))
    if low is None or high is None or low >= high:
        low, high = version.scale_min, version.scale_max
    labels = [
        (
            p,
            pick(
                f"label-id-{p}",
                version.scale_label(p, "id") if version.scale_min <= p <= version.scale_max else "",
            ),
            pick(
                f"label-en-{p}",
                version.scale_label(p, "en") if version.scale_min <= p <= version.scale_max else "",
            ),
        )
        for p in range(low, high + 1)
    ]
    if form and "band-0-lower" in form:
        bands = _band_rows(form)
    else:
        bands = [(str(b["lower"]), b["label_id"], b["label_en"]) for b in version.bands]
    if len(bands) < MAX_BANDS:
        bands = [*bands, ("", "", "")]
    weights = {
        code: pick(f"weight-{code}", (version.weights or {}).get(code, 1)) for code in VALUE_CODES
    }
    items = {
        item.id: {
            "text_id": pick(f"item-{item.id}-text_id", item.text_id),
            "text_en": pick(f"item-{item.id}-text_en", item.text_en or ""),
            "reverse": (form.get(f"item-{item.id}-reverse") == "1") if form else item.reverse,
            "position": pick(f"item-{item.id}-position", item.position),
        }
        for item in version.items
    }
    return {
        "min_group_size": pick("min_group_size", version.min_group_size),
        "scale_min": low,
        "scale_max": high,
        "labels": labels,
        "bands": bands,
        "weights": weights,
        "items": items,
    }


def _version(version_id: int) -> QuestionnaireVersion:
    return db.get_or_404(QuestionnaireVersion, version_id)


@bp.get("/questions")
@admin_required
def questions():
    listed, used = questionnaires.listing()
    return render_template("admin/questions/list.html", questionnaires=listed, used=used)


def _render_editor(version, status=200, submitted=None, message=None, conflict=False):
    errors, warnings = questionnaires.publish_problems(version)
    return render_template(
        "admin/questions/edit.html",
        version=version,
        frozen=questionnaires.is_frozen(version),
        pages=responses.value_pages(version),
        locale=current_locale(),
        shown=_editor_values(version, submitted),
        conflict=conflict,
        message=message,
        publish_errors=errors,
        publish_warnings=warnings,
    ), status


@bp.get("/questions/<int:version_id>")
@admin_required
def question_version(version_id: int):
    return _render_editor(_version(version_id))[0]


@bp.post("/questions/<int:version_id>")
@writes
@admin_required
def question_version_save(version_id: int):
    version = _version(version_id)
    form = request.form
    seen = int_arg(form, "lock_version", lo=0)
    if seen is None:
        abort(400)
    try:
        group = ascii_int(form.get("min_group_size", ""), 0, MAX_ID)
        if group is None:
            raise QuestionnaireError("bad_group")
        edits = [
            ItemEdit(
                item.id,
                form.get(f"item-{item.id}-text_id", item.text_id)[:2000],
                form.get(f"item-{item.id}-text_en", item.text_en or "")[:2000],
                form.get(f"item-{item.id}-reverse") == "1",
                _position(form.get(f"item-{item.id}-position")),
            )
            for item in version.items
        ]
        questionnaires.save_draft(
            version, edits, group, seen, actor=current_user, settings=_settings(form)
        )
    except QuestionnaireError as error:
        db.session.rollback()
        status = 409 if str(error) in ("conflict", "frozen") else 422
        return _render_editor(
            _version(version_id),
            status,
            submitted=form,
            message=ERRORS[str(error)],
            conflict=str(error) == "conflict",
        )
    db.session.commit()
    flash(_("The draft is saved."), "success")
    return redirect(url_for(".question_version", version_id=version.id), code=303)


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


@bp.post("/questions/<int:version_id>/items")
@writes
@admin_required
def question_item_add(version_id: int):
    version = _version(version_id)
    form = request.form
    try:
        item = questionnaires.add_item(
            version,
            form.get("value", ""),
            ascii_int(form.get("behaviour", ""), 0, MAX_ID) or 0,
            form.get("text_id", "")[:2000],
            form.get("text_en", "")[:2000],
            form.get("reverse") == "1",
            actor=current_user,
        )
    except QuestionnaireError as error:
        db.session.rollback()
        flash(str(ERRORS[str(error)]), "error")
    else:
        db.session.commit()
        flash(_("Item %(code)s was added.", code=item.code), "success")
    return redirect(url_for(".question_version", version_id=version_id), code=303)


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
