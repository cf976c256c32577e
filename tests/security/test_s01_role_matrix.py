"""S01: who gets what on every route. The test walks `app.url_map`, so a route added without
an entry in MATRIX fails the suite until someone decides who may use it.

Levels: "public" (anyone), "user" (any logged-in person), "hr" (HR officers and admins),
"admin" (admins only). A refused logged-in user gets 403; an anonymous visitor is sent to
the login page (302), or gets 401 on JSON endpoints. An entry may give explicit codes per
role instead of a level, as {"anonymous": 302, "employee": 404, ...}.
"""

from __future__ import annotations

import pytest

from surveyapp import create_app

ROLES = ("anonymous", "employee", "hr", "admin")
REFUSED = {"employee": 403, "hr": 403, "admin": 403}

MATRIX: dict[str, dict[str, str | dict[str, int]]] = {
    "static": {"GET": "public"},
    "health.healthz": {"GET": "public"},
    "auth.login": {"GET": "public", "POST": "public"},
    "auth.activate": {"GET": "public", "POST": "public"},
    "auth.logout": {"POST": "public"},
    "auth.set_locale": {"POST": "public"},
    "auth.change_password": {"GET": "user", "POST": "user"},
    "survey.home": {"GET": "user"},
    # Everyone in the matrix's world is on the period's roster; people who are not get 404
    # (tests/integration/test_survey.py). An empty autosave is refused as such.
    "survey.page": {"GET": "user"},
    "survey.save_page": {"POST": "user"},
    "survey.autosave": {"POST": {"anonymous": 302, "employee": 400, "hr": 400, "admin": 400}},
    "survey.culture_autosave": {
        "POST": {"anonymous": 302, "employee": 400, "hr": 400, "admin": 400}
    },
    "survey.review": {"GET": "user"},
    "survey.submit": {"POST": "user"},
    "survey.result": {"GET": "user"},
    "hr.home": {"GET": "hr"},
    "hr.non_respondents": {"GET": "hr"},
    "hr.non_respondents_xlsx": {"POST": "hr"},
    "hr.unit_results": {"GET": "hr"},
    "hr.report_xlsx": {"POST": "hr"},
    "hr.heatmap": {"GET": "hr"},
    "hr.plan_list": {"GET": "hr"},
    # The world's period is open: no plan can be made for it yet (tests/integration/
    # test_action_plans.py has the closed case); a plan outside the HR scope is 404 there too.
    "hr.plan_new": {
        "GET": {"anonymous": 302, "employee": 403, "hr": 404, "admin": 404},
        "POST": {"anonymous": 302, "employee": 403, "hr": 404, "admin": 404},
    },
    "hr.plan_detail": {"GET": "hr"},
    "hr.plan_edit": {"GET": "hr", "POST": "hr"},
    "hr.plan_note": {"POST": "hr"},
    "hr.remind": {"POST": "hr"},
    "hr.printable": {"GET": "hr"},
    # A batch of reminders that does not exist (or lies outside the scope) is 404.
    "hr.whatsapp": {"GET": {"anonymous": 302, "employee": 403, "hr": 404, "admin": 404}},
    # Jobs: anyone logged in has a list; someone else's job is 404 (tests/integration/test_jobs).
    "jobs.mine": {"GET": "user"},
    "jobs.show": {"GET": {"anonymous": 302, "employee": 404, "hr": "allowed", "admin": "allowed"}},
    "jobs.status": {
        "GET": {"anonymous": 302, "employee": 404, "hr": "allowed", "admin": "allowed"}
    },
    "jobs.download": {
        "GET": {"anonymous": 302, "employee": 404, "hr": "allowed", "admin": "allowed"}
    },
    "jobs.retry": {
        "POST": {"anonymous": 302, "employee": 404, "hr": "allowed", "admin": "allowed"}
    },
    "admin.home": {"GET": "admin"},
    "admin.culture_section": {"GET": "admin"},
    "admin.culture_section_save": {"POST": "admin"},
    "admin.culture_section_add": {"POST": "admin"},
    "admin.culture_limiting_add": {"POST": "admin"},
    "admin.culture_limiting_remove": {"POST": "admin"},
    "admin.period_new": {"GET": "admin", "POST": "admin"},
    "admin.period_detail": {"GET": "admin"},
    "admin.period_open": {"POST": "admin"},
    "admin.period_close": {"POST": "admin"},
    "admin.period_extend": {"POST": "admin"},
    "admin.period_add_joiner": {"POST": "admin"},
    "admin.period_add_import": {"POST": "admin"},
    "admin.period_reopen": {"POST": "admin"},
    "admin.period_target": {"POST": "admin"},
    "admin.period_unit_target": {"POST": "admin"},
    "admin.outbox": {"GET": "admin"},
    "admin.outbox_message": {"GET": {"anonymous": 302, "employee": 403, "hr": 403, "admin": 404}},
    "admin.imports_upload": {"GET": "admin", "POST": "admin"},
    "admin.imports_commit": {"POST": "admin"},
    "admin.imports_template": {"GET": "admin"},
    "admin.audit_log": {"GET": "admin"},
    "admin.audit_export": {"POST": "admin"},
    "admin.questions": {"GET": "admin"},
    "admin.units": {"GET": "admin"},
    "admin.unit_create": {"POST": "admin"},
    "admin.unit_update": {"POST": "admin"},
    "admin.unit_detail": {"GET": "admin"},
    "admin.unit_active": {"POST": "admin"},
    "admin.employees": {"GET": "admin"},
    "admin.employee_edit": {"GET": "admin", "POST": "admin"},
    "admin.employee_activation": {"POST": "admin"},
    "admin.question_version": {"GET": "admin"},
    "admin.question_item": {"GET": "admin", "POST": "admin"},
    "admin.question_settings": {"GET": "admin", "POST": "admin"},
    "admin.question_version_publish": {"POST": "admin"},
    "admin.question_version_copy": {"POST": "admin"},
    "admin.question_version_preview": {"GET": "admin"},
    "admin.question_item_add": {"GET": "admin", "POST": "admin"},
    "admin.question_version_export": {"GET": "admin"},
    "admin.question_version_import": {"POST": "admin"},
    "admin.question_item_remove": {"POST": "admin"},
}

# Values for URL arguments, taken from the `world` the test builds.
ARGUMENTS = {
    "filename": lambda w: "css/app.css",
    "period_code": lambda w: w["period"].code,
    "period_id": lambda w: w["period"].id,
    "page": lambda w: 1,
    "number": lambda w: 1,
    "unit_id": lambda w: w["org"].dinas_a.id,
    "unit_code": lambda w: w["org"].dinas_a.code,
    "employee_id": lambda w: w["org"].employee.id,
    "version_id": lambda w: w["period"].version.id,
    "job_id": lambda w: w["job"].id,
    "token": lambda w: "no-such-upload",
    "item_id": lambda w: w["period"].version.items[0].id,
    "plan_id": lambda w: w["plan"].id,
    "batch": lambda w: "no-such-batch",
    "name": lambda w: "no-such-message.eml",
    "behaviour_id": lambda w: _a_limiting_behaviour(),
}


def _a_limiting_behaviour() -> int:
    import sqlalchemy as sa

    from surveyapp.extensions import db
    from surveyapp.models import CultureBehaviour

    return db.session.scalar(
        sa.select(CultureBehaviour.id).where(CultureBehaviour.kind == "limiting").limit(1)
    )


ALLOWED = "allowed"  # also usable as a value in an explicit per-role entry


def expected(level, role: str):
    if isinstance(level, dict):
        return level[role]
    if level == "public":
        return ALLOWED
    if role == "anonymous":
        return 302
    allowed_roles = {"user": ROLES[1:], "hr": ("hr", "admin"), "admin": ("admin",)}[level]
    return ALLOWED if role in allowed_roles else REFUSED[role]


def _rules():
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


ALL_ROUTES = sorted({(endpoint, method) for endpoint, method, _ in _rules()})


def test_s01_every_route_has_an_entry():
    missing = [
        f"{endpoint} {method}"
        for endpoint, method in ALL_ROUTES
        if method not in MATRIX.get(endpoint, {})
    ]
    assert not missing, "routes without an S01 entry: " + ", ".join(missing)


@pytest.fixture
def world(build, org):
    period = build.period([org.root])
    build.response(period, org.employee, submitted=False)
    from surveyapp.services import jobs

    job, _ = jobs.start(
        "workbook", org.hr_a, {"period_id": period.id, "unit_id": None, "locale": "id"}
    )
    from surveyapp.services import plans, reports

    closed = build.period([org.root], state="closed")
    plan = plans.create_plan(
        org.hr_a,
        closed,
        reports.scope_for(org.hr_a, closed, org.dinas_a.id),
        focus=["AD"],
        goal="",
        actions=[],
    )
    return {"org": org, "period": period, "job": job, "plan": plan}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), ALL_ROUTES)
def test_s01_role_matrix(app, world, login, endpoint, method, role):
    level = MATRIX.get(endpoint, {}).get(method)
    if level is None:
        pytest.fail(f"{endpoint} {method} has no entry in MATRIX")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    missing_args = [a for a in rule.arguments if a not in ARGUMENTS]
    assert not missing_args, f"add values for {missing_args} to ARGUMENTS"
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{a: ARGUMENTS[a](world) for a in rule.arguments})
    client = app.test_client()
    people = {"employee": world["org"].employee, "hr": world["org"].hr_a}
    people["admin"] = world["org"].admin
    if role != "anonymous":
        login(people[role], client)
    response = client.open(url, method=method, data={})
    want = expected(level, role)
    if want == ALLOWED:
        assert response.status_code not in (401, 403, 404, 405, 500), (
            f"{role} {method} {url} -> {response.status_code}"
        )
    else:
        assert response.status_code == want, f"{role} {method} {url} -> {response.status_code}"
        if want == 302:
            assert "/login" in response.headers["Location"]
