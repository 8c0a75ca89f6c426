"""Bodies have a limit (ORDINO_MAX_BODY_BYTES; the stock feeds their own, larger,
ORDINO_MAX_FEED_BODY_BYTES), kept before a body is read: by its Content-Length, or
while a chunked one streams in. And the API asks for a valid key before it reads a
body: an unknown caller costs no parsing at all.

The app is driven as ASGI here, so the tests see how much of a body it took."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ordino.app.server import create_app
from ordino.config import Settings
from ordino.http.request_guard import every_route
from ordino.http.security import PUBLIC_PATHS, caller
from tests.conftest import ADMIN_KEY, Clock
from tests.support.builders import a_location_body, a_product_body

LIMIT, FEED_LIMIT = 1_000, 10_000


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[FastAPI]:
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
        max_body_bytes=LIMIT,
        max_feed_body_bytes=FEED_LIMIT,
    )
    app = create_app(settings, clock=clock)
    yield app
    app.state.engine.dispose()


@dataclass
class Answer:
    status: int
    body: bytes
    chunks_read: int  # of the request's body


def _call(app: FastAPI, path: str, headers: dict[str, str], chunks: list[bytes]) -> Answer:
    """POST `chunks` as the request's body; the answer, and how many the app read."""
    read = 0
    answer: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read == len(chunks):
            await asyncio.sleep(3600)  # the client waits for the answer
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        answer.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
    return Answer(answer[0]["status"], body, read)


JSON = {"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN_KEY}"}


def test_a_body_over_the_limit_by_its_length_is_refused_unread(app: FastAPI) -> None:
    chunks = [b"[" + b" " * 2_000 + b"]"]

    answer = _call(app, "/v1/orders", JSON | {"Content-Length": "2002"}, chunks)

    assert answer.status == 413
    assert b'"type":"/problems/too-large"' in answer.body
    assert b"limit of 1000 bytes" in answer.body
    assert answer.chunks_read == 0


def test_a_chunked_body_is_refused_as_it_passes_the_limit(app: FastAPI) -> None:
    chunks = [b"[" + b" " * 299] + [b" " * 300] * 8 + [b"]"]

    answer = _call(app, "/v1/orders", JSON | {"Transfer-Encoding": "chunked"}, chunks)

    assert answer.status == 413
    assert answer.chunks_read == 4  # 1,200 bytes: past the limit, the rest is never read


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-key", "Basic YTpi"])
def test_a_body_without_a_valid_key_is_not_read(app: FastAPI, authorization: str | None) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "502"}
    if authorization is not None:
        headers["Authorization"] = authorization

    answer = _call(app, "/v1/orders", headers, [b"[" + b" " * 500 + b"]"])

    assert answer.status == 401
    assert b'"type":"/problems/unauthenticated"' in answer.body
    assert answer.chunks_read == 0


def test_a_public_route_reads_its_body_without_a_key(app: FastAPI) -> None:
    body = b'{"number": "W-1", "email": "ada@example.com"}'
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}

    answer = _call(app, "/v1/self-service/lookup", headers, [body])

    assert answer.status == 404  # looked up: no such order
    assert answer.chunks_read == 1


def test_the_stock_feeds_take_bodies_up_to_their_own_limit(app: FastAPI) -> None:
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as api:
        assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
        skus = [f"SKU-{n:04}" for n in range(60)]
        for sku in skus:
            assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201
        lines = [{"sku": sku, "on_hand": 5} for sku in skus]
        snapshot = {
            "location_id": "DC-BER",
            "counted_at": "2026-11-02T08:00:00Z",
            "positions": lines,
        }
        counts = {"counts": [line | {"location_id": "DC-BER"} for line in lines]}

        taken = api.post("/v1/inventory/snapshots", json=snapshot)
        counted = api.post("/v1/inventory/counts", json=counts)
        too_big = api.put("/v1/hold-rules/big", json={"expression": "true", "reason": "x" * 1_000})

        assert len(taken.request.content) > LIMIT
        assert (taken.status_code, counted.status_code) == (200, 200), taken.text
        assert api.get("/v1/inventory/DC-BER/SKU-0059").json()["on_hand"] == 5
        assert too_big.status_code == 413
        assert api.get("/v1/hold-rules").json()["items"] == []


def test_the_limits_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDINO_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("ORDINO_MAX_FEED_BODY_BYTES", "4096")

    settings = Settings.from_env()

    assert (settings.max_body_bytes, settings.max_feed_body_bytes) == (2048, 4096)
    assert (Settings().max_body_bytes, Settings().max_feed_body_bytes) == (2**20, 48 * 2**20)


def _depends_on(dependant: Any, call: Any) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def test_every_route_of_the_api_but_the_public_ones_asks_for_a_key(app: FastAPI) -> None:
    routes = [r for r in every_route(app.router.routes) if r.path.startswith("/v1/")]
    assert len(routes) > 80  # the walk found them

    keyless = sorted(
        (r.path, sorted(r.methods))
        for r in routes
        if _depends_on(r.dependant, caller) == r.path.startswith(PUBLIC_PATHS)
    )

    assert keyless == []  # the guard asks for a key exactly where the routes do
