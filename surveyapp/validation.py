"""The one place where a person's and a unit's fields are normalised and checked.

The admin's web forms (through `admin.forms.Rule`), the roster import (per row and column)
and the services all call these functions, so a value the import refuses is refused by the
edit form with the same words, and nothing is ever cut short to fit a column.

Each rule takes what was typed or read from a cell and returns the value to store, or raises
`Invalid` (a ValueError) whose text is the message in the current language. A required value
that is empty raises `Missing`, so that a form can say "field" and a spreadsheet "cell"."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import phonenumbers
from flask_babel import lazy_gettext as _l

from .models import JENIS, Employee, Unit
from .spreadsheet import INVISIBLE

Rule = Callable[[Any], Any]

# Every limit is the column's own length, so the rules and the schema cannot drift apart.
NAME_MAX = Employee.name.type.length
JABATAN_MAX = Employee.jabatan.type.length
GOLONGAN_MAX = Employee.golongan.type.length
EMAIL_MAX = Employee.email.type.length
UNIT_CODE_MAX = Unit.code.type.length
UNIT_NAME_MAX = Unit.name.type.length
EMAIL_LOCAL_MAX = 64  # RFC 5321, 4.5.3.1.1

MSG_REQUIRED = _l("This field is required.")
MSG_TOO_LONG = _l("At most %(n)d characters.")
MSG_CONTROL = _l("Control characters are not allowed.")
MSG_EMAIL = _l("This is not an e-mail address.")
MSG_PHONE = _l("This is not an Indonesian mobile number, such as 0812-3456-7890.")
MSG_JENIS = _l("Jenis must be PNS or PPPK.")
MSG_CODE_SPACE = _l("A unit code has no spaces.")

# An address as people and mail servers use it (RFC 5321 dot-atom local part, a host name
# with a dot and a top-level domain of letters or punycode), ASCII only: no quoted local
# parts, IP literals or comments, which no office address needs and filters often mangle.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})"
_EMAIL = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>{_DOMAIN})", re.ASCII)

# Unicode's control characters (category Cc); white space among them is folded before this.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Invalid(ValueError):
    """A value a rule refuses. `str()` is the message; `field` names the value when the
    refusal comes from `clean`, so a caller can show it next to its field."""

    def __init__(self, message: Any, field: str | None = None, **values: Any):
        super().__init__(message)
        self.message = message
        self.values = values
        self.field = field

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.values if self.values else text


class Missing(Invalid):
    """A required value that is empty."""

    def __init__(self, field: str | None = None):
        super().__init__(MSG_REQUIRED, field)


def _text(value: Any, limit: int, *, required: bool) -> str:
    """Trimmed, every run of white space (tabs, line breaks, no-break spaces) one space, the
    invisible characters that reorder or hide text (bidi overrides, zero-width spaces) gone;
    a control character or more than `limit` characters is refused, never cut short."""
    text = " ".join(INVISIBLE.sub("", "" if value is None else str(value)).split())
    if not text:
        if required:
            raise Missing()
        return ""
    if _CONTROL.search(text):
        raise Invalid(MSG_CONTROL)
    if len(text) > limit:
        raise Invalid(MSG_TOO_LONG, n=limit)
    return text


def one_line(value: Any, limit: int, *, required: bool = False) -> str:
    """Free text of one line (an action, a person's role): the rule of every text field."""
    return _text(value, limit, required=required)


def paragraphs(value: Any, limit: int, *, required: bool = False) -> str:
    """Free text that keeps its line breaks (a progress note): each line as one_line, runs of
    blank lines as one; the limit counts the stored text, line breaks included."""
    lines = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    for line in lines.split("\n"):
        line = " ".join(line.split())
        if _CONTROL.search(line):
            raise Invalid(MSG_CONTROL)
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    if not text:
        if required:
            raise Missing()
        return ""
    if len(text) > limit:
        raise Invalid(MSG_TOO_LONG, n=limit)
    return text


def person_name(value: Any) -> str:
    return _text(value, NAME_MAX, required=True)


def jabatan(value: Any) -> str:
    return _text(value, JABATAN_MAX, required=False)


# Golongan (docs/domain.md): a PNS holds a ruang I/a to IV/e (I to III have a to d, IV has a
# to e); a PPPK holds a grade from I to XVII. Written as Roman numerals; Arabic ones (3/b, 9)
# and any case or spacing are read and stored the usual way ("III/b", "IX").
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII")  # fmt: skip
PNS_RUANG = {"I": "abcd", "II": "abcd", "III": "abcd", "IV": "abcde"}
PNS_GOLONGAN = tuple(f"{g}/{r}" for g, letters in PNS_RUANG.items() for r in letters)
PPPK_GOLONGAN = ROMAN
_GOLONGAN = re.compile(r"(?P<grade>[IVXivx]+|\d{1,2})\s*(?:[/-]?\s*(?P<ruang>[A-Za-z]))?")

MSG_GOLONGAN = _l(
    "%(value)s is not a golongan: a PNS has I/a to IV/e (for example III/b), a PPPK a grade "
    "from I to XVII."
)
MSG_GOLONGAN_PNS = _l(
    "%(value)s is a PPPK grade; a PNS has a golongan from I/a to IV/e (for example III/b)."
)
MSG_GOLONGAN_PPPK = _l("%(value)s is a PNS golongan; a PPPK has a grade from I to XVII.")


def golongan(value: Any) -> str:
    """Empty (not known), a PNS golongan I/a to IV/e or a PPPK grade I to XVII, written the
    usual way. Whether it suits the person's jenis is `golongan_for`'s question."""
    text = _text(value, GOLONGAN_MAX, required=False)
    if not text:
        return ""
    match = _GOLONGAN.fullmatch(text)
    grade = None
    if match:
        raw = match["grade"].upper()
        grade = ROMAN[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= 17 else raw
    if grade is None or grade not in ROMAN:
        raise Invalid(MSG_GOLONGAN, value=text)
    if match["ruang"] is None:
        return grade
    ruang = match["ruang"].lower()
    if ruang not in PNS_RUANG.get(grade, ""):
        raise Invalid(MSG_GOLONGAN, value=text)
    return f"{grade}/{ruang}"


def golongan_for(jenis_value: str, golongan_value: str) -> str:
    """A golongan (already read by `golongan`) that suits the jenis: I/a to IV/e for a PNS,
    a grade I to XVII for a PPPK. The one cross-field rule of a person, used by the edit form
    (through `clean_person`) and by each import row."""
    if not golongan_value:
        return golongan_value
    if jenis_value == "PNS" and golongan_value not in PNS_GOLONGAN:
        raise Invalid(MSG_GOLONGAN_PNS, value=golongan_value)
    if jenis_value == "PPPK" and golongan_value not in PPPK_GOLONGAN:
        raise Invalid(MSG_GOLONGAN_PPPK, value=golongan_value)
    return golongan_value


def jenis(value: Any) -> str:
    """PNS or PPPK, in any case."""
    text = "" if value is None else str(value).strip().upper()
    if not text:
        raise Missing()
    if text not in JENIS:
        raise Invalid(MSG_JENIS)
    return text


def email(value: Any) -> str | None:
    """None when empty; otherwise one address, without any space, its domain lower-cased
    (the local part is the mail server's business and is kept as typed)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    match = _EMAIL.fullmatch(text) if len(text) <= EMAIL_MAX else None
    if match is None or len(match["local"]) > EMAIL_LOCAL_MAX:
        raise Invalid(MSG_EMAIL)
    return f"{match['local']}@{match['domain'].lower()}"


def phone(value: Any) -> str | None:
    """None when empty; otherwise an Indonesian mobile number ("0812-3456-7890",
    "+62 812 3456 7890", "6281234567890", or a number cell that lost its leading 0) in
    E.164, "+6281234567890", as WhatsApp links need it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise Invalid(MSG_PHONE) from None
    mobile = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if (
        number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in mobile
    ):
        raise Invalid(MSG_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def unit_code(value: Any) -> str:
    """One word of at most UNIT_CODE_MAX characters: a code is matched exactly, so a space in
    it would make two codes that look alike."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise Missing()
    if any(c.isspace() for c in text):
        raise Invalid(MSG_CODE_SPACE)
    if _CONTROL.search(text):
        raise Invalid(MSG_CONTROL)
    if len(text) > UNIT_CODE_MAX:
        raise Invalid(MSG_TOO_LONG, n=UNIT_CODE_MAX)
    return text


def unit_name(value: Any) -> str:
    return _text(value, UNIT_NAME_MAX, required=True)


EMPLOYEE_RULES: dict[str, Rule] = {
    "name": person_name,
    "jabatan": jabatan,
    "golongan": golongan,
    "jenis": jenis,
    "email": email,
}


def clean(values: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """Each value through its rule; the first refusal raises, naming its field."""
    cleaned = {}
    for name, rule in rules.items():
        try:
            cleaned[name] = rule(values.get(name))
        except Invalid as exc:
            exc.field = name
            raise
    return cleaned


def clean_person(values: Mapping[str, Any]) -> dict[str, Any]:
    """A person's fields through EMPLOYEE_RULES, then the golongan against the jenis."""
    cleaned = clean(values, EMPLOYEE_RULES)
    try:
        golongan_for(cleaned["jenis"], cleaned["golongan"])
    except Invalid as exc:
        exc.field = "golongan"
        raise
    return cleaned
