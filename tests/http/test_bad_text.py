"""A NUL character (which PostgreSQL can neither store nor compare) anywhere in a
request to the API — any query parameter of any route, any string of a JSON body
however deep, a key of an object, the path — is a 422 problem naming the field, on
SQLite and PostgreSQL alike, and changes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.http.request_guard import BadText, watching
from tests.support.api import fields, network, refused


def _get_routes(api: TestClient) -> list[tuple[str, str]]:
    """(path with its parameters filled, query parameter) of every GET of the API."""
    found = []
    for path, operations in api.get("/openapi.json").json()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        concrete = path
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "path":
                concrete = concrete.replace(f"{{{parameter['name']}}}", "X-1")
        found += [(concrete, p["name"]) for p in parameters if p["in"] == "query"]
    return found


def test_a_nul_in_any_query_parameter_of_any_route_is_refused_naming_it(api: TestClient) -> None:
    routes = _get_routes(api)
    assert ("/v1/orders", "customer_email") in routes  # the walk found the routes

    answers = {(path, name): api.get(path, params={name: "x\x00"}) for path, name in routes}

    wrong = {
        where: (r.status_code, r.text[:200])
        for where, r in answers.items()
        if r.status_code != 422 or fields(r) != [where[1]]
    }
    assert wrong == {}


def test_a_nul_deep_in_a_body_is_refused_naming_it_and_stores_nothing(api: TestClient) -> None:
    rule: dict[str, Any] = {"expression": "order.total > 1000.0", "reason": "big"}

    in_a_list = api.put("/v1/hold-rules/big", json=rule | {"order_types": ["b2b", "x\x00"]})
    in_a_key = api.put("/v1/hold-rules/big", json=rule | {"extra": {"ok": 1, "k\x00": 2}})

    assert fields(in_a_list) == ["order_types[1]"]
    assert fields(in_a_key) == ["extra.k\x00"]  # named as sent
    assert api.get("/v1/hold-rules").json()["items"] == []


def test_a_nul_in_a_path_is_refused(api: TestClient) -> None:
    network(api)

    response = api.get("/v1/products/SKU%001/promise", params={"country": "DE"})

    body = refused(response, 422, "invalid-input")
    assert body["errors"] == [
        {"field": "sku", "in": "path", "message": "must not contain NUL characters"}
    ]


def test_a_nul_split_between_two_chunks_of_a_streamed_body_is_found() -> None:
    body = b'{"expression": "order.total > 1000.0", "reason": "big\\u0000"}'
    seam = body.index(b"\\u0000") + 3
    chunks = [body[:seam], body[seam:]]

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def read_all() -> None:
        receive_watched = watching({"type": "http", "headers": []}, receive, 1_000)
        while (await receive_watched()).get("more_body"):
            pass

    with pytest.raises(BadText) as raised:
        asyncio.run(read_all())
    assert (raised.value.field, raised.value.part) == ("reason", "body")
