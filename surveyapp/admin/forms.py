"""Admin forms; every label through gettext."""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import DateInput

from .. import pace, validation
from ..forms import BaseForm, SubForm
from ..i18n import format_plain
from ..models import JENIS, Employee, Unit
from ..parsing import (
    MAX_ID,
    ascii_decimal,
    ascii_int,
    ascii_moment,
    date_message,
    form_id,
    local_decimal,
)

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


class PercentField(StringField):
    """A percentage as people type it: "80", "82,5" (Indonesian) or "82.5", with or without
    "%"; read by parsing.ascii_decimal after the decimal comma, between 0 (excluded) and 100."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().removesuffix("%").strip().replace(",", ".")
        self.data = ascii_decimal(text)
        if self.data is None or not 0 < self.data <= 100:
            self.data = None
            raise ValueError(str(MSG_PERCENT))


class WholeNumberField(StringField):
    """A whole number in ASCII digits (parsing.ascii_int, S37: int() takes "٣"); empty is None."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = ascii_int(valuelist[0], 1, 10_000_000)
        if self.data is None:
            raise ValueError(str(MSG_WHOLE))


MSG_WHOLE = _l("Enter a whole number from 1, written with the digits 0-9.")
MSG_PERCENT = _l("Enter a percentage above 0 and at most 100, such as 80 or 82,5.")
MSG_SCHEDULE = _l("Enter days before the deadline separated by commas, such as 7,3,1 (at most 60).")


def schedule_rule(form, field) -> None:
    if pace.parse_schedule(field.data) is None:
        raise ValidationError(str(MSG_SCHEDULE))


class TargetFields:
    """The participation target and reminder schedule, on the new-period form and on the
    period's page."""

    target_percent = PercentField(_l("Participation target (%)"), default=80)
    min_respondents = WholeNumberField(_l("Minimum number of respondents (optional)"))
    reminder_days = StringField(
        _l("Automatic reminders, days before the deadline (optional)"),
        validators=[Optional(), Length(max=40), schedule_rule],
        description=_l("For example 7,3,1. Leave empty for no automatic reminders."),
    )


class PeriodForm(BaseForm, TargetFields):
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


class TargetForm(BaseForm, TargetFields):
    target_percent = PercentField(_l("Participation target (%)"), validators=[InputRequired()])


class UnitTargetForm(BaseForm):
    unit = SelectField(_l("Unit"), coerce=form_id)
    target_percent = PercentField(
        _l("Target for this unit and the units below it (%)"),
        description=_l("Leave empty to remove the unit's own target."),
    )


class ExtendForm(BaseForm):
    closes_at = LocalDateTimeField(
        _l("New deadline"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )


class NipForm(BaseForm):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=40)])


class NipListForm(BaseForm):
    """Late joiners: NIPs pasted from a spreadsheet column or typed, one per line."""

    nips = TextAreaField(
        _l("NIPs, one per line"),
        validators=[DataRequired(), Length(max=200_000)],
        description=_l(
            "Paste a column of NIPs from Excel; spaces and dots inside a NIP are fine. If any "
            "line is refused, nobody is added and every refused line is listed."
        ),
    )


class ImportJoinForm(BaseForm):
    """Late joiners: everyone one employees import created."""

    entry = SelectField(_l("Import"), coerce=form_id, validate_choice=False)


class ImportForm(BaseForm):
    kind = SelectField(
        _l("What"),
        choices=[SelectChoice("employees", _l("Employees")), SelectChoice("units", _l("Units"))],
    )
    file = FileField(_l("Excel file (.xlsx)"), validators=[FileRequired()])
    deactivate_missing = BooleanField(_l("Deactivate active people who are not in the file"))


# --- the rules of module validation as WTForms validators --------------------------------------


class Rule:
    """A rule of module validation as a WTForms validator, so that a form and the roster
    import refuse the same values with the same words. The field's data becomes the rule's
    normalised value; a refusal (a ValueError) becomes the field's error."""

    def __init__(self, rule: validation.Rule, *, required: bool = False):
        self.rule = rule
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field) -> None:
        try:
            field.data = self.rule(field.data)
        except validation.Missing as exc:
            raise StopValidation(str(exc)) from exc
        except validation.Invalid as exc:
            raise ValidationError(str(exc)) from exc


def optional_id(value) -> int | None:
    """`coerce` for a select whose empty option means "none": None, or an id as form_id reads
    it. The choices are not checked by WTForms (validate_choice=False): the service refuses a
    forged id with its own message, which names what is wrong."""
    if value is None or value == "":
        return None
    return form_id(value)


def unit_choices(units: Iterable[Unit]) -> list[SelectChoice]:
    """Units in tree order, indented by depth, with their code."""
    return [SelectChoice(u.id, f"{'· ' * u.depth}{u.name} ({u.code})") for u in units]


def refuse(form: BaseForm, field: str | None, message: str) -> None:
    """A service's refusal next to the field it is about; one about the whole form, or about
    a field the form does not show, is flashed above it."""
    if field is not None and field in form:
        form[field].errors = [*form[field].errors, message]
    else:
        flash(message, "error")


# A checkbox that is not ticked is not sent; "0" is read as unticked too.
UNTICKED = (False, "false", "", "0")


class EmployeeForm(BaseForm):
    """An admin's edit of one person; NIP, password and activation are not among its fields
    (S04), and every text field follows the rules of the roster import."""

    name = StringField(_l("Name"), validators=[Rule(validation.person_name, required=True)])
    jabatan = StringField(_l("Position (jabatan)"), validators=[Rule(validation.jabatan)])
    golongan = StringField(_l("Golongan"), validators=[Rule(validation.golongan)])
    jenis = SelectField(
        _l("Employment type (jenis)"),
        choices=[SelectChoice(j) for j in JENIS],
        validate_choice=False,  # the rule says what jenis may be, in the import's words
        validators=[Rule(validation.jenis, required=True)],
    )
    email = EmailField(_l("E-mail (optional)"), validators=[Rule(validation.email)])
    unit = SelectField(_l("Unit"), coerce=optional_id, validate_choice=False)
    is_hr = BooleanField(_l("HR officer"), false_values=UNTICKED)
    hr_unit = SelectField(
        _l("HR scope (a unit and everything below it)"), coerce=optional_id, validate_choice=False
    )
    is_admin = BooleanField(_l("Admin"), false_values=UNTICKED)
    active = BooleanField(
        _l("Active (an inactive account cannot log in; it is never deleted)"),
        false_values=UNTICKED,
    )

    # EmployeeChanges' names for the form's fields, to place a service's refusal.
    FIELDS = {"unit_id": "unit", "hr_unit_id": "hr_unit"}

    @staticmethod
    def shown(person: Employee) -> dict:
        """What the form shows before an edit; a field a request leaves out keeps it."""
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

    def offer(self, units: list[Unit], person: Employee) -> None:
        """The units to choose from: active ones, and the person's own or chosen one even when
        inactive, so the page shows what is there; any unit may be an HR scope."""
        keep = {person.unit_id, self.unit.data}
        self.unit.choices = unit_choices(u for u in units if u.active or u.id in keep)
        self.hr_unit.choices = [SelectChoice("", _l("(their own unit)")), *unit_choices(units)]


class UnitUpdateForm(BaseForm):
    """Rename and move; the name follows the rules of the unit import."""

    name = StringField(_l("Name"), validators=[Rule(validation.unit_name, required=True)])
    parent = SelectField(_l("Parent unit"), coerce=optional_id, validate_choice=False)

    def offer(self, parents: Iterable[Unit]) -> None:
        self.parent.choices = [SelectChoice("", _l("(none: a root)")), *unit_choices(parents)]


class UnitForm(UnitUpdateForm):
    """A new unit: a code and a name by the rules of the unit import, and its parent."""

    code = StringField(_l("Code"), validators=[Rule(validation.unit_code, required=True)])


# --- the question bank editor ------------------------------------------------------------------


class LocalNumberField(StringField):
    """A number typed as people write it: 85, 1,5 or 1.5 (parsing.local_decimal, ASCII digits
    only, S37), shown back by i18n.format_plain (85, not 85.0; 1,5 in Indonesian). Empty is
    None; whether a number is required, and its range, is the service's rule."""

    whole = False
    message = _l("Write a number, such as 85 or 1,5.")

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        self.data = ascii_int(text, 0, MAX_ID) if self.whole else local_decimal(text)
        if self.data is None:
            raise ValueError(str(self.message))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_plain(self.data) if self.data is not None else ""


class WholeNumberField(LocalNumberField):
    whole = True
    message = _l("Write a whole number with the digits 0-9.")


class LockField(HiddenField):
    """The draft's save counter the page was built from (S23): a stale save is a conflict."""

    def process_formdata(self, valuelist):
        self.data = ascii_int(valuelist[0], 0, MAX_ID) if valuelist else None
        if self.data is None:
            raise ValueError(str(WholeNumberField.message))


class ItemForm(BaseForm):
    """One item of a draft, on its own page."""

    lock_version = LockField()
    text_id = TextAreaField(
        _l("Statement in Indonesian"), validators=[DataRequired(), Length(max=1000)]
    )
    text_en = TextAreaField(_l("Statement in English (optional)"), validators=[Length(max=1000)])
    behaviour = SelectField(_l("Behaviour it measures"), coerce=form_id)
    reverse = BooleanField(
        _l("Reverse-keyed: agreeing with this statement means a lower score"),
        false_values=UNTICKED,
    )
    order = WholeNumberField(_l("Place among the items of this core value"))


class NewItemForm(BaseForm):
    """A new item: the behaviour is chosen by its name, which also says its core value."""

    behaviour = SelectField(_l("Behaviour it measures"), validate_choice=False)
    text_id = TextAreaField(
        _l("Statement in Indonesian"), validators=[DataRequired(), Length(max=1000)]
    )
    text_en = TextAreaField(_l("Statement in English (optional)"), validators=[Length(max=1000)])
    reverse = BooleanField(
        _l("Reverse-keyed: agreeing with this statement means a lower score"),
        false_values=UNTICKED,
    )


class ScalePointForm(SubForm):
    """The words of one answer option."""

    point = WholeNumberField()
    word_id = StringField(_l("Word in Indonesian"), validators=[Length(max=60)])
    word_en = StringField(_l("Word in English"), validators=[Length(max=60)])


class BandForm(SubForm):
    """One band: from which index it starts, and its name. A blank row is left out."""

    lower = LocalNumberField(_l("Starts at index"))
    name_id = StringField(_l("Name in Indonesian"), validators=[Length(max=60)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=60)])

    def is_blank(self) -> bool:
        return (
            self.lower.data is None
            and not (self.name_id.data or "").strip()
            and not (self.name_en.data or "").strip()
        )


MAX_BANDS = 10


class SettingsForm(BaseForm):
    """What a draft says about scoring, on its own page: the answer options and their words,
    the bands, the weights of the core values, and the smallest group whose results show."""

    lock_version = LockField()
    scale_min = WholeNumberField(_l("Lowest answer"))
    scale_max = WholeNumberField(_l("Highest answer"))
    points = FieldList(FormField(ScalePointForm), max_entries=11)
    bands = FieldList(FormField(BandForm), max_entries=MAX_BANDS + 1)
    weights = FieldList(LocalNumberField(), min_entries=7, max_entries=7)
    min_group_size = WholeNumberField(_l("Fewest respondents whose results are shown"))


# --- the audit log -------------------------------------------------------------------------------


class AuditFilterForm(BaseForm):
    """What the audit log shows: words, never codes. Read from the query string (a GET form,
    no CSRF token); the dates are read by parsing.day_arg in the view (S37)."""

    class Meta:
        csrf = False

    who = StringField(_l("Who (name or NIP)"), validators=[Length(max=100)])
    action = SelectField(_l("What happened"), validate_choice=False)
    period = SelectField(_l("Period"), coerce=optional_id, validate_choice=False)
    start = StringField(_l("From"), widget=DateInput(), name="from")
    end = StringField(_l("To"), widget=DateInput(), name="to")

    def offer(self, actions, periods) -> None:
        # Shown in groups by the template (admin/audit.html); a flat list to read it back.
        self.action.choices = [
            SelectChoice("", _l("Everything")),
            *[SelectChoice(code, name) for _group, pairs in actions for code, name in pairs],
        ]
        self.groups = actions
        self.period.choices = [
            SelectChoice("", _l("Every period")),
            *[SelectChoice(p.id, f"{p.name} ({p.code})") for p in periods],
        ]


class AuditExportForm(BaseForm):
    """The export button: the filter shown, carried in hidden fields."""

    who = HiddenField()
    action = HiddenField()
    period = HiddenField()
    start = HiddenField(name="from")
    end = HiddenField(name="to")
