"""Serving in production: what makes the server refuse to start, and gunicorn's HUP reload and
TERM stop without losing a request in flight. The SQLite write lock, held by the test, keeps
a request inside the worker for as long as the test needs."""

from __future__ import annotations

import http.client
import os
import queue
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from surveyapp import create_app, preflight
from tests.conftest import upgrade

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(40)


@pytest.fixture
def migrated_sqlite(tmp_path) -> Path:
    path = tmp_path / "prod.sqlite"
    upgrade(create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}))
    return path


@pytest.fixture
def prod_env(monkeypatch, migrated_sqlite):
    """A sound production environment; each test spoils one thing."""
    for name in list(os.environ):
        if name.startswith(("SURVEYAPP_", "FLASK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{migrated_sqlite}")
    monkeypatch.setenv("SURVEYAPP_RATELIMIT_STORAGE_URI", "memory://")
    return monkeypatch


def test_preflight_passes_a_sound_production_setup(prod_env):
    assert preflight.problems(workers=4) == []


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SURVEYAPP_ENV", "development", "SURVEYAPP_ENV is 'development'"),
        ("SURVEYAPP_SECRET_KEY", "change-me", "SURVEYAPP_SECRET_KEY must be set"),
        ("SURVEYAPP_SECRET_KEY", "", "SURVEYAPP_SECRET_KEY must be set"),
        ("FLASK_DEBUG", "1", "FLASK_DEBUG is on"),
        ("SURVEYAPP_RATELIMIT_STORAGE_URI", "", "each of the 4 workers would count"),
        ("SURVEYAPP_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0", "does not answer"),
        ("SURVEYAPP_TRUSTED_PROXIES", "nginx", "SURVEYAPP_TRUSTED_PROXIES must be"),
    ],
)
def test_s27_preflight_refuses_unsafe_settings_with_a_clear_reason(prod_env, name, value, expected):
    prod_env.setenv(name, value)
    found = preflight.problems(workers=4)
    assert len(found) == 1, found
    assert expected in found[0]


def test_preflight_accepts_per_worker_limits_only_when_asked_for(prod_env):
    prod_env.delenv("SURVEYAPP_RATELIMIT_STORAGE_URI")
    assert preflight.problems(workers=1) == []
    assert len(preflight.problems(workers=2)) == 1
    prod_env.setenv("SURVEYAPP_RATELIMIT_STORAGE_URI", "memory://")
    assert preflight.problems(workers=2) == []


def test_preflight_refuses_a_database_behind_the_code(prod_env, tmp_path):
    empty = tmp_path / "empty.sqlite"
    prod_env.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{empty}")
    assert preflight.problems(workers=1) == [
        "The database has no schema yet: run `SURVEYAPP_ENV=production flask db upgrade`."
    ]
    prod_env.setenv("SURVEYAPP_DATABASE_URL", "postgresql+psycopg://u:Sandi-DB@127.0.0.1:1/x")
    (found,) = preflight.problems(workers=1)
    assert "does not answer" in found and "Sandi-DB" not in found


def test_trusted_proxy_setting_decides_whose_address_counts(prod_env):
    def seen_address(app):
        seen = []
        app.before_request(lambda: seen.append(__import__("flask").request.remote_addr))
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"})
        return seen[0]

    # No proxy declared: a client cannot pick its address (and dodge login limits).
    assert seen_address(create_app()) == "127.0.0.1"
    prod_env.setenv("SURVEYAPP_TRUSTED_PROXIES", "1")
    assert seen_address(create_app()) == "203.0.113.7"


# --- gunicorn itself -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn -c gunicorn.conf.py wsgi:app, with its stderr read line by line."""

    def __init__(self, env: dict[str, str]):
        self.port = int(env["SURVEYAPP_BIND"].rsplit(":", 1)[1])
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        """The first line (not matched before) that matches."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.seen:
                m = re.search(pattern, line)
                if m:
                    self.seen.remove(line)
                    return m
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no line matching {pattern!r}; got {self.seen}"
            try:
                self.seen.append(self.lines.get(timeout=remaining))
            except queue.Empty:
                continue

    def workers(self) -> set[int]:
        pids = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.add(int(entry.name))
        return pids

    def holds(self, pid: int, inode: str) -> bool:
        if inode == "0":
            return False
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return True
            except OSError:
                pass
        return False

    def server_side_inode(self, client_port: int) -> str:
        """The inode of our connection's server-side socket: "0" until a process accepts it.
        (Older connections between the same ports linger in TIME_WAIT, not ESTABLISHED.)"""
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local, remote, state = fields[1], fields[2], fields[3]
                if (
                    state == "01"
                    and int(local.rsplit(":", 1)[1], 16) == self.port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port
                ):
                    return fields[9]
        raise AssertionError("connection not found in /proc/net/tcp")

    def request(self, method, path, body=None, headers=None, conn=None):
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            conn.close()

    def in_flight(self, worker: int, method, path, body=None, headers=None):
        """Send a request from a thread; return once `worker` has accepted it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        conn.connect()
        client_port = conn.sock.getsockname()[1]
        result: dict = {}
        thread = threading.Thread(
            target=lambda: result.update(answer=self.request(method, path, body, headers, conn))
        )
        thread.start()
        deadline = time.monotonic() + 30
        while not self.holds(worker, self.server_side_inode(client_port)):
            assert time.monotonic() < deadline, "the worker never accepted the request"
            time.sleep(0.01)
        return thread, result


class WriteLock:
    """Holds SQLite's write lock: every request that writes (a POST of a view marked @writes)
    waits on it; reads do not (S33)."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None)

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.conn.execute("COMMIT")


@pytest.mark.slow  # about ten seconds of signals and worker restarts
def test_gunicorn_reloads_on_hup_and_stops_on_term_without_losing_requests_in_flight(
    migrated_sqlite,
):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see which worker holds a request")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEYAPP_", "FLASK_"))}
    env.update(
        SURVEYAPP_ENV="production",
        SURVEYAPP_SECRET_KEY=STRONG_KEY,
        SURVEYAPP_DATABASE_URL=f"sqlite:///{migrated_sqlite}",
        SURVEYAPP_RATELIMIT_STORAGE_URI="memory://",
        SURVEYAPP_WORKERS="1",
        SURVEYAPP_BIND=f"127.0.0.1:{free_port()}",
    )
    server = Server(env)
    try:
        first = int(server.wait_for(r"Booting worker with pid: (\d+)").group(1))
        status, headers, _ = server.request("GET", "/login")
        assert status == 200
        cookie = headers["Set-Cookie"].split(";")[0]
        assert cookie.startswith("__Host-surveyapp=")
        page = server.request("GET", "/login", headers={"Cookie": cookie})[2]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urlencode(
            {"nip": "199001012020011001", "password": "Bukan-Sandinya-123", "csrf_token": token}
        )
        post_headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}

        # HUP while a login (which writes an audit row) waits inside the old worker.
        with WriteLock(migrated_sqlite):
            thread, result = server.in_flight(first, "POST", "/login", form, post_headers)
            server.proc.send_signal(signal.SIGHUP)
            server.wait_for("Handling signal: hup")
            second = int(server.wait_for(r"Booting worker with pid: (\d+)").group(1))
            assert second != first
        thread.join(60)
        status, _, body = result["answer"]
        assert status == 200 and "NIP atau kata sandi salah" in body
        server.wait_for(rf"Worker exiting \(pid: {first}\)")
        deadline = time.monotonic() + 30
        while server.workers() != {second}:
            assert time.monotonic() < deadline, server.workers()
            time.sleep(0.01)
        assert server.request("GET", "/healthz")[0] == 200

        # TERM while a request waits inside the (new) worker: it is answered, then all stop.
        # A login writes, so it waits for the lock (a GET such as /healthz no longer does, S33).
        with WriteLock(migrated_sqlite):
            thread, result = server.in_flight(second, "POST", "/login", form, post_headers)
            server.proc.send_signal(signal.SIGTERM)
            server.wait_for("Handling signal: term")
        thread.join(60)
        assert result["answer"][0] == 200
        assert server.proc.wait(60) == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
    with sqlite3.connect(migrated_sqlite) as conn:
        failed = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'login_failed'")
        assert failed.fetchone()[0] == 2


def test_gunicorn_refuses_to_start_with_a_weak_secret_key(migrated_sqlite):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEYAPP_", "FLASK_"))}
    env.update(
        SURVEYAPP_ENV="production",
        SURVEYAPP_SECRET_KEY="secret",
        SURVEYAPP_DATABASE_URL=f"sqlite:///{migrated_sqlite}",
        SURVEYAPP_RATELIMIT_STORAGE_URI="memory://",
        SURVEYAPP_BIND=f"127.0.0.1:{free_port()}",
    )
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "surveyapp will not start:" in done.stderr
    assert "SURVEYAPP_SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Booting worker" not in done.stderr


def test_s34_preflight_refuses_active_demo_accounts(prod_env, migrated_sqlite):
    """A database seeded with `flask seed-demo` holds accounts whose passwords are public."""
    seeded = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{migrated_sqlite}"}
    )
    assert seeded.test_cli_runner().invoke(args=["seed-demo", "--employees", "5"]).exit_code == 0
    (found,) = preflight.problems(workers=1)
    assert "5 active demo accounts" in found and "flask demo-accounts --deactivate" in found
    # The way out the message names: deactivate them, and production may start.
    done = seeded.test_cli_runner().invoke(args=["demo-accounts", "--deactivate"])
    assert done.exit_code == 0, done.output
    assert "deactivated 5 demo accounts" in done.output
    assert preflight.problems(workers=1) == []
    with seeded.app_context():
        from surveyapp.extensions import db

        db.engine.dispose()
