"""Roster import of 20,000 and 100,000 employees in 500 units (DESIGN.md: under 60 s, memory
bounded).

Figure: services.imports checking the file (plan_employees: every row validated) and writing
it (apply_employees: bulk inserts with activation codes), on a fresh SQLite database that
already holds the 500 units. Baseline, same run: reading the same file with openpyxl in
read-only mode and touching every cell, nothing else. Each runs in a fresh child process
(bench.common.in_child), so the peak RSS is that run's own.

    python -m bench.import                 # 20,000 and 100,000 rows
    python -m bench.import --rows 5000     # a quick look
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from bench.common import Figure, in_child, report

UNITS = 500


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


def _fresh_database(folder: Path) -> str:
    import os

    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.services import org

    url = f"sqlite:///{folder / 'import.sqlite'}"
    os.environ["SURVEYAPP_DATABASE_URL"] = url
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        root = org.add_unit("ROOT", "Kementerian Contoh", None)
        for u in range(UNITS):
            org.add_unit(f"U{u:03d}", f"Unit {u}", root)
        db.session.commit()
    return url


def run_import(roster: str, folder: str) -> dict:
    import time

    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.services import imports

    url = _fresh_database(Path(folder))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        start = time.perf_counter()
        plan = imports.plan_employees(roster)
        if not plan.ok:
            raise SystemExit([e.line() for e in plan.errors[:5]])
        codes = imports.apply_employees(plan, actor=None)
        db.session.commit()
        seconds = time.perf_counter() - start
    return {"created": len(codes), "seconds": seconds}


def read_baseline(roster: str, folder: str) -> dict:
    from openpyxl import load_workbook

    cells = 0
    book = load_workbook(roster, read_only=True, data_only=True)
    for row in book.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for value in row if value is not None)
    book.close()
    return {"cells": cells}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    figures = []
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as folder:
            roster = Path(folder) / "roster.xlsx"
            _write_roster(roster, rows)
            base_seconds, base_rss, _ = in_child(read_baseline, str(roster), folder)
            _total, rss, result = in_child(run_import, str(roster), folder)
            figures.append(
                Figure(
                    f"import {rows} employees (check + write)",
                    result["seconds"],  # without creating the empty database
                    base_seconds,
                    {
                        "rows": rows,
                        "created": result["created"],
                        "peak_rss_mb": round(rss, 1),
                        "baseline_peak_rss_mb": round(base_rss, 1),
                        "file_mb": round(roster.stat().st_size / 2**20, 1),
                        "database": "sqlite",
                    },
                )
            )
    report("import", figures, target="under 60 s for 100,000 rows; memory bounded")


if __name__ == "__main__":
    main()
