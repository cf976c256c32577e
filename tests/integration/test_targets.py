"""Participation targets: the period's and a unit's own (inherited below it), the admin's
forms in Indonesian number formats, and the HR dashboard that ranks units by distance to
their target with an estimate at the current pace, in a fixed number of SQL statements."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp.models import AuditLog, Period, Response, UnitTarget, utcnow
from surveyapp.services import targets
from tests.integration.test_results_statements import _page_statements, populate


@pytest.fixture
def period(build, org, session):
    """Open for 7 days, 7 days to go; in Dinas A (3 people) one submitted two days ago."""
    period = build.period([org.root], days_left=7)
    now = utcnow()
    period.opens_at = period.opened_at = now - timedelta(days=7)
    response = build.response(period, org.employee)
    response.submitted_at = now - timedelta(days=2)
    build.response(period, org.other)  # Dinas B, submitted today
    session.flush()
    return period


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _ranking(page: str) -> list[tuple[str, list[str]]]:
    body = page.split('class="table cards ranking"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r'<tr class="(?:met|below)">(.*?)</tr>', body, re.S):
        code = re.search(r'<span class="muted">([^<]+)</span>', row).group(1)
        cells = [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append((code, cells))
    return rows


def test_the_period_target_is_inherited_unless_a_unit_has_its_own(period, org, session):
    assert targets.participation_target(period) == targets.Target(80.0, None, True)
    targets.set_unit_target(period, org.dinas_a.id, 90.0)
    assert targets.participation_target(period, org.dinas_a).percent == 90.0
    below = targets.participation_target(period, org.bidang_a1.id)
    assert (below.percent, below.own) == (90.0, False)  # inherited from Dinas A
    assert targets.participation_target(period, org.dinas_b).percent == 80.0
    targets.set_unit_target(period, org.bidang_a1.id, 50.0)
    assert targets.participation_target(period, org.bidang_a1) == targets.Target(50.0, None, True)
    targets.set_unit_target(period, org.dinas_a.id, None)  # removed again
    assert targets.participation_target(period, org.dinas_a).percent == 80.0


def test_hr_dashboard_ranks_units_by_distance_to_target(hr_client, period):
    page = hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True)
    # Dinas A: 1 of 3 (33 %), 80 % needs 3 (2.4 rounded up): 2 more. Bidang A1: 1 of 2,
    # needs 2: 1 more. Dinas A is further below its target, so it comes first.
    assert _ranking(page) == [
        ("DINAS-A", ["33,3%", "80%", "2", "67%"]),
        ("A-1", ["50,0%", "80%", "1", "100%"]),
    ]
    text = _text(page)
    assert "7 hari lagi" in text
    # 1 submission in the last 7 whole days: 1/7 a day for 7 days is 1 more, 2 of 3.
    assert "Perkiraan: dengan laju saat ini DINAS-A mencapai 67% pada " in text
    assert "di bawah target 80%" in text
    assert "Dinas B" not in text  # outside the HR scope


def test_a_unit_exactly_at_its_own_target_is_reached_one_below_is_not(
    hr_client, period, org, session
):
    targets.set_unit_target(period, org.bidang_a1.id, 50.0)  # 1 of 2 is exactly 50 %
    session.commit()
    rows = dict(_ranking(hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True)))
    assert rows["A-1"][1:3] == ["50%", "✓ tercapai"]
    targets.set_unit_target(period, org.bidang_a1.id, 50.5)  # needs 1.01, so 2
    session.commit()
    rows = dict(_ranking(hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True)))
    assert rows["A-1"][1:3] == ["50,5%", "1"]


def test_the_dashboard_draws_the_curve_with_the_target_and_estimate(hr_client, period):
    page = hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True)
    svg = page.split('<svg class="chart curve"')[1].split("</svg>")[0]
    assert "Garis target 80%" in svg
    assert svg.count('class="curve-line"') == 7  # 8 days from opening to today
    assert 'class="curve-projection"' in svg
    assert "<desc" in svg and "viewBox" not in svg  # text stays at its CSS size


def test_english_dashboard(hr_client, period, org, session):
    org.hr_a.locale = "en"
    session.commit()
    text = _text(hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True))
    assert "Estimate: at the current pace DINAS-A reaches 67% on " in text


def test_the_minimum_number_of_respondents_is_the_whole_periods(admin_client, period, session):
    period.min_respondents = 5
    session.commit()
    text = _text(admin_client.get(f"/hr/?period={period.id}").get_data(as_text=True))
    # 6 on the roster, 80 % is 5 (4.8 rounded up), the minimum is 5 too; 2 submitted.
    assert "sedikitnya 5 responden" in text
    assert re.search(r"3 Kiriman lagi yang dibutuhkan", text)


def test_admin_sets_the_target_in_indonesian_number_format(admin_client, period, session):
    reply = admin_client.post(
        f"/admin/periods/{period.id}/target",
        data={"target_percent": "82,5", "min_respondents": "150", "reminder_days": " 1, 7,3"},
    )
    assert reply.status_code == 303
    session.expire_all()
    stored = session.get(Period, period.id)
    assert (stored.target_percent, stored.min_respondents, stored.reminder_days) == (
        82.5,
        150,
        "7,3,1",
    )
    entry = session.scalars(sa.select(AuditLog).where(AuditLog.action == "period_target_set")).one()
    assert entry.before["target_percent"] == 80.0 and entry.after["target_percent"] == 82.5
    page = admin_client.get(f"/admin/periods/{period.id}").get_data(as_text=True)
    assert 'value="82,5"' in page and "82,5%" in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("target_percent", "0"),
        ("target_percent", "100,5"),
        ("target_percent", "delapan puluh"),
        ("target_percent", "８０"),
        ("min_respondents", "0"),
        ("min_respondents", "٣"),
        ("reminder_days", "7;3"),
        ("reminder_days", "61"),
    ],
)
def test_bad_targets_are_refused_and_change_nothing(admin_client, period, session, field, value):
    data = {"target_percent": "80", "min_respondents": "", "reminder_days": ""}
    data[field] = value
    reply = admin_client.post(f"/admin/periods/{period.id}/target", data=data)
    assert reply.status_code == 303
    page = admin_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "flash-error" in page
    session.expire_all()
    stored = session.get(Period, period.id)
    assert (stored.target_percent, stored.min_respondents, stored.reminder_days) == (
        80.0,
        None,
        None,
    )
    assert not session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "period_target_set")
    ).all()


def test_100_percent_is_a_target(admin_client, period, session):
    admin_client.post(f"/admin/periods/{period.id}/target", data={"target_percent": "100"})
    session.expire_all()
    assert session.get(Period, period.id).target_percent == 100.0


def test_admin_sets_a_units_own_target(admin_client, period, org, session):
    reply = admin_client.post(
        f"/admin/periods/{period.id}/unit-target",
        data={"unit-unit": str(org.dinas_b.id), "unit-target_percent": "95"},
    )
    assert reply.status_code == 303
    assert session.get(UnitTarget, (period.id, org.dinas_b.id)).target_percent == 95.0
    # A unit outside the period's tree is not a choice.
    outsider = session.scalar(sa.select(sa.func.max(Period.id)))  # any id that is no unit here
    reply = admin_client.post(
        f"/admin/periods/{period.id}/unit-target",
        data={"unit-unit": str(outsider + 10_000), "unit-target_percent": "95"},
    )
    assert session.scalar(sa.select(sa.func.count()).select_from(UnitTarget)) == 1


def test_hr_cannot_change_targets(hr_client, period):
    assert hr_client.post(
        f"/admin/periods/{period.id}/target", data={"target_percent": "10"}
    ).status_code in (403, 404)


@pytest.mark.parametrize("size", [(10, 50), (100, 500)])
def test_open_period_dashboard_runs_at_most_ten_statements(app, build, session, size):
    """docs/design.md "Performance targets": targets, curve and estimate add no statement
    per unit (the first two sizes differ tenfold)."""
    period, units = populate(build, session, *size, seed=4)
    targets.set_unit_target(period, units[1].id, 95.0)
    hr = build.employee(units[0], hr_unit=units[0], name="HR Uji")
    session.flush()
    dashboard = _page_statements(app, hr, f"/hr/?period={period.id}")
    assert len(dashboard) <= 10, "\n".join(dashboard)
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) > 0
