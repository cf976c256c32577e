"""The one place that reads numbers and dates out of requests (S37).

Python is generous with digits: `str.isdigit` accepts "²" (and `int` then raises), `int`,
`float`, `strptime` and werkzeug's `<int:...>` accept "٣" and "３", and nothing stops a
20-digit id or page number before the database overflows on it. Everything a request
carries as a number goes through here instead: ASCII digits only, within bounds, or refused
with 404 or 422 and a message the error page shows in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL `integer`: every primary key and counter column
MAX_PAGE = 1_000_000  # more than any list of the app has pages; above it there is no page
FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside are typing errors or attacks

_INTEGER = re.compile(r"-?[0-9]{1,18}", re.ASCII)
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9})?", re.ASCII)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?", re.ASCII)

NOT_A_NUMBER = _l("A number in the request is not a whole number written with the digits 0-9.")
NO_SUCH_PAGE = _l("There is no page with this number.")
BAD_DATE = _l("Enter a valid date between the years %(first)d and %(last)d.")


def ascii_int(text: str | None, lo: int, hi: int) -> int | None:
    """The whole number `text` writes in ASCII digits (a leading minus allowed) if it lies in
    [lo, hi]; None for anything else, so a caller only decides what a refusal means."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if lo <= number <= hi else None


def ascii_decimal(text: str | None) -> float | None:
    """A decimal such as 2 or 92.5 in ASCII digits (nine at most on each side of the point);
    None for anything else, "1e3", "nan" and "inf" included. The caller checks its range."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text.strip()):
        return None
    return float(text)


_LOCAL_DECIMAL = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,9})?", re.ASCII)


def local_decimal(text: str | None) -> float | None:
    """A decimal as a person types it in either language: 1,5 (Indonesian) or 1.5 (English),
    ASCII digits only, no thousands separator (none of the numbers typed so is above 1000).
    None for anything else; the caller checks its range."""
    if not isinstance(text, str) or not _LOCAL_DECIMAL.fullmatch(text.strip()):
        return None
    return float(text.strip().replace(",", "."))


def ascii_day(text: str | None) -> date | None:
    """YYYY-MM-DD in ASCII digits, a real day between FIRST_YEAR and LAST_YEAR."""
    if not isinstance(text, str) or not _DAY.fullmatch(text.strip()):
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def ascii_moment(text: str | None) -> datetime | None:
    """YYYY-MM-DDTHH:MM (a browser's datetime-local) in ASCII digits, naive, in the years
    FIRST_YEAR to LAST_YEAR (year 1 overflows when turned into UTC)."""
    if not isinstance(text, str) or not _MOMENT.fullmatch(text.strip()):
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if FIRST_YEAR <= moment.year <= LAST_YEAR else None


def date_message() -> str:
    return str(BAD_DATE) % {"first": FIRST_YEAR, "last": LAST_YEAR}


class Refused(HTTPException):
    """A value from the request the app does not accept: the error page shows `detail`."""

    def __init__(self, code: int, detail: str | None = None):
        super().__init__()
        self.code = code
        self.detail = detail


def int_arg(
    values: Mapping[str, str],
    name: str,
    *,
    lo: int = 1,
    hi: int = MAX_ID,
    default: int | None = None,
    code: int = 422,
    detail: object | None = NOT_A_NUMBER,
) -> int | None:
    """`values[name]` (request.args or request.form) as a number in [lo, hi]; `default` when
    absent or empty; anything else refused with `code` and `detail` on the error page."""
    raw = values.get(name, "")
    if raw == "":
        return default
    number = ascii_int(raw, lo, hi)
    if number is None:
        raise Refused(code, str(detail) if detail else None)
    return number


def id_arg(values: Mapping[str, str], name: str) -> int | None:
    """An id that chooses what a page shows (?unit=, ?period=): anything but a possible id is
    the same plain 404 as an id that is not there or not the user's (S03)."""
    return int_arg(values, name, code=404, detail=None)


def page_arg(values: Mapping[str, str], name: str = "page") -> int:
    """A page number from 1 to MAX_PAGE (1 when absent), which the lists clamp to their last
    page; anything else is 404: there is no such page."""
    return int_arg(values, name, hi=MAX_PAGE, default=1, code=404, detail=NO_SUCH_PAGE)


def day_arg(values: Mapping[str, str], name: str) -> date | None:
    """A date filter: None when absent, 422 with the accepted range when not a sane date."""
    raw = values.get(name, "")
    if raw == "":
        return None
    day = ascii_day(raw)
    if day is None:
        raise Refused(422, date_message())
    return day


def form_id(value) -> int:
    """`coerce` for WTForms select fields: an id in ASCII digits, ValueError otherwise (the
    field then says "Not a valid choice")."""
    number = ascii_int(str(value), 1, MAX_ID)
    if number is None:
        raise ValueError(value)
    return number


class IdConverter(IntegerConverter):
    """`<int:...>` of every route (create_app registers it under that name): ASCII digits
    only, since werkzeug's `\\d` also matches "٣" and "３", and at most MAX_ID, so a huge id is
    a 404 and never reaches the database."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
