"""Who may call what, and how the HTTP surface answers everything else: missing or
wrong keys, each role's endpoints, the OpenAPI document, unknown routes and methods,
and arbitrary bodies (never a 5xx)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY
from tests.support.api import levels
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    a_product_body,
    an_adjustment_body,
    an_operations_body,
    an_order_body,
)

PROBLEM = "application/problem+json"
PROFILE = {"channels": ["web"], "strategies": [{"name": "nearest"}]}
RATE_CARD = {"currency": "EUR", "zones": [{"breaks": [{"up_to_kg": "10", "price": "5.00"}]}]}


def _network_with_an_order(api: TestClient) -> str:
    """DC-BER holding 100 of SKU-1 and 5 of SKU-2, DC-2 holding 1 of SKU-3, purchase
    orders PO-R, PO-C, PO-S of SKU-4 for DC-BER, carrier services dhl and dhl-old, and
    sourcing profiles web and old, and one order placed with a promise (W-1001)."""
    for location_id in ("DC-BER", "DC-2"):
        assert api.put(f"/v1/locations/{location_id}", json=a_location_body()).status_code == 201
    for location_id, sku, on_hand in (
        ("DC-BER", "SKU-1", 100),
        ("DC-BER", "SKU-2", 5),
        ("DC-2", "SKU-3", 1),
    ):
        assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201
        response = api.put(f"/v1/inventory/{location_id}/{sku}", json={"on_hand": on_hand})
        assert response.status_code == 201
    assert api.put("/v1/products/SKU-4", json=a_product_body()).status_code == 201
    for supply_id in ("PO-R", "PO-C", "PO-S"):
        po = {
            "id": supply_id,
            "kind": "purchase_order",
            "location_id": "DC-BER",
            "expected_at": "2026-11-09T08:00:00Z",
            "lines": [{"sku": "SKU-4", "quantity": 10}],
        }
        assert api.post("/v1/supply", json=po).status_code == 201
    for code in ("dhl", "dhl-old"):
        response = api.put(f"/v1/carrier-services/{code}", json=a_carrier_service_body())
        assert response.status_code == 201
    for name in ("web", "old"):
        response = api.put(f"/v1/sourcing-profiles/{name}", json=PROFILE)
        assert response.status_code == 201
    body = an_order_body(("SKU-1", 2)) | {"promise": {"option_id": "ship:dhl"}}
    placed = api.post("/v1/orders", json=body)
    assert placed.status_code == 201
    order_id: str = placed.json()["id"]
    return order_id


@pytest.fixture
def anonymous(api: TestClient) -> Iterator[TestClient]:
    """A client of the same app (whose lifespan `api` runs) that sends no Authorization."""
    client = TestClient(api.app)
    yield client
    client.close()


# Authentication


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer not-a-key", f"Basic {ADMIN_KEY}", ADMIN_KEY]
)
def test_without_a_valid_key_the_api_answers_401(
    api: TestClient, anonymous: TestClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = anonymous.put("/v1/products/SKU-1", json=a_product_body(), headers=headers)

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "/problems/unauthenticated"
    assert api.get("/v1/products/SKU-1").status_code == 404


def test_the_environment_admin_key_and_a_stored_admin_key_both_act_as_admin(
    anonymous: TestClient, key_for: Callable[[Role], str]
) -> None:
    for n, key in enumerate((ADMIN_KEY, key_for(Role.ADMIN))):
        headers = {"Authorization": f"Bearer {key}"}

        created = anonymous.put(f"/v1/products/SKU-{n}", json=a_product_body(), headers=headers)

        assert created.status_code == 201


# Roles: each endpoint once, with the status it gives when allowed and what it changes.

ENDPOINTS: dict[str, tuple[str, str, Any, int]] = {
    "put product": ("PUT", "/v1/products/SKU-NEW", a_product_body(), 201),
    "get product": ("GET", "/v1/products/SKU-1", None, 200),
    "put location": ("PUT", "/v1/locations/DC-NEW", a_location_body(), 201),
    "get location": ("GET", "/v1/locations/DC-BER", None, 200),
    "search products": ("GET", "/v1/products?q=sku", None, 200),
    "list locations": ("GET", "/v1/locations?type=warehouse", None, 200),
    "put position": ("PUT", "/v1/inventory/DC-BER/SKU-2", {"on_hand": 7}, 200),
    "adjust inventory": (
        "POST",
        "/v1/inventory/adjustments",
        {"adjustments": [an_adjustment_body("E-ROLE", 3)]},
        200,
    ),
    "count inventory": (
        "POST",
        "/v1/inventory/counts",
        {"counts": [{"location_id": "DC-BER", "sku": "SKU-3", "on_hand": 11}]},
        200,
    ),
    "take snapshot": (
        "POST",
        "/v1/inventory/snapshots",
        {
            "location_id": "DC-2",
            "counted_at": "2026-11-02T09:00:00Z",
            "positions": [{"sku": "SKU-3", "on_hand": 12}],
        },
        200,
    ),
    "get movements": ("GET", "/v1/inventory/DC-BER/SKU-1/movements", None, 200),
    "get position": ("GET", "/v1/inventory/DC-BER/SKU-1", None, 200),
    "put view": ("PUT", "/v1/availability-views/web", {"channels": ["web"]}, 201),
    "get view": ("GET", "/v1/availability-views/default", None, 200),
    "list views": ("GET", "/v1/availability-views", None, 200),
    "get availability": ("GET", "/v1/availability?skus=SKU-1", None, 200),
    "create supply": (
        "POST",
        "/v1/supply",
        {
            "id": "PO-NEW",
            "kind": "purchase_order",
            "location_id": "DC-BER",
            "expected_at": "2026-11-09T08:00:00Z",
            "lines": [{"sku": "SKU-1", "quantity": 1}],
        },
        201,
    ),
    "get supply": ("GET", "/v1/supply/PO-R", None, 200),
    "list supply": ("GET", "/v1/supply", None, 200),
    "receive supply": (
        "POST",
        "/v1/supply/PO-R/receipts",
        {"receipt_id": "GRN-ROLE", "lines": [{"sku": "SKU-4", "quantity": 1}]},
        200,
    ),
    "cancel supply": ("POST", "/v1/supply/PO-C/cancel", None, 200),
    "reschedule supply": (
        "PATCH",
        "/v1/supply/PO-S",
        {"expected_at": "2026-11-10T08:00:00Z"},
        200,
    ),
    "put operations": ("PUT", "/v1/locations/DC-2/operations", an_operations_body(), 201),
    "get operations": ("GET", "/v1/locations/DC-BER/operations", None, 200),
    "put carrier service": ("PUT", "/v1/carrier-services/ups", a_carrier_service_body(), 201),
    "get carrier service": ("GET", "/v1/carrier-services/dhl", None, 200),
    "list carrier services": ("GET", "/v1/carrier-services", None, 200),
    "delete carrier service": ("DELETE", "/v1/carrier-services/dhl-old", None, 204),
    "promise": (
        "POST",
        "/v1/promises",
        {"lines": [{"sku": "SKU-1", "quantity": 1}], "destination": {"country": "DE"}},
        200,
    ),
    "promise for a product page": ("GET", "/v1/products/SKU-1/promise?country=DE", None, 200),
    "put rate card": ("PUT", "/v1/rate-cards/dhl", RATE_CARD, 201),
    "put location costs": ("PUT", "/v1/locations/DC-2/costs", {"per_order": "1.00"}, 201),
    "get location costs": ("GET", "/v1/locations/DC-BER/costs", None, 200),
    "list rate cards": ("GET", "/v1/rate-cards", None, 200),
    "put profile": ("PUT", "/v1/sourcing-profiles/app", PROFILE | {"channels": ["app"]}, 201),
    "get profile": ("GET", "/v1/sourcing-profiles/web", None, 200),
    "get profile version": ("GET", "/v1/sourcing-profiles/web/versions/1", None, 200),
    "list profiles": ("GET", "/v1/sourcing-profiles", None, 200),
    "delete profile": ("DELETE", "/v1/sourcing-profiles/old", None, 204),
    "place order": ("POST", "/v1/orders", an_order_body(external_id="W-ROLE"), 201),
    "list orders": ("GET", "/v1/orders", None, 200),
    "get order": ("GET", "/v1/orders/{order_id}", None, 200),
    "record delivery": (
        "POST",
        "/v1/orders/{order_id}/deliveries",
        {"delivered_at": "2026-11-02T10:00:00+01:00"},  # as it was placed: not later than now
        200,
    ),
    "promise performance": (
        "GET",
        "/v1/promise-performance?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z",
        None,
        200,
    ),
    "kpis": ("GET", "/v1/analytics/kpis?from=2026-11-01&to=2026-12-01", None, 200),
    "get sourcing": ("GET", "/v1/orders/{order_id}/sourcing", None, 200),
    "get timeline": ("GET", "/v1/orders/{order_id}/timeline", None, 200),
    "add a note": ("POST", "/v1/orders/{order_id}/notes", {"note": "called"}, 201),
    "resend notification": ("POST", "/v1/orders/{order_id}/notifications", None, 201),
    "customer link": ("GET", "/v1/orders/{order_id}/self-service-link", None, 200),
    "list exceptions": ("GET", "/v1/exceptions", None, 200),
    "hold order": ("POST", "/v1/orders/NO-SUCH-ORDER/holds", {"reason": "check"}, 404),
    "list dead jobs": ("GET", "/v1/jobs/dead", None, 200),
    "requeue a job": ("POST", "/v1/jobs/NO-SUCH-JOB/requeue", None, 404),
    "subscribe a webhook": (
        "POST",
        "/v1/webhooks",
        {"url": "https://hooks.example/ordino", "event_types": ["order.created"]},
        201,
    ),
    "list webhooks": ("GET", "/v1/webhooks", None, 200),
    "unsubscribe a webhook": ("DELETE", "/v1/webhooks/NO-SUCH-HOOK", None, 404),
    "webhook deliveries": ("GET", "/v1/webhooks/NO-SUCH-HOOK/deliveries", None, 404),
    "reject allocation": (
        "POST",
        "/v1/orders/{order_id}/rejections",
        {"location_id": "DC-BER", "reason": "damaged"},
        200,
    ),
    "cancel units": (
        "POST",
        "/v1/orders/NO-SUCH-ORDER/cancellations",
        {"lines": [{"line_no": 1, "quantity": 1}]},
        404,
    ),
    "fulfillment queue": ("GET", "/v1/fulfillments?location_id=DC-BER", None, 200),
    "get fulfillment": ("GET", "/v1/fulfillments/NO-SUCH-FO", None, 404),
    "update fulfillment": ("POST", "/v1/fulfillments/NO-SUCH-FO/picked", None, 404),
    "cancel order": ("POST", "/v1/orders/{order_id}/cancel", None, 200),
    "put channel": ("PUT", "/v1/channels/b2b", {"max_line_quantity": 10_000}, 201),
    "get channel": ("GET", "/v1/channels/web", None, 200),
    "list channels": ("GET", "/v1/channels", None, 200),
}

READ = {
    "get product",
    "get location",
    "search products",
    "list locations",
    "get availability",
    "promise",
    "promise for a product page",
}
READ |= {"get channel", "list channels"}  # a channel's settings: the most units a line may ask
STOCK = {"get position", "get movements", "get supply", "list supply"}  # not a channel's
SETUP = {  # how the network is set up: an admin's and an agent's to read
    "get view",
    "list views",
    "get operations",
    "get carrier service",
    "list carrier services",
    "get profile",
    "get profile version",
    "list profiles",
    "list rate cards",
    "get location costs",
}
INVENTORY = {
    "put position",
    "adjust inventory",
    "count inventory",
    "take snapshot",
    "receive supply",
}
ORDERS = {
    "place order",
    "list orders",
    "get order",
    "get sourcing",
    "get timeline",
    "cancel order",
    "cancel units",
    "fulfillment queue",
    "get fulfillment",
}
ALLOWED: dict[Role, set[str]] = {
    Role.ADMIN: set(ENDPOINTS),
    Role.AGENT: READ
    | STOCK
    | SETUP
    | ORDERS
    | {"list exceptions", "hold order", "add a note", "resend notification", "kpis"}
    | {"customer link", "promise performance"},
    Role.CHANNEL: READ | ORDERS,
    Role.STORE: READ
    | STOCK
    | INVENTORY
    | {"list orders", "get order", "get sourcing", "get timeline"}
    | {"fulfillment queue", "get fulfillment"}
    | {"record delivery", "reject allocation", "update fulfillment"},
}


def _supply(api: TestClient, supply_id: str) -> dict[str, Any]:
    line: dict[str, Any] = api.get(f"/v1/supply/{supply_id}").json()["lines"][0]
    return line


def _effects(api: TestClient, order_id: str) -> dict[str, bool]:
    """Which of the writing endpoints left their mark, read back as admin."""
    on_hand = {
        (location_id, sku): (levels(api, location_id, sku) or (0, 0, 0, 0))[1]
        for location_id, sku in (
            ("DC-BER", "SKU-1"),
            ("DC-BER", "SKU-2"),
            ("DC-BER", "SKU-3"),
            ("DC-2", "SKU-3"),
        )
    }
    return {
        "put product": api.get("/v1/products/SKU-NEW").status_code == 200,
        "put location": api.get("/v1/locations/DC-NEW").status_code == 200,
        "put position": on_hand[("DC-BER", "SKU-2")] == 7,
        "adjust inventory": on_hand[("DC-BER", "SKU-1")] == 103,
        "count inventory": on_hand[("DC-BER", "SKU-3")] == 11,
        "take snapshot": on_hand[("DC-2", "SKU-3")] == 12,
        "create supply": api.get("/v1/supply/PO-NEW").status_code == 200,
        "put view": api.get("/v1/availability-views/web").status_code == 200,
        "put operations": api.get("/v1/locations/DC-2/operations").json()["version"] == 1,
        "put carrier service": api.get("/v1/carrier-services/ups").status_code == 200,
        "put profile": api.get("/v1/sourcing-profiles/app").status_code == 200,
        "put rate card": api.get("/v1/rate-cards/dhl").status_code == 200,
        "put location costs": api.get("/v1/locations/DC-2/costs").json()["version"] == 1,
        "put channel": api.get("/v1/channels/b2b").status_code == 200,
        "delete profile": api.get("/v1/sourcing-profiles/old").status_code == 404,
        "delete carrier service": api.get("/v1/carrier-services/dhl-old").status_code == 404,
        "receive supply": _supply(api, "PO-R")["received"] == 1,
        "cancel supply": _supply(api, "PO-C")["cancelled"] == 10,
        "reschedule supply": api.get("/v1/supply/PO-S")
        .json()["expected_at"]
        .startswith("2026-11-10"),
        "place order": len(api.get("/v1/orders").json()["items"]) == 2,
        "cancel order": api.get(f"/v1/orders/{order_id}").json()["status"] == "cancelled",
        "subscribe a webhook": bool(api.get("/v1/webhooks").json()["items"]),
        "reject allocation": len(api.get(f"/v1/orders/{order_id}/sourcing").json()["decisions"])
        == 2,
        "record delivery": bool(
            api.get(
                "/v1/promise-performance",
                params={"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"},
            ).json()["items"]
        ),
    }


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_call_exactly_its_endpoints(
    api: TestClient, key_for: Callable[[Role], str], role: Role
) -> None:
    order_id = _network_with_an_order(api)
    headers = {"Authorization": f"Bearer {key_for(role)}"}

    statuses = {
        name: api.request(
            method, path.format(order_id=order_id), json=body, headers=headers
        ).status_code
        for name, (method, path, body, _) in ENDPOINTS.items()
    }

    allowed = ALLOWED[role]
    assert statuses == {
        name: ok if name in allowed else 403 for name, (_, _, _, ok) in ENDPOINTS.items()
    }
    effects = _effects(api, order_id)
    assert effects == {name: name in allowed for name in effects}


def test_a_forbidden_call_is_a_403_problem_naming_role_and_permission(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    headers = {"Authorization": f"Bearer {key_for(Role.STORE)}"}

    response = api.post("/v1/orders", json=an_order_body(), headers=headers)

    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert (problem["type"], problem["role"], problem["permission"]) == (
        "/problems/forbidden",
        "store",
        "orders:create",
    )


# The rest of the HTTP surface


def test_the_openapi_document_lists_every_v1_path(anonymous: TestClient) -> None:
    response = anonymous.get("/openapi.json")

    assert response.status_code == 200
    assert sorted(response.json()["paths"]) == [
        "/v1/analytics/kpis",
        "/v1/analytics/kpis.csv",
        "/v1/availability",
        "/v1/availability-views",
        "/v1/availability-views/{name}",
        "/v1/carrier-services",
        "/v1/carrier-services/{code}",
        "/v1/channels",
        "/v1/channels/{name}",
        "/v1/configuration-changes",
        "/v1/credit-accounts/{account}",
        "/v1/credit-accounts/{account}/payments",
        "/v1/customer-data/erasures",
        "/v1/customer-data/exports",
        "/v1/exceptions",
        "/v1/fulfillments",
        "/v1/fulfillments/{fulfillment_id}",
        "/v1/fulfillments/{fulfillment_id}/accept",
        "/v1/fulfillments/{fulfillment_id}/customs",
        "/v1/fulfillments/{fulfillment_id}/delivered",
        "/v1/fulfillments/{fulfillment_id}/not-collected",
        "/v1/fulfillments/{fulfillment_id}/packed",
        "/v1/fulfillments/{fulfillment_id}/picked",
        "/v1/fulfillments/{fulfillment_id}/picked-up",
        "/v1/fulfillments/{fulfillment_id}/ready",
        "/v1/fulfillments/{fulfillment_id}/reject",
        "/v1/fulfillments/{fulfillment_id}/shipped",
        "/v1/gift-cards",
        "/v1/gift-cards/{code}",
        "/v1/hold-rules",
        "/v1/hold-rules/{name}",
        "/v1/inventory/adjustments",
        "/v1/inventory/counts",
        "/v1/inventory/snapshots",
        "/v1/inventory/{location_id}/{sku}",
        "/v1/inventory/{location_id}/{sku}/movements",
        "/v1/invoices/{bill_id}",
        "/v1/jobs/dead",
        "/v1/jobs/{job_id}/requeue",
        "/v1/keys",
        "/v1/keys/{key_id}",
        "/v1/locations",
        "/v1/locations/{location_id}",
        "/v1/locations/{location_id}/costs",
        "/v1/locations/{location_id}/operations",
        "/v1/order-types",
        "/v1/order-types/{name}",
        "/v1/orders",
        "/v1/orders/{order_id}",
        "/v1/orders/{order_id}/appeasements",
        "/v1/orders/{order_id}/cancel",
        "/v1/orders/{order_id}/cancellations",
        "/v1/orders/{order_id}/deliveries",
        "/v1/orders/{order_id}/holds",
        "/v1/orders/{order_id}/holds/{hold_id}/cancel",
        "/v1/orders/{order_id}/holds/{hold_id}/release",
        "/v1/orders/{order_id}/invoices",
        "/v1/orders/{order_id}/notes",
        "/v1/orders/{order_id}/notifications",
        "/v1/orders/{order_id}/refunds",
        "/v1/orders/{order_id}/rejections",
        "/v1/orders/{order_id}/returns",
        "/v1/orders/{order_id}/self-service-link",
        "/v1/orders/{order_id}/sourcing",
        "/v1/orders/{order_id}/timeline",
        "/v1/products",
        "/v1/products/{sku}",
        "/v1/products/{sku}/promise",
        "/v1/promise-performance",
        "/v1/promises",
        "/v1/promotions",
        "/v1/promotions/{promotion_id}",
        "/v1/quotes",
        "/v1/rate-cards",
        "/v1/rate-cards/{service}",
        "/v1/return-codes/{code}",
        "/v1/return-policy",
        "/v1/returns",
        "/v1/returns/{return_id}",
        "/v1/returns/{return_id}/authorise",
        "/v1/returns/{return_id}/cancel",
        "/v1/returns/{return_id}/close",
        "/v1/returns/{return_id}/code.svg",
        "/v1/returns/{return_id}/decline",
        "/v1/returns/{return_id}/exchanges",
        "/v1/returns/{return_id}/in-transit",
        "/v1/returns/{return_id}/label",
        "/v1/returns/{return_id}/receipts",
        "/v1/returns/{return_id}/refund-preview",
        "/v1/returns/{return_id}/refunds",
        "/v1/returns/{return_id}/routing",
        "/v1/self-service-policy",
        "/v1/self-service/lookup",
        "/v1/self-service/orders/{token}",
        "/v1/self-service/orders/{token}/address",
        "/v1/self-service/orders/{token}/cancellations",
        "/v1/self-service/orders/{token}/pickup",
        "/v1/self-service/orders/{token}/pickup-stores",
        "/v1/self-service/orders/{token}/returns",
        "/v1/sourcing-profiles",
        "/v1/sourcing-profiles/{name}",
        "/v1/sourcing-profiles/{name}/versions",
        "/v1/sourcing-profiles/{name}/versions/{version}",
        "/v1/store-credit",
        "/v1/supply",
        "/v1/supply/{supply_id}",
        "/v1/supply/{supply_id}/cancel",
        "/v1/supply/{supply_id}/receipts",
        "/v1/tax-rates",
        "/v1/tax-settings",
        "/v1/webhooks",
        "/v1/webhooks/{webhook_id}",
        "/v1/webhooks/{webhook_id}/deliveries",
    ]


def test_an_unknown_route_is_a_404_problem(api: TestClient) -> None:
    response = api.get("/v1/shipments")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/not-found"


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_one(api: TestClient) -> None:
    response = api.get("/v1/inventory/adjustments")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "POST"
    assert response.json()["type"] == "/problems/method-not-allowed"


# Robustness: whatever arrives, the answer is never a 5xx.

KEYS = ["channel", "external_id", "currency", "customer", "ship_to", "lines", "sku", "name"]
STRINGS = ["", " ", "\x00", "1e30", "NaN", "-0", "9" * 40, "SKU-1", "EUR", "DE", "ada@x.io"]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(STRINGS)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
REMOVE = object()
ORDER_PATHS = [
    ("channel",),
    ("external_id",),
    ("currency",),
    ("customer",),
    ("customer", "email"),
    ("customer", "phone"),
    ("ship_to",),
    ("ship_to", "postal_code"),
    ("ship_to", "country"),
    ("ship_to", "latitude"),
    ("lines",),
    ("lines", 0),
    ("lines", 0, "sku"),
    ("lines", 0, "quantity"),
    ("lines", 0, "unit_price"),
]
PRODUCT_PATHS = [("name",), ("weight_kg",), ("prices",), ("prices", "EUR"), ("prices", "JPY")]
SLOW_FIXTURES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _mutated(body: dict[str, Any], mutations: list[tuple[tuple[Any, ...], Any]]) -> Any:
    """`body` with the value at each path replaced, or removed; a path through
    something that is no longer a container is skipped."""
    body = copy.deepcopy(body)
    for path, value in mutations:
        target: Any = body
        for step in path[:-1]:
            target = _child(target, step)
        last = path[-1]
        if value is REMOVE and _child(target, last) is not None:
            del target[last]
        elif value is not REMOVE and (isinstance(target, dict) or _child(target, last) is not None):
            target[last] = value
    return body


def _child(container: Any, step: str | int) -> Any:
    if isinstance(container, dict):
        return container.get(step)
    if isinstance(container, list) and isinstance(step, int) and step < len(container):
        return container[step]
    return None


def _mutations(paths: list[tuple[Any, ...]]) -> st.SearchStrategy[Any]:
    return st.lists(
        st.tuples(st.sampled_from(paths), st.just(REMOVE) | SCALARS | JSON), min_size=1, max_size=2
    )


def _status_of(api: TestClient, method: str, url: str, value: Any) -> int:
    content = json.dumps(value).encode()  # NaN and Infinity as Python writes them
    headers = {"content-type": "application/json"}
    status = api.request(method, url, content=content, headers=headers).status_code
    event(f"HTTP {status}")
    return status


@pytest.fixture
def stocked(api: TestClient) -> str:
    return _network_with_an_order(api)


MUTATED_ORDERS = st.builds(
    lambda external_id, mutations: _mutated(an_order_body(external_id=external_id), mutations),
    st.uuids().map(str),  # a new order each time, so valid bodies reach the reservation
    _mutations(ORDER_PATHS),
)


@SLOW_FIXTURES
@given(value=JSON | MUTATED_ORDERS)
def test_no_order_body_gets_a_server_error(api: TestClient, stocked: str, value: Any) -> None:
    assert _status_of(api, "POST", "/v1/orders", value) < 500


@SLOW_FIXTURES
@given(value=JSON | _mutations(PRODUCT_PATHS).map(lambda m: _mutated(a_product_body(), m)))
def test_no_product_body_gets_a_server_error(api: TestClient, value: Any) -> None:
    assert _status_of(api, "PUT", "/v1/products/X", value) < 500
