"""Admin forms; every label through gettext."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from ..forms import BaseForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PeriodForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Regexp(r"^[A-Za-z0-9-]{2,20}$", message=_l("Letters, digits and dashes, 2-20.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    version = SelectField(_l("Questionnaire version"), coerce=int)
    # InputRequired, not DataRequired: a value that is not a date says so, not "required".
    opens_at = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMAT, validators=[InputRequired()])
    closes_at = DateTimeLocalField(
        _l("Closes"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    units = SelectMultipleField(_l("Units in scope"), coerce=int, validators=[DataRequired()])
    hide_individuals = BooleanField(_l("Hide individual results from HR"), default=True)


class ExtendForm(BaseForm):
    closes_at = DateTimeLocalField(
        _l("New deadline"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )


class NipForm(BaseForm):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=40)])


class ImportForm(BaseForm):
    kind = SelectField(_l("What"), choices=[("employees", _l("Employees")), ("units", _l("Units"))])
    file = FileField(_l("Excel file (.xlsx)"), validators=[FileRequired()])
    deactivate_missing = BooleanField(_l("Deactivate active people who are not in the file"))
