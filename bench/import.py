"""Roster import of 20,000 and 100,000 employees in 500 units (docs/design.md "Performance
targets": under 60 s, memory bounded).

The roster is written first with openpyxl's write-only mode. Then, each in a fresh child
process (bench.common.in_child, so each peak RSS is that job's own):

- baseline: openpyxl read-only reading the same file and touching every cell, nothing else;
- import: services.imports on a fresh SQLite database holding the 500 units: the check
  (plan_employees, the dry run the preview shows), the write (apply_employees: bulk inserts
  with activation codes, one commit) and the one-time activation-codes workbook;
- re-check: the same file checked again against the now full database (every row known and
  unchanged), which is what the next year's import costs before anything is written.

"above start-up" is the peak minus the RSS of the child once the app is built, i.e. what the
import itself adds; it must not grow with the rows.

    python -m bench.import                 # 20,000 and 100,000 rows
    python -m bench.import --rows 5000     # a quick look
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from bench.common import Figure, in_child, report

UNITS = 500


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_roster(path: Path, rows: int, seed: int = 2026) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pegawai")
    sheet.append(["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis", "Email", "Peran"])
    for n in range(rows):
        # Birth date (8 digits), then appointment year and a running number: unique, 18 digits.
        nip = f"{1960 + rng.randrange(40)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        nip += f"2010{n:06d}"
        sheet.append(
            [
                nip,
                f"Pegawai {n}",
                f"U{n % UNITS:03d}",
                "Analis",
                "III/a",
                "PNS" if n % 5 else "PPPK",
                None,
                "hr" if n % 1000 == 0 else None,
            ]
        )
    book.save(path)


def _app(url: str):
    from surveyapp import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url})


def _fresh_database(folder: Path) -> str:
    from flask_migrate import upgrade

    from surveyapp.extensions import db
    from surveyapp.services import org

    url = f"sqlite:///{folder / 'import.sqlite'}"
    app = _app(url)
    with app.app_context():
        upgrade()
        root = org.add_unit("ROOT", "Kementerian Contoh", None)
        for u in range(UNITS):
            org.add_unit(f"U{u:03d}", f"Unit {u}", root)
        db.session.commit()
    return url


def run_import(roster: str, folder: str) -> dict:
    from surveyapp.excel import write_activation_codes
    from surveyapp.extensions import db
    from surveyapp.services import imports

    url = _fresh_database(Path(folder))
    app = _app(url)
    with app.app_context():
        startup = _rss_mb()
        start = time.perf_counter()
        plan = imports.plan_employees(roster)
        if not plan.ok:
            raise SystemExit([e.line() for e in plan.errors[:5]])
        checked = time.perf_counter()
        codes = imports.apply_employees(plan, actor=None)
        plan.close()
        db.session.commit()
        written = time.perf_counter()
        count = write_activation_codes(codes, Path(folder) / "codes.xlsx")
        codes.close()
        done = time.perf_counter()
    return {
        "created": count,
        "check_seconds": checked - start,
        "write_seconds": written - checked,
        "codes_seconds": done - written,
        "seconds": done - start,
        "startup_mb": startup,
    }


def run_recheck(roster: str, folder: str) -> dict:
    from surveyapp.services import imports

    app = _app(f"sqlite:///{Path(folder) / 'import.sqlite'}")
    with app.app_context():
        startup = _rss_mb()
        start = time.perf_counter()
        plan = imports.plan_employees(roster)
        counts = plan.counts()
        plan.close()
        seconds = time.perf_counter() - start
    if counts["create"] or counts["update"] or counts["errors"]:
        raise SystemExit(f"re-check found changes: {counts}")
    return {"seconds": seconds, "startup_mb": startup, "rows": counts["rows"]}


def read_baseline(roster: str, folder: str) -> dict:
    from openpyxl import load_workbook

    startup = _rss_mb()
    cells = 0
    book = load_workbook(roster, read_only=True, data_only=True)
    for row in book.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for value in row if value is not None)
    book.close()
    return {"cells": cells, "startup_mb": startup}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    figures = []
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as folder:
            roster = Path(folder) / "roster.xlsx"
            write_seconds = time.perf_counter()
            _write_roster(roster, rows)
            write_seconds = time.perf_counter() - write_seconds
            base_seconds, base_rss, base = in_child(read_baseline, str(roster), folder)
            _total, rss, result = in_child(run_import, str(roster), folder)
            _total, recheck_rss, recheck = in_child(run_recheck, str(roster), folder)
            common = {
                "rows": rows,
                "file_mb": round(roster.stat().st_size / 2**20, 1),
                "roster_written_in_s": round(write_seconds, 1),
                "database": "sqlite",
                "baseline_peak_rss_mb": round(base_rss, 1),
                "baseline_above_startup_mb": round(base_rss - base["startup_mb"], 1),
            }
            figures.append(
                Figure(
                    f"import {rows} employees (check+write+codes)",
                    result["seconds"],  # without creating the empty database
                    base_seconds,
                    {
                        **common,
                        "created": result["created"],
                        "check_s": round(result["check_seconds"], 2),
                        "write_s": round(result["write_seconds"], 2),
                        "codes_xlsx_s": round(result["codes_seconds"], 2),
                        "peak_rss_mb": round(rss, 1),
                        "above_startup_mb": round(rss - result["startup_mb"], 1),
                    },
                )
            )
            figures.append(
                Figure(
                    f"re-check {rows} known employees (dry run)",
                    recheck["seconds"],
                    base_seconds,
                    {
                        **common,
                        "peak_rss_mb": round(recheck_rss, 1),
                        "above_startup_mb": round(recheck_rss - recheck["startup_mb"], 1),
                    },
                )
            )
    report("import", figures, target="under 60 s for 100,000 rows; memory bounded")


if __name__ == "__main__":
    main()
