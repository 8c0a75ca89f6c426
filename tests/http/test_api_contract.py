"""The API's contract as its OpenAPI document states it, held against what the API
does: every operation documents the problems it can give (as
application/problem+json, with the problem's schema), and every PUT answers 201
when it creates and 200 when it replaces, as documented."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import PROBLEM
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    a_product_body,
    an_operations_body,
)

WRITES = {"post", "put", "patch", "delete"}


def _operations(api: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    paths = api.get("/openapi.json").json()["paths"]
    return [(path, method, op) for path, ops in paths.items() for method, op in ops.items()]


def _expected_problems(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    """The problems an operation can give, by what it takes (any request may carry a
    NUL in its query: every operation can answer 422)."""
    expected = {"422"}
    parameters = operation.get("parameters", [])
    if "security" in operation:
        expected |= {"401", "403"}
    if any(p["in"] == "path" for p in parameters):
        expected.add("404")
    if method in WRITES:
        expected.add("409")
    if "requestBody" in operation:
        expected |= {"400", "413"}
    return expected


def test_every_operation_documents_the_problems_it_can_give(api: TestClient) -> None:
    operations = _operations(api)
    assert len(operations) > 80  # the walk found them
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert set(problem["properties"]) >= {"type", "title", "status", "detail", "code", "errors"}

    missing, not_problems = {}, []
    for path, method, operation in operations:
        answers = operation["responses"]
        lacking = _expected_problems(path, method, operation) - set(answers)
        if lacking:
            missing[f"{method.upper()} {path}"] = sorted(lacking)
        for status, answer in answers.items():
            if status[0] in "45":
                content = answer.get("content", {})
                if content != {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}:
                    not_problems.append(f"{method.upper()} {path} {status}")

    assert missing == {}
    assert not_problems == []


RATE_CARD = {"currency": "EUR", "zones": [{"breaks": [{"up_to_kg": "10", "price": "5.00"}]}]}
RULE = {"expression": "order.total > 1000.0", "reason": "big"}
PROFILE = {"channels": ["web"], "strategies": [{"name": "nearest"}]}
# Every PUT of the API that creates what it names, with a body it takes.
PUTS: dict[str, tuple[str, dict[str, Any]]] = {
    "product": ("/v1/products/SKU-9", a_product_body()),
    "location": ("/v1/locations/DC-9", a_location_body()),
    "position": ("/v1/inventory/DC-BER/SKU-1", {"on_hand": 4}),
    "view": ("/v1/availability-views/shop", {"channels": ["shop"]}),
    "operations": ("/v1/locations/DC-BER/operations", an_operations_body()),
    "carrier service": ("/v1/carrier-services/ups", a_carrier_service_body()),
    "rate card": ("/v1/rate-cards/ups", RATE_CARD),
    "location costs": ("/v1/locations/DC-BER/costs", {"per_order": "1.00"}),
    "sourcing profile": ("/v1/sourcing-profiles/web", PROFILE),
    "order type": ("/v1/order-types/express", {"steps": ["checks", "release"]}),
    "hold rule": ("/v1/hold-rules/big", RULE),
    "channel": ("/v1/channels/b2b", {"max_line_quantity": 10_000}),
    "tax settings": ("/v1/tax-settings", {"seller_country": "DE"}),
    "credit account": ("/v1/credit-accounts/ACME", {"currency": "EUR", "credit_limit": "500"}),
    "promotion": (
        "/v1/promotions/spring",
        {"name": "Spring", "benefit": "order_percent", "value": "10"},
    ),
}


@pytest.mark.parametrize("name", sorted(PUTS))
def test_a_put_answers_201_when_it_creates_and_200_when_it_replaces(
    api: TestClient, name: str
) -> None:
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    path, body = PUTS[name]

    created, replaced = api.put(path, json=body), api.put(path, json=body)

    assert (created.status_code, replaced.status_code) == (201, 200), created.text


def test_every_put_documents_both_answers(api: TestClient) -> None:
    puts = {path: op for path, method, op in _operations(api) if method == "put"}
    always = {"/v1/self-service-policy", "/v1/return-policy"}  # policies: there always
    assert len(puts) == len(PUTS) + len(always)

    documented = {
        path: sorted(s for s in op["responses"] if s < "300") for path, op in puts.items()
    }

    assert documented == {path: (["200"] if path in always else ["200", "201"]) for path in puts}


def test_every_get_of_a_thing_that_does_not_exist_answers_its_404_problem(
    api: TestClient,
) -> None:
    """The 404 each operation with a path parameter documents is what it answers: a
    GET naming nothing that exists (the customer's links answer 403 link-invalid: a
    link that names no order is not a valid link)."""
    gets = [
        (path, op)
        for path, method, op in _operations(api)
        if method == "get" and "{" in path and not path.startswith("/v1/self-service/")
    ]
    assert len(gets) > 15  # the walk found them

    wrong = {}
    for path, operation in gets:
        concrete = re.sub(r"\{(\w+)\}", lambda m: "7" if m[1] == "version" else "NOPE-1", path)
        query = {p["name"]: "DE" for p in operation.get("parameters", []) if p["name"] == "country"}
        response = api.get(concrete, params=query)
        if response.status_code != 404 or response.headers["content-type"] != PROBLEM:
            wrong[path] = (response.status_code, response.text[:120])
        elif "404" not in operation["responses"]:
            wrong[path] = (404, "not documented")

    assert wrong == {}
