"""Admin: employees. Search by NIP or name, edit, roles and HR scope, deactivate, and a new
activation code. People are never deleted."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import validation
from ..access import admin_required
from ..db_sqlite import writes
from ..extensions import db
from ..models import Employee, Unit
from ..parsing import page_arg
from ..services import employees as service
from ..services import org
from . import bp
from .forms import EmployeeForm, refuse

REFUSALS = {
    "unknown_unit": _l("Choose a unit that exists."),
    "inactive_unit": _l("That unit is inactive; choose an active one."),
    "own_admin": _l("You cannot take away your own admin role."),
    "own_active": _l("You cannot deactivate your own account."),
    "inactive": _l("The account is inactive; activate it first."),
}


def _employee(employee_id: int) -> Employee:
    return db.get_or_404(Employee, employee_id)


def _units() -> list[Unit]:
    return org.all_units()


@bp.get("/employees")
@admin_required
def employees():
    q = request.args.get("q", "")
    page = service.search(q, page_arg(request.args))
    return render_template("admin/employees/list.html", q=q.strip()[:100], result=page)


def _changes(form: EmployeeForm) -> service.EmployeeChanges:
    """Only the fields the edit form has; anything else a request carries is ignored (S04)."""
    return service.EmployeeChanges(
        name=form.name.data,
        unit_id=form.unit.data,
        jabatan=form.jabatan.data,
        golongan=form.golongan.data,
        jenis=form.jenis.data,
        email=form.email.data,
        is_hr=form.is_hr.data,
        hr_unit_id=form.hr_unit.data,
        is_admin=form.is_admin.data,
        active=form.active.data,
    )


def _refused(form: EmployeeForm, exc: service.EmployeeRefused | validation.Invalid) -> None:
    """A refusal of the service next to the field it is about (validation.Invalid: the rule's
    own words)."""
    refused = isinstance(exc, service.EmployeeRefused)
    message = str(REFUSALS[exc.reason]) if refused else str(exc)
    refuse(form, EmployeeForm.FIELDS.get(exc.field, exc.field), message)


@bp.route("/employees/<int:employee_id>", methods=["GET", "POST"])
@writes
@admin_required
def employee_edit(employee_id: int):
    """Refused input is shown again as typed, each message next to its field, nothing saved."""
    person = _employee(employee_id)
    form = EmployeeForm(data=EmployeeForm.shown(person))
    if form.validate_on_submit():
        try:
            service.update(person, _changes(form), actor=current_user._get_current_object())
        except (service.EmployeeRefused, validation.Invalid) as exc:
            db.session.rollback()
            _refused(form, exc)
        else:
            db.session.commit()
            flash(str(_l("Saved.")), "success")
            return redirect(url_for(".employee_edit", employee_id=person.id), code=303)
    form.offer(_units(), person)
    page = render_template("admin/employees/edit.html", person=person, form=form)
    return page, 422 if form.is_submitted() else 200


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
