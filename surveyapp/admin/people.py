"""Admin: units (tree, create, rename, move, deactivate) and employees (search, edit roles and
HR scope, deactivate, new activation code). People are never deleted."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import admin_required
from ..extensions import db
from ..models import Employee, Unit
from ..services import accounts, audit, org
from . import bp

PAGE_SIZE = 50


def _unit(unit_id: int) -> Unit:
    return db.get_or_404(Unit, unit_id)


def _employee(employee_id: int) -> Employee:
    return db.get_or_404(Employee, employee_id)


@bp.get("/units")
@admin_required
def units():
    tree = db.session.scalars(sa.select(Unit).order_by(Unit.path)).all()
    return render_template("admin/people/units.html", units=tree)


@bp.post("/units")
@admin_required
def unit_create():
    code = (request.form.get("code") or "").strip()[:40]
    name = (request.form.get("name") or "").strip()[:200]
    parent_id = request.form.get("parent", type=int)
    parent = db.session.get(Unit, parent_id) if parent_id else None
    if not code or not name:
        flash(_("Code and name are required."), "error")
    elif db.session.scalar(sa.select(Unit.id).where(Unit.code == code)):
        flash(_("This unit code is already used."), "error")
    else:
        unit = org.add_unit(code, name, parent)
        audit.record(
            "unit_created",
            actor=current_user,
            object_type="unit",
            object_id=unit.id,
            after={"code": code, "name": name},
        )
        db.session.commit()
        flash(_("The unit was created."), "success")
    return redirect(url_for(".units"), code=303)


@bp.post("/units/<int:unit_id>")
@admin_required
def unit_update(unit_id: int):
    unit = _unit(unit_id)
    before = {"name": unit.name, "parent": unit.parent_id, "active": unit.active}
    name = (request.form.get("name") or "").strip()[:200]
    if name:
        unit.name = name
    unit.active = request.form.get("active") == "1"
    parent_id = request.form.get("parent", type=int)
    if parent_id != unit.parent_id:
        try:
            org.move_unit(unit, db.session.get(Unit, parent_id) if parent_id else None)
        except ValueError:
            db.session.rollback()
            flash(_("A unit cannot move under itself or one of its subunits."), "error")
            return redirect(url_for(".units"), code=303)
    audit.record(
        "unit_changed",
        actor=current_user,
        object_type="unit",
        object_id=unit_id,
        before=before,
        after={"name": unit.name, "parent": parent_id, "active": unit.active},
    )
    db.session.commit()
    flash(_("The unit was saved."), "success")
    return redirect(url_for(".units"), code=303)


@bp.get("/employees")
@admin_required
def employees():
    q = (request.args.get("q") or "").strip()[:100]
    query = sa.select(Employee)
    if q:
        digits = "".join(c for c in q if c.isdigit())
        query = query.where(
            sa.or_(
                Employee.name.ilike(f"%{q}%"),
                Employee.nip.startswith(digits) if digits else sa.false(),
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = max(1, request.args.get("page", 1, type=int))
    rows = db.session.scalars(
        query.order_by(Employee.name).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "admin/people/employees.html",
        rows=rows,
        q=q,
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@bp.route("/employees/<int:employee_id>", methods=["GET", "POST"])
@admin_required
def employee_edit(employee_id: int):
    person = _employee(employee_id)
    all_units = db.session.scalars(sa.select(Unit).order_by(Unit.path)).all()
    if request.method == "POST":
        form = request.form
        before = {
            "unit": person.unit_id,
            "is_hr": person.is_hr,
            "hr_unit": person.hr_unit_id,
            "is_admin": person.is_admin,
            "active": person.active,
        }
        unit = db.session.get(Unit, form.get("unit", type=int) or 0)
        if unit is None:
            flash(_("Choose a unit."), "error")
            return render_template(
                "admin/people/employee.html", person=person, units=all_units
            ), 422
        person.name = (form.get("name") or person.name).strip()[:200]
        person.jabatan = (form.get("jabatan") or "").strip()[:200]
        person.golongan = (form.get("golongan") or "").strip()[:20]
        person.unit_id = unit.id
        person.is_hr = form.get("is_hr") == "1"
        person.hr_unit_id = (form.get("hr_unit", type=int) or unit.id) if person.is_hr else None
        if person.id == current_user.id and form.get("is_admin") != "1":
            flash(_("You cannot take away your own admin role."), "error")
        else:
            person.is_admin = form.get("is_admin") == "1"
        active = form.get("active") == "1"
        if not active and person.active:
            accounts.end_all_sessions(person)
        person.active = active
        audit.record(
            "employee_changed",
            actor=current_user,
            object_type="employee",
            object_id=person.id,
            before=before,
            after={
                "unit": person.unit_id,
                "is_hr": person.is_hr,
                "hr_unit": person.hr_unit_id,
                "is_admin": person.is_admin,
                "active": person.active,
            },
        )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".employee_edit", employee_id=person.id), code=303)
    return render_template("admin/people/employee.html", person=person, units=all_units)


@bp.post("/employees/<int:employee_id>/activation")
@admin_required
def employee_activation(employee_id: int):
    """A new one-time code, shown once on the next page (the old one stops working)."""
    person = _employee(employee_id)
    code = accounts.issue_activation_code(person, actor=current_user)
    db.session.commit()
    return render_template("admin/people/code.html", person=person, code=code)
