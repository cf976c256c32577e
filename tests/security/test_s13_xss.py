"""S13: names, unit names, period names and question text holding markup are shown as text on
every page. The test walks every GET route of the role matrix for every role."""

from __future__ import annotations

import pytest

from tests.security.test_s01_role_matrix import ALL_ROUTES, ARGUMENTS, MATRIX

PAYLOADS = (
    "<script>alert('xss')</script>",
    '"onmouseover="alert(1)',
    "<img src=x onerror=alert(2)>",
)
RAW_MARKERS = ("<script>alert(", '"onmouseover="alert', "<img src=x")


@pytest.fixture
def hostile_world(build, org, session):
    org.dinas_a.name = "Dinas " + PAYLOADS[0]
    org.bidang_a1.name = "Bidang " + PAYLOADS[2]
    org.employee.name = "Siti " + PAYLOADS[1]
    org.colleague.name = "javascript:alert(3)"
    period = build.period([org.root])
    period.name = "Periode " + PAYLOADS[0]
    item = period.version.items[0]
    item.text_id = "Saya " + PAYLOADS[2]
    item.text_en = "I " + PAYLOADS[0]
    session.flush()
    build.response(period, org.employee, submitted=False)
    build.response(period, org.colleague)
    from surveyapp.services import jobs

    params = {"period_id": period.id, "unit_id": None, "locale": "id"}
    job, _ = jobs.start("non_respondents", org.hr_a, params)
    from datetime import date

    from surveyapp.services import plans, reports

    closed = build.period([org.root], state="closed")
    plan = plans.create_plan(
        org.hr_a,
        closed,
        reports.scope_for(org.hr_a, closed, org.dinas_a.id),
        focus=["AD"],
        goal="Sasaran " + PAYLOADS[0],
        actions=[plans.ActionInput(PAYLOADS[2], PAYLOADS[1], date(2027, 1, 1), "planned")],
    )
    plans.add_note(
        org.hr_a,
        plan,
        reports.scope_for(org.hr_a, closed, org.dinas_a.id),
        noted_on=date(2027, 1, 2),
        text=PAYLOADS[0],
    )
    return {"org": org, "period": period, "job": job, "plan": plan}


GET_ROUTES = [endpoint for endpoint, method in ALL_ROUTES if method == "GET"]


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("role", ["employee", "hr", "admin"])
def test_s13_markup_from_data_is_escaped_on_every_page(app, hostile_world, login, role, locale):
    from flask import url_for

    org = hostile_world["org"]
    person = {"employee": org.employee, "hr": org.hr_a, "admin": org.admin}[role]
    client = login(person, app.test_client())
    client.post("/locale", data={"lang": locale})
    seen = 0
    escaped_somewhere = False
    for endpoint in GET_ROUTES:
        if (
            endpoint == "static"
            or MATRIX[endpoint]["GET"] in ("hr", "admin")
            and role == "employee"
        ):
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        with app.test_request_context():
            url = url_for(endpoint, **{a: ARGUMENTS[a](hostile_world) for a in rule.arguments})
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        page = response.get_data(as_text=True)
        seen += 1
        for marker in RAW_MARKERS:
            assert marker not in page, f"{url} shows {marker!r} unescaped"
        assert 'href="javascript:' not in page
        escaped_somewhere |= "&lt;script&gt;alert(" in page
    assert seen >= 2
    assert escaped_somewhere, "no page showed the hostile text at all: the test proves nothing"
