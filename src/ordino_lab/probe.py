"""The reference probe, run beside Ordino in one bench: the yardstick of capture.

The probe (the workplace's `perf/run-probe`, not part of Ordino) serves a minimal
async endpoint doing only the essential writes of a 2-line order in one transaction
(two conditional stock updates, an order row, two line rows) on PostgreSQL at
127.0.0.1:5432 as user postgres. Machines here are noisy, so Ordino's capture is
measured as a share of the probe's rate, both loaded by the same client with the same
concurrency in the same run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, make_url, text

from ordino_lab.load import Server, free_port

PROBE_HOST = ("127.0.0.1", 5432, "postgres")
_LONGEST_NAME = 63  # bytes: PostgreSQL cuts longer names


def probe_database(database_url: str) -> str:
    """The probe's own database beside the bench's (its name with `_probe`), made
    empty; the probe reaches only PostgreSQL at 127.0.0.1:5432 as postgres."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        raise ValueError("the probe runs on PostgreSQL only: give a PostgreSQL --database-url")
    if (url.host, url.port or 5432, url.username) != PROBE_HOST:
        raise ValueError("the probe reaches PostgreSQL at 127.0.0.1:5432 as postgres only")
    name = f"{url.database}_probe"
    if not url.database or len(name.encode()) > _LONGEST_NAME:
        raise ValueError(f"the probe's database would be {name!r}: give a shorter name")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        quoted = admin.dialect.identifier_preparer.quote_identifier(name)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()
    return name


@contextmanager
def running_probe(script: Path, database: str, workers: int) -> Iterator[Server]:
    """`run-probe PORT DATABASE WORKERS` in a child process group, stopped (SIGTERM,
    then SIGKILL) on exit."""
    port = free_port()
    with (
        tempfile.TemporaryFile(mode="w+") as log,
        subprocess.Popen(
            [str(script), str(port), database, str(workers)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        ) as process,
    ):
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log)
            yield Server(url, "")
        finally:
            _signal(process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            _signal(process.pid, signal.SIGKILL)  # whatever of its group is left


def _signal(group: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # the group is gone already
        os.killpg(group, signum)


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: IO[str], timeout: float = 180
) -> None:
    """Up once `GET /orders` is answered (405: the probe takes POST only); the first
    start installs the probe's own venv, hence the long wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the probe exited: {log.read()[-2000:]}")
        try:
            urllib.request.urlopen(f"{url}/orders", timeout=1).close()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # answered
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the probe did not answer at {url} within {timeout}s")
