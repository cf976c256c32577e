"""HR forms; every label through gettext."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from ..forms import BaseForm
from ..parsing import form_id
from ..services.reminders import MODE_BELOW_TARGET, MODE_PICKED, MODE_UNIT


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
