"""`make bench`: run every benchmark in bench/, then print one table of all their figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.common import RESULTS, print_table

HERE = Path(__file__).resolve().parent
SKIP = {"__init__", "common", "run_all"}


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.stem not in SKIP)
    failed = []
    for script in scripts:
        print(f"== bench/{script.name}", flush=True)
        code = subprocess.call([sys.executable, "-m", f"bench.{script.stem}"], cwd=HERE.parent)
        if code:
            failed.append(script.name)
    print("\n== all figures")
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        print_table(data.get("bench", path.stem), data.get("figures", []))
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
