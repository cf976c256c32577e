"""What every benchmark shares: timing, peak memory of a child process, the JSON result file
and the printed table. A figure is only meaningful next to its baseline from the same run:
the machines here are shared and noisy."""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    name: str
    seconds: float
    baseline_seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline_seconds:
            return None
        return self.seconds / self.baseline_seconds

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        data["seconds"] = round(self.seconds, 4)
        if self.baseline_seconds is not None:
            data["baseline_seconds"] = round(self.baseline_seconds, 4)
        data.update(extra)
        return data


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of `repeat` runs, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _child(target, args, queue) -> None:
    start = time.perf_counter()
    value = target(*args)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, value))


def in_child(target: Callable, *args) -> tuple[float, float, Any]:
    """Run `target(*args)` in a fresh process: (seconds, peak RSS in MB, return value).

    A fresh process makes the peak memory that of this one job, not of the benchmark."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(target, args, queue))
    process.start()
    seconds, peak_mb, value = queue.get()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"{target.__name__} failed in the child process")
    return seconds, peak_mb, value


def report(bench: str, figures: list[Figure], **context: Any) -> Path:
    """Print the table and write bench/results/<bench>.json."""
    print_table(bench, [f.as_json() for f in figures])
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{bench}.json"
    payload = {
        "bench": bench,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],  # how busy the machine was
        **context,
        "figures": [f.as_json() for f in figures],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"-> {path.relative_to(RESULTS.parent.parent)}")
    return path


def print_table(bench: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{bench}")
    print(f"{'figure':44} {'seconds':>9} {'baseline':>9} {'ratio':>7}  other")
    for row in rows:
        base = row.get("baseline_seconds")
        ratio = row.get("ratio")
        other = {
            k: v
            for k, v in row.items()
            if k not in {"name", "seconds", "baseline_seconds", "ratio"}
        }
        print(
            f"{row['name'][:44]:44} {row['seconds']:9.3f} "
            f"{'' if base is None else f'{base:9.3f}':>9} "
            f"{'' if ratio is None else f'{ratio:7.2f}':>7}  "
            + " ".join(f"{k}={v}" for k, v in other.items())
        )
