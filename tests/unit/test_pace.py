"""The participation target and the projection at the current pace (surveyapp/pace.py), on a
fixed submission history whose numbers were worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from surveyapp import pace

OPENED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)
DEADLINE = date(2026, 12, 17)
# 90 submissions so far; the last seven whole days (3 to 9 December) brought 38.
HISTORY = {
    date(2026, 12, 1): 30,
    date(2026, 12, 2): 20,
    date(2026, 12, 3): 10,
    date(2026, 12, 4): 10,
    date(2026, 12, 7): 8,
    date(2026, 12, 8): 6,
    date(2026, 12, 9): 4,
    date(2026, 12, 10): 2,  # today, not over yet: not part of the pace
}


def _project(target: float, minimum: int | None = None, eligible: int = 200):
    return pace.project(
        submitted=90,
        eligible=eligible,
        daily=HISTORY,
        today=TODAY,
        opened_on=OPENED,
        deadline=DEADLINE,
        target_percent=target,
        minimum=minimum,
    )


def test_golden_projection_below_the_target():
    """38 in 7 days is 38/7 a day; 7 days left give 90 + 38 = 128 of 200: 64 % on 17
    December, short of the 160 that 80 % needs (70 more at 38/7 a day take 13 days)."""
    p = _project(80)
    assert p.pace == pytest.approx(38 / 7)
    assert p.days_left == 7
    assert p.submitted_at_deadline == pytest.approx(128)
    assert p.rate_at_deadline == pytest.approx(0.64)
    assert p.required == 160
    assert p.reaches_target_on is None
    assert not p.already_met


def test_golden_projection_reaching_the_target_before_the_deadline():
    """60 % of 200 is 120: 30 more at 38/7 a day take ceil(5.53) = 6 days, 16 December."""
    p = _project(60)
    assert p.required == 120
    assert p.reaches_target_on == date(2026, 12, 16)


def test_reaching_the_target_exactly_on_the_deadline_counts():
    """65 % is 130: 40 more take ceil(7.37) = 8 days, the 18th: one day late. 64 % is 128:
    38 more take exactly 7 days, the 17th, the deadline itself."""
    assert _project(65).reaches_target_on is None
    assert _project(64).reaches_target_on == DEADLINE


def test_a_met_target_is_met_today():
    p = _project(45)  # 90 of 200 is exactly 45 %
    assert p.already_met and p.reaches_target_on == TODAY


def test_the_projection_never_passes_the_roster():
    p = _project(80, eligible=100)
    assert p.submitted_at_deadline == 100 and p.rate_at_deadline == 1.0


def test_pace_on_the_opening_day_is_todays_count():
    assert pace.pace({TODAY: 7}, TODAY, TODAY) == 7
    assert pace.pace({}, TODAY, TODAY) == 0


def test_pace_counts_only_days_since_opening():
    # Opened on the 8th: the 8th and 9th are the whole days (6 + 4) / 2.
    assert pace.pace(HISTORY, TODAY, date(2026, 12, 8)) == 5


@pytest.mark.parametrize(
    "eligible, percent, minimum, required",
    [
        (10, 80, None, 8),  # exactly 80 %
        (3, 80, None, 3),  # 2.4 people round up to 3
        (200, 82.5, None, 165),
        (7, 100, None, 7),
        (100, 80, 90, 90),  # the minimum number of respondents is higher
        (100, 80, 50, 80),
        (0, 80, None, 0),
    ],
)
def test_required_submissions(eligible, percent, minimum, required):
    assert pace.required_submissions(eligible, percent, minimum) == required


def test_meeting_the_target_exactly_at_and_one_below():
    assert pace.meets_target(8, 10, 80)  # exactly at
    assert not pace.meets_target(7, 10, 80)  # one below
    assert pace.meets_target(90, 100, 80, minimum=90)
    assert not pace.meets_target(89, 100, 80, minimum=90)
    assert not pace.meets_target(0, 0, 80)  # nobody eligible meets nothing


def test_gap_ranks_furthest_below_first():
    assert pace.gap(64, 100, 80) == pytest.approx(-0.16)
    assert pace.gap(8, 10, 80) == pytest.approx(0.0)
    assert pace.gap(0, 0, 80) is None


def test_cumulative_curve():
    curve = pace.cumulative(HISTORY, date(2026, 12, 2), date(2026, 12, 5))
    assert curve == [
        (date(2026, 12, 2), 50),  # the 1st's 30 count towards the first day shown
        (date(2026, 12, 3), 60),
        (date(2026, 12, 4), 70),
        (date(2026, 12, 5), 70),
    ]


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("7,3,1", (7, 3, 1)),
        (" 1, 3 ,7,3", (7, 3, 1)),
        ("", ()),
        (None, ()),
        ("60", (60,)),
        ("61", None),
        ("7;3", None),
        ("-1", None),
        ("٣", None),
        ("7,,1", None),
    ],
)
def test_parse_schedule(text, parsed):
    assert pace.parse_schedule(text) == parsed
