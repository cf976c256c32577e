"""Indonesian first: WTForms' own messages, numbers and dates in the user's language."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from surveyapp.i18n import days_left, format_datetime, format_number, format_percent


@pytest.mark.parametrize(
    ("locale", "message"), [("id", "Isian ini wajib diisi."), ("en", "This field is required.")]
)
def test_form_validation_messages_follow_the_language(client, locale, message):
    client.post("/locale", data={"lang": locale})
    page = client.post("/login", data={"nip": "", "password": ""}).get_data(as_text=True)
    assert message in page


def test_numbers_and_dates_in_indonesian_and_english(app_ctx):
    moment = datetime(2027, 3, 3, 2, 14, tzinfo=UTC)  # 09.14 in Jakarta
    with force_locale("id"):
        assert format_number(85.4234) == "85,42"
        assert format_datetime(moment) == "3 Maret 2027, 09.14 WIB"
    with force_locale("en"):
        assert format_number(85.4234) == "85.42"
        assert "9:14" in format_datetime(moment)


def test_days_left_counts_local_calendar_days_with_plurals(app_ctx):
    now = datetime(2027, 3, 1, 16, 30, tzinfo=UTC)  # 23.30 WIB on 1 March
    in_two_days = datetime(2027, 3, 3, 10, 0, tzinfo=UTC)
    tomorrow_morning = datetime(2027, 3, 1, 18, 0, tzinfo=UTC)  # 01.00 WIB on 2 March
    with force_locale("id"):
        assert days_left(in_two_days, now) == "2 hari lagi"
        assert days_left(tomorrow_morning, now) == "1 hari lagi"
        assert days_left(now, now) == "hari terakhir"
    with force_locale("en"):
        assert days_left(in_two_days, now) == "2 days left"
        assert days_left(tomorrow_morning, now) == "1 day left"


def test_percent_sign_follows_the_number_without_a_space(app_ctx):
    with force_locale("id"):
        assert format_percent(0.35) == "35,0%"
        assert format_percent(1 / 3, 0) == "33%"
        assert format_percent(None) == "–"
    with force_locale("en"):
        assert format_percent(0.35) == "35.0%"
