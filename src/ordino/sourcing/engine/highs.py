"""HiGHS instances that print nothing.

highspy's constructor calls into HiGHS before any option can be set, and HiGHS then
prints its banner ("Running HiGHS …") to the process's stdout, once per process,
whatever `output_flag` says afterwards: into a server's log, or into a command's
report. The first instance of a process is therefore made with stdout (the file
descriptor, which HiGHS writes to) pointed at /dev/null; every instance has its
output turned off before it is used.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import highspy

_first = threading.Lock()
_greeted = threading.Event()


def quiet_highs() -> highspy.Highs:
    if not _greeted.is_set():
        with _first:
            if not _greeted.is_set():
                with _stdout_discarded():
                    first = highspy.Highs()  # type: ignore[no-untyped-call]
                _greeted.set()
                return _quiet(first)
    return _quiet(highspy.Highs())  # type: ignore[no-untyped-call]


def _quiet(highs: highspy.Highs) -> highspy.Highs:
    highs.setOptionValue("output_flag", False)
    return highs


@contextmanager
def _stdout_discarded() -> Iterator[None]:
    sys.stdout.flush()
    kept = os.dup(1)
    discard = os.open(os.devnull, os.O_WRONLY)
    os.dup2(discard, 1)
    try:
        yield
    finally:
        _flush_c_stdout()  # what HiGHS left buffered goes to /dev/null, not to stdout later
        os.dup2(kept, 1)
        os.close(kept)
        os.close(discard)


def _flush_c_stdout() -> None:
    with suppress(OSError, AttributeError, TypeError):  # no C library to ask (Windows)
        ctypes.CDLL(None).fflush(None)
