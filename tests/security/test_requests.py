"""docs/security.md S12, S14-S16, S27: CSRF, headers, error pages, request size, unsafe config."""

from __future__ import annotations

import io

import pytest

from surveyapp import create_app
from surveyapp.config import ConfigError
from tests.factories import PASSWORD

STRONG_KEY = "k3Y-" + "x" * 40


def test_s12_login_without_csrf_token_is_refused_with_a_clear_page(client, org, csrf_on):
    response = client.post("/login", data={"nip": org.employee.nip, "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Formulir Anda sudah kedaluwarsa" in page
    assert client.get("/").status_code == 302  # not logged in


def test_s12_logout_and_language_switch_need_the_token(employee_client, csrf_on):
    assert employee_client.post("/logout").status_code == 400
    assert employee_client.get("/").status_code == 200  # still logged in
    assert employee_client.post("/locale", data={"lang": "en"}).status_code == 400


def test_s12_logout_by_get_changes_nothing(employee_client):
    assert employee_client.get("/logout").status_code == 405
    assert employee_client.get("/").status_code == 200


def test_s12_token_from_the_page_is_accepted(client, org, csrf_on):
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"nip": org.employee.nip, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def _production_app(monkeypatch, tmp_path, **env):
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return create_app("production")


@pytest.mark.no_transaction
@pytest.mark.parametrize("key", [None, "", "change-me", "short-key"])
def test_s27_production_refuses_missing_or_weak_secret_key(monkeypatch, tmp_path, key):
    with pytest.raises(ConfigError, match="SURVEYAPP_SECRET_KEY"):
        _production_app(monkeypatch, tmp_path, SURVEYAPP_SECRET_KEY=key)


@pytest.mark.no_transaction
def test_s14_production_never_runs_in_debug(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="never allowed in production"):
        _production_app(monkeypatch, tmp_path, SURVEYAPP_SECRET_KEY=STRONG_KEY)


@pytest.mark.no_transaction
def test_s09_s14_production_cookie_and_hsts(monkeypatch, tmp_path):
    app = _production_app(monkeypatch, tmp_path, SURVEYAPP_SECRET_KEY=STRONG_KEY)
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login", base_url="https://surveyapp.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert not app.debug


@pytest.mark.parametrize("locale", ["id", "en"])
def test_s15_not_found_page_in_both_languages_without_internals(client, locale):
    client.post("/locale", data={"lang": locale})
    response = client.get("/tidak/ada")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert ("Halaman tidak ditemukan" if locale == "id" else "Page not found") in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()


@pytest.mark.no_transaction
@pytest.mark.parametrize("locale", ["id", "en"])
def test_s15_server_error_shows_no_trace_sql_or_path(app, locale):
    """A route that fails inside the database layer: the page says sorry and nothing more."""
    failing = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @failing.get("/boom")
    def boom():
        from surveyapp.extensions import db

        db.session.execute(db.text("SELECT secret_column FROM /srv/surveyapp/table"))

    client = failing.test_client()
    client.post("/locale", data={"lang": locale})
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    expected = "Terjadi kesalahan" if locale == "id" else "Something went wrong"
    assert expected in page
    for leak in ("Traceback", "SELECT", "secret_column", "/srv/", "sqlalchemy", ".py"):
        assert leak not in page


def test_s16_oversized_request_gets_413_with_a_clear_page(employee_client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = io.BytesIO(b"x" * (limit + 1))
    response = employee_client.post("/locale", data={"lang": "id", "file": (body, "besar.xlsx")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert f"{limit // (1024 * 1024)} MB" in page
    assert "Traceback" not in page
