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
from ..parsing import ascii_moment, date_message, form_id

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(DateTimeLocalField):
    """A browser's datetime-local read by parsing.ascii_moment (S37): `strptime` takes "٢٠٢٧"
    and the year 1, which overflows on its way to UTC."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = ascii_moment(" ".join(valuelist))
        if self.data is None:
            raise ValueError(date_message())


class PeriodForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Regexp(r"^[A-Za-z0-9-]{2,20}$", message=_l("Letters, digits and dashes, 2-20.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    version = SelectField(_l("Questionnaire version"), coerce=form_id)
    # InputRequired, not DataRequired: a value that is not a date says so, not "required".
    opens_at = LocalDateTimeField(_l("Opens"), format=DATETIME_FORMAT, validators=[InputRequired()])
    closes_at = LocalDateTimeField(
        _l("Closes"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    units = SelectMultipleField(_l("Units in scope"), coerce=form_id, validators=[DataRequired()])
    hide_individuals = BooleanField(_l("Hide individual results from HR"), default=True)


class ExtendForm(BaseForm):
    closes_at = LocalDateTimeField(
        _l("New deadline"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )


class NipForm(BaseForm):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=40)])


class ImportForm(BaseForm):
    kind = SelectField(_l("What"), choices=[("employees", _l("Employees")), ("units", _l("Units"))])
    file = FileField(_l("Excel file (.xlsx)"), validators=[FileRequired()])
    deactivate_missing = BooleanField(_l("Deactivate active people who are not in the file"))
