"""HR forms: whom to remind, an action plan with its actions (FieldList of FormField), and a
progress note.

The fields check what a browser can get wrong (a missing or impossible date, an unknown
choice, too much text) next to the field; services/plans.py checks the same rules again for
any other caller, and a refusal there is shown next to its field too.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, StopValidation, ValidationError

from .. import validation
from ..forms import BaseForm, _AppTranslations
from ..models import ACTION_PLANNED, ACTION_STATUSES
from ..parsing import ascii_day, ascii_int, date_message, form_id
from ..services import plans
from ..services.reminders import MODE_BELOW_TARGET, MODE_PICKED, MODE_UNIT

BLANK_ACTION_ROWS = 2  # empty rows under the actions, to add some without JavaScript


class DayField(DateField):
    """A browser's date (YYYY-MM-DD) read by parsing.ascii_day (S37): ASCII digits, a real
    day, years FIRST_YEAR to LAST_YEAR; anything else says which dates are accepted."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = ascii_day(valuelist[0])
        if self.data is None:
            self.raw_data = valuelist
            raise ValueError(date_message())


class Text:
    """A rule of module validation as a validator (as admin.forms.Rule): the field's data
    becomes the normalised text, a refusal the field's error."""

    def __init__(self, rule, limit: int, *, required: bool = False):
        self.rule, self.limit, self.required = rule, limit, required
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field) -> None:
        try:
            field.data = self.rule(field.data, self.limit, required=self.required)
        except validation.Missing as exc:
            raise StopValidation(str(exc)) from exc
        except validation.Invalid as exc:
            raise ValidationError(str(exc)) from exc


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def status_choices():
    return [(s, plans.STATUS_LABELS[s]) for s in ACTION_STATUSES]


class ActionForm(Form):
    """One action. A row left wholly empty is dropped (the blank rows for new actions); a
    row with anything in it needs every field."""

    class Meta:
        def get_translations(self, form):
            return _AppTranslations()

    what = StringField(_l("What"))
    who = StringField(_l("Who"))
    due = DayField(_l("Due date"))
    status = SelectField(_l("Status"), choices=status_choices, default=ACTION_PLANNED)

    def is_blank(self) -> bool:
        return (
            not (self.what.data or "").strip()
            and not (self.who.data or "").strip()
            and (
                self.due.data is None and not self.due.errors and not (self.due.raw_data or [""])[0]
            )
        )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.is_blank():
            return True
        ok = True
        for field, rule, limit in (
            (self.what, validation.one_line, plans.WHAT_MAX),
            (self.who, validation.one_line, plans.WHO_MAX),
        ):
            try:
                Text(rule, limit, required=True)(self, field)
            except (StopValidation, ValidationError) as exc:
                field.errors.append(str(exc))
                ok = False
        if self.due.data is None:
            self.due.errors.append(str(validation.MSG_REQUIRED))
            ok = False
        return ok


class PlanForm(BaseForm):
    focus = CheckboxesField(_l("Focus values"))
    goal = TextAreaField(
        _l("Goal (optional)"),
        validators=[Text(validation.paragraphs, plans.GOAL_MAX)],
    )
    actions = FieldList(FormField(ActionForm), min_entries=1)
    lock_version = HiddenField()

    def offer(self, suggestions) -> None:
        self.focus.choices = [(s.code, f"{s.name} ({s.code})") for s in suggestions]

    def validate_focus(self, field) -> None:
        if not field.data:
            raise ValidationError(str(plans.MSG_NO_FOCUS))
        if len(set(field.data)) > plans.FOCUS_MAX:
            raise ValidationError(str(plans.MSG_TOO_MANY_FOCUS) % {"n": plans.FOCUS_MAX})

    def filled_actions(self) -> list[plans.ActionInput]:
        return [
            plans.ActionInput(a.what.data, a.who.data, a.due.data, a.status.data)
            for a in (entry.form for entry in self.actions)
            if not a.is_blank()
        ]

    def add_blank_rows(self) -> None:
        for _n in range(BLANK_ACTION_ROWS):
            self.actions.append_entry()

    def lock(self) -> int | None:
        return ascii_int(self.lock_version.data or "", 0, 2**31 - 1)


class NoteForm(BaseForm):
    noted_on = DayField(_l("Date"), validators=[InputRequired()])
    text = TextAreaField(
        _l("Progress note"), validators=[Text(validation.paragraphs, plans.NOTE_MAX, required=True)]
    )


class RemindForm(BaseForm):
    """Whom to remind (a unit, the units below target, or the people ticked) and how."""

    mode = SelectField(
        _l("Whom"),
        choices=[
            SelectChoice(MODE_PICKED, _l("The people ticked above")),
            SelectChoice(MODE_UNIT, _l("Everyone in this unit who has not submitted")),
            SelectChoice(MODE_BELOW_TARGET, _l("Everyone in the units below their target")),
        ],
        validators=[InputRequired()],
    )
    unit = HiddenField()
    # The scope check is the service's (reminders.chosen_people): a person outside it is 404.
    people = SelectMultipleField(_l("People"), coerce=form_id, validate_choice=False)
    email = BooleanField(_l("Send an e-mail"), default=True)
    whatsapp = BooleanField(_l("Prepare WhatsApp messages"))

    def validate_whatsapp(self, field) -> None:
        if not field.data and not self.email.data:
            raise ValidationError(_l("Choose e-mail, WhatsApp or both."))
