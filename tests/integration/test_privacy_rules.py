"""services/privacy on its own: when results are published, who may see them before, and the
sentence that says when they come (the edge is the closing moment itself)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from surveyapp import scoring
from surveyapp.models import Period
from surveyapp.services import privacy

CLOSES = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)  # 16.00 WIB


def _period(state: str) -> Period:
    return Period(code="P", name="P", state=state, closes_at=CLOSES, hide_individuals=True)


@pytest.mark.parametrize(
    ("state", "published"), [("draft", False), ("open", False), ("closed", True)]
)
def test_results_are_published_when_the_period_is_closed(state, published):
    assert privacy.results_published(_period(state)) is published


def test_only_admins_see_an_open_periods_results(org):
    open_period, closed = _period("open"), _period("closed")
    assert privacy.may_see_results(org.admin, open_period)
    for user in (org.hr_a, org.employee, None):
        assert not privacy.may_see_results(user, open_period)
    for user in (org.admin, org.hr_a, org.employee, None):
        assert privacy.may_see_results(user, closed)


def test_pending_note_names_the_closing_date_until_the_closing_moment(app_ctx):
    period = _period("open")
    with force_locale("id"):
        before = privacy.results_pending_note(period, now=CLOSES - timedelta(seconds=1))
        at = privacy.results_pending_note(period, now=CLOSES)
    assert before == "Hasil unit tersedia setelah periode ditutup pada 17 Desember 2026."
    assert at == (
        "Periode berakhir pada 17 Desember 2026; hasil unit tersedia setelah admin menutup periode."
    )
    with force_locale("en"):
        assert privacy.results_pending_note(period, now=CLOSES + timedelta(days=1)) == (
            "The period ended on 17 December 2026; unit results are available once an "
            "administrator closes it."
        )


def test_band_label_in_each_language_and_for_no_band():
    very_good = scoring.DEFAULT_BANDS[0]
    assert scoring.band_label(very_good, "id") == "Sangat Baik"
    assert scoring.band_label(very_good, "en") == "Very good"
    assert scoring.band_label(None, "id") is None
