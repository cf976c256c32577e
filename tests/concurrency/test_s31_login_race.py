"""S31: simultaneous login attempts for one NIP against a live threaded server, with the
per-NIP count in Redis as production keeps it. The password check is wrapped in-process to
count how many passwords were really verified, and made as slow as argon2 is in production."""

from __future__ import annotations

import http.client
import secrets
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models import AuditLog
from surveyapp.services import accounts
from tests.conftest import create_database, upgrade
from tests.factories import PASSWORD, Builder

REDIS_URI = "redis://127.0.0.1:6379/15"
THROTTLED = "Terlalu banyak percobaan gagal untuk NIP ini"
LIMIT = 5


@pytest.fixture
def live(tmp_path):
    """A migrated database with one employee, served by a threaded werkzeug server."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URI, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not answering at 127.0.0.1:6379")
    url, drop = create_database(tmp_path, "s31")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    upgrade(app)
    # A random NIP: its counter key in the shared Redis is ours alone.
    nip = "".join(secrets.choice(string.digits) for _ in range(18))
    with app.app_context():
        build = Builder(db.session)
        build.employee(build.unit("KOTA", "Pemerintah Kota"), nip=nip)
        db.session.commit()
    # The per-NIP count goes to Redis; Flask-Limiter (bound at create_app) keeps its memory.
    app.config["RATELIMIT_STORAGE_URI"] = REDIS_URI
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, server.server_port, nip
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            accounts.reset_throttle(nip)  # only our key
            db.engine.dispose()
        drop()


def test_s31_concurrent_login_attempts_verify_at_most_the_limit(live, monkeypatch):
    app, port, nip = live
    real_verify = accounts.verify_secret
    verified: list[str] = []

    def slow_verify(stored, given):
        verified.append(given)
        time.sleep(0.05)  # what argon2 costs in production: the window the race needs
        return real_verify(stored, given)

    monkeypatch.setattr(accounts, "verify_secret", slow_verify)
    passwords = [f"salah-sandi-{i:02d}" for i in range(29)]
    passwords.insert(15, PASSWORD)
    start = threading.Barrier(len(passwords))

    def attempt(password):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.connect()  # the barrier releases 30 requests, not 30 handshakes
            start.wait()
            conn.request(
                "POST",
                "/login",
                body=urlencode({"nip": nip, "password": password}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            return password, response.status, response.read().decode()
        finally:
            conn.close()

    with ThreadPoolExecutor(len(passwords)) as pool:
        answers = list(pool.map(attempt, passwords))

    wrong = [p for p in verified if p != PASSWORD]
    logged_in = [a for a in answers if a[1] == 302]
    refused = [a for a in answers if a[1] == 429]
    assert len(wrong) <= LIMIT, f"{len(wrong)} wrong passwords were checked"
    # A right password that won a slot gives it back (a success is not a failure).
    assert len(verified) <= LIMIT + len(logged_in)
    assert len(logged_in) <= 1
    assert len(refused) == len(passwords) - len(verified)
    assert all(THROTTLED in body for _, _, body in refused)
    assert {status for _, status, _ in answers} <= {200, 302, 429}
    # The audit log tells the same story: one row per verified password, one per refusal.
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditLog.action)).all()
    assert actions.count("login_failed") + actions.count("login") == len(verified)
    assert actions.count("login_throttled") == len(refused)
