"""S37: the one parser of request numbers and dates, without an app."""

from datetime import date, datetime

import pytest

from surveyapp.parsing import MAX_ID, ascii_day, ascii_decimal, ascii_int, ascii_moment

ODD = ("²", "٣", "３", "1e3", "1_000", "+1", "0x1", "", " ", "1 2", None, "9" * 5000)


@pytest.mark.parametrize("text", ODD)
def test_s37_ascii_int_refuses_what_is_not_ascii_digits(text):
    assert ascii_int(text, -MAX_ID, MAX_ID) is None


def test_s37_ascii_int_keeps_to_its_bounds():
    assert ascii_int("7", 1, 10) == 7 and ascii_int(" 7 ", 1, 10) == 7
    assert ascii_int("-1", 0, 10) is None and ascii_int("-1", -5, 10) == -1
    assert ascii_int(str(MAX_ID), 1, MAX_ID) == MAX_ID
    assert ascii_int(str(MAX_ID + 1), 1, MAX_ID) is None
    assert ascii_int("99999999999999999999", 1, MAX_ID) is None


@pytest.mark.parametrize("text", ["1e3", "nan", "inf", "-1", "٣", "2,5", "1.", ".5", ""])
def test_s37_ascii_decimal_refuses_exponents_and_foreign_digits(text):
    assert ascii_decimal(text) is None


def test_s37_ascii_decimal_reads_plain_decimals():
    assert ascii_decimal("92.5") == 92.5 and ascii_decimal("2") == 2.0


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "٢٠٢٧-٠١-٠١", "2027-02-30"]
)
def test_s37_ascii_day_refuses_days_outside_the_sane_years(text):
    assert ascii_day(text) is None


def test_s37_ascii_day_and_moment_read_what_browsers_send():
    assert ascii_day("2027-03-02") == date(2027, 3, 2)
    assert ascii_moment("2027-03-02T08:15") == datetime(2027, 3, 2, 8, 15)
    assert ascii_moment("0001-01-01T00:00") is None and ascii_moment("2027-03-02") is None
