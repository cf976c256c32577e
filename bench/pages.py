"""HR pages of a closed period of 100,000 people: gunicorn (4 workers, gunicorn.conf.py,
production settings) on a PostgreSQL database of its own, seeded by bench/aggregate.py's
populate (500 units, 28 answers a person, the per-response sums) and closed, which builds the
period's snapshot.

Two HR accounts log in through the form: one scoped to the root unit, one to the Dinas with the
most people. Each page is then asked for at a steady 20 requests/s for 30 s, requests sent on
time whether or not the previous ones have answered (a new connection each, like load.py):

- the HR dashboard `/hr/?period=<id>` as the root's HR (every unit of the city),
- the Dinas's unit page `/hr/periods/<id>/units/<dinas>` as the Dinas's HR,
- `GET /healthz`, the baseline: a trivial request through the same app, workers and database.

Figure: p95 latency per page (beside the /healthz p95), with p50, max, errors and the answer
statuses (0: no answer within load.Client's 60 s). Target: p95 < 300 ms and no error. Before
each page's measured 30 s: a burst of 8 requests warms the workers up (each parses the period's
snapshot once; the slowest is reported), then 5 requests one after another give the page's own
time without load ("alone"). After it, the next page waits until /healthz is quick again
("settle"), so that a page that fell behind does not slow the next one.

    python -m bench.pages                                   # the full run
    python -m bench.pages --employees 5000 --seconds 10     # a quick look
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python -m bench.pages

Writes bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench.common import Figure, report
from bench.load import (
    CSRF_INPUT,
    PASSWORD,
    WORKERS,
    Client,
    Recorder,
    _sleep_until,
    _status_of,
    free_port,
    own_database,
    p95,
    redis_answers,
    start_server,
    stop_server,
)

RATE = 20.0  # requests per second against each page
P95_LIMIT = 0.300
ALONE = 5  # requests one after another, before the load: the page's own time
SETTLED = 5  # consecutive quick /healthz answers that mean the server is idle again
SETTLE_MAX = 300.0


def seed(url: str, employees: int, units: int) -> dict:
    """aggregate.populate's organisation and submitted period, closed (the snapshot is built
    here, as the close job builds it), and two HR accounts sharing one production-cost hash."""
    import sqlalchemy as sa
    from argon2 import PasswordHasher

    from bench.aggregate import populate
    from surveyapp import create_app
    from surveyapp.config import ProductionConfig
    from surveyapp.extensions import db
    from surveyapp.models import Employee, Period, RosterEntry, Unit
    from surveyapp.services import periods

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    built = populate(app, employees, units)
    with app.app_context():
        session = db.session
        period = session.get(Period, built.period_id)
        start = time.perf_counter()
        periods.close_period(period)
        session.commit()
        close_seconds = time.perf_counter() - start
        root = session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        people = (
            sa.select(sa.func.count(RosterEntry.id))
            .where(
                RosterEntry.period_id == period.id,
                RosterEntry.unit_path.startswith(Unit.path),
            )
            .scalar_subquery()
        )
        dinas, dinas_people = session.execute(
            sa.select(Unit, people)
            .where(Unit.parent_id == root.id)
            .order_by(people.desc(), Unit.id)
            .limit(1)
        ).one()
        password_hash = PasswordHasher(
            time_cost=ProductionConfig.ARGON2_TIME_COST,
            memory_cost=ProductionConfig.ARGON2_MEMORY_COST,
            parallelism=ProductionConfig.ARGON2_PARALLELISM,
        ).hash(PASSWORD)
        staff = session.scalars(sa.select(Employee).order_by(Employee.id).limit(2)).all()
        for employee, scope in zip(staff, (root, dinas), strict=True):
            employee.is_hr = True
            employee.hr_unit_id = scope.id
            employee.password_hash = password_hash
        info = {
            "period_id": period.id,
            "close_seconds": close_seconds,
            "sums_seconds": built.sums_seconds,
            "root_hr": staff[0].nip,
            "dinas_hr": staff[1].nip,
            "dinas_id": dinas.id,
            "dinas_name": dinas.name,
            "dinas_people": dinas_people,
        }
        session.commit()
        db.engine.dispose()
    return info


def login(port: int, address: str, nip: str) -> Client:
    """A browser logged in through the form (CSRF token read from it)."""
    client = Client(port, address)
    status, _, page, _ = client.request("GET", "/login")
    token = CSRF_INPUT.search(page) if status == 200 else None
    if token is None:
        raise SystemExit(f"GET /login answered {status} without a CSRF token")
    form = urlencode({"nip": nip, "password": PASSWORD, "csrf_token": token.group(1), "next": ""})
    status, _, _, _ = client.request(
        "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302:
        raise SystemExit(f"login of {nip} answered {status}")
    return client


def copy_of(browser: Client) -> Client:
    """The same browser with a cookie jar of its own (no two threads share one)."""
    client = Client(browser.port, browser.address)
    client.cookies = dict(browser.cookies)
    return client


def drive(rec: Recorder, kind: str, browser: Client, path: str, seconds: float) -> None:
    """`RATE` GETs a second for `seconds`, each sent on time in its own thread whether or not
    the earlier ones have answered."""
    start = time.time()
    threads = []
    for k in range(round(RATE * seconds)):
        _sleep_until(start + k / RATE)
        thread = threading.Thread(
            target=rec.call, args=(kind, {200}, copy_of(browser), "GET", path)
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


def burst(rec: Recorder, kind: str, browser: Client, path: str, count: int) -> None:
    """`count` GETs at once: every worker answers at least one (and parses the snapshot)."""
    threads = [
        threading.Thread(target=rec.call, args=(kind, {200}, copy_of(browser), "GET", path))
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def settle(port: int) -> float:
    """Seconds until the server is idle again: requests a client gave up on (timeout) stay
    queued in gunicorn and would otherwise be served during the next page's measurement."""
    start = time.perf_counter()
    probe = Client(port, "10.0.0.9")
    quick = 0
    while quick < SETTLED and time.perf_counter() - start < SETTLE_MAX:
        try:
            status, _, _, seconds = probe.request("GET", "/healthz")
        except OSError:  # no answer within the client's timeout: still busy
            status, seconds = 0, SETTLE_MAX
        quick = quick + 1 if status == 200 and seconds < 0.05 else 0
        time.sleep(0.2)
    return time.perf_counter() - start


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(1000 * seconds, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time per page")
    args = parser.parse_args(argv)
    database = own_database("bench/pages.py")
    if database is None:
        return 2
    url, drop = database
    workdir = Path(tempfile.mkdtemp(prefix="surveyapp-pages-"))
    server = None
    try:
        start = time.perf_counter()
        info = seed(url, args.employees, args.units)
        seed_seconds = time.perf_counter() - start
        print(
            f"seeded and closed in {seed_seconds:.1f} s (close with snapshot "
            f"{info['close_seconds']:.2f} s); Dinas {info['dinas_name']!r}: "
            f"{info['dinas_people']} people",
            flush=True,
        )
        ratelimit = "redis://127.0.0.1:6379/0" if redis_answers() else "memory://"
        port = free_port()
        server = start_server(url, port, workdir / "gunicorn.log", ratelimit)
        ids = {"id": info["period_id"], "dinas": info["dinas_id"]}
        targets = [
            ("healthz", "/healthz", Client(port, "10.0.0.1"), None),
            (
                "HR dashboard (root HR)",
                "/hr/?period={id}",
                login(port, "10.0.0.2", info["root_hr"]),
                "Unit ",
            ),
            (
                "Dinas unit page (Dinas HR)",
                "/hr/periods/{id}/units/{dinas}",
                login(port, "10.0.0.3", info["dinas_hr"]),
                info["dinas_name"],
            ),
        ]
        targets = [(name, path.format(**ids), *rest) for name, path, *rest in targets]
        paths = {name: path for name, path, *_rest in targets}
        for name, path, browser, expected in targets:  # the contract, before any load
            status, _, page, _ = browser.request("GET", path)
            if status != 200 or (expected and expected not in page):
                print(f"{name}: GET {path} answered {status} without {expected!r}; no load run")
                return 3
        measured: dict[str, list[tuple]] = {}
        phases: dict[str, dict] = {}
        for name, path, browser, _expected in targets:
            warm = Recorder(time.time())
            burst(warm, name, browser, path, 2 * WORKERS)
            alone = Recorder(time.time())
            for _ in range(ALONE):
                alone.call(name, {200}, copy_of(browser), "GET", path)
            rec = Recorder(time.time())
            drive(rec, name, browser, path, args.seconds)
            measured[name] = rec.records
            phases[name] = {
                "warmup_max_ms": ms(max(r[2] for r in warm.records)),
                "alone_p50_ms": ms(statistics.median(r[2] for r in alone.records)),
                "settle_seconds": round(settle(port), 1),
            }
            print(f"  {name}: {len(rec.records)} requests, {phases[name]}", flush=True)
        stop_server(server)
        server_log = (workdir / "gunicorn.log").read_text()
    finally:
        if server is not None:
            stop_server(server)
        drop()
        shutil.rmtree(workdir, ignore_errors=True)

    logged_5xx = sum(1 for line in server_log.splitlines() if _status_of(line) >= 500)
    times = {name: [r[2] for r in records if r[4]] for name, records in measured.items()}
    base_p95 = p95(times["healthz"])
    figures = []
    errors_seen = 0
    for name, path in paths.items():
        records, ok = measured[name], times[name]
        errors = sum(1 for r in records if not r[4])
        page_p95 = p95(ok)
        extra = {
            "path": path,
            "requests": len(records),
            "errors": errors,
            "p50_ms": ms(statistics.median(ok)) if ok else None,
            "p95_ms": ms(page_p95),
            "max_ms": ms(max(ok)) if ok else None,
            "statuses": dict(Counter(r[3] for r in records)),
            **phases[name],
        }
        if name == "healthz":
            figures.append(Figure("/healthz (baseline)", page_p95 or 0.0, None, extra))
            continue
        passed = page_p95 is not None and page_p95 < P95_LIMIT and errors == 0
        errors_seen += errors
        extra["verdict"] = "PASS" if passed else "MISS"
        figures.append(Figure(f"{name} p95", page_p95 or 0.0, base_p95, extra))
    for figure in figures:
        e = figure.extra
        print(
            f"  {figure.name}: p50 {e['p50_ms']} ms, p95 {e['p95_ms']} ms, max {e['max_ms']} ms, "
            f"errors {e['errors']}/{e['requests']}, alone {e['alone_p50_ms']} ms"
            + (f"  target p95 < 300 ms, 0 errors: {e['verdict']}" if "verdict" in e else "")
        )
    report(
        "pages",
        figures,
        workers=WORKERS,
        database="PostgreSQL (created and dropped by the run)",
        employees=args.employees,
        units=args.units,
        rate_per_second=RATE,
        seconds_per_page=args.seconds,
        warmup_requests=2 * WORKERS,
        seed_seconds=round(seed_seconds, 1),
        close_seconds=round(info["close_seconds"], 3),
        sums_backfill_seconds=round(info["sums_seconds"], 3),
        dinas_people=info["dinas_people"],
        ratelimit_storage=ratelimit.split(":")[0],
        server_logged_5xx=logged_5xx,
        cpus=os.cpu_count(),
        target="p95 < 300 ms, 0 errors",
        baseline="GET /healthz at the same rate in the same run",
    )
    return 1 if errors_seen else 0  # a slow page is a MISS; a page that fails is a failure


if __name__ == "__main__":
    sys.exit(main())
