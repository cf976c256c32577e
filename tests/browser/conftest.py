"""Browser tests: Debian's Chromium driven by Playwright against a real server process.

The server runs `flask run` on a free loopback port over its own SQLite file, migrated and
seeded with the demo organisation, so the journeys see what a newcomer sees after
`make run`. Chromium is never downloaded: without /usr/bin/chromium the tests are skipped
(and the run says so), except under CI=true, where a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SURVEYAPP_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "artifacts"
_skipped: list[str] = []


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    asked = "screenshots" in (config.getoption("markexpr", "") or "")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.no_transaction)
        if not asked and item.get_closest_marker("screenshots"):
            item.add_marker(pytest.mark.skip(reason="screenshots: run `make screenshots`"))


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"browser tests SKIPPED ({len(_skipped)}): Chromium not found at {CHROMIUM}; "
            "install it with `apt-get install chromium chromium-driver`",
            yellow=True,
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path(request):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and Chromium is missing at {CHROMIUM}")
        _skipped.append(request.node.name)
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return str(CHROMIUM)


class LiveServer:
    def __init__(self, url: str, accounts: dict[str, tuple[str, str]], env: dict[str, str]):
        self.url = url
        self.accounts = accounts
        self.env = env

    def python(self, code: str) -> str:
        """Run Python inside the server's app context (to prepare an account, say)."""
        script = (
            "from surveyapp import create_app\nfrom surveyapp.extensions import db\n"
            "app = create_app()\nwith app.app_context():\n"
            + "".join(f"    {line}\n" for line in code.strip().splitlines())
        )
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `flask` command against the server's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )


@pytest.fixture(scope="session")
def live_server(chromium_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "SURVEYAPP_DATABASE_URL": f"sqlite:///{folder / 'live.sqlite'}",
        "SURVEYAPP_SECRET_KEY": "browser-tests-" + "k" * 40,
        # Every test logs in from 127.0.0.1; the per-address limit is S07's business, not theirs.
        "SURVEYAPP_LOGIN_ADDRESS_LIMIT": "10000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    server = LiveServer(f"http://127.0.0.1:{port}", {}, env)
    server.flask("db", "upgrade")
    seeded = server.flask("seed-demo")  # the default size, as `make run` seeds it
    for role, nip, password in re.findall(r"^demo-account (\w+) (\d+) (\S+)$", seeded.stdout, re.M):
        server.accounts[role] = (nip, password)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "run", "--port", str(port), "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(server.url + "/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError((folder / "server.log").read_text()) from None
            time.sleep(0.2)
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        yield instance
        instance.close()


@pytest.fixture
def phone(browser, request):
    """A page on a 360x740 phone screen; a failing test leaves a screenshot behind."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def log_in(page, server, role: str) -> None:
    nip, password = server.accounts[role]
    page.goto(server.url + "/login")
    page.get_by_label(re.compile("NIP")).fill(nip)
    page.get_by_label(re.compile("Kata sandi|Password")).fill(password)
    page.get_by_role("button", name=re.compile("Masuk|Log in")).click()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(scope="module", autouse=True)
def _indonesian_again(request):
    """A logged-in user's language is remembered on the account, and every module shares the
    live server: after a module that switched someone to English, switch everyone back, so the
    next module starts as a newcomer does (in Indonesian)."""
    yield
    if not CHROMIUM.exists():
        return
    server, browser = request.getfixturevalue("live_server"), request.getfixturevalue("browser")
    for role in server.accounts:
        context = browser.new_context()
        page = context.new_page()
        try:
            log_in(page, server, role)
            if page.locator("html").get_attribute("lang") != "id":
                page.get_by_role("button", name="Bahasa Indonesia").click()
        finally:
            context.close()
