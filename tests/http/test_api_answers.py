"""One answer shape per route: every operation of the OpenAPI document is called with
real data on a seeded app, and each answer is held against what the document
declares for its status (schemathesis's status code, content type and response
schema conformance checks), problem documents included.

The document's object schemas are closed for the test (`additionalProperties:
false` where a schema names its properties and says nothing of others): an answer
carrying a field its model does not name departs from it as surely as one missing
a field. Every operation is called, and every successful answer that has a body
declares its schema: a new route without either fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from httpx2 import Response
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, checks
from schemathesis.core import NotSet
from schemathesis.errors import FailureGroup

from ordino.events.services.relay import relay_all
from ordino.kernel.domain.jobs import Job
from ordino.orchestration.services.worker import Worker, enqueue
from ordino.pricing.services import load_rates
from tests.conftest import Clock
from tests.support.api import events_of, work
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    a_product_body,
    a_purchase_order_body,
    an_adjustment_body,
    an_operations_body,
    an_order_body,
)

CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
APPROVES = "4242424242424242"  # the sandbox gateway's card that pays
RATE_CARD = {"currency": "EUR", "zones": [{"breaks": [{"up_to_kg": "10", "price": "5.00"}]}]}
PROFILE = {"channels": ["web"], "strategies": [{"name": "nearest"}]}
BACKORDER = {
    "channels": ["app"],
    "strategies": [{"name": "any"}, {"name": "wait", "kind": "backorder"}],
}
# The relay only queues deliveries; were one posted, the loopback's discard port refuses it.
SUBSCRIPTION = {"url": "http://127.0.0.1:9/ordino", "event_types": ["order.created"]}
SHIPPED = {"promise": {"option_id": "ship:dhl-standard"}}
PICKUP = {"promise": {"option_id": "pickup:ST-HAM"}}
ALTONA = {
    "name": "Sam",
    "line1": "Ottenser Hauptstr. 1",
    "city": "Hamburg",
    "postal_code": "22765",
    "country": "DE",
    "latitude": 53.55,
    "longitude": 9.93,
}


def _closed(node: Any) -> Any:
    """The schema with every object that names its properties closed to others."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {key: _closed(value) for key, value in node.items()}
    if "properties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


class Walk:
    """Calls the API and holds each answer against the document: what departs is
    kept in `departures`, every operation called in `called`."""

    def __init__(self, api: TestClient, clock: Clock) -> None:
        self.api, self.clock = api, clock
        self.document = api.get("/openapi.json").json()
        self.schema = schemathesis.openapi.from_dict(_closed(self.document))
        self.called: set[tuple[str, str]] = set()
        self.departures: list[str] = []

    def __call__(
        self,
        method: str,
        template: str,
        status: int,
        path: dict[str, str] | None = None,
        **request: Any,
    ) -> Any:
        """`request`: json, params, headers as the client takes them."""
        response = self.api.request(method, template.format(**(path or {})), **request)
        self.called.add((method.lower(), template))
        label = f"{method} {template} {response.status_code}"
        if response.status_code != status:
            self.departures.append(f"{label}, not {status}: {response.text[:300]}")
        else:
            self._validate(method, template, path, request, response)
        return response.json() if response.content and "json" in _media(response) else None

    def _validate(
        self,
        method: str,
        template: str,
        path: dict[str, str] | None,
        request: dict[str, Any],
        response: Response,
    ) -> None:
        case = self.schema[template][method].Case(
            path_parameters=path,
            query=request.get("params"),
            headers=request.get("headers"),
            **({"body": request["json"]} if request.get("json") is not None else {}),
        )
        label = f"{method} {template} {response.status_code}"
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as departure:
            self.departures.append(f"{label}: {departure}")
        declared = self._declared(method, template, response)
        if response.status_code < 300 and response.content and not declared:
            self.departures.append(f"{label}: no schema declared for the answer")

    def _declared(self, method: str, template: str, response: Response) -> bool:
        operation = self.document["paths"][template][method.lower()]
        answer = operation["responses"].get(str(response.status_code), {})
        return bool(answer.get("content", {}).get(_media(response), {}).get("schema"))

    def work(self) -> None:
        work(self.api, self.clock)


def _media(response: Response) -> str:
    return response.headers.get("content-type", "").split(";")[0]


@pytest.fixture
def walk(api: TestClient, clock: Clock) -> Walk:
    return Walk(api, clock)


# The seeded world, area by area; each call is one operation's answer checked.


def _network(walk: Walk) -> None:
    """DC-BER and DC-MUC ship, the stores ST-HAM and ST-ALT take pickups."""
    for location_id, changes in {
        "DC-BER": {},
        "DC-MUC": {"name": "Munich DC", "latitude": 48.14, "longitude": 11.58},
        "ST-HAM": {"type": "store", "ships": False, "pickup": True, "longitude": 9.99},
        "ST-ALT": {"type": "store", "ships": False, "pickup": True, "longitude": 9.93},
    }.items():
        body = a_location_body(**changes) | ({"latitude": 53.55} if "ST" in location_id else {})
        walk("PUT", "/v1/locations/{location_id}", 201, {"location_id": location_id}, json=body)
    walk(
        "PUT", "/v1/locations/{location_id}", 200, {"location_id": "DC-BER"}, json=a_location_body()
    )
    for sku in ("SKU-1", "SKU-2"):
        walk("PUT", "/v1/products/{sku}", 201, {"sku": sku}, json=a_product_body())
    body = a_product_body(attributes={"colour": "red"})
    walk("PUT", "/v1/products/{sku}", 200, {"sku": "SKU-1"}, json=body)
    walk("GET", "/v1/products/{sku}", 200, {"sku": "SKU-1"})
    walk("GET", "/v1/locations/{location_id}", 200, {"location_id": "DC-BER"})
    walk("GET", "/v1/locations", 200, params={"limit": 2})
    place = {"q": "rain", "latitude": 53.55, "longitude": 9.99}
    walk("GET", "/v1/products", 200, params=place)


def _operations(walk: Walk) -> None:
    """How DC-BER and DC-MUC work, a carrier service, its rates, DC-BER's costs."""
    for location_id in ("DC-BER", "DC-MUC"):
        path = {"location_id": location_id}
        walk("PUT", "/v1/locations/{location_id}/operations", 201, path, json=an_operations_body())
    path = {"location_id": "DC-BER"}
    walk("PUT", "/v1/locations/{location_id}/operations", 200, path, json=an_operations_body())
    walk("GET", "/v1/locations/{location_id}/operations", 200, path)
    for code in ("dhl-standard", "dhl-old"):
        body = a_carrier_service_body()
        walk("PUT", "/v1/carrier-services/{code}", 201, {"code": code}, json=body)
    body = a_carrier_service_body(name="DHL Paket Standard")
    walk("PUT", "/v1/carrier-services/{code}", 200, {"code": "dhl-standard"}, json=body)
    walk("GET", "/v1/carrier-services/{code}", 200, {"code": "dhl-standard"})
    walk("GET", "/v1/carrier-services", 200)
    walk("DELETE", "/v1/carrier-services/{code}", 204, {"code": "dhl-old"})
    for service in ("dhl-standard", "dhl-old"):
        walk("PUT", "/v1/rate-cards/{service}", 201, {"service": service}, json=RATE_CARD)
    walk("PUT", "/v1/rate-cards/{service}", 200, {"service": "dhl-standard"}, json=RATE_CARD)
    walk("GET", "/v1/rate-cards/{service}", 200, {"service": "dhl-standard"})
    walk("GET", "/v1/rate-cards", 200)
    walk("DELETE", "/v1/rate-cards/{service}", 204, {"service": "dhl-old"})
    costs = {"per_order": "1.00", "per_unit": "0.20"}
    walk("PUT", "/v1/locations/{location_id}/costs", 201, path, json=costs)
    walk("PUT", "/v1/locations/{location_id}/costs", 200, path, json=costs)
    walk("GET", "/v1/locations/{location_id}/costs", 200, path)


def _configuration(walk: Walk) -> None:
    """Profiles, order types, hold rules, channels, views and the self-service policy,
    each created, replaced, read, listed and (where it can be) removed."""
    for name in ("web", "old"):
        walk("PUT", "/v1/sourcing-profiles/{name}", 201, {"name": name}, json=PROFILE)
    web = {"name": "web"}
    walk("PUT", "/v1/sourcing-profiles/{name}", 200, web, json=PROFILE | {"version": 1})
    walk("GET", "/v1/sourcing-profiles/{name}", 200, web)
    walk("GET", "/v1/sourcing-profiles", 200)
    walk("GET", "/v1/sourcing-profiles/{name}/versions", 200, web)
    walk("GET", "/v1/sourcing-profiles/{name}/versions/{version}", 200, web | {"version": "1"})
    walk("DELETE", "/v1/sourcing-profiles/{name}", 204, {"name": "old"})
    steps = {"steps": ["checks", "release"], "description": "no payment"}
    walk("PUT", "/v1/order-types/{name}", 201, {"name": "express"}, json=steps)
    walk("PUT", "/v1/order-types/{name}", 200, {"name": "express"}, json=steps)
    walk("GET", "/v1/order-types", 200)
    rule = {"expression": "order.total > 100000.0", "reason": "big", "order_types": ["express"]}
    for name in ("big", "old"):
        walk("PUT", "/v1/hold-rules/{name}", 201, {"name": name}, json=rule)
    walk("PUT", "/v1/hold-rules/{name}", 200, {"name": "big"}, json=rule)
    walk("GET", "/v1/hold-rules", 200)
    walk("DELETE", "/v1/hold-rules/{name}", 204, {"name": "old"})
    channel = {"max_line_quantity": 10_000, "description": "Business", "time_zone": "Europe/Berlin"}
    walk("PUT", "/v1/channels/{name}", 201, {"name": "b2b"}, json=channel)
    walk("PUT", "/v1/channels/{name}", 200, {"name": "b2b"}, json={"max_line_quantity": 5})
    walk("GET", "/v1/channels/{name}", 200, {"name": "b2b"})
    walk("GET", "/v1/channels", 200)
    for name, channel in (("shop", "shop"), ("old", "app")):
        body = {"channels": [channel]}
        walk("PUT", "/v1/availability-views/{name}", 201, {"name": name}, json=body)
    view = {"channels": ["shop"], "description": "The shop", "low_stock_below": 3}
    walk("PUT", "/v1/availability-views/{name}", 200, {"name": "shop"}, json=view)
    walk("GET", "/v1/availability-views/{name}", 200, {"name": "shop"})
    walk("GET", "/v1/availability-views", 200)
    walk("DELETE", "/v1/availability-views/{name}", 204, {"name": "old"})
    walk("PUT", "/v1/self-service-policy", 200, json={"cancel_until": "release"})
    walk("GET", "/v1/self-service-policy", 200)


def _stock(walk: Walk) -> None:
    """Stock everywhere by every feed, its movements and availability."""
    for location_id, sku, on_hand in (
        ("DC-BER", "SKU-1", 20),
        ("DC-BER", "SKU-2", 10),
        ("DC-MUC", "SKU-1", 10),
        ("ST-HAM", "SKU-1", 6),
        ("ST-ALT", "SKU-1", 4),
    ):
        path = {"location_id": location_id, "sku": sku}
        walk("PUT", "/v1/inventory/{location_id}/{sku}", 201, path, json={"on_hand": on_hand})
    path = {"location_id": "DC-BER", "sku": "SKU-1"}
    body = {"on_hand": 30, "safety_stock": 1, "reason": "recount"}
    walk("PUT", "/v1/inventory/{location_id}/{sku}", 200, path, json=body)
    counts = {"counts": [{"location_id": "DC-BER", "sku": "SKU-2", "on_hand": 12}]}
    walk("POST", "/v1/inventory/counts", 200, json=counts)
    snapshot = {
        "location_id": "DC-MUC",
        "counted_at": "2026-11-02T08:00:00Z",
        "positions": [{"sku": "SKU-1", "on_hand": 10}],
    }
    walk("POST", "/v1/inventory/snapshots", 200, json=snapshot)
    adjustments = {"adjustments": [an_adjustment_body("E-1", 2), an_adjustment_body("E-2", -1)]}
    walk("POST", "/v1/inventory/adjustments", 200, json=adjustments)
    walk("GET", "/v1/inventory/{location_id}/{sku}", 200, path)
    walk("GET", "/v1/inventory/{location_id}/{sku}/movements", 200, path, params={"limit": 2})
    near = {"country": "DE", "postal_code": "20354", "latitude": 53.55, "longitude": 9.99}
    query = {"skus": "SKU-1,SKU-2", "include": "locations"} | near
    walk("GET", "/v1/availability", 200, params=query)


def _supply(walk: Walk) -> None:
    """A purchase order received in part, another rescheduled, a third cancelled."""
    for supply_id in ("PO-1", "PO-2", "PO-3"):
        walk("POST", "/v1/supply", 201, json=a_purchase_order_body(id=supply_id))
    walk("GET", "/v1/supply/{supply_id}", 200, {"supply_id": "PO-1"})
    walk("GET", "/v1/supply", 200, params={"limit": 2})
    receipt = {"receipt_id": "GRN-1", "lines": [{"sku": "SKU-1", "quantity": 5}]}
    walk("POST", "/v1/supply/{supply_id}/receipts", 200, {"supply_id": "PO-1"}, json=receipt)
    later = {"expected_at": "2026-11-12T08:00:00Z"}
    walk("PATCH", "/v1/supply/{supply_id}", 200, {"supply_id": "PO-2"}, json=later)
    cancel = {"skus": ["SKU-2"], "reason": "supplier short"}
    walk("POST", "/v1/supply/{supply_id}/cancel", 200, {"supply_id": "PO-3"}, json=cancel)


def _promises(walk: Walk) -> None:
    """To Munich (no store near: pickup not offered) and to Hamburg (its stores)."""
    for latitude, longitude in ((48.14, 11.58), (53.55, 9.99)):
        to = {"country": "DE", "latitude": latitude, "longitude": longitude}
        cart = {"lines": [{"sku": "SKU-1", "quantity": 1}], "destination": to}
        walk("POST", "/v1/promises", 200, json=cart)
    place = {"country": "DE", "latitude": 53.55, "longitude": 9.99}
    walk("GET", "/v1/products/{sku}/promise", 200, {"sku": "SKU-1"}, params=place)


def _place(walk: Walk, external_id: str, *lines: tuple[str, int], **changes: Any) -> str:
    body = an_order_body(*lines, external_id=external_id, **changes)
    order: dict[str, Any] = walk("POST", "/v1/orders", 201, json=body)
    return str(order["id"])


def _fulfillment_of(walk: Walk, order_id: str, index: int = 0) -> str:
    order = walk("GET", "/v1/orders/{order_id}", 200, {"order_id": order_id})
    return str(order["fulfillments"][index]["id"])


def _step(walk: Walk, fulfillment_id: str, step: str, **body: Any) -> None:
    path = {"fulfillment_id": fulfillment_id}
    sent = {"json": body} if body else {}
    walk("POST", f"/v1/fulfillments/{{fulfillment_id}}/{step}", 200, path, **sent)


def _paid_and_shipped(walk: Walk) -> str:
    """An order paid by card, released, its parcel taken through every step, its
    delivery recorded, part of it refunded."""
    payment = {"method": "card", "token": APPROVES}
    order_id = _place(walk, "W-PAID", ("SKU-1", 2), ("SKU-2", 1), payment=payment, **SHIPPED)
    walk.work()
    fulfillment_id = _fulfillment_of(walk, order_id)
    walk("GET", "/v1/fulfillments/{fulfillment_id}", 200, {"fulfillment_id": fulfillment_id})
    walk(
        "GET", "/v1/fulfillments/{fulfillment_id}/customs", 404, {"fulfillment_id": fulfillment_id}
    )
    walk("GET", "/v1/fulfillments", 200, params={"location_id": "DC-BER"})
    for step in ("accept", "picked", "packed"):
        _step(walk, fulfillment_id, step)
    first = {"carrier": "dhl", "tracking_number": "JD1", "lines": [{"line_no": 1, "quantity": 1}]}
    _step(walk, fulfillment_id, "shipped", **first)
    rest = _fulfillment_of(walk, order_id, 1)
    _step(walk, rest, "shipped", carrier="dhl", tracking_number="JD2")
    _step(walk, fulfillment_id, "delivered", delivered_at="2026-11-02T09:30:00Z")
    walk.work()  # captured
    path = {"order_id": order_id}
    delivery = {"delivered_at": "2026-11-02T10:00:00+01:00", "carrier": "dhl"}
    walk("POST", "/v1/orders/{order_id}/deliveries", 200, path, json=delivery)
    refund = {"amount": "20.00", "currency": "EUR", "reason": "late"}
    key = {"Idempotency-Key": "r-1"}
    walk("POST", "/v1/orders/{order_id}/refunds", 202, path, json=refund, headers=key)
    walk.work()
    walk("GET", "/v1/orders/{order_id}/refunds", 200, path)
    goodwill = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    walk("POST", "/v1/orders/{order_id}/appeasements", 202, path, json=goodwill,
         headers={"Idempotency-Key": "ap-1"})  # fmt: skip
    walk("GET", "/v1/orders/{order_id}/appeasements", 200, path)
    walk.work()
    _step(walk, rest, "delivered", delivered_at="2026-11-02T09:00:00Z")
    _walk_returns(walk, path)
    card = {"amount": "25.00", "currency": "EUR", "code": "GC-WALK-1"}
    walk("POST", "/v1/gift-cards", 201, json=card, headers={"Idempotency-Key": "gc-1"})
    walk("GET", "/v1/gift-cards/{code}", 200, {"code": "GC-WALK-1"})
    credit = {"email": "ada@example.com", "amount": "5.00", "currency": "EUR", "reason": "late"}
    walk("POST", "/v1/store-credit", 201, json=credit, headers={"Idempotency-Key": "sc-1"})
    walk("GET", "/v1/store-credit", 200, params={"email": "ada@example.com"})
    account = {"account": "ACME-42"}
    terms = {"currency": "EUR", "credit_limit": "1000.00", "terms_days": 30}
    walk("PUT", "/v1/credit-accounts/{account}", 201, account, json=terms)
    paid = {"amount": "10.00", "currency": "EUR", "reference": "bank"}
    walk("POST", "/v1/credit-accounts/{account}/payments", 201, account, json=paid,
         headers={"Idempotency-Key": "pay-1"})  # fmt: skip
    walk("GET", "/v1/credit-accounts/{account}", 200, account)
    bills = walk("GET", "/v1/orders/{order_id}/invoices", 200, path)["items"]
    # The refund asked, the appeasement, and the return's refunded when it was received.
    assert [b["kind"] for b in bills] == ["invoice", "invoice"] + ["credit_note"] * 3
    walk("GET", "/v1/invoices/{bill_id}", 200, {"bill_id": bills[0]["id"]})
    return order_id


def _servicing(walk: Walk, order_id: str) -> None:
    """What an agent reads of an order and does for its customer."""
    path = {"order_id": order_id}
    walk("POST", "/v1/orders/{order_id}/notes", 201, path, json={"note": "called the customer"})
    walk("POST", "/v1/orders/{order_id}/notifications", 201, path)
    walk("GET", "/v1/orders/{order_id}/self-service-link", 200, path)
    walk("GET", "/v1/orders/{order_id}/timeline", 200, path)
    walk("GET", "/v1/orders/{order_id}/sourcing", 200, path)
    walk("GET", "/v1/orders", 200, params={"channel": "web", "limit": 2})


def _rerouted(walk: Walk) -> None:
    """An allocation rejected before release, a fulfillment rejected after it."""
    order_id = _place(walk, "W-REJECT", ("SKU-1", 1))
    order = walk("GET", "/v1/orders/{order_id}", 200, {"order_id": order_id})
    [allocation] = order["lines"][0]["allocations"]
    rejection = {"location_id": allocation["location_id"], "reason": "damaged"}
    walk("POST", "/v1/orders/{order_id}/rejections", 200, {"order_id": order_id}, json=rejection)
    order_id = _place(walk, "W-TURNED-DOWN", ("SKU-1", 1))
    walk.work()
    _step(walk, _fulfillment_of(walk, order_id), "reject", reason="no-capacity")


def _picked_up(walk: Walk) -> None:
    """Pickup in store: one collected with its code, one not collected."""
    collected = _place(walk, "W-PICKUP", ("SKU-1", 1), **PICKUP)
    forgotten = _place(walk, "W-FORGOTTEN", ("SKU-1", 1), **PICKUP)
    walk.work()
    fulfillment_id = _fulfillment_of(walk, collected)
    _step(walk, fulfillment_id, "ready")
    [ready] = [
        e for e in events_of(walk.api, collected) if e["type"] == "fulfillment.ready_for_pickup"
    ]
    _step(walk, fulfillment_id, "picked-up", code=ready["data"]["pickup_code"])
    fulfillment_id = _fulfillment_of(walk, forgotten)
    _step(walk, fulfillment_id, "ready")
    _step(walk, fulfillment_id, "not-collected")


def _held_and_cancelled(walk: Walk) -> None:
    """Holds released and cancelled from, units cancelled, an order cancelled."""
    released, cancelled = _place(walk, "W-HOLD"), _place(walk, "W-FRAUD")
    for order_id, action in ((released, "release"), (cancelled, "cancel")):
        path = {"order_id": order_id}
        hold = walk("POST", "/v1/orders/{order_id}/holds", 201, path, json={"reason": "check"})
        path |= {"hold_id": hold["id"]}
        template = f"/v1/orders/{{order_id}}/holds/{{hold_id}}/{action}"
        walk("POST", template, 200, path, json={"note": "checked"})
    order_id = _place(walk, "W-CANCEL", ("SKU-1", 2))
    path = {"order_id": order_id}
    units = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "changed mind"}
    walk("POST", "/v1/orders/{order_id}/cancellations", 200, path, json=units)
    walk("POST", "/v1/orders/{order_id}/cancel", 200, path, json={"reason": "changed mind"})


def _exceptions(walk: Walk) -> None:
    """What needs a person: an order held, one waiting for supply, a location late."""
    held = {"order_id": _place(walk, "W-HELD")}
    walk("POST", "/v1/orders/{order_id}/holds", 201, held, json={"reason": "call the customer"})
    walk("PUT", "/v1/sourcing-profiles/{name}", 201, {"name": "app"}, json=BACKORDER)
    _place(walk, "A-WAITING", ("SKU-2", 50), channel="app")
    _place(walk, "W-LATE", ("SKU-1", 1))
    walk.work()
    walk.clock.advance(minutes=121)  # the release not accepted in two hours
    walk.work()
    walk("GET", "/v1/exceptions", 200)


def _self_service(walk: Walk) -> None:
    """The customer finds the order, moves it, collects it at a store, cancels a unit;
    finds another, delivered, and returns a unit of it."""
    _place(walk, "W-SELF", ("SKU-1", 2), customer={"email": "sam@example.com", "name": "Sam"})
    lookup = {"number": "W-SELF", "email": "sam@example.com"}
    token = {"token": walk("POST", "/v1/self-service/lookup", 200, json=lookup)["token"]}
    walk("GET", "/v1/self-service/orders/{token}", 200, token)
    address = {"ship_to": ALTONA}
    walk("POST", "/v1/self-service/orders/{token}/address", 200, token, json=address)
    walk("GET", "/v1/self-service/orders/{token}/pickup-stores", 200, token)
    store = {"store_id": "ST-ALT"}
    walk("POST", "/v1/self-service/orders/{token}/pickup", 200, token, json=store)
    cancel = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "one is enough"}
    walk("POST", "/v1/self-service/orders/{token}/cancellations", 200, token, json=cancel)
    shipped = {"number": "W-PAID", "email": "ada@example.com"}  # its parcels, their tracking
    token = {"token": walk("POST", "/v1/self-service/lookup", 200, json=shipped)["token"]}
    walk("GET", "/v1/self-service/orders/{token}", 200, token)
    back = {"lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    walk("POST", "/v1/self-service/orders/{token}/returns", 201, token, json=back)


def _customer_data(walk: Walk) -> None:
    """A customer's data exported, then erased (their only order cancelled first)."""
    customer = {"email": "eve@example.com", "name": "Eve"}
    order_id = _place(walk, "W-ERASE", customer=customer)
    walk("POST", "/v1/orders/{order_id}/cancel", 200, {"order_id": order_id})
    who = {"email": "eve@example.com"}
    walk("POST", "/v1/customer-data/exports", 200, json=who)
    walk("GET", "/v1/customer-data/exports", 200)
    walk("POST", "/v1/customer-data/erasures", 201, json=who)
    walk("GET", "/v1/customer-data/erasures", 200)


def _administration(walk: Walk) -> None:
    """Webhooks, keys, dead jobs, the record of configuration, the figures."""
    hook = walk("POST", "/v1/webhooks", 201, json=SUBSCRIPTION)
    walk("GET", "/v1/webhooks", 200)
    _place(walk, "W-TOLD")
    relay_all(walk.api.app.state.uow(), None, walk.clock())  # type: ignore[attr-defined]
    walk("GET", "/v1/webhooks/{webhook_id}/deliveries", 200, {"webhook_id": hook["id"]})
    walk("DELETE", "/v1/webhooks/{webhook_id}", 204, {"webhook_id": hook["id"]})
    key = walk("POST", "/v1/keys", 201, json={"role": "store", "location_id": "ST-HAM"})
    walk("GET", "/v1/keys", 200)
    walk("DELETE", "/v1/keys/{key_id}", 204, {"key_id": key["id"]})
    _dead_job(walk)
    [dead] = walk("GET", "/v1/jobs/dead", 200)["items"]
    walk("POST", "/v1/jobs/{job_id}/requeue", 200, {"job_id": str(dead["id"])})
    walk("GET", "/v1/configuration-changes", 200, params={"limit": 5})
    days = {"from": "2026-11-01", "to": "2026-11-04"}
    walk("GET", "/v1/analytics/kpis", 200, params=days)
    walk("GET", "/v1/analytics/kpis.csv", 200, params=days)
    month = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    for by in ("location", "carrier", "service"):
        walk("GET", "/v1/promise-performance", 200, params=month | {"by": by})


def _dead_job(walk: Walk) -> None:
    walk.work()  # nothing else waits: only this job dies
    state: Any = walk.api.app.state  # type: ignore[attr-defined]
    enqueue(state.uow(), Job.new("no.such.kind", {"n": 1}, walk.clock()), walk.clock())
    Worker("test", state.uow, walk.clock, {}).run_once()


def _refusals(walk: Walk) -> None:
    """Problem documents: what does not exist, what is invalid, what conflicts."""
    walk("GET", "/v1/orders/{order_id}", 404, {"order_id": "NOPE-1"})
    walk("PUT", "/v1/products/{sku}", 422, {"sku": "SKU-9"}, json={"name": ""})
    walk("POST", "/v1/orders", 409, json=an_order_body(("SKU-1", 1_000)))
    walk("GET", "/v1/self-service/orders/{token}", 403, {"token": "not-a-link"})


def _money(walk: Walk) -> None:
    """Tax settings and rates, a promotion, then an order with its discount and its
    VAT (last: from now on every order is promoted and taxed)."""
    spring = {"name": "Spring", "benefit": "order_percent", "value": "10"}
    walk("PUT", "/v1/promotions/{promotion_id}", 201, {"promotion_id": "spring"}, json=spring)
    walk("PUT", "/v1/promotions/{promotion_id}", 200, {"promotion_id": "spring"}, json=spring)
    walk("GET", "/v1/promotions/{promotion_id}", 200, {"promotion_id": "spring"})
    walk("GET", "/v1/promotions", 200)
    walk("GET", "/v1/tax-settings", 200)
    walk("PUT", "/v1/tax-settings", 201, json={"seller_country": "DE", "vat_id": "DE123456704"})
    walk("GET", "/v1/tax-settings", 200)
    state: Any = walk.api.app.state  # type: ignore[attr-defined]
    load_rates("country,tax_class,rate,valid_from,valid_until\nDE,standard,19,2021-01-01,\n",
               state.uow(), walk.clock())  # fmt: skip
    walk("GET", "/v1/tax-rates", 200, params={"country": ["DE"]})
    cart = {"channel": "web", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
            "ship_to": {"country": "DE"}, "codes": ["NOPE"]}  # fmt: skip
    walk("POST", "/v1/quotes", 200, json=cart)
    walk("POST", "/v1/quotes", 422, json=cart | {"currency": "EURO"})
    _place(walk, "W-TAXED", ("SKU-1", 1))


def test_every_operation_answers_as_its_document_declares(walk: Walk) -> None:
    for area in (_network, _operations, _configuration, _stock, _supply, _promises):
        area(walk)
    order_id = _paid_and_shipped(walk)
    _servicing(walk, order_id)
    areas = (_rerouted, _picked_up, _held_and_cancelled, _exceptions, _self_service, _customer_data)
    for area in areas:
        area(walk)
    _administration(walk)
    _refusals(walk)
    _money(walk)

    assert not walk.departures, "\n\n".join(walk.departures)
    documented = {(method, path) for path, ops in walk.document["paths"].items() for method in ops}
    assert documented - walk.called == set()  # a new operation is called here too
    assert len(documented) > 100


def test_an_answer_that_departs_from_its_model_is_a_departure(walk: Walk) -> None:
    """A field renamed in a product's answer: missing under its name, unknown under the
    other (the closed document is what makes the second a departure)."""
    _network(walk)
    answer = walk.api.get("/v1/products/SKU-1")
    document = answer.json()
    document["title"] = document.pop("name")
    renamed = Response(200, json=document, request=answer.request)
    renamed.elapsed = answer.elapsed

    walk.departures.clear()
    walk._validate("GET", "/v1/products/{sku}", {"sku": "SKU-1"}, {}, renamed)

    [departure] = walk.departures
    assert '"name" is a required property' in departure
    assert "'title' was unexpected" in departure


def _generated(walk: Walk, method: str, path: str) -> Callable[[], None]:
    """Requests schemathesis makes up from the operation's parameters and body,
    each answer held against the document: a server error (500, documented nowhere)
    or an answer outside the contract is a departure."""
    client = TestClient(walk.api.app, raise_server_exceptions=False, headers=walk.api.headers)

    @given(case=walk.schema[path][method].as_strategy())
    @settings(
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Case) -> None:
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        body = {} if isinstance(case.body, NotSet) else {"json": case.body}
        response = client.request(method, path, params=case.query, headers=headers, **body)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as departure:
            walk.departures.append(f"{method.upper()} {path} {response.status_code}: {departure}")

    return check


def test_made_up_requests_get_answers_as_documented(walk: Walk) -> None:
    """Every operation that names nothing in its path, on an empty app (subscribing a
    webhook is left out: its receiver's name would be looked up in the DNS)."""
    operations = [
        (method, path)
        for path, ops in walk.document["paths"].items()
        for method in ops
        if "{" not in path and (method, path) != ("post", "/v1/webhooks")
    ]
    for method, path in operations:
        _generated(walk, method, path)()

    assert len(operations) > 30
    assert not walk.departures, "\n\n".join(walk.departures)


def _walk_returns(walk: Walk, path: dict[str, str]) -> None:
    """The delivered unit of line 1 returned under a policy that leaves returns to a
    person: authorised and withdrawn, then declined; then, approved by the policy,
    sent back by mail, received by its code, refunded by itself; SKU-2's, lost on
    its way back."""
    ret = {"lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    policy = walk("GET", "/v1/return-policy", 200)
    del policy["version"], policy["default"]
    walk("PUT", "/v1/return-policy", 200, json=policy | {"auto_approve": "false"})
    for key, action in (("ret-1", "authorise"), ("ret-2", "decline")):
        started = walk("POST", "/v1/orders/{order_id}/returns", 201, path, json=ret,
                       headers={"Idempotency-Key": key})  # fmt: skip
        rid = {"return_id": started["id"]}
        walk("POST", f"/v1/returns/{{return_id}}/{action}", 200, rid, json={})
        if action == "authorise":
            walk("POST", "/v1/returns/{return_id}/cancel", 200, rid, json={"reason": "kept"})
    walk("PUT", "/v1/return-policy", 200, json=policy)
    by_mail = ret | {"method": "mail"}
    started = walk("POST", "/v1/orders/{order_id}/returns", 201, path, json=by_mail,
                   headers={"Idempotency-Key": "ret-3"})  # fmt: skip
    rid = {"return_id": started["id"]}
    walk.work()  # its label booked
    walk("GET", "/v1/returns/{return_id}/label", 200, rid)
    walk("GET", "/v1/returns/{return_id}/code.svg", 200, rid)
    walk("GET", "/v1/orders/{order_id}/returns", 200, path)
    walk("GET", "/v1/returns", 200, params={"status": "authorised"})
    walk("GET", "/v1/returns/{return_id}", 200, rid)
    walk("GET", "/v1/returns/{return_id}/routing", 200, rid)
    walk("GET", "/v1/returns/{return_id}/exchanges", 200, rid)
    walk("POST", "/v1/returns/{return_id}/in-transit", 200, rid, json={})
    walk("GET", "/v1/return-codes/{code}", 200, {"code": started["code"]})
    opened = {"line_no": 1, "quantity": 1, "condition": "opened", "disposition": "restock"}
    got = {"location_id": "DC-BER", "code": started["code"], "lines": [opened]}
    walk("POST", "/v1/returns/{return_id}/receipts", 201, rid, json=got,
         headers={"Idempotency-Key": "rc-1"})  # fmt: skip
    walk("GET", "/v1/returns/{return_id}/receipts", 200, rid)
    walk("GET", "/v1/returns/{return_id}/refund-preview", 200, rid)
    walk("POST", "/v1/returns/{return_id}/refunds", 409, rid, headers={"Idempotency-Key": "rf"})
    walk.work()
    lost = {"lines": [{"line_no": 2, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    started = walk("POST", "/v1/orders/{order_id}/returns", 201, path, json=lost,
                   headers={"Idempotency-Key": "ret-4"})  # fmt: skip
    rid = {"return_id": started["id"]}
    walk("POST", "/v1/returns/{return_id}/in-transit", 200, rid, json={})
    walk("POST", "/v1/returns/{return_id}/close", 200, rid, json={"reason": "lost"})
