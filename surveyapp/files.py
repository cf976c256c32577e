"""Files the app writes that may hold names, NIPs, answers or codes: readable by the app's own
user only (S39), whatever the umask of the process that writes them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def open_private(path: str | os.PathLike, mode: str = "wb", *, exclusive: bool = False) -> IO[Any]:
    """Open `path` for writing as a 0600 file, new or emptied. The mode is set on the open
    descriptor before a byte is written, also for a file that already existed looser."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        return os.fdopen(fd, mode)
    except BaseException:
        os.close(fd)
        raise


def private_dir(path: str | os.PathLike) -> Path:
    """A folder only the app's user can enter (created if missing)."""
    folder = Path(path)
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return folder


def make_private(path: str | os.PathLike) -> None:
    """Take group and other rights away from a file someone else created (SQLite, pg_dump)."""
    current = os.stat(path).st_mode & 0o777
    if current & 0o077:
        os.chmod(path, current & 0o700)
