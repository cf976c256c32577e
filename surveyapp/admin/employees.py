"""Admin: employees. Search by NIP or name, edit, roles and HR scope, deactivate, and a new
activation code. People are never deleted."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..models import JENIS, Employee, Unit
from ..parsing import int_arg, page_arg
from ..services import employees as service
from . import bp

REFUSALS = {
    "name_required": _l("The name is required."),
    "unknown_unit": _l("Choose a unit that exists."),
    "inactive_unit": _l("That unit is inactive; choose an active one."),
    "jenis": _l("Jenis must be PNS or PPPK."),
    "email": _l("This is not an e-mail address."),
    "own_admin": _l("You cannot take away your own admin role."),
    "own_active": _l("You cannot deactivate your own account."),
    "inactive": _l("The account is inactive; activate it first."),
}


def _employee(employee_id: int) -> Employee:
    return db.get_or_404(Employee, employee_id)


def _units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).order_by(Unit.path)))


@bp.get("/employees")
@admin_required
def employees():
    q = request.args.get("q", "")
    page = service.search(q, page_arg(request.args))
    return render_template("admin/employees/list.html", q=q.strip()[:100], result=page)


def _changes(form) -> service.EmployeeChanges:
    """Only the fields the edit form has; anything else a request carries is ignored (S04)."""
    return service.EmployeeChanges(
        name=form.get("name", ""),
        unit_id=int_arg(form, "unit"),
        jabatan=form.get("jabatan", ""),
        golongan=form.get("golongan", ""),
        jenis=form.get("jenis", "PNS"),
        email=form.get("email"),
        is_hr=form.get("is_hr") == "1",
        hr_unit_id=int_arg(form, "hr_unit"),
        is_admin=form.get("is_admin") == "1",
        active=form.get("active") == "1",
    )


@bp.route("/employees/<int:employee_id>", methods=["GET", "POST"])
@writes
@admin_required
def employee_edit(employee_id: int):
    person = _employee(employee_id)
    if request.method == "POST":
        try:
            service.update(person, _changes(request.form), actor=current_user._get_current_object())
        except service.EmployeeRefused as exc:
            db.session.rollback()
            flash(str(REFUSALS[exc.reason]), "error")
            person = _employee(employee_id)
            return _edit_page(person, _values(request.form)), 422
        db.session.commit()
        flash(str(_l("Saved.")), "success")
        return redirect(url_for(".employee_edit", employee_id=person.id), code=303)
    return _edit_page(person, _values(None, person))


def _values(form, person: Employee | None = None) -> dict:
    """What the edit form shows: the person, or the refused input so nothing typed is lost."""
    if form is None:
        return {
            "name": person.name,
            "jabatan": person.jabatan,
            "golongan": person.golongan,
            "jenis": person.jenis,
            "email": person.email or "",
            "unit": person.unit_id,
            "is_hr": person.is_hr,
            "hr_unit": person.hr_unit_id if person.hr_unit_id != person.unit_id else None,
            "is_admin": person.is_admin,
            "active": person.active,
        }
    changes = _changes(form)
    return {
        "name": changes.name,
        "jabatan": changes.jabatan,
        "golongan": changes.golongan,
        "jenis": changes.jenis,
        "email": changes.email or "",
        "unit": changes.unit_id,
        "is_hr": changes.is_hr,
        "hr_unit": changes.hr_unit_id,
        "is_admin": changes.is_admin,
        "active": changes.active,
    }


def _edit_page(person: Employee, values: dict) -> str:
    return render_template(
        "admin/employees/edit.html", person=person, v=values, units=_units(), jenis=JENIS
    )


@bp.post("/employees/<int:employee_id>/activation")
@writes
@admin_required
def employee_activation(employee_id: int):
    """A new one-time code, shown on this page only (the old one stops working)."""
    person = _employee(employee_id)
    try:
        code = service.reset_activation(person, actor=current_user._get_current_object())
    except service.EmployeeRefused as exc:
        flash(str(REFUSALS[exc.reason]), "error")
        return redirect(url_for(".employee_edit", employee_id=person.id), code=303)
    db.session.commit()
    response = render_template("admin/employees/code.html", person=person, code=code)
    return response, 200, {"Cache-Control": "no-store"}
