"""Load generation for `ordino bench`: a server in child processes, clients in asyncio.

The clients run in this process and share the machine with the server and the
database, so the figures are for the whole system on one machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import aiohttp
import uvloop

T = TypeVar("T")


def run(load: Coroutine[Any, Any, T]) -> T:
    """Run a load on uvloop (installed with uvicorn): the client shares the machine with
    the server, and uvloop's event loop spends less of it per request."""
    return uvloop.run(load)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    key: str


@contextmanager
def running_server(
    database_url: str, workers: int, pool_size: int = 4, settings: dict[str, str] | None = None
) -> Iterator[Server]:
    """`ordino serve` in child processes, stopped (SIGTERM, then SIGKILL) on exit;
    `settings` are more ORDINO_… environment variables."""
    port, key = free_port(), "bench-" + secrets.token_urlsafe(24)
    env = os.environ | {"ORDINO_ADMIN_KEY": key, "ORDINO_POOL_SIZE": str(pool_size)}
    env |= settings or {}
    command = [
        sys.executable,
        "-m",
        "ordino",
        "serve",
        "--database-url",
        database_url,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    url = f"http://127.0.0.1:{port}"
    # The log goes to a file: a pipe that nobody drains would stall the server.
    with (
        tempfile.TemporaryFile(mode="w+") as log,
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log) as process,
    ):
        try:
            _wait_until_up(url, process, log)
            yield Server(url, key)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: IO[str], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited: {log.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url} within {timeout}s")


@dataclass
class Outcome:
    """What a load run saw: statuses, latencies of the measured requests, wall time."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    elapsed: float = 0.0
    late: int = 0  # requests the client sent more than a second behind their schedule

    @property
    def completed(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def post_all(
    server: Server,
    path: str,
    bodies: Sequence[bytes],
    concurrency: int,
    keep_bodies: bool = False,
) -> Outcome:
    """POST every body to `path`, `concurrency` at a time (`post_each`)."""
    return await post_each(server, [(path, body) for body in bodies], concurrency, keep_bodies)


async def post_each(
    server: Server,
    requests: Sequence[tuple[str, bytes | None]],
    concurrency: int,
    keep_bodies: bool = False,
) -> Outcome:
    """POST each request (its path, its body), `concurrency` at a time, each client on
    its own connection.

    aiohttp rather than httpx2: its pool stays cheap with thousands of connections,
    where httpx2's pool bookkeeping grows with the square of them.
    """
    outcome = Outcome()
    queue: asyncio.Queue[tuple[str, bytes | None]] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(
        server.url, headers=headers, connector=connector, timeout=timeout
    ) as session:

        async def client() -> None:
            while not queue.empty():
                path, body = queue.get_nowait()
                started = time.perf_counter()
                async with session.post(path, data=body) as response:
                    answer = await response.read()
                outcome.latencies.append(time.perf_counter() - started)
                outcome.statuses[response.status] += 1
                if keep_bodies:
                    outcome.bodies.append(json.loads(answer))

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        outcome.elapsed = time.perf_counter() - started
    return outcome


async def at_rate(
    server: Server,
    paths: Sequence[str],
    rate: float,
    bodies: Sequence[bytes] | None = None,
    connections: int = 64,
) -> Outcome:
    """GET each path in turn (POST the body of the same index, with `bodies`) at `rate`
    a second, whatever the answers take (an open load, as users make: a slow answer
    does not hold the next request back).

    A latency counts from when the request was due, so queueing in the client counts
    too; requests that fall behind their schedule by more than a second are counted
    in `late` (then the client, not the server, was the bound).
    """
    outcome = Outcome()
    headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        server.url, headers=headers, connector=connector, timeout=timeout
    ) as session:

        async def one(n: int, path: str, due: float) -> None:
            request = session.get(path) if bodies is None else session.post(path, data=bodies[n])
            async with request as response:
                await response.read()
            outcome.latencies.append(time.perf_counter() - due)
            outcome.statuses[response.status] += 1

        started = time.perf_counter()
        tasks = []
        for n, path in enumerate(paths):
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -1:
                outcome.late += 1
            tasks.append(asyncio.create_task(one(n, path, due)))
        await asyncio.gather(*tasks)
        outcome.elapsed = time.perf_counter() - started
    return outcome
