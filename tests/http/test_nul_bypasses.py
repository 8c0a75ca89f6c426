"""The ways a NUL was found to slip past the request guard (a review of issue 15):
an escaped NUL split over three chunks, a JSON body in UTF-16 or UTF-32, a header
the API stores (Idempotency-Key). Each is refused as any other NUL is, and stores
nothing: on PostgreSQL, which cannot store one, as on SQLite."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.http.request_guard import BadText, watching
from tests.support.api import fields, network, stock
from tests.support.builders import an_order_body

RULE = {"expression": "order.total > 1000.0", "reason": "big\u0000"}


def _read(chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> None:
    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def read_all() -> None:
        receive_watched = watching({"type": "http", "headers": headers}, receive, 1_000)
        while (await receive_watched()).get("more_body"):
            pass

    asyncio.run(read_all())


def test_an_escaped_nul_split_over_three_chunks_is_found() -> None:
    body = json.dumps(RULE).encode()
    start = body.index(b"\\u0000")
    chunks = [body[: start + 1], body[start + 1 : start + 3], body[start + 3 :]]  # \ | u0 | 000

    with pytest.raises(BadText) as raised:
        _read(chunks, [])

    assert (raised.value.field, raised.value.part) == ("reason", "body")


@pytest.fixture
def stocked(api: TestClient) -> TestClient:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    return api


def _post_order(api: TestClient, body: dict[str, Any], encoding: str) -> Any:
    content = json.dumps(body).encode(encoding)
    return api.post("/v1/orders", content=content, headers={"content-type": "application/json"})


# The external id is a plain string of the schema (no check for control characters,
# which would refuse a NUL in its own words): only the guard stands before the store.
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-32-be"])
def test_a_nul_in_a_json_body_in_utf_16_or_32_is_refused(
    stocked: TestClient, encoding: str
) -> None:
    response = _post_order(stocked, an_order_body(external_id="W-1\u0000"), encoding)

    assert response.status_code == 422, response.text
    assert fields(response) == ["external_id"]
    assert stocked.get("/v1/orders").json()["items"] == []


def test_a_json_body_in_utf_16_without_a_nul_is_taken(stocked: TestClient) -> None:
    response = _post_order(stocked, an_order_body(external_id="W-1"), "utf-16")

    assert response.status_code == 201, response.text


def test_a_nul_in_an_idempotency_key_is_refused_and_places_nothing(stocked: TestClient) -> None:
    key = {"Idempotency-Key": "k\x00"}

    response = stocked.post("/v1/orders", json=an_order_body(("SKU-1", 1)), headers=key)

    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {"field": "idempotency-key", "in": "header", "message": "must not contain NUL characters"}
    ]
    assert stocked.get("/v1/orders").json()["items"] == []
