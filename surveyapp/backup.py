"""`flask backup`: a consistent copy of the live database.

SQLite: the online backup API copies every page in one step inside one read transaction,
so the copy is a snapshot of one moment; in WAL mode writers go on meanwhile. PostgreSQL:
pg_dump, which reads in one repeatable-read snapshot. Either way the copy is written to a
temporary file beside the target and renamed only once it is complete and checked, so a
file with the target's name is always a whole backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404  (runs pg_dump/pg_restore by absolute path, no shell)
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from .files import open_private

# libpq reads these from the environment; the password never appears on a command line.
_LIBPQ_QUERY_KEYS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "host": "PGHOST",
    "port": "PGPORT",
}


class BackupError(RuntimeError):
    """The backup was not made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    kind: str  # "sqlite" or "pg_dump"
    restore_hint: str


def backup(database_url: str, output: Path) -> BackupResult:
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} already exists; choose a new file name (backups are kept).")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(url, output)
    if url.get_backend_name() == "postgresql":
        return backup_postgresql(url, output)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def _partial(output: Path) -> Path:
    return output.with_name(f".{output.name}.partial-{os.getpid()}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_sqlite(url: sa.URL, output: Path) -> BackupResult:
    if url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory database cannot be backed up.")
    source_path = Path(url.database).resolve()
    if not source_path.is_file():
        raise BackupError(f"The database file {source_path} does not exist.")
    target = output.resolve()
    if target in {source_path, Path(f"{source_path}-wal"), Path(f"{source_path}-shm")}:
        raise BackupError("The backup must not be written over the database itself.")
    tmp = _partial(output)
    try:
        open_private(tmp).close()  # SQLite keeps the mode of the file it is given (S39)
        source = sqlite3.connect(source_path, timeout=30)
        try:
            copy = sqlite3.connect(tmp)
            try:
                # pages=-1: all pages in one step, under one read lock: a single snapshot.
                # (Stepping in chunks would restart whenever the app writes in between.)
                source.backup(copy, pages=-1)
                # A self-contained file: no -wal beside it when it is opened or copied.
                copy.execute("PRAGMA journal_mode=DELETE")
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
        if check != "ok":
            raise BackupError(f"The copy failed its integrity check: {check}")
        _fsync(tmp)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(
        output,
        output.stat().st_size,
        "sqlite",
        f"stop the app, copy {output} to {source_path} "
        f"(remove {source_path.name}-wal and -shm if present), start the app",
    )


def libpq_env(url: sa.URL) -> dict[str, str]:
    env = {}
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if url.database:
        env["PGDATABASE"] = url.database
    for key, name in _LIBPQ_QUERY_KEYS.items():
        value = url.query.get(key)
        if isinstance(value, str):
            env[name] = value
    return env


def pg_dump_advice(url: sa.URL, output: Path) -> str:
    where = " ".join(
        part
        for part in (
            f"--host={url.host}" if url.host else "",
            f"--port={url.port}" if url.port else "",
            f"--username={url.username}" if url.username else "",
        )
        if part
    )
    return (
        "pg_dump was not found. Install the PostgreSQL client tools of the server's major "
        "version (Debian/Ubuntu: apt install postgresql-client) and run `flask backup` again, "
        "or run it yourself (password from ~/.pgpass or PGPASSWORD):\n"
        f"  pg_dump --format=custom --file={output} {where} {url.database}"
    )


def backup_postgresql(url: sa.URL, output: Path) -> BackupResult:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(pg_dump_advice(url, output))
    env = {**os.environ, **libpq_env(url)}
    tmp = _partial(output)
    try:
        open_private(tmp).close()  # pg_dump truncates it and keeps the mode (S39)
        done = subprocess.run(  # noqa: S603  # nosec B603  (fixed program and arguments, no shell)
            [pg_dump, "--format=custom", f"--file={tmp}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        pg_restore = shutil.which("pg_restore")
        if pg_restore is not None:
            listed = subprocess.run(  # noqa: S603  # nosec B603  (as above)
                [pg_restore, "--list", str(tmp)], capture_output=True, text=True, check=False
            )
            if listed.returncode != 0:
                raise BackupError(f"The dump cannot be read back: {listed.stderr.strip()}")
        _fsync(tmp)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(
        output,
        output.stat().st_size,
        "pg_dump",
        f"createdb NEWDB && pg_restore --no-owner --dbname=NEWDB {output}, "
        "then point SURVEYAPP_DATABASE_URL at NEWDB",
    )
