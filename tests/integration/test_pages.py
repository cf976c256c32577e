"""Home pages per role show real data; /healthz; the language switch."""

import pytest

from surveyapp import create_app


def test_employee_home_lists_open_period_with_status(build, org, login, app):
    period = build.period([org.root])
    answers = {item.code: 3 for item in period.version.items[:12]}
    build.response(period, org.employee, answers, submitted=False)
    page = login(org.employee, app.test_client()).get("/").get_data(as_text=True)
    total = len(period.version.items)
    assert period.name in page
    assert f"Draf, 12 dari {total} terjawab" in page


def test_employee_home_shows_submitted_time_in_wib(build, org, login, app):
    period = build.period([org.root])
    build.response(period, org.employee)
    page = login(org.employee, app.test_client()).get("/").get_data(as_text=True)
    assert "Terkirim pada" in page and "WIB" in page


def test_hr_home_counts_only_its_subtree(build, org, hr_client):
    period = build.period([org.root])
    build.response(period, org.employee)
    build.response(period, org.other)
    page = hr_client.get("/hr/").get_data(as_text=True)
    assert "Dinas A" in page and "Bidang A1" in page
    assert "Dinas B" not in page


def test_admin_home_lists_periods(build, org, admin_client):
    period = build.period([org.root])
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert period.name in page


def test_employee_cannot_open_hr_or_admin(employee_client):
    assert employee_client.get("/hr/").status_code == 403
    assert employee_client.get("/admin/").status_code == 403


def test_language_switch_to_english(employee_client):
    response = employee_client.post("/locale", data={"lang": "en", "next": "/"})
    assert response.status_code == 302
    page = employee_client.get("/").get_data(as_text=True)
    assert "Open periods" in page and 'lang="en"' in page


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


@pytest.mark.no_transaction
def test_healthz_reports_503_when_database_is_down(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}


def test_s14_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Server" not in response.headers


def test_s09_idle_session_expires_after_an_hour(employee_client, app):
    with employee_client.session_transaction() as sess:
        sess["seen_at"] -= 61 * 60
    response = employee_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_s09_session_ends_after_twelve_hours_even_when_active(employee_client):
    with employee_client.session_transaction() as sess:
        sess["login_at"] -= 12 * 3600 + 1
    assert employee_client.get("/").status_code == 302


def test_s09_session_cookie_flags(client, org):
    from tests.factories import PASSWORD

    response = client.post("/login", data={"nip": org.employee.nip, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
