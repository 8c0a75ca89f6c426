"""What `ordino simulate traffic` needs of HTTP: a client of Ordino's API that
answers every call with a status (0: no answer) instead of raising, a receiver of
Ordino's webhooks that checks their signatures, and the counts it shows as progress."""

from __future__ import annotations

import asyncio
import hmac
import json
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from ordino.events.domain.webhooks import SIGNATURE_HEADER, signature

Params = Sequence[tuple[str, str]]


class Api:
    """Calls to Ordino: (status, the JSON answered or None); a call that got no
    answer (refused, timed out) is status 0 with the error as its answer."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def call(
        self, method: str, path: str, body: Any = None, params: Params | None = None
    ) -> tuple[int, Any]:
        try:
            async with self.session.request(method, path, json=body, params=params) as response:
                raw = await response.read()
                return response.status, json.loads(raw) if raw else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            return 0, f"{type(error).__name__}: {error}"


def session(url: str, key: str, connections: int) -> aiohttp.ClientSession:
    headers = {"Authorization": f"Bearer {key}"}
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)
    return aiohttp.ClientSession(url, headers=headers, connector=connector, timeout=timeout)


def signed(secret: str | None, header: str, body: str) -> bool:
    """The body came from Ordino: its signature is the subscription secret's."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        expected = signature(secret or "", int(parts["t"]), body)
    except (KeyError, ValueError):
        return False
    return secret is not None and hmac.compare_digest(expected, header)


@asynccontextmanager
async def receiver(
    listen: tuple[str, int], secret: Callable[[], str | None], hear: Callable[[Any], None]
) -> AsyncIterator[str]:
    """A webhook receiver on `listen` (port 0: any free one) handing each signed event
    to `hear`; yields the URL to subscribe. An unsigned or missigned post is refused
    (401): Ordino posts it again later, by then with the secret known."""

    async def hook(request: web.Request) -> web.Response:
        body = await request.text()
        if not signed(secret(), request.headers.get(SIGNATURE_HEADER, ""), body):
            return web.Response(status=401)
        hear(json.loads(body))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, port = listen
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://{host}:{sock.getsockname()[1]}/hooks"
    finally:
        await runner.cleanup()


# What the progress line shows a rate of, and what it counts only.
RATES = (
    ("placed", "placed"),
    ("released", "released"),
    ("shipped", "shipped"),
    ("delivered", "delivered"),
    ("picked_up", "picked up"),
)
COUNTS = (
    ("rejected", "rejected"),
    ("held", "held"),
    ("not_collected", "not collected"),
    ("refused", "refused"),
    ("errors", "errors"),
)


@dataclass
class Tally:
    """What the parties did so far (`counts`), and the calls that failed by step and
    status (`errors`)."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def failed(self, what: str, status: int, answer: Any = None) -> None:
        """A call answered `status` (0: none); a problem's type is kept with it."""
        self.counts["errors"] += 1
        problem = answer.get("type", "") if isinstance(answer, dict) else ""
        self.errors[f"{what} {status} {problem.removeprefix('/problems/')}".strip()] += 1


def progress_line(
    now: Mapping[str, int], before: Mapping[str, int], elapsed: float, interval: float
) -> str:
    """`12s  placed 24 (2.0/s)  released 22 (1.8/s) …  rejected 2  held 1`: each flow
    with its rate over the last interval, then the exceptions."""
    parts = [f"{elapsed:5.0f}s"]
    for name, label in RATES:
        rate = (now.get(name, 0) - before.get(name, 0)) / interval if interval > 0 else 0.0
        parts.append(f"{label} {now.get(name, 0)} ({rate:.1f}/s)")
    parts += [f"{label} {now.get(name, 0)}" for name, label in COUNTS]
    return "  ".join(parts)


async def every(seconds: float, tick: Callable[[], None], stop: asyncio.Event) -> None:
    """Call `tick` every `seconds` until `stop` is set, and once more then."""
    while not stop.is_set():
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
        tick()
