"""Deadline day on loopback: gunicorn (4 workers, gunicorn.conf.py, production settings) on a
PostgreSQL database of its own, seeded with one open period of 10,000 employees.

Employees log in (argon2id at production cost), save their answers one by one through the
autosave endpoint and submit, as virtual users with a think time of 2.5 s between clicks.
The number of users rises in steps so that answer saves arrive at 10, 25, 50 and 75 per
second (about 190 users at once in the last step). A step is 10 s in which its new users
log in one after another, then 20 s measured; the load ends by itself after the last step.
Users who have submitted log in again as the next employee, so logins go on throughout.
Figure: p95 latency of an answer save in each step. Baseline, same run: p95 of GET /healthz
(a trivial request through the same app, workers and database) sent at 5/s throughout.
Reported: the highest save rate held with p95 < 200 ms and no error, the error count (must
be 0), and afterwards a check that every answer the server acknowledged is in the database
with the value sent, and every acknowledged submit is submitted.

Clients look like they come through one nginx: each user has its own X-Forwarded-For
address and the app trusts one proxy (SURVEYAPP_TRUSTED_PROXIES=1). Rate limits use Redis
when one answers on 127.0.0.1:6379, else per-worker memory (recorded in the results).

    python -m bench.load                                  # the full run (about 2.5 minutes)
    python -m bench.load --steps 10,25 --seconds 8 --ramp 5     # a quick look
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python -m bench.load

Autosave contract: POST /survey/<period>/answers, JSON {"item": "BP-1a", "value": 4},
headers X-CSRFToken (from <meta name="csrf-token">) and X-Autosave: 1, 200 on success;
submit: POST /survey/<period>/submit with confirm=1 and csrf_token.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from bench.common import Figure, report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "Beban-Uji-Tenggat-2026"
PERIOD = "BEBAN-2026"
THINK = 2.5  # seconds between one user's clicks
HEALTH_RATE = 5.0  # baseline requests per second
P95_LIMIT = 0.200
WORKERS = 4
DRIVER_PROCESSES = 2
SUBMIT_OK = {200, 302, 303}
APP = "wsgi:app"  # what gunicorn serves: the production entry point

CSRF_META = re.compile(r'<meta\s+name="csrf-token"\s+content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def nip_of(i: int) -> str:
    return f"199001012020{i:06d}"  # 18 digits, one per employee


def value_of(employee: int, item_index: int, lo: int, hi: int) -> int:
    return lo + (employee * 7 + item_index * 3) % (hi - lo + 1)


# --- database ---------------------------------------------------------------------------


def create_database(server_url: str) -> tuple[str, callable]:
    import sqlalchemy as sa

    name = f"surveyapp_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        sa.make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(server_url).set(database=name).render_as_string(False), drop


def own_database(bench: str) -> tuple[str, callable] | None:
    """A PostgreSQL database of the bench's own (BENCH_DATABASE_URL or TEST_DATABASE_URL names
    the server): (url, drop), or None after saying why there is none."""
    server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "TEST_DATABASE_URL", DEFAULT_SERVER
    )
    if not server_url.startswith("postgresql"):
        print(f"{bench} needs PostgreSQL; BENCH_DATABASE_URL is {server_url!r}")
        return None
    try:
        return create_database(server_url)
    except Exception as exc:
        print(f"PostgreSQL at {server_url} is not reachable ({type(exc).__name__}): {exc}")
        return None


def seed(url: str, employees: int) -> dict:
    """Schema, a unit tree, `employees` people sharing one production-cost password hash,
    and one open period with all of them on the roster. Bulk inserts; seconds, not minutes."""
    import sqlalchemy as sa
    from argon2 import PasswordHasher
    from flask_migrate import upgrade

    from surveyapp import create_app
    from surveyapp.config import ProductionConfig
    from surveyapp.extensions import db
    from surveyapp.models import Employee, Item, QuestionnaireVersion, RosterEntry, utcnow
    from surveyapp.services import org, periods

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        session = db.session
        root = org.add_unit("PEMKOT", "Pemerintah Kota Beban", None)
        leaves = []
        for d in range(20):
            dinas = org.add_unit(f"D{d:02d}", f"Dinas {d}", root)
            leaves += [org.add_unit(f"D{d:02d}-B{b}", f"Bidang {b}", dinas) for b in range(4)]
        session.flush()
        # One hash at the cost production uses, shared by everyone: logins cost what they
        # cost in production, seeding costs one hash.
        password_hash = PasswordHasher(
            time_cost=ProductionConfig.ARGON2_TIME_COST,
            memory_cost=ProductionConfig.ARGON2_MEMORY_COST,
            parallelism=ProductionConfig.ARGON2_PARALLELISM,
        ).hash(PASSWORD)
        now = utcnow()
        session.execute(
            sa.insert(Employee),
            [
                {
                    "nip": nip_of(i),
                    "name": f"Pegawai Beban {i}",
                    "unit_id": leaves[i % len(leaves)].id,
                    "jabatan": "Analis",
                    "golongan": "III/a",
                    "jenis": "PNS",
                    "password_hash": password_hash,
                    "created_at": now,
                }
                for i in range(employees)
            ],
        )
        version = session.scalar(sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.id))
        period = periods.create_period(
            code=PERIOD,
            name="Periode uji beban",
            version=version,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=14),
            scope_units=[root],
        )
        periods.open_period(period)
        eligible = session.scalar(
            sa.select(sa.func.count(RosterEntry.id)).where(RosterEntry.period_id == period.id)
        )
        items = [
            (item.id, item.code)
            for item in session.scalars(
                sa.select(Item).where(Item.version_id == version.id).order_by(Item.position)
            )
        ]
        info = {
            "items": items,
            "scale": (version.scale_min, version.scale_max),
            "period_id": period.id,
            "eligible": eligible,
        }
        session.commit()
        db.engine.dispose()
    return info


def stored_answers(url: str, period_id: int) -> tuple[dict, dict]:
    """{(nip, item code): value} and {nip: state} as the database holds them."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        answers = {
            (nip, code): value
            for nip, code, value in conn.execute(
                sa.text(
                    "SELECT e.nip, i.code, a.value FROM answers a "
                    "JOIN responses r ON r.id = a.response_id "
                    "JOIN employees e ON e.id = r.employee_id JOIN items i ON i.id = a.item_id "
                    "WHERE r.period_id = :p"
                ),
                {"p": period_id},
            )
        }
        states = dict(
            conn.execute(
                sa.text(
                    "SELECT e.nip, r.state FROM responses r "
                    "JOIN employees e ON e.id = r.employee_id WHERE r.period_id = :p"
                ),
                {"p": period_id},
            ).all()
        )
    engine.dispose()
    return answers, states


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_server(url: str, port: int, log_path: Path, ratelimit: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEYAPP_", "FLASK_"))}
    env.update(
        SURVEYAPP_ENV="production",
        SURVEYAPP_SECRET_KEY=secrets.token_urlsafe(48),
        SURVEYAPP_DATABASE_URL=url,
        SURVEYAPP_RATELIMIT_STORAGE_URI=ratelimit,
        SURVEYAPP_TRUSTED_PROXIES="1",
        SURVEYAPP_WORKERS=str(WORKERS),
        SURVEYAPP_BIND=f"127.0.0.1:{port}",
    )
    log = open(log_path, "w")  # noqa: SIM115  (closed when the process ends)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", APP],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
        try:
            if Client(port, "127.0.0.1").request("GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    """TERM: gunicorn lets requests in flight finish, then the workers and master exit."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the client ---------------------------------------------------------------------------


class Client:
    """One browser: its own cookies and address (X-Forwarded-For), a new connection per
    request (gunicorn's sync workers close it after each response anyway)."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers, text, seconds)."""
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        seconds = time.perf_counter() - start
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response.headers, text, seconds


class Recorder:
    def __init__(self, t0: float):
        self.t0 = t0
        self.records: list[tuple] = []  # (kind, sent_at, seconds, status, ok)
        self.lock = threading.Lock()

    def call(self, kind, ok_statuses, client: Client, method, path, body=None, headers=None):
        sent_at = time.time() - self.t0
        try:
            status, hdrs, text, seconds = client.request(method, path, body, headers)
        except OSError as exc:
            status, hdrs, text, seconds = 0, None, type(exc).__name__, 0.0
        ok = status in ok_statuses
        with self.lock:
            self.records.append((kind, sent_at, seconds, status, ok))
        return ok, status, hdrs, text


def login(rec: Recorder, client: Client, nip: str) -> bool:
    ok, _, _, page = rec.call("login_page", {200}, client, "GET", "/login")
    token = CSRF_INPUT.search(page) if ok else None
    if token is None:
        return False
    form = urlencode({"nip": nip, "password": PASSWORD, "csrf_token": token.group(1), "next": ""})
    ok, _, _, _ = rec.call(
        "login",
        {302},
        client,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if not ok:
        return False
    ok, _, _, page = rec.call("home", {200}, client, "GET", "/")
    found = (CSRF_META.search(page) or CSRF_INPUT.search(page)) if ok else None
    client.csrf = found.group(1) if found else None
    return client.csrf is not None


def save(rec: Recorder, client: Client, code: str, value: int):
    return rec.call(
        "save",
        {200},
        client,
        "POST",
        f"/survey/{PERIOD}/answers",
        json.dumps({"item": code, "value": value}),
        {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": client.csrf,
            "X-Autosave": "1",
        },
    )


def submit(rec: Recorder, client: Client):
    return rec.call(
        "submit",
        SUBMIT_OK,
        client,
        "POST",
        f"/survey/{PERIOD}/submit",
        urlencode({"confirm": "1", "csrf_token": client.csrf}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )


# --- the load -----------------------------------------------------------------------------


def users_for(rate: float, items: int, think: float) -> int:
    """Users needed for `rate` saves/s: each spends items + 2 clicks (login, submit) per
    employee, one click every `think` seconds."""
    return math.ceil(rate * think * (items + 2) / items)


def _sleep_until(t: float) -> None:
    delay = t - time.time()
    if delay > 0:
        time.sleep(delay)


def user(rec, port, slot, start, end, think, employees, stride, items, scale, acked, submitted):
    """One virtual user: employee after employee, a click every `think` seconds until `end`."""
    lo, hi = scale
    t_next = start
    address = f"10.{slot // 250 % 250}.{slot % 250}.{1 + slot // 62500}"
    for employee in range(slot, employees, stride):
        nip = nip_of(employee)
        client = Client(port, address)
        _sleep_until(t_next)
        if time.time() >= end:
            return
        if not login(rec, client, nip):
            t_next = max(t_next + think, time.time())
            continue
        t_next = max(t_next + think, time.time())
        for index, (_item_id, code) in enumerate(items):
            _sleep_until(t_next)
            if time.time() >= end:
                return
            value = value_of(employee, index, lo, hi)
            ok = save(rec, client, code, value)[0]
            if ok:
                acked.append((nip, code, value))
            # A user who fell behind does not click twice as fast to catch up.
            t_next = max(t_next + think, time.time())
        _sleep_until(t_next)
        if time.time() >= end:
            return
        if submit(rec, client)[0]:
            submitted.append(nip)
        t_next = max(t_next + think, time.time())


def driver(index, port, t0, steps, ramp, seconds, think, employees, items, scale, queue):
    """One driver process: the users whose slot falls to it, each in a thread.

    The users a step adds log in one after another over its ramp, so their clicks are
    spread evenly over the think time; the step is measured after the ramp."""
    rec = Recorder(t0)
    acked: list = []
    submitted: list = []
    counts = [users_for(rate, len(items), think) for rate in steps]
    stride = max(counts)
    end = t0 + len(steps) * (ramp + seconds)
    threads = []
    for slot in range(index, stride, DRIVER_PROCESSES):
        step = next(k for k, n in enumerate(counts) if slot < n)
        before = counts[step - 1] if step else 0
        start = (
            t0 + step * (ramp + seconds) + (slot - before + 0.5) / (counts[step] - before) * ramp
        )
        args = (rec, port, slot, start, end, think, employees - 1, stride, items, scale)
        threads.append(threading.Thread(target=user, args=(*args, acked, submitted)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put((rec.records, acked, submitted))


def health_probe(rec: Recorder, port: int, end: float) -> None:
    client = Client(port, "10.255.255.1")
    t_next = time.time()
    while t_next < end:
        _sleep_until(t_next)
        rec.call("healthz", {200}, client, "GET", "/healthz")
        t_next = max(t_next + 1 / HEALTH_RATE, time.time())


def _status_of(log_line: str) -> int:
    """The status in one of the app's JSON request lines (0 for any other line)."""
    if not log_line.startswith("{"):
        return 0
    try:
        return int(json.loads(log_line).get("status") or 0)
    except (ValueError, TypeError):
        return 0


def p95(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[94]


# --- the run ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="10,25,50,75", help="save rates per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured part of a step")
    parser.add_argument("--ramp", type=float, default=10.0, help="new users log in over this")
    parser.add_argument("--think", type=float, default=THINK, help="seconds between clicks")
    parser.add_argument("--employees", type=int, default=10_000)
    args = parser.parse_args(argv)
    steps = [float(s) for s in args.steps.split(",")]
    database = own_database("bench/load.py")
    if database is None:
        return 2
    url, drop = database
    workdir = Path(tempfile.mkdtemp(prefix="surveyapp-load-"))
    server = None
    try:
        t = time.perf_counter()
        info = seed(url, args.employees)
        seed_seconds = time.perf_counter() - t
        items, scale = info["items"], tuple(info["scale"])
        print(f"seeded {info['eligible']} employees, {len(items)} items in {seed_seconds:.1f} s")
        ratelimit = "redis://127.0.0.1:6379/0" if redis_answers() else "memory://"
        port = free_port()
        server = start_server(url, port, workdir / "gunicorn.log", ratelimit)

        # One employee (the last, no user takes it) checks the contract before the load.
        probe_rec = Recorder(time.time())
        probe = Client(port, "10.255.255.2")
        probe_nip = nip_of(args.employees - 1)
        if not login(probe_rec, probe, probe_nip):
            print(f"login through the form failed: {probe_rec.records}")
            return 1
        ok, status, _, _ = save(probe_rec, probe, items[0][1], scale[0])
        if not ok:
            print(
                f"POST /survey/{PERIOD}/answers answered {status}: the autosave endpoint "
                "(JSON item/value, X-CSRFToken, X-Autosave) is not on this branch or differs "
                "from the contract; no load was run."
            )
            return 3
        acked = [(probe_nip, items[0][1], scale[0])]
        submitted: list[str] = []

        t0 = time.time() + 2.0
        step_length = args.ramp + args.seconds
        end = t0 + len(steps) * step_length
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        drivers = [
            ctx.Process(
                target=driver,
                args=(
                    i,
                    port,
                    t0,
                    steps,
                    args.ramp,
                    args.seconds,
                    args.think,
                    args.employees,
                    items,
                    scale,
                    queue,
                ),
            )
            for i in range(DRIVER_PROCESSES)
        ]
        for d in drivers:
            d.start()
        health = Recorder(t0)
        _sleep_until(t0)
        health_probe(health, port, end)
        records = list(health.records)
        for _ in drivers:
            r, a, s = queue.get()
            records += r
            acked += a
            submitted += s
        for d in drivers:
            d.join()
        stop_server(server)
        server_log = (workdir / "gunicorn.log").read_text()

        stored, states = stored_answers(url, info["period_id"])
    finally:
        if server is not None:
            stop_server(server)
        drop()
        shutil.rmtree(workdir, ignore_errors=True)

    lost = [a for a in acked if stored.get((a[0], a[1])) != a[2]]
    not_submitted = [n for n in submitted if states.get(n) != "submitted"]
    errors = [r for r in records if not r[4]]
    logged_5xx = sum(1 for line in server_log.splitlines() if _status_of(line) >= 500)

    figures = []
    held = None
    for k, rate in enumerate(steps):
        lo_t, hi_t = k * step_length + args.ramp, (k + 1) * step_length
        in_step = [r for r in records if lo_t <= r[1] < hi_t]
        saves = [r[2] for r in in_step if r[0] == "save" and r[4]]
        health_s = [r[2] for r in in_step if r[0] == "healthz" and r[4]]
        logins = [r[2] for r in in_step if r[0] == "login" and r[4]]
        step_errors = sum(1 for r in in_step if not r[4])
        save_p95, health_p95 = p95(saves), p95(health_s)
        achieved = len(saves) / args.seconds
        figures.append(
            Figure(
                f"answer save p95 at {rate:g}/s",
                save_p95 or 0.0,
                health_p95,
                {
                    "target_rate": rate,
                    "achieved_rate": round(achieved, 1),
                    "users": users_for(rate, len(items), args.think),
                    "saves": len(saves),
                    "save_p50_ms": round(1000 * statistics.median(saves), 1) if saves else None,
                    "login_p95_ms": round(1000 * p95(logins), 1) if logins else None,
                    "errors": step_errors,
                },
            )
        )
        if (
            save_p95 is not None
            and save_p95 < P95_LIMIT
            and step_errors == 0
            and achieved >= 0.9 * rate
        ):
            held = rate
    summary = Figure(
        "highest save rate held (p95 < 200 ms, 0 err)",
        next((f.seconds for f in figures if f.extra["target_rate"] == held), 0.0),
        next((f.baseline_seconds for f in figures if f.extra["target_rate"] == held), None),
        {
            "rate_held": held,
            "errors": len(errors),
            "acknowledged_saves": len(acked),
            "lost_answers": len(lost),
            "acknowledged_submits": len(submitted),
            "submits_not_in_db": len(not_submitted),
        },
    )
    report(
        "load",
        [summary, *figures],
        workers=WORKERS,
        database="PostgreSQL (created and dropped by the run)",
        employees=args.employees,
        seed_seconds=round(seed_seconds, 1),
        ratelimit_storage=ratelimit.split(":")[0],
        think_seconds=args.think,
        step_seconds=args.seconds,
        ramp_seconds=args.ramp,
        requests=len(records),
        errors_by_kind={
            kind: sum(1 for r in errors if r[0] == kind) for kind in {r[0] for r in errors}
        },
        server_logged_5xx=logged_5xx,
        cpus=os.cpu_count(),
        baseline="GET /healthz at 5/s during the same steps",
    )
    if errors or lost or not_submitted:
        print(
            f"FAILED: {len(errors)} errors, {len(lost)} acknowledged answers missing, "
            f"{len(not_submitted)} acknowledged submits not submitted"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
