"""Admin: the unit tree. Create, rename, move (no cycles) and deactivate; units are never
deleted, since rosters and responses of past periods point at them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..models import Employee, Unit
from ..parsing import int_arg
from ..services import org
from . import bp

REFUSALS = {
    "required": _l("Code and name are required."),
    "too_long": _l("The code may have at most 40 characters and the name 200."),
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


def _refused(exc: org.UnitRefused) -> str:
    message = str(REFUSALS[exc.reason])
    return message % exc.values if exc.values else message


def _unit(unit_id: int) -> Unit:
    return db.get_or_404(Unit, unit_id)


def _people_per_unit() -> dict[int, int]:
    """Active employees directly in each unit, one GROUP BY for the whole tree."""
    return dict(
        db.session.execute(
            sa.select(Employee.unit_id, sa.func.count(Employee.id))
            .where(Employee.active.is_(True))
            .group_by(Employee.unit_id)
        ).all()
    )


@bp.get("/units")
@admin_required
def units():
    tree = db.session.scalars(sa.select(Unit).order_by(Unit.path)).all()
    return render_template("admin/units/tree.html", units=tree, people=_people_per_unit())


@bp.post("/units")
@writes
@admin_required
def unit_create():
    try:
        unit = org.create_unit(
            request.form.get("code", ""),
            request.form.get("name", ""),
            int_arg(request.form, "parent"),
            actor=current_user._get_current_object(),
        )
    except org.UnitRefused as exc:
        db.session.rollback()
        flash(_refused(exc), "error")
        return redirect(url_for(".units"), code=303)
    db.session.commit()
    flash(str(_l("The unit was created.")), "success")
    return redirect(url_for(".unit_detail", unit_id=unit.id), code=303)


@bp.get("/units/<int:unit_id>")
@admin_required
def unit_detail(unit_id: int):
    unit = _unit(unit_id)
    # Possible new parents: every active unit outside the unit's own subtree.
    parents = db.session.scalars(
        sa.select(Unit)
        .where(Unit.active.is_(True), sa.not_(org.in_subtree(Unit.path, unit.path)))
        .order_by(Unit.path)
    ).all()
    children = db.session.scalars(
        sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name)
    ).all()
    people = _people_per_unit().get(unit.id, 0)
    return render_template(
        "admin/units/detail.html", unit=unit, parents=parents, children=children, people=people
    )


@bp.post("/units/<int:unit_id>")
@writes
@admin_required
def unit_update(unit_id: int):
    """Rename and move in one form; the subtree follows a move in one UPDATE."""
    unit = _unit(unit_id)
    try:
        org.update_unit(
            unit,
            name=request.form.get("name", ""),
            parent_id=int_arg(request.form, "parent"),
            actor=current_user._get_current_object(),
        )
    except org.UnitRefused as exc:
        db.session.rollback()
        flash(_refused(exc), "error")
        return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
    db.session.commit()
    flash(str(_l("The unit was saved.")), "success")
    return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)


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
        flash(_refused(exc), "error")
        return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
    db.session.commit()
    flash(
        str(_l("The unit is active again.") if active else _l("The unit was deactivated.")),
        "success",
    )
    return redirect(url_for(".unit_detail", unit_id=unit_id), code=303)
