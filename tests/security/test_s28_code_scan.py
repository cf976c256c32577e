"""S28: bandit finds nothing in the package (each accepted finding is justified inline)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_s28_bandit_reports_no_unjustified_finding():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "surveyapp", "-f", "txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
