"""A real server for the fault tests: gunicorn with 4 workers on a free loopback port, over a
database of its own (SQLite file, or PostgreSQL when TEST_DATABASE_URL names a server),
seeded with a roster whose drafts the tests finish through HTTP.

Sessions are made the way the app makes them (a cookie signed with the server's secret key)
so that 200 people do not each pay for a password hash before the test starts."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.extensions import db
from tests.conftest import create_database, upgrade
from tests.factories import Builder

ROOT = Path(__file__).resolve().parents[2]
SECRET = "concurrency-tests-secret-" + "s" * 32
PEOPLE = 200
PRE_ANSWERED = 21  # the last page's items are left for the HTTP saves


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.no_transaction)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Person:
    id: int
    nip: str
    cookie: str = ""
    csrf: str = ""


@dataclass
class Served:
    url: str
    port: int
    app: object
    period_code: str
    remaining_items: list[str]
    people: list[Person]
    env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    # --- the server ------------------------------------------------------------------
    def start(self) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "4",
                "-b",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "5",
                "--timeout",
                "60",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop(signal.SIGKILL)
                raise RuntimeError(self.log_path.read_text()[-3000:])
            time.sleep(0.2)

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    # --- HTTP --------------------------------------------------------------------------
    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def log_in(self, person: Person) -> None:
        """A signed session cookie for the person, then the CSRF token from a real page."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        now = time.time()
        payload = {
            "_user_id": f"{person.id}:1",
            "_fresh": True,
            "login_at": now,
            "seen_at": now,
            "_permanent": True,
        }
        name = self.app.config["SESSION_COOKIE_NAME"]
        person.cookie = f"{name}={serializer.dumps(payload)}"
        status, headers, body = self.request("GET", "/", headers={"Cookie": person.cookie})
        assert status == 200, (status, body[:300])
        if "Set-Cookie" in headers:
            person.cookie = headers["Set-Cookie"].split(";", 1)[0]
        person.csrf = re.search(rb'name="csrf-token" content="([^"]+)"', body).group(1).decode()

    def save(self, person: Person, item: str, value: int):
        return self.request(
            "POST",
            f"/survey/{self.period_code}/answers",
            body=json.dumps({"item": item, "value": value}),
            headers={
                "Cookie": person.cookie,
                "X-CSRFToken": person.csrf,
                "X-Autosave": "1",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )

    def submit(self, person: Person):
        return self.request(
            "POST",
            f"/survey/{self.period_code}/submit",
            body=urllib.parse.urlencode({"confirm": "1", "csrf_token": person.csrf}),
            headers={
                "Cookie": person.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def scalar(self, statement):
        with self.app.app_context():
            return db.session.scalar(statement)

    def rows(self, statement):
        with self.app.app_context():
            return db.session.execute(statement).all()


@pytest.fixture
def served(tmp_path):
    """A migrated, seeded database and a gunicorn server over it (not yet started)."""
    url, drop = create_database(tmp_path, "live")
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "SESSION_COOKIE_NAME": "__Host-surveyapp",
        }
    )
    upgrade(app)
    with app.app_context():
        build = Builder(db.session)
        root = build.unit("KOTA", "Pemerintah Kota")
        units = [build.unit(f"DINAS-{i}", f"Dinas {i}", root) for i in range(10)]
        staff = [build.employee(units[i % 10], password=None) for i in range(PEOPLE)]
        period = build.period([root], code="S24")
        items = [item.code for item in period.version.items]
        for person in staff:
            build.response(
                period, person, {code: 3 for code in items[:PRE_ANSWERED]}, submitted=False
            )
        db.session.commit()
        people = [Person(p.id, p.nip) for p in staff]
        remaining = items[PRE_ANSWERED:]
    port = _free_port()
    env = {
        **os.environ,
        "SURVEYAPP_ENV": "production",  # gunicorn.conf.py serves nothing else
        "SURVEYAPP_RATELIMIT_STORAGE_URI": "memory://",
        "SURVEYAPP_DATABASE_URL": url,
        "SURVEYAPP_SECRET_KEY": SECRET,
        "PYTHONUNBUFFERED": "1",
    }
    server = Served(
        url=f"http://127.0.0.1:{port}",
        port=port,
        app=app,
        period_code="S24",
        remaining_items=remaining,
        people=people,
        env=env,
        log_path=tmp_path / "gunicorn.log",
    )
    yield server
    server.stop(signal.SIGKILL)
    with app.app_context():
        db.engine.dispose()
    drop()


__all__ = ["PEOPLE", "PRE_ANSWERED", "Person", "Served", "sa"]
