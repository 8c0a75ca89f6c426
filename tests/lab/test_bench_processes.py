"""The bench's child processes are stopped and reaped: one that ignores SIGINT is
killed after its grace, and waited for, so none is left running (or unreaped, which
Python reports as a ResourceWarning) behind the bench."""

from __future__ import annotations

import signal
import subprocess
import sys

from ordino_lab.bench_orchestration import stop

STUBBORN = (
    "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(60)"
)


def test_a_child_that_ignores_sigint_is_killed_after_its_grace_and_reaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE)
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"  # its handler is in place

    stop([child], grace=0.2)

    assert child.returncode == -signal.SIGKILL
    child.stdout.close()
