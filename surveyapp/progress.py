"""Progress of long commands: a bar on a terminal, plain lines in a log or a pipe."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def cli_progress(label: str, stream=None) -> Iterator[Callable[[int, int | None], None]]:
    """Yields `progress(done, total)`: a click progress bar on a TTY; otherwise a line such as
    "export: 20000/100000 rows (20 %)" at most every two seconds and at the end."""
    stream = stream or sys.stderr
    if stream.isatty():
        bar = None
        shown = 0

        def progress(done: int, total: int | None) -> None:
            nonlocal bar, shown
            if bar is None and total:
                bar = click.progressbar(length=total, label=label, file=stream)
                bar.__enter__()
            if bar is not None:
                bar.update(max(0, done - shown))
                shown = max(shown, done)

        try:
            yield progress
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        return

    last = 0.0
    final: list[tuple[int, int | None]] = []

    def progress(done: int, total: int | None) -> None:
        nonlocal last
        final[:] = [(done, total)]
        now = time.monotonic()
        if now - last >= 2 or (total and done >= total):
            last = now
            _line(stream, label, done, total)

    yield progress
    if final and not (final[0][1] and final[0][0] >= final[0][1]):
        _line(stream, label, *final[0])


def _line(stream, label: str, done: int, total: int | None) -> None:
    if total:
        click.echo(f"{label}: {done}/{total} rows ({100 * done // total} %)", file=stream)
    else:
        click.echo(f"{label}: {done} rows", file=stream)
