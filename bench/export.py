"""The HR workbook for 20,000 and 100,000 employees against bare openpyxl (docs/design.md
"Performance targets").

Figure: surveyapp.excel.write_report building the whole workbook (five sheets, formats, charts,
safe text cells, progress reports). Baseline, same run: openpyxl's write-only mode appending the
same cell values to the same sheets, with no styles and no other work. Each build runs in a
fresh child process (bench.common.in_child), so peak RSS is that build's own; it must not grow
with the row count.

Data: synthetic and generated lazily in each child from a fixed seed (the writer runs no
queries; gathering from the database is measured by the results benchmark). Both children
import the app and enter an app context, so their memory baselines match.

    python -m bench.export                 # 20,000 and 100,000 rows
    python -m bench.export --rows 5000     # a quick look
"""

from __future__ import annotations

import argparse
import io
import itertools
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import Figure, in_child, report

CODES = ("BP", "AK", "KO", "HA", "LO", "AD", "KL")
ITEMS_PER_VALUE = 4  # 28 items, as in the default questionnaire (docs/design.md)
DINAS, BIDANG = 30, 4
DATA = "synthetic, generated lazily in the child process (no database)"


def _units():
    units = [("ROOT", "Pemerintah Kota Contoh", 0)]
    for d in range(DINAS):
        units.append((f"D{d:02d}", f"Dinas Contoh {d}", 1))
        units += [(f"D{d:02d}-B{b}", f"Bidang {b} Dinas Contoh {d}", 2) for b in range(BIDANG)]
    return units


def _indices(rng: random.Random) -> dict[str, float]:
    return {code: rng.randint(0, 28) * 100 / 28 for code in CODES}


def synthetic_report(rows: int, seed: int = 2026):
    """A Report whose people are a generator: nothing grows with `rows` but the output."""
    from surveyapp.excel import (
        OVERALL,
        STATUS_DRAFT,
        STATUS_NOT_STARTED,
        STATUS_SUBMITTED,
        BandLine,
        BehaviourLine,
        ItemLine,
        PersonLine,
        Report,
        TrendPoint,
        UnitLine,
        ValueHeading,
        ValueStat,
    )

    rng = random.Random(seed)
    bands = [BandLine(85, "Sangat Baik"), BandLine(70, "Baik"), BandLine(55, "Cukup")]
    bands.append(BandLine(0, "Perlu Pengembangan"))

    def band(index):
        return next(b.label for b in bands if index >= b.lower)

    units = []
    for code, name, depth in _units():
        eligible = rng.randint(20, 4000)
        submitted = rng.randint(0, eligible)
        idx = _indices(rng)
        overall = sum(idx.values()) / len(idx)
        units.append(
            UnitLine(
                code,
                name,
                depth,
                eligible,
                submitted,
                submitted / eligible,
                idx,
                overall,
                band(overall),
            )
        )
    leaves = [(code, name) for code, name, depth in _units() if depth == 2]
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def people():
        prng = random.Random(seed + 1)
        for n in range(rows):
            state = prng.random()
            if state < 0.8:
                idx = _indices(prng)
                overall = sum(idx.values()) / len(idx)
                flags = ("too_fast",) if prng.random() < 0.02 else ()
                yield PersonLine(
                    f"19{n:016d}",
                    f"Pegawai Contoh {n}",
                    leaves[n % len(leaves)][1],
                    "Analis Kebijakan Ahli Muda",
                    "III/" + "abcd"[n % 4],
                    STATUS_SUBMITTED,
                    start + timedelta(seconds=n * 7),
                    idx,
                    overall,
                    band(overall),
                    flags,
                    unit_code=leaves[n % len(leaves)][0],
                )
            else:
                status = STATUS_DRAFT if state < 0.9 else STATUS_NOT_STARTED
                yield PersonLine(
                    f"19{n:016d}",
                    f"Pegawai Contoh {n}",
                    leaves[n % len(leaves)][1],
                    "Pengelola Data",
                    "II/c",
                    status,
                    None,
                    {},
                    None,
                    None,
                    unit_code=leaves[n % len(leaves)][0],
                )

    items = []
    for code in CODES:
        for k in range(1, ITEMS_PER_VALUE + 1):
            counts = {p: rng.randint(0, rows // 5) for p in range(1, 6)}
            n = sum(counts.values())
            mean = sum(p * c for p, c in counts.items()) / n
            items.append(
                ItemLine(
                    f"{code}-{k}",
                    code,
                    f"Pernyataan {code} nomor {k}",
                    k == 4,
                    n,
                    mean,
                    1.0,
                    counts,
                )
            )
    total = units[0]
    labels = [b.label for b in bands]
    stats = [
        ValueStat(
            code,
            f"Nilai {code}",
            total.indices[code],
            15.0,
            rows,
            band(total.indices[code]),
            1.5,
            dict.fromkeys(labels, rows // 4),
        )
        for code in CODES
    ]
    stats.append(
        ValueStat(
            OVERALL,
            "Indeks keseluruhan",
            total.overall,
            14.0,
            rows,
            total.band,
            1.0,
            dict.fromkeys(labels, rows // 4),
        )
    )
    top = [u for u in units if u.depth == 1]
    return Report(
        locale="id",
        period_code="2026-S1",
        period_name="Semester 1 2026",
        opens_at=datetime(2026, 3, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 31, tzinfo=UTC),
        questionnaire="Penilaian Mandiri BerAKHLAK",
        version_number=1,
        scale_min=1,
        scale_max=5,
        scale_labels=["Tidak pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu"],
        bands=bands,
        weights={},
        min_group_size=5,
        min_alpha_respondents=30,
        hide_individuals=False,
        scope_code="ROOT",
        scope_name=total.name,
        generated_at=datetime(2026, 4, 1, tzinfo=UTC),
        generated_by="Bench",
        values=[ValueHeading(code, f"Nilai {code}") for code in CODES],
        units=units,
        total=total,
        items=items,
        alpha={code: 0.8 for code in CODES},
        trend=[
            TrendPoint("Semester 2 2025", _indices(rng), 70.0),
            TrendPoint("Semester 1 2026", total.indices, total.overall),
        ],
        people=people(),
        people_count=rows,
        reverse_items=[i.code for i in items if i.reverse],
        value_stats=stats,
        behaviours=[
            BehaviourLine(code, k, f"Perilaku {code} {k}", (f"{code}-{k}",), 60.0 + k)
            for code in CODES
            for k in (1, 2, 3)
        ],
        weakest_items=items[:5],
        top_units=top,
        above=[u for u in top if u.overall > total.overall],
        below=[u for u in top if u.overall < total.overall],
        strongest=stats[0],
        weakest=stats[1],
        previous_period="Semester 2 2025",
        participation_target=0.8,
    )


def _high_water_mb() -> float:
    """Peak RSS so far (Linux VmHWM); read before and after a build to see what it added."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _app_context():
    from surveyapp import create_app

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.app_context()


def build_with_writer(rows: int, path: str) -> dict:
    from surveyapp.excel import write_report

    with _app_context():
        data = synthetic_report(rows)
        reports = []
        before = _high_water_mb()
        start = time.perf_counter()
        write_report(data, path, lambda done, total: reports.append(done))
        seconds = time.perf_counter() - start
        added = _high_water_mb() - before
    return {
        "seconds": seconds,
        "bytes": Path(path).stat().st_size,
        "progress_reports": len(reports),
        "peak_added_mb": added,
    }


TITLE = [["Laporan"], ["Periode", "x"], ["Cakupan", "x"], ["Dibuat", "x"], []]


def plain_values(data):
    """The cell values the writer puts in each sheet, as bare values (the baseline's input):
    every sheet's title block and header, then its rows."""
    codes = [v.code for v in data.values]
    tz = ZoneInfo(data.timezone)
    headers = ["x"] * (len(codes) + 11)

    def unit(u):
        return [
            u.name,
            u.code,
            u.eligible,
            u.submitted,
            u.drafts,
            u.not_started,
            u.participation,
            *(u.indices[c] for c in codes),
            u.overall,
            u.band,
        ]

    def sheet(rows):
        return itertools.chain(TITLE, [headers], rows)

    yield "Ringkasan Pimpinan", sheet([["x", 1.0, "y", "z"]] * 30)
    yield "Ringkasan", sheet([*(unit(u) for u in data.units), unit(data.total)])
    yield "Nilai dasar", sheet([["x", "BP", 1.0, 5, 1.0, "y", 1.0, 1, 2, 3, 4]] * 8)
    changes = [[u.name, u.code, *([1.0] * (len(codes) + 1))] for u in data.units]
    yield "Perubahan", sheet(changes)
    statuses = {"submitted": "Sudah mengirim", "draft": "Draf", "not_started": "Belum mulai"}

    def person(p):
        when = p.submitted_at.astimezone(tz).replace(tzinfo=None) if p.submitted_at else None
        row = [p.nip, p.name, p.unit, p.unit_code, p.jabatan, p.golongan, statuses[p.status], when]
        if p.indices:
            row += [*(p.indices[c] for c in codes), p.overall, p.band]
        else:
            row += [None] * (len(codes) + 2)
        if p.flags:
            row.append("Terlalu cepat")
        return row

    yield "Pegawai", sheet(person(p) for p in data.people)
    yield "Perilaku", sheet([["BP", 1, "Perilaku", "BP-1", 60.0]] * 30)
    yield (
        "Butir",
        sheet(
            [
                i.code,
                i.value_code,
                i.text,
                "Ya" if i.reverse else "Tidak",
                i.n,
                i.mean,
                i.mean,
                i.sd,
                *i.counts.values(),
            ]
            for i in data.items
        ),
    )
    yield "Grafik", sheet([[v.name, data.total.indices[v.code]] for v in data.values] * 5)
    yield "Metodologi", sheet([["Aspek", "Keterangan"]] * 30)


def build_baseline(rows: int, path: str) -> dict:
    from openpyxl import Workbook

    with _app_context():
        data = synthetic_report(rows)
        before = _high_water_mb()
        start = time.perf_counter()
        book = Workbook(write_only=True)
        for title, values in plain_values(data):
            sheet = book.create_sheet(title)
            for row in values:
                sheet.append(row)
        book.save(path)
        seconds = time.perf_counter() - start
        added = _high_water_mb() - before
    return {"seconds": seconds, "bytes": Path(path).stat().st_size, "peak_added_mb": added}


def check_same_values(rows: int = 300) -> None:
    """The baseline writes what the writer writes: compare the Pegawai sheets cell by cell."""
    from openpyxl import load_workbook

    from surveyapp.excel import HEADER_ROW, write_report

    with _app_context():
        ours, theirs = io.BytesIO(), io.BytesIO()
        write_report(synthetic_report(rows), ours)
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for title, values in plain_values(synthetic_report(rows)):
            sheet = book.create_sheet(title)
            for row in values:
                sheet.append(row)
        book.save(theirs)
    first = HEADER_ROW + 1
    a = load_workbook(ours, read_only=True)["Pegawai"].iter_rows(min_row=first, values_only=True)
    b = load_workbook(theirs, read_only=True)["Pegawai"].iter_rows(min_row=first, values_only=True)
    for n, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            raise SystemExit(f"baseline differs from the writer at person {n}: {x} != {y}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    args = parser.parse_args()
    check_same_values()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = str(Path(tmp) / f"w{rows}.xlsx")
            _, base_peak, base = in_child(build_baseline, rows, path)
            _, peak, ours = in_child(build_with_writer, rows, path)
            figures.append(
                Figure(
                    f"workbook {rows} employees",
                    ours["seconds"],
                    base["seconds"],
                    {
                        "rows": rows,
                        "peak_rss_mb": round(peak, 1),
                        "baseline_peak_rss_mb": round(base_peak, 1),
                        # how far the build itself pushed the peak above the app's start-up peak
                        "build_peak_added_mb": round(ours["peak_added_mb"], 1),
                        "baseline_build_peak_added_mb": round(base["peak_added_mb"], 1),
                        "bytes": ours["bytes"],
                        "progress_reports": ours["progress_reports"],
                    },
                )
            )
    report("export", figures, data=DATA, items=len(CODES) * ITEMS_PER_VALUE)
    if len(figures) >= 2:
        small, big = figures[0], figures[-1]
        growth = big.extra["peak_rss_mb"] / small.extra["peak_rss_mb"]
        rows_growth = big.extra["rows"] / small.extra["rows"]
        print(f"peak memory x{growth:.2f} for x{rows_growth:.0f} rows")


if __name__ == "__main__":
    main()
