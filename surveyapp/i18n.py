"""Locale choice and local formats: Indonesian first, English second."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import flask_babel
from babel import Locale
from babel import dates as babel_dates
from babel.numbers import parse_pattern
from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale, gettext, ngettext, to_user_timezone
from flask_login import current_user

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs: the default, unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """Flask-Babel's zone: the instance's TIMEZONE, read on each use so that a change of the
    setting (a test's, or a restart's) needs nothing else to follow it."""
    return current_app.config["TIMEZONE"]


def local_tz() -> ZoneInfo:
    """The instance zone for code outside Flask-Babel (tests; excel.py writes local cells)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_utc(local_naive: datetime) -> datetime:
    """A wall-clock time typed in the instance zone (a form, a date filter) as aware UTC:
    Flask-Babel's to_utc drops the zone, and our UTC columns want it said."""
    return flask_babel.to_utc(local_naive).replace(tzinfo=UTC)


def tz_abbreviation() -> str:
    """WIB/WITA/WIT for Indonesian zones (Babel's short names, the same in both languages), the
    zone's own name where Babel has only an offset."""
    zone = current_app.config["TIMEZONE"]
    short = babel_dates.format_datetime(_now(), "z", tzinfo=ZoneInfo(zone), locale="id")
    return zone if short[:1] in "+-" else short


def tz_long_name() -> str:
    """The instance zone's full name in the user's language: Waktu Indonesia Barat."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return babel_dates.format_datetime(_now(), "zzzz", tzinfo=zone, locale=current_locale())


def _now() -> datetime:
    return datetime.now(UTC)


def format_datetime(value: datetime | None, fmt: str = "d MMMM y, HH.mm") -> str:
    """3 Maret 2027, 09.14 WIB: in the instance time zone, with the zone's short name."""
    if value is None:
        return ""
    if current_locale().startswith("en"):
        fmt = fmt.replace("HH.mm", "HH:mm")
    return f"{flask_babel.format_datetime(value, fmt)} {tz_abbreviation()}"


def format_date(value: datetime | None) -> str:
    if value is None:
        return ""
    return flask_babel.format_date(value, "d MMMM y")


def format_day(value) -> str:
    """17 Desember / 17 December: a day this year, as a sentence names it."""
    if value is None:
        return ""
    return flask_babel.format_date(value, "d MMMM")


def format_number(value: float | None, decimals: int = 2) -> str:
    """85,42 in Indonesian, 85.42 in English; rounding happens only here, for display."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return _apply(pattern, value, current_locale())


def format_plain(value: float | None) -> str:
    """A number an admin typed, shown back as typed: 85 (not 85.0), 1,5 in Indonesian and 1.5
    in English, no thousands separator, so that it reads back through parsing.local_decimal."""
    if value is None:
        return ""
    return _apply("0.#########", value, current_locale())


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    """35,0% in Indonesian, 35.0% in English: the sign follows the number without a space."""
    if fraction is None:
        return "–"
    pattern = "#,##0." + "0" * decimals + "%" if decimals else "#,##0%"
    return _apply(pattern, fraction, current_locale())


@lru_cache(maxsize=64)
def _pattern_and_locale(pattern: str, locale: str):
    """Babel parses a pattern and loads a locale on every call; a page of 500 units formats
    thousands of numbers, so both are kept."""
    return parse_pattern(pattern), Locale.parse(locale)


def _apply(pattern: str, value: float, locale: str) -> str:
    parsed, babel_locale = _pattern_and_locale(pattern, locale)
    return parsed.apply(value, babel_locale)


def days_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """ "3 hari lagi" / "3 days left"; "hari ini" on the last day, counted in local days."""
    if deadline is None:
        return ""
    now = now or datetime.now(UTC)
    days = (to_user_timezone(deadline).date() - to_user_timezone(now).date()).days
    if days < 0:
        return gettext("closed")
    if days == 0:
        return gettext("last day today")
    return ngettext("%(num)d day left", "%(num)d days left", days)


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        day=format_day,
        number=format_number,
        plain=format_plain,
        percent=format_percent,
        days_left=days_left,
    )
    app.jinja_env.globals.update(tz_abbreviation=tz_abbreviation, tz_long_name=tz_long_name)

    @app.context_processor
    def _locale_context():
        return {"current_locale": current_locale(), "languages": app.config["LANGUAGES"]}
