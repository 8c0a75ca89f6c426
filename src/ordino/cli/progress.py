"""Progress of the long commands, on stderr.

On a terminal, click's progress bar. Elsewhere (a log file, CI, a pipe) click shows
the bar's label alone and then nothing until the end, which may be an hour off: there
a line says how far it got every `every` seconds instead.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

import click

EVERY_SECONDS = 10.0


class Progress(Protocol):
    pos: int

    def update(self, n_steps: int) -> None: ...


@contextmanager
def progress(
    length: int, label: str, every: float = EVERY_SECONDS, file: TextIO | None = None
) -> Iterator[Progress]:
    out = file or sys.stderr
    if out.isatty():
        with click.progressbar(length=length, label=label, file=out, show_eta=True) as bar:
            yield bar
        return
    click.echo(label, file=out)
    yield _Lines(length, label, every, out)


class _Lines:
    """`label: done of length (percent)`, at most once every `every` seconds."""

    def __init__(self, length: int, label: str, every: float, out: TextIO) -> None:
        self.pos, self.length, self.label = 0, length, label
        self.every, self.out = every, out
        self._said = time.monotonic()

    def update(self, n_steps: int) -> None:
        self.pos += n_steps
        now = time.monotonic()
        if now - self._said >= self.every:
            self._said = now
            share = f" ({self.pos / self.length:.0%})" if self.length else ""
            click.echo(f"{self.label}: {self.pos:,} of {self.length:,}{share}", file=self.out)
