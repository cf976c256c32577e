"""The seams between modules: each one imports first in a fresh interpreter (an import
cycle shows only when a module of the circle is the first imported), and the modules that
once needed a late import to dodge a cycle import everything at the top."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIRST_IMPORTS = [
    "surveyapp.errors",
    "surveyapp.auth.session",
    "surveyapp.error_pages",
    "surveyapp.worker",
    "surveyapp.services.jobs",
    "surveyapp.services.exports",
    "surveyapp.services.imports",
    "surveyapp.services.roster_rows",
    "surveyapp.xlsx_reader",
]
TOP_LEVEL_ONLY = [
    "surveyapp/errors.py",
    "surveyapp/auth/session.py",
    "surveyapp/worker.py",
    "surveyapp/services/exports.py",
    "surveyapp/services/imports.py",
    "surveyapp/services/roster_rows.py",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_imports_first_in_a_fresh_interpreter(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _late_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    late = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    late.append(f"{path.name}:{inner.lineno} in {node.name}()")
    return late


@pytest.mark.parametrize("relative", TOP_LEVEL_ONLY)
def test_no_import_inside_a_function(relative):
    assert _late_imports(ROOT / relative) == []
