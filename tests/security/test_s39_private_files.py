"""S39: every file the app writes that holds names, NIPs or answers is readable by the app's
own user only (0600), whatever the umask of the process that writes it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp.backup import backup as make_backup
from surveyapp.extensions import db
from tests.factories import download_export
from tests.integration.test_imports import NIP_B, person, xlsx


@pytest.fixture
def loose_umask():
    """The umask most servers run with: files 0644 unless the app says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_s39_every_file_with_personal_data_is_private(
    app, org, build, login, runner, tmp_path, monkeypatch, loose_umask
):
    instance = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(instance))
    monkeypatch.setitem(app.config, "JOBS_DIR", None)  # instance/jobs
    period = build.period([org.root])
    build.response(period, org.employee)
    hr = login(org.hr_a, app.test_client())
    admin = login(org.admin, app.test_client())

    # Jobs: the HR workbook, the non-respondent list, a roster check's preview (names and NIPs)
    # and the roster import's activation codes.
    for kind in ("report.xlsx", "non-respondents.xlsx"):
        assert download_export(hr, f"/hr/periods/{period.id}/{kind}").status_code == 200
    upload = {"kind": "employees", "file": (xlsx([person(NIP_B)]), "roster.xlsx")}
    page = admin.post(
        "/admin/imports", data=upload, content_type="multipart/form-data", follow_redirects=True
    )
    token = page.get_data(as_text=True).split("/admin/imports/")[1].split("/commit")[0]
    assert _mode(instance / "uploads" / f"{token}.xlsx") == 0o600  # waiting for the commit
    started = admin.post(f"/admin/imports/{token}/commit", data={"kind": "employees"})
    assert started.status_code == 303
    # The command line: activation codes of an import, and the workbook of export-report.
    roster = xlsx([person("199001012015032003")], path=tmp_path / "roster.xlsx")
    assert runner.invoke(args=["import-employees", str(roster)]).exit_code == 0
    report = tmp_path / "laporan.xlsx"
    exported = runner.invoke(
        args=["export-report", "--period", period.code, "--output", str(report)]
    )
    assert exported.exit_code == 0, exported.output

    jobs_dir = instance / "jobs"
    outputs = [p for p in jobs_dir.iterdir() if p.suffix == ".out"]
    assert len(outputs) == 4 and list(jobs_dir.glob("*.progress"))
    written = [*instance.rglob("*"), report]
    files = {p.name: oct(_mode(p)) for p in written if p.is_file()}
    assert files == dict.fromkeys(files, oct(0o600))
    folders = {p.name: oct(_mode(p)) for p in written if p.is_dir()}
    assert folders == dict.fromkeys(folders, oct(0o700))

    # A backup of the database, and on SQLite the database file itself.
    url = db.engine.url
    copy = make_backup(url.render_as_string(hide_password=False), tmp_path / "cadangan.db")
    assert _mode(copy.path) == 0o600
    if url.get_backend_name() == "sqlite":
        database = Path(url.database)
        assert _mode(database) == 0o600
        assert db.session.scalar(sa.text("SELECT count(*) FROM employees")) > 0
        for extra in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            if extra.exists():
                assert _mode(extra) == 0o600, extra.name
