"""Structured request logs: what an operator reads in the journal, and what must never be there."""

from __future__ import annotations

import json
import logging
import re

import pytest

from surveyapp import create_app
from surveyapp.obs import JsonFormatter
from tests.factories import PASSWORD


def request_lines(caplog) -> list[dict]:
    return [r.fields for r in caplog.records if r.name == "surveyapp.request"]


def line_for(caplog, path: str) -> dict:
    lines = [f for f in request_lines(caplog) if f["path"] == path]
    assert len(lines) == 1, lines
    return lines[0]


def test_request_line_has_id_user_method_path_status_and_duration(employee_client, org, caplog):
    caplog.set_level(logging.INFO, logger="surveyapp.request")
    response = employee_client.get("/?tab=history&token=rahasia-di-url-123")
    assert response.status_code == 200
    line = line_for(caplog, "/")
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["user_id"] == org.employee.id
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    # Parameter names help debugging; values may hold secrets and are left out.
    assert line["query_keys"] == ["tab", "token"]
    assert "rahasia-di-url-123" not in caplog.text
    assert "rahasia-di-url-123" not in json.dumps(request_lines(caplog))


def test_anonymous_request_and_error_status_are_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="surveyapp.request")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    line = line_for(caplog, "/no-such-page")
    assert line["user_id"] is None
    assert line["status"] == 404
    assert "query_keys" not in line


def test_each_request_gets_its_own_id(client, caplog):
    caplog.set_level(logging.INFO, logger="surveyapp.request")
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert {f["request_id"] for f in request_lines(caplog)} == ids


@pytest.mark.parametrize(
    "incoming",
    ["0f8fa1c2d3e44b5a9c7d6e5f4a3b2c1d", "req-2026.11.28:node-1", "6ba7b810-9dad-11d1-80b4-00c0"],
)
def test_sane_incoming_request_id_is_kept_and_echoed(client, caplog, incoming):
    caplog.set_level(logging.INFO, logger="surveyapp.request")
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming
    assert line_for(caplog, "/healthz")["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "x" * 65,
        "has space in it",
        'quote"and,comma',
        "-starts-with-dash",
        "ünïcödé-request-id",
        "abc\\ndef-injected",
    ],
)
def test_odd_incoming_request_id_is_replaced(client, caplog, incoming):
    caplog.set_level(logging.INFO, logger="surveyapp.request")
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    echoed = response.headers["X-Request-ID"]
    assert echoed != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert line_for(caplog, "/healthz")["request_id"] == echoed
    assert incoming not in caplog.text


def test_password_posted_to_login_never_appears_in_logs(client, org, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    wrong = "Salah-Sekali-Kata-Sandi-98765"
    failed = client.post("/login", data={"nip": org.employee.nip, "password": wrong})
    assert failed.status_code == 200
    ok = client.post(
        "/login", data={"nip": org.employee.nip, "password": PASSWORD, "next": "/?x=1"}
    )
    assert ok.status_code == 302
    line = [f for f in request_lines(caplog) if f["status"] == 302][0]
    assert line["path"] == "/login" and line["method"] == "POST"
    assert line["user_id"] == org.employee.id

    formatted = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    written = capsys.readouterr().err
    for text in (caplog.text, formatted, written):
        assert PASSWORD not in text
        assert wrong not in text
    # What was written is JSON, one object per line, with the request ids in it.
    ours = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    assert {o["request_id"] for o in ours if o.get("event") == "request"} == {
        failed.headers["X-Request-ID"],
        ok.headers["X-Request-ID"],
    }


def test_activation_codes_and_answers_never_appear_in_logs(client, org, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    code = "QWERTY7X9Z"
    client.post(
        "/activate",
        data={"nip": org.employee.nip, "code": code, "password": "Baru-Sekali-2026-xyz"},
    )
    client.post(
        "/survey/2026-S2/answers",
        json={"item": "BP-1a", "value": 4, "note": "jawaban-rahasia-pegawai"},
        headers={"X-Autosave": "1"},
    )
    written = capsys.readouterr().err
    for text in (caplog.text, written):
        assert code not in text
        assert "Baru-Sekali-2026-xyz" not in text
        assert "jawaban-rahasia-pegawai" not in text
    assert {f["path"] for f in request_lines(caplog)} == {"/activate", "/survey/2026-S2/answers"}


def test_unhandled_error_is_logged_with_the_request_id(tmp_path, caplog):
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.sqlite'}"}
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    caplog.set_level(logging.INFO)
    response = app.test_client().get("/boom", headers={"X-Request-ID": "trace-0001-abcd"})
    assert response.status_code == 500
    assert "kaput" not in response.get_data(as_text=True)
    errors = [r for r in caplog.records if r.name == "surveyapp" and r.exc_info]
    assert len(errors) == 1
    assert errors[0].request_id == "trace-0001-abcd"
    out = json.loads(JsonFormatter().format(errors[0]))
    assert out["request_id"] == "trace-0001-abcd"
    assert out["level"] == "ERROR"
    assert "RuntimeError: kaput" in out["error"]
    assert "\n" not in JsonFormatter().format(errors[0])
    line = line_for(caplog, "/boom")
    assert line["status"] == 500 and line["request_id"] == "trace-0001-abcd"
    assert [r.levelname for r in caplog.records if r.name == "surveyapp.request"] == ["ERROR"]
