"""The base form every form of the app derives from.

WTForms ships no Indonesian catalogue, so its own messages ("This field is required.")
would reach Indonesian users in English. `BaseForm` sends them through the app's own
Flask-Babel catalogue instead; `WTFORMS_MESSAGES` lists them so that extraction puts them
in `translations/` next to ours.
"""

from __future__ import annotations

from flask_babel import get_domain, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form


class _AppTranslations:
    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # The catalogue's string unformatted: WTForms fills in its own %(value)s afterwards,
        # and Flask-Babel's ngettext would fail on it (a forged choice was a 500).
        return get_domain().get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _AppTranslations()


class SubForm(Form):
    """A group of fields repeated inside a form (FormField, FieldList): no CSRF token of its
    own, the same catalogue for WTForms' messages."""

    class Meta:
        def get_translations(self, form):
            return _AppTranslations()


# WTForms' and Flask-WTF's own messages, listed so that `pybabel extract` finds them.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF tokens do not match."),
    _l("The CSRF session token is missing."),
)


def _plural_messages_for_extraction() -> None:
    """Never called: lists WTForms' plural messages for `pybabel extract`."""
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    )
