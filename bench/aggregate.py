"""A closed period's results for 100,000 employees in 500 units with 28 answers and 30 culture
map choices each (three lenses of ten), on SQLite and on PostgreSQL, beside hand-written GROUP
BYs over the same rows in the same run: one over the answers (GROUP BY item, value) and one over
the culture choices (GROUP BY lens, behaviour).

Figures: (a) the close-time snapshot (snapshots.build: counts, moments, answer counts per item,
culture map counts per lens and behaviour and the suppression decision, from the per-response
rows stored at submit, with their value sums and answer and choice masks; stored) against both
GROUP BYs, since it stands in for both; (b) every person's indices from the per-response sums
stored at submit, against the answers' GROUP BY; (c) the same recomputed from the raw answers,
for comparison; (d) the snapshot's culture map part alone (one GROUP BY per unit, lens and
behaviour, rolled up the tree) against the choices' GROUP BY. Target: (a), (b) and (d) at most
1.5 times their baseline (docs/design.md "Performance targets"). Also timed: writing the
per-response rows (sums and masks) for the whole period at once (the "sums backfill"; at submit
it is one person's row), and snapshots.verify, which recomputes everything from the answers and
must find no difference.

    python -m bench.aggregate [--employees N] [--units N] [--repeat N] [--only sqlite|postgresql]
                              [--without-culture-map]

--without-culture-map fills the questionnaire's v1 instead (the same 28 items, no culture
map): figure (a) is then the snapshot against the answers' GROUP BY alone, and there is no (d).
Written to bench/results/aggregate-without-culture-map.json.

PostgreSQL: BENCH_POSTGRES_URL names the server (default: the local test server); the bench
creates a database of its own and drops it afterwards. Writes bench/results/aggregate.json.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.common import Figure, report, timed
from surveyapp.culture import LENSES

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BASELINE_SQL = (
    "SELECT a.item_id, a.value, COUNT(*) FROM answers a "
    "JOIN responses r ON r.id = a.response_id WHERE r.period_id = :period "
    "GROUP BY a.item_id, a.value"
)
CULTURE_BASELINE_SQL = (
    "SELECT c.lens, c.behaviour_id, COUNT(*) FROM culture_choices c "
    "JOIN responses r ON r.id = c.response_id WHERE r.period_id = :period "
    "GROUP BY c.lens, c.behaviour_id"
)

TARGET_RATIO = 1.5  # figures (a) and (b) against the baseline


def build_tree(n_units: int, rnd: random.Random) -> list[dict]:
    """A Pemkot root, a tenth of the units as Dinas below it, two fifths as Bidang below those and
    the rest as Seksi: paths as the app makes them ("/1/4/9/"), ids chosen here."""
    units = [{"id": 1, "code": "PEMKOT", "name": "Pemerintah Kota", "parent_id": None}]
    n_dinas = max(1, n_units // 10)
    n_bidang = max(1, n_units * 2 // 5)
    for i in range(2, n_units + 1):
        if i <= n_dinas + 1:
            parent = 1  # Dinas, Badan, Kecamatan
        elif i <= n_dinas + n_bidang + 1:
            parent = rnd.randint(2, n_dinas + 1)  # Bidang
        else:
            parent = rnd.randint(n_dinas + 2, n_dinas + n_bidang + 1)  # Seksi
        units.append({"id": i, "code": f"U{i:04d}", "name": f"Unit {i}", "parent_id": parent})
    by_id = {u["id"]: u for u in units}
    for unit in units:
        parent = by_id.get(unit["parent_id"])
        unit["path"] = (parent["path"] if parent else "/") + f"{unit['id']}/"
        unit["depth"] = unit["path"].count("/") - 2
        unit["active"] = True
    return units


@dataclass(frozen=True)
class Populated:
    period_id: int
    sums_seconds: float  # writing every submitted response's per-value sums at once


def populate(
    app, n_employees: int, n_units: int, seed: int = 2026, culture_map: bool = True
) -> Populated:
    """Schema by migration, then the organisation and one open period in bulk, every eligible
    person submitted. Answers come from one INSERT ... SELECT over responses x items; the
    per-response sums that a submit writes, from results.store_value_sums over all of them.
    culture_map=False: the default questionnaire's v1, 28 answers a person and no choices."""
    from surveyapp.extensions import db
    from surveyapp.models import (
        RESPONSE_SUBMITTED,
        VERSION_PUBLISHED,
        CultureChoice,
        Employee,
        Period,
        QuestionnaireVersion,
        Response,
        ResponseScore,
        Unit,
        utcnow,
    )
    from surveyapp.services import periods, results

    rnd = random.Random(seed)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        session = db.session
        units = build_tree(n_units, rnd)
        session.execute(sa.insert(Unit), units)
        now = utcnow()
        chunk = 20_000
        for start in range(0, n_employees, chunk):
            session.execute(
                sa.insert(Employee),
                [
                    {
                        "nip": f"19{i:016d}",
                        "name": f"Pegawai {i}",
                        "unit_id": rnd.randint(1, n_units),
                        "jabatan": "Analis",
                        "golongan": "III/a",
                        "jenis": "PNS",
                        "created_at": now,
                    }
                    for i in range(start, min(start + chunk, n_employees))
                ],
            )
        if session.get_bind().dialect.name == "postgresql":
            for table in ("units", "employees"):
                session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        # The newest published version is the default questionnaire's v2, with its culture
        # map; the oldest is v1, the same 28 items without it.
        newest = QuestionnaireVersion.id.desc() if culture_map else QuestionnaireVersion.id
        version = session.scalar(
            sa.select(QuestionnaireVersion)
            .where(QuestionnaireVersion.status == VERSION_PUBLISHED)
            .order_by(newest)
        )
        assert (version.culture_map is not None) == culture_map
        period = periods.create_period(
            code="BENCH",
            name="Periode bench",
            version=version,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=10),
            scope_units=[session.get(Unit, 1)],
            hide_individuals=True,
        )
        periods.open_period(period)
        session.flush()
        _insert_responses(session, period.id, now)  # every eligible person submitted
        # 28 answers per response, spread over the scale by a cheap deterministic hash.
        session.execute(
            sa.text(
                "INSERT INTO answers (response_id, item_id, value, answered_at) "
                "SELECT r.id, i.id, 1 + (r.id * 7 + i.id * 13 + (r.id / 11) * i.id) % 5, "
                ":now FROM responses r JOIN items i ON i.version_id = :version "
                "WHERE r.period_id = :period"
            ),
            {"now": now.replace(tzinfo=None), "version": version.id, "period": period.id},
        )
        if culture_map:
            _insert_culture_choices(session, period.id, version, now)
        period_id = period.id
        session.commit()
        submitted = sa.select(Response.id).where(
            Response.period_id == period_id, Response.state == RESPONSE_SUBMITTED
        )
        start = time.perf_counter()
        results.store_value_sums(submitted)
        session.commit()
        sums_seconds = time.perf_counter() - start
        answers = session.scalar(sa.text("SELECT count(*) FROM answers"))
        choices = session.scalar(sa.select(sa.func.count()).select_from(CultureChoice))
        sums = session.scalar(sa.select(sa.func.count()).select_from(ResponseScore))
        session.commit()
        # Planner statistics, and on PostgreSQL the visibility map and hint bits, as a live
        # database has once autovacuum has passed after the answers came in; without it the
        # first full scans of freshly written tables also pay for writing the hint bits.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("VACUUM ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE")
        print(
            f"  {n_employees} employees, {n_units} units, {answers} answers, "
            f"{choices} culture choices, {sums} score rows",
            flush=True,
        )
        print(f"  sums backfill: {sums_seconds:.3f} s", flush=True)
        assert session.get(Period, period_id) is not None
        assert answers == n_employees * len(version.items)
        assert sums == n_employees  # one ResponseScore row a person
        pick = version.culture_map.pick if culture_map else 0
        assert choices == n_employees * len(LENSES) * pick
        assert session.scalar(sa.select(sa.func.count(Response.id))) == n_employees
    return Populated(period_id, sums_seconds)


def _insert_culture_choices(session, period_id: int, version, now) -> None:
    """Each response picks exactly `pick` behaviours in each lens: a window of consecutive
    list positions that starts at a cheap hash of the response and the lens, so that the
    choices spread over the whole list (limiting behaviours included) and differ by lens."""
    behaviours = len(version.culture_map.behaviours)
    lenses = " UNION ALL ".join(
        f"SELECT '{lens}' AS lens, {k} AS k" for k, lens in enumerate(LENSES, 1)
    )
    session.execute(
        sa.text(
            "INSERT INTO culture_choices (response_id, lens, behaviour_id, chosen_at) "  # noqa: S608
            f"SELECT r.id, l.lens, b.id, :now FROM responses r CROSS JOIN ({lenses}) l "
            "JOIN culture_behaviours b ON b.version_id = :version "
            "AND (b.position - 1 + :m * 4 - (r.id * 7 * l.k + r.id / 13) % :m) % :m < :pick "
            "WHERE r.period_id = :period"
        ),
        {
            "now": now.replace(tzinfo=None),
            "version": version.id,
            "period": period_id,
            "m": behaviours,
            "pick": version.culture_map.pick,
        },
    )


def _insert_responses(session, period_id: int, now) -> None:
    """Core executemany of one response per roster entry, every one submitted."""
    from surveyapp.models import Response, RosterEntry

    roster = session.execute(
        sa.select(RosterEntry.employee_id, RosterEntry.unit_id, RosterEntry.unit_path).where(
            RosterEntry.period_id == period_id
        )
    ).all()
    started = now - timedelta(minutes=20)
    session.execute(
        sa.insert(Response),
        [
            {
                "period_id": period_id,
                "employee_id": employee_id,
                "unit_id": unit_id,
                "unit_path": unit_path,
                "state": "submitted",
                "started_at": started,
                "updated_at": now,
                "submitted_at": now,
            }
            for employee_id, unit_id, unit_path in roster
        ],
    )


def measure(app, built: Populated, database: str, employees: int, repeat: int) -> list[Figure]:
    from surveyapp.extensions import db
    from surveyapp.models import Period
    from surveyapp.services import results, snapshots

    with app.app_context():
        period = db.session.get(Period, built.period_id)

        def baseline():
            return db.session.execute(sa.text(BASELINE_SQL), {"period": period.id}).all()

        def fresh(fn):
            def run():
                db.session.rollback()  # cold: nothing loaded, no rules or unit tree kept
                return fn()

            return run

        def culture_baseline():
            return db.session.execute(sa.text(CULTURE_BASELINE_SQL), {"period": period.id}).all()

        base_seconds, rows = timed(baseline, repeat)
        assert sum(n for _item, _value, n in rows) == employees * 28
        print(f"  baseline GROUP BY over the answers: {base_seconds:.3f} s", flush=True)
        culture_map = period.version.culture_map
        extra = {"database": database, "employees": employees}
        figures = [
            Figure(
                f"sums backfill, whole period ({database})",
                built.sums_seconds,
                base_seconds,
                dict(extra),
            )
        ]
        people = [
            (
                "(b) person indices from sums",
                lambda: results.person_results(period),
                base_seconds,
                "answers",
                TARGET_RATIO,
            ),
            (
                "(c) person indices from answers",
                lambda: results.person_results(period, source=results.FROM_ANSWERS),
                base_seconds,
                "answers",
                None,
            ),
        ]
        if culture_map is None:
            jobs = [
                (
                    "(a) close-time snapshot, no culture map",
                    lambda: snapshots.build(period),
                    base_seconds,
                    "answers",
                    TARGET_RATIO,
                ),
                *people,
            ]
        else:
            culture_seconds, rows = timed(culture_baseline, repeat)
            pick = culture_map.pick
            assert sum(n for _lens, _behaviour, n in rows) == employees * len(LENSES) * pick
            print(f"  baseline GROUP BY over the culture choices: {culture_seconds:.3f} s")
            # The snapshot reads both tables: its baseline is both GROUP BYs.
            jobs = [
                (
                    "(a) close-time snapshot, culture map included",
                    lambda: snapshots.build(period),
                    base_seconds + culture_seconds,
                    "both",
                    TARGET_RATIO,
                ),
                *people,
                (
                    "(d) the snapshot's culture map part",
                    lambda: results.culture_by_group(period),
                    culture_seconds,
                    "culture choices",
                    TARGET_RATIO,
                ),
            ]
        outcomes = {}
        for name, job, baseline_seconds, against, target in jobs:
            seconds, outcome = timed(fresh(job), repeat)
            outcomes[name[:3]] = outcome
            figure = Figure(
                f"{name} ({database})", seconds, baseline_seconds, {**extra, "baseline": against}
            )
            verdict = ""
            if target is not None:
                figure.extra["target_ratio"] = target
                figure.extra["verdict"] = "PASS" if figure.ratio <= target else "MISS"
                verdict = f"  target <= {target}x: {figure.extra['verdict']}"
            figures.append(figure)
            print(
                f"  {name}: {seconds:.3f} s, baseline ({against}) {baseline_seconds:.3f} s, "
                f"ratio {figure.ratio:.2f}{verdict}",
                flush=True,
            )
        tree = outcomes["(a)"]
        assert tree.tallies[results.ORGANISATION].submitted == employees
        assert tree.moments[results.ORGANISATION].n == employees
        assert len(outcomes["(b)"]) == len(outcomes["(c)"]) == employees
        if culture_map is not None:
            organisation = outcomes["(d)"][results.ORGANISATION]
            chosen = employees * len(LENSES) * culture_map.pick
            assert sum(sum(by.values()) for by in organisation.values()) == chosen
            assert tree.culture == outcomes["(d)"]
        db.session.rollback()
        snapshots.build(db.session.get(Period, built.period_id))  # what verify checks
        db.session.commit()

        seconds, problems = timed(fresh(lambda: snapshots.verify(period)))
        clean = not problems
        figures.append(
            Figure(
                f"snapshots.verify ({database})",
                seconds,
                base_seconds,
                {**extra, "clean": clean, "differences": len(problems)},
            )
        )
        state = "clean" if clean else f"{len(problems)} differences, first: {problems[0]}"
        print(f"  snapshots.verify: {seconds:.3f} s, {state}", flush=True)
    return figures


def run_sqlite(args) -> list[Figure]:
    from surveyapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
        app.instance_path = tmp
        print("sqlite: building", flush=True)
        start = time.perf_counter()
        built = populate(app, args.employees, args.units, culture_map=args.culture_map)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
        try:
            return measure(app, built, "sqlite", args.employees, args.repeat)
        finally:
            with app.app_context():
                from surveyapp.extensions import db

                db.engine.dispose()


def run_postgresql(args) -> list[Figure]:
    from surveyapp import create_app

    server = sa.make_url(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    name = f"bench_aggregate_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        print(f"postgresql: skipped, server not reachable ({exc.orig})", flush=True)
        return []
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
            app.instance_path = tmp
            print("postgresql: building", flush=True)
            start = time.perf_counter()
            built = populate(app, args.employees, args.units, culture_map=args.culture_map)
            print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
            try:
                return measure(app, built, "postgresql", args.employees, args.repeat)
            finally:
                with app.app_context():
                    from surveyapp.extensions import db

                    db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--without-culture-map",
        dest="culture_map",
        action="store_false",
        help="the questionnaire's v1: 28 answers a person, no culture map (the snapshot is "
        "then measured against the answers' GROUP BY alone)",
    )
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    if args.only in (None, "sqlite"):
        figures += run_sqlite(args)
    if args.only in (None, "postgresql"):
        figures += run_postgresql(args)
    report(
        "aggregate" if args.culture_map else "aggregate-without-culture-map",
        figures,
        culture_map=args.culture_map,
        employees=args.employees,
        units=args.units,
        answers_per_person=28,
        target_ratio=TARGET_RATIO,
        baseline=BASELINE_SQL,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
