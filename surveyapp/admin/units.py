"""Admin: the unit tree. Create, rename, move (no cycles) and deactivate; units are never
deleted, since rosters and responses of past periods point at them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import validation
from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..models import Unit
from ..services import org
from . import bp
from .forms import UnitForm, UnitUpdateForm, refuse

REFUSALS = {
    "code_taken": _l("This unit code is already used."),
    "unknown_parent": _l("The chosen parent unit does not exist."),
    "inactive_parent": _l("The parent unit is inactive; activate it first."),
    "cycle": _l("A unit cannot move under itself or one of its subunits."),
    "too_deep": _l("The tree would become too deep there."),
    "not_empty": _l(
        "The unit still has %(units)d active subunits and %(people)d active employees; "
        "move or deactivate them first."
    ),
}


def _message(exc: org.UnitRefused) -> str:
    message = str(REFUSALS[exc.reason])
    return message % exc.values if exc.values else message


def _refused(form: UnitUpdateForm, exc: org.UnitRefused | validation.Invalid) -> None:
    """A refusal of the service next to the field it is about (validation.Invalid: the rule's
    own words)."""
    message = _message(exc) if isinstance(exc, org.UnitRefused) else str(exc)
    refuse(form, exc.field, message)


def _unit(unit_id: int) -> Unit:
    return db.get_or_404(Unit, unit_id)


def _tree_page(form: UnitForm) -> str:
    tree = org.all_units()
    form.offer(u for u in tree if u.active)
    return render_template(
        "admin/units/tree.html", units=tree, people=org.people_per_unit(), form=form
    )


@bp.get("/units")
@admin_required
def units():
    return _tree_page(UnitForm())


@bp.post("/units")
@writes
@admin_required
def unit_create():
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = org.create_unit(
                form.code.data,
                form.name.data,
                form.parent.data,
                actor=current_user._get_current_object(),
            )
        except (org.UnitRefused, validation.Invalid) as exc:
            db.session.rollback()
            _refused(form, exc)
        else:
            db.session.commit()
            flash(str(_l("The unit was created.")), "success")
            return redirect(url_for(".unit_detail", unit_id=unit.id), code=303)
    return _tree_page(form), 422


def _detail_page(unit: Unit, form: UnitUpdateForm) -> str:
    form.offer(org.possible_parents(unit))
    children = org.children_of(unit)
    people = org.people_in(unit)
    return render_template(
        "admin/units/detail.html", unit=unit, form=form, children=children, people=people
    )


@bp.get("/units/<int:unit_id>")
@admin_required
def unit_detail(unit_id: int):
    unit = _unit(unit_id)
    return _detail_page(unit, UnitUpdateForm(data={"name": unit.name, "parent": unit.parent_id}))


@bp.post("/units/<int:unit_id>")
@writes
@admin_required
def unit_update(unit_id: int):
    """Rename and move in one form; the subtree follows a move in one UPDATE. A parent left
    out of the request means a root."""
    unit = _unit(unit_id)
    form = UnitUpdateForm()
    if form.validate_on_submit():
        try:
            org.update_unit(
                unit,
                name=form.name.data,
                parent_id=form.parent.data,
                actor=current_user._get_current_object(),
            )
        except (org.UnitRefused, validation.Invalid) as exc:
            db.session.rollback()
            _refused(form, exc)
        else:
            db.session.commit()
            flash(str(_l("The unit was saved.")), "success")
            return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
    return _detail_page(_unit(unit_id), form), 422


@bp.post("/units/<int:unit_id>/active")
@writes
@admin_required
def unit_active(unit_id: int):
    unit = _unit(unit_id)
    active = request.form.get("active") == "1"
    try:
        org.set_unit_active(unit, active, actor=current_user._get_current_object())
    except org.UnitRefused as exc:
        db.session.rollback()
        flash(_message(exc), "error")
        return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
    db.session.commit()
    flash(
        str(_l("The unit is active again.") if active else _l("The unit was deactivated.")),
        "success",
    )
    return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
