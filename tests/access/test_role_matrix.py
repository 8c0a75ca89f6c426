"""The whole access matrix: every operation of the OpenAPI document and every console
route, for every caller (no key; admin, agent; a channel key, unscoped and scoped
to `web`; a store key, unscoped and scoped to DC-BER), answers its expected class:

  * `401`: no key (no session, on the console: sent to sign in, `signin`);
  * `403`: the role may not, or the scope does not reach (DC-2, channel `app`);
  * `ok`:  past the guard (2xx, 3xx, or 404/409/422/429 on what was sent), never 5xx.

The expectations are tables here: a route without an entry fails the test, so a new
route cannot go out without someone deciding who may call it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import work
from tests.support.builders import (
    a_location_body,
    a_product_body,
    a_purchase_order_body,
    an_adjustment_body,
    an_order_body,
)

CALLERS = ["none", "admin", "agent", "channel", "channel@web", "store", "store@DC-BER"]
PASSWORD = "correct horse battery"

ALL = frozenset({"admin", "agent", "channel", "store"})
ADMIN = frozenset({"admin"})
AGENT = frozenset({"admin", "agent"})  # service, holds, reports, how the network is set up
SELLS = frozenset({"admin", "agent", "channel"})  # places and cancels orders
STOCK = frozenset({"admin", "agent", "store"})  # reads positions, movements, supply
STORE = frozenset({"admin", "store"})  # counts stock, serves orders


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()  # callers whose scope does not reach
    public: bool = False
    answer: str = "ok"  # what a public route answers what the test sends

    def expected(self, caller: str, none: str = "401") -> str:
        if self.public:
            return self.answer
        if caller == "none":
            return none
        if caller.split("@", maxsplit=1)[0] not in self.roles or caller in self.refused:
            return "403"
        return "ok"


PUBLIC = Rule(public=True)
OTHER_STORE = frozenset({"store@DC-BER"})  # the paths name DC-2

API: dict[str, Rule] = {
    "GET /v1/analytics/kpis": Rule(AGENT),
    "GET /v1/analytics/kpis.csv": Rule(AGENT),
    "GET /v1/availability": Rule(ALL),
    "GET /v1/availability-views": Rule(AGENT),
    "GET /v1/availability-views/{name}": Rule(AGENT),
    "PUT /v1/availability-views/{name}": Rule(ADMIN),
    "DELETE /v1/availability-views/{name}": Rule(ADMIN),
    "GET /v1/carrier-services": Rule(AGENT),
    "GET /v1/channels": Rule(ALL),  # a channel's settings: the most units a line may ask
    "GET /v1/channels/{name}": Rule(ALL),
    "PUT /v1/channels/{name}": Rule(ADMIN),
    "GET /v1/configuration-changes": Rule(ADMIN),
    "POST /v1/customer-data/exports": Rule(ADMIN),
    "GET /v1/customer-data/exports": Rule(ADMIN),
    "GET /v1/customer-data/erasures": Rule(ADMIN),
    "POST /v1/customer-data/erasures": Rule(ADMIN),
    "PUT /v1/carrier-services/{code}": Rule(ADMIN),
    "GET /v1/carrier-services/{code}": Rule(AGENT),
    "DELETE /v1/carrier-services/{code}": Rule(ADMIN),
    "GET /v1/exceptions": Rule(AGENT),
    "GET /v1/fulfillments": Rule(ALL),  # a store key's: its own store's queue, whatever asked
    "GET /v1/fulfillments/{fulfillment_id}": Rule(ALL),
    "GET /v1/fulfillments/{fulfillment_id}/customs": Rule(ALL),
    **{
        f"POST /v1/fulfillments/{{fulfillment_id}}/{step}": Rule(STORE)
        for step in (
            "accept",
            "delivered",
            "not-collected",
            "packed",
            "picked",
            "picked-up",
            "ready",
            "reject",
            "shipped",
        )
    },
    "GET /v1/hold-rules": Rule(AGENT),
    "PUT /v1/hold-rules/{name}": Rule(ADMIN),
    "DELETE /v1/hold-rules/{name}": Rule(ADMIN),
    "POST /v1/inventory/adjustments": Rule(STORE, OTHER_STORE),
    "POST /v1/inventory/counts": Rule(STORE, OTHER_STORE),
    "POST /v1/inventory/snapshots": Rule(STORE, OTHER_STORE),
    "PUT /v1/inventory/{location_id}/{sku}": Rule(STORE, OTHER_STORE),
    "GET /v1/inventory/{location_id}/{sku}": Rule(STOCK, OTHER_STORE),
    "GET /v1/inventory/{location_id}/{sku}/movements": Rule(STOCK, OTHER_STORE),
    "GET /v1/jobs/dead": Rule(ADMIN),
    "POST /v1/jobs/{job_id}/requeue": Rule(ADMIN),
    "GET /v1/keys": Rule(ADMIN),
    "POST /v1/keys": Rule(ADMIN),
    "DELETE /v1/keys/{key_id}": Rule(ADMIN),
    "GET /v1/locations": Rule(ALL),
    "PUT /v1/locations/{location_id}": Rule(ADMIN),
    "GET /v1/locations/{location_id}": Rule(ALL),
    "PUT /v1/locations/{location_id}/costs": Rule(ADMIN),
    "GET /v1/locations/{location_id}/costs": Rule(AGENT),
    "PUT /v1/locations/{location_id}/operations": Rule(ADMIN),
    "GET /v1/locations/{location_id}/operations": Rule(AGENT),
    "GET /v1/order-types": Rule(AGENT),
    "PUT /v1/order-types/{name}": Rule(ADMIN),
    "POST /v1/orders": Rule(SELLS, frozenset({"channel@web"})),  # an order of channel app
    "POST /v1/quotes": Rule(SELLS, frozenset({"channel@web"})),  # a cart of channel app
    "GET /v1/orders": Rule(ALL),
    "GET /v1/orders/{order_id}": Rule(ALL),
    "POST /v1/orders/{order_id}/cancel": Rule(SELLS),
    "POST /v1/orders/{order_id}/cancellations": Rule(SELLS),
    "POST /v1/orders/{order_id}/deliveries": Rule(STORE),
    "POST /v1/orders/{order_id}/holds": Rule(AGENT),
    "POST /v1/orders/{order_id}/holds/{hold_id}/cancel": Rule(AGENT),
    "POST /v1/orders/{order_id}/holds/{hold_id}/release": Rule(AGENT),
    "POST /v1/orders/{order_id}/notes": Rule(AGENT),
    "POST /v1/orders/{order_id}/notifications": Rule(AGENT),
    "POST /v1/orders/{order_id}/refunds": Rule(ADMIN),  # past the appeasement limits
    "POST /v1/orders/{order_id}/appeasements": Rule(AGENT),
    "GET /v1/orders/{order_id}/appeasements": Rule(ALL),
    "GET /v1/orders/{order_id}/refunds": Rule(ALL),
    "POST /v1/orders/{order_id}/returns": Rule(ALL),
    "GET /v1/orders/{order_id}/returns": Rule(ALL),
    "GET /v1/returns": Rule(ALL),
    "GET /v1/returns/{return_id}": Rule(ALL),
    "GET /v1/returns/{return_id}/routing": Rule(ALL),
    "GET /v1/returns/{return_id}/exchanges": Rule(ALL),
    "GET /v1/returns/{return_id}/label": Rule(ALL),
    "POST /v1/returns/{return_id}/receipts": Rule(STOCK),
    "GET /v1/returns/{return_id}/receipts": Rule(ALL),
    "GET /v1/return-codes/{code}": Rule(ALL),
    "GET /v1/returns/{return_id}/refund-preview": Rule(ALL),
    "POST /v1/returns/{return_id}/refunds": Rule(AGENT),
    "GET /v1/returns/{return_id}/code.svg": Rule(ALL),
    "POST /v1/returns/{return_id}/authorise": Rule(AGENT),
    "POST /v1/returns/{return_id}/decline": Rule(AGENT),
    "POST /v1/returns/{return_id}/cancel": Rule(ALL),
    "POST /v1/returns/{return_id}/in-transit": Rule(AGENT),
    "POST /v1/returns/{return_id}/close": Rule(AGENT),
    "GET /v1/return-policy": Rule(AGENT),
    "PUT /v1/return-policy": Rule(ADMIN),
    "GET /v1/orders/{order_id}/invoices": Rule(ALL),
    "GET /v1/invoices/{bill_id}": Rule(ALL),
    "POST /v1/gift-cards": Rule(AGENT),
    "GET /v1/gift-cards/{code}": Rule(SELLS),
    "POST /v1/store-credit": Rule(AGENT),
    "GET /v1/store-credit": Rule(AGENT),
    "PUT /v1/credit-accounts/{account}": Rule(ADMIN),
    "GET /v1/credit-accounts/{account}": Rule(AGENT),
    "POST /v1/credit-accounts/{account}/payments": Rule(AGENT),
    "POST /v1/orders/{order_id}/rejections": Rule(STORE),
    "GET /v1/orders/{order_id}/self-service-link": Rule(AGENT),
    "GET /v1/orders/{order_id}/sourcing": Rule(ALL),
    "GET /v1/orders/{order_id}/timeline": Rule(ALL),
    "PUT /v1/products/{sku}": Rule(ADMIN),
    "GET /v1/products": Rule(ALL),
    "GET /v1/products/{sku}": Rule(ALL),
    "GET /v1/products/{sku}/promise": Rule(ALL),
    "GET /v1/promise-performance": Rule(AGENT),
    "POST /v1/promises": Rule(ALL),
    "GET /v1/rate-cards": Rule(AGENT),
    "PUT /v1/rate-cards/{service}": Rule(ADMIN),
    "GET /v1/rate-cards/{service}": Rule(AGENT),
    "DELETE /v1/rate-cards/{service}": Rule(ADMIN),
    "GET /v1/self-service-policy": Rule(AGENT),
    "PUT /v1/self-service-policy": Rule(ADMIN),
    "GET /v1/tax-settings": Rule(AGENT),
    "PUT /v1/tax-settings": Rule(ADMIN),
    "GET /v1/tax-rates": Rule(AGENT),
    "PUT /v1/promotions/{promotion_id}": Rule(ADMIN),
    "GET /v1/promotions/{promotion_id}": Rule(AGENT),
    "GET /v1/promotions": Rule(AGENT),
    "POST /v1/self-service/lookup": PUBLIC,
    "GET /v1/self-service/orders/{token}": PUBLIC,
    "POST /v1/self-service/orders/{token}/address": PUBLIC,
    "POST /v1/self-service/orders/{token}/cancellations": PUBLIC,
    "POST /v1/self-service/orders/{token}/returns": PUBLIC,
    "POST /v1/self-service/orders/{token}/pickup": PUBLIC,
    "GET /v1/self-service/orders/{token}/pickup-stores": PUBLIC,
    "GET /v1/sourcing-profiles": Rule(AGENT),
    "PUT /v1/sourcing-profiles/{name}": Rule(ADMIN),
    "GET /v1/sourcing-profiles/{name}": Rule(AGENT),
    "DELETE /v1/sourcing-profiles/{name}": Rule(ADMIN),
    "GET /v1/sourcing-profiles/{name}/versions": Rule(AGENT),
    "GET /v1/sourcing-profiles/{name}/versions/{version}": Rule(AGENT),
    "POST /v1/supply": Rule(ADMIN),
    "GET /v1/supply": Rule(STOCK, OTHER_STORE),
    "GET /v1/supply/{supply_id}": Rule(STOCK, OTHER_STORE),
    "PATCH /v1/supply/{supply_id}": Rule(ADMIN),
    "POST /v1/supply/{supply_id}/cancel": Rule(ADMIN),
    "POST /v1/supply/{supply_id}/receipts": Rule(STORE, OTHER_STORE),
    "GET /v1/webhooks": Rule(ADMIN),
    "POST /v1/webhooks": Rule(ADMIN),
    "DELETE /v1/webhooks/{webhook_id}": Rule(ADMIN),
    "GET /v1/webhooks/{webhook_id}/deliveries": Rule(ADMIN),
}

# What a request sends where it matters: the scope's checks need a request that
# passes validation; the rest may be refused for what they send (still `ok`).
QUERY = {
    "GET /v1/fulfillments": {"location_id": "DC-2"},
    "GET /v1/supply": {"location_id": "DC-2"},
    "GET /v1/availability": {"skus": "SKU-1"},
    "GET /v1/products/{sku}/promise": {"country": "DE"},
    "GET /v1/analytics/kpis": {"from": "2026-11-01", "to": "2026-11-30"},
    "GET /v1/analytics/kpis.csv": {"from": "2026-11-01", "to": "2026-11-30"},
}
BODY: dict[str, Any] = {
    "PUT /v1/inventory/{location_id}/{sku}": {"on_hand": 7},
    "POST /v1/inventory/counts": {
        "counts": [{"location_id": "DC-2", "sku": "SKU-3", "on_hand": 11}]
    },
    "POST /v1/inventory/snapshots": {
        "location_id": "DC-2",
        "counted_at": "2026-11-02T09:00:00Z",
        "positions": [{"sku": "SKU-3", "on_hand": 12}],
    },
    "POST /v1/inventory/adjustments": {
        "adjustments": [an_adjustment_body("E-M", 3, location_id="DC-2", sku="SKU-3")]
    },
    "POST /v1/supply/{supply_id}/receipts": {
        "receipt_id": "GRN-M",
        "lines": [{"sku": "SKU-3", "quantity": 1}],
    },
    "POST /v1/orders": an_order_body(("SKU-1", 1), channel="app", external_id="A-M"),
    "POST /v1/quotes": {
        "channel": "app",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "ship_to": {"country": "DE"},
    },
}


@dataclass
class Scene:
    api: TestClient
    params: dict[str, str] = field(default_factory=dict)
    bearer: dict[str, str] = field(default_factory=dict)  # caller -> key


@pytest.fixture
def scene(api: TestClient, clock: Clock) -> Scene:
    """DC-BER (SKU-1) and DC-2 (SKU-3); purchase orders PO-1 to DC-BER and PO-2 to
    DC-2; an order of channel web from DC-BER, its customer's link; a key per caller;
    console users ada (agent) and sam (store at DC-BER)."""
    for location_id in ("DC-BER", "DC-2"):
        assert api.put(f"/v1/locations/{location_id}", json=a_location_body()).status_code == 201
    for location_id, sku in (("DC-BER", "SKU-1"), ("DC-2", "SKU-3")):
        assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201
        assert (
            api.put(f"/v1/inventory/{location_id}/{sku}", json={"on_hand": 50}).status_code == 201
        )
    for supply_id, location_id, sku in (("PO-1", "DC-BER", "SKU-1"), ("PO-2", "DC-2", "SKU-3")):
        po = a_purchase_order_body(
            id=supply_id, location_id=location_id, lines=[{"sku": sku, "quantity": 9}]
        )
        assert api.post("/v1/supply", json=po).status_code == 201
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1)))
    assert order.status_code == 201, order.text
    found = api.post(
        "/v1/self-service/lookup", json={"number": "W-1001", "email": "ada@example.com"}
    )
    uow = api.app.state.uow  # type: ignore[attr-defined]
    keys = {
        "admin": ADMIN_KEY,
        "agent": create_key(Role.AGENT, "agent", uow(), clock()),
        "channel": create_key(Role.CHANNEL, "channel", uow(), clock()),
        "channel@web": create_key(Role.CHANNEL, "web", uow(), clock(), channel="web"),
        "store": create_key(Role.STORE, "store", uow(), clock()),
        "store@DC-BER": create_key(Role.STORE, "ber", uow(), clock(), location_id="DC-BER"),
    }
    create_user("ada", PASSWORD, Role.AGENT, uow(), clock())
    create_user("sam", PASSWORD, Role.STORE, uow(), clock(), "DC-BER")
    params = {
        "location_id": "DC-2",
        "sku": "SKU-3",
        "order_id": order.json()["id"],
        "supply_id": "PO-2",
        "token": found.json()["token"],
        "name": "web",
        "code": "dhl",
        "service": "dhl",
        "version": "1",
        "fulfillment_id": "NO-SUCH-FO",
        "bill_id": "NO-SUCH-BILL",
        "hold_id": "NO-SUCH-HOLD",
        "job_id": "NO-SUCH-JOB",
        "key_id": "NO-SUCH-KEY",
        "webhook_id": "NO-SUCH-HOOK",
        "promotion_id": "spring",
        "username": "nobody",
        "action": "release",
        "account": "ACME-42",
        "return_id": "NO-SUCH-RETURN",
    }
    return Scene(api, params, keys)


def _class(response: Any) -> str:
    assert response.status_code < 500, response.text
    if response.status_code in (401, 403):
        return str(response.status_code)
    location = response.headers.get("location", "")
    if response.status_code == 303 and location.startswith("/console/sign-in?next="):
        return "signin"
    return "ok"


def test_every_operation_of_the_api_has_an_entry(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    operations = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }

    assert sorted(operations - set(API)) == []  # a new operation: who may call it?
    assert sorted(set(API) - operations) == []


@pytest.mark.parametrize("caller", CALLERS)
def test_every_api_operation_answers_each_caller_as_its_role_and_scope_allow(
    scene: Scene, caller: str
) -> None:
    headers = {"Authorization": f"Bearer {scene.bearer[caller]}"} if caller != "none" else {}
    client = TestClient(scene.api.app)

    found = {
        operation: _class(
            client.request(
                operation.split()[0],
                operation.split()[1].format(**scene.params),
                params=QUERY.get(operation),
                json=BODY.get(operation, {}),
                headers=headers,
            )
        )
        for operation in sorted(API)
    }

    assert found == {operation: API[operation].expected(caller) for operation in sorted(API)}


# The console and the customer's page: who may open each page and send each form.

CONSOLE: dict[str, Rule] = {
    "GET /console": Rule(ALL),  # a redirect to where the role starts
    "GET /console/sign-in": PUBLIC,
    "POST /console/sign-in": Rule(public=True, answer="401"),  # no password: no match
    "POST /console/sign-out": PUBLIC,
    "GET /console/orders": Rule(ALL),
    "GET /console/orders/{order_id}": Rule(ALL),
    "GET /console/invoices/{bill_id}": Rule(ALL),
    "POST /console/orders/{order_id}/cancellations": Rule(SELLS),
    "POST /console/orders/{order_id}/holds/{hold_id}/{action}": Rule(AGENT),
    "POST /console/orders/{order_id}/notes": Rule(AGENT),
    "POST /console/orders/{order_id}/notifications": Rule(AGENT),
    "POST /console/orders/{order_id}/reroute": Rule(AGENT),
    "POST /console/orders/{order_id}/address": Rule(AGENT),
    "GET /console/orders/{order_id}/pickup": Rule(AGENT),
    "POST /console/orders/{order_id}/pickup": Rule(AGENT),
    "POST /console/orders/{order_id}/appeasements": Rule(AGENT),  # the role's limit applies
    "GET /console/returns": Rule(AGENT),
    "GET /console/returns/{return_id}": Rule(AGENT),
    "POST /console/returns/{return_id}/refund": Rule(AGENT),
    "POST /console/returns/{return_id}/{action}": Rule(AGENT),
    "GET /console/store/returns": Rule(STOCK),  # any store receives a return by its code
    "POST /console/store/returns": Rule(STOCK),
    "POST /console/store/returns/orders/{order_id}/lines": Rule(ALL),  # with the e-mail
    "POST /console/store/returns/orders/{order_id}": Rule(ALL),
    "GET /console/store/returns/{code}": Rule(STOCK),
    "POST /console/store/returns/{code}/receipts": Rule(STOCK),
    "GET /console/store": Rule(ALL),
    "POST /console/store/fulfillments/{fulfillment_id}/{action}": Rule(STORE),
    "GET /console/inventory": Rule(STOCK),
    "GET /console/inventory/{location_id}/{sku}": Rule(STOCK, OTHER_STORE),
    "GET /console/dashboard": Rule(AGENT),
    "GET /console/dashboard.csv": Rule(AGENT),
    "GET /console/exceptions": Rule(AGENT),
    "POST /console/exceptions/jobs/{job_id}/requeue": Rule(ADMIN),
    "POST /console/exceptions/webhooks/{webhook_id}/retry": Rule(ADMIN),
    "GET /console/configuration": Rule(ADMIN),
    "GET /console/access": Rule(ADMIN),
    "POST /console/access/users/{username}/end-sessions": Rule(ADMIN),
    "POST /console/access/users/{username}/disable": Rule(ADMIN),
    "POST /console/access/keys/{key_id}/end-sessions": Rule(ADMIN),
    "POST /console/access/keys/{key_id}/revoke": Rule(ADMIN),
    "GET /my-order": PUBLIC,
    "POST /my-order": PUBLIC,
    "GET /my-order/{token}": PUBLIC,
    "POST /my-order/{token}/cancel": PUBLIC,
    "POST /my-order/{token}/address": PUBLIC,
    "GET /my-order/{token}/pickup": PUBLIC,
    "POST /my-order/{token}/pickup": PUBLIC,
    "GET /my-order/{token}/return": PUBLIC,
    "POST /my-order/{token}/return": PUBLIC,
}
QUERY |= {"GET /console/dashboard.csv": {"from": "2026-11-01", "to": "2026-11-30"}}
LAST = "POST /console/sign-out"  # it ends the caller's session


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, those of included routers too (FastAPI keeps them apart)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _routes(included.routes) if included is not None else [route]


def _pages(api: TestClient) -> set[str]:
    """Every route of the console and the customer's page (the static files aside)."""
    return {
        f"{method} {route.path}"
        for route in _routes(api.app.routes)  # type: ignore[attr-defined]
        if getattr(route, "path", "").startswith(("/console", "/my-order"))
        for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD"})
    }


def test_every_console_route_has_an_entry(api: TestClient) -> None:
    pages = _pages(api)

    assert sorted(pages - set(CONSOLE)) == []  # a new page or form: who may use it?
    assert sorted(set(CONSOLE) - pages) == []


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/sign-in").text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def signed_in(scene: Scene) -> Iterator[dict[str, tuple[TestClient, str]]]:
    """A browser per caller, signed in (a key's or a user's session), with its
    session's CSRF token: agent is the user ada, store@DC-BER the user sam."""
    forms = {
        "admin": {"password": ADMIN_KEY},
        "agent": {"username": "ada", "password": PASSWORD},
        "channel": {"password": scene.bearer["channel"]},
        "channel@web": {"password": scene.bearer["channel@web"]},
        "store": {"password": scene.bearer["store"]},
        "store@DC-BER": {"username": "sam", "password": PASSWORD},
    }
    browsers = {}
    for caller in CALLERS:
        client = TestClient(scene.api.app)
        if caller != "none":
            form = forms[caller] | {"csrf": _csrf(client)}
            signing = client.post("/console/sign-in", data=form, follow_redirects=False)
            assert signing.status_code == 303, signing.text
        browsers[caller] = (client, _csrf(client))  # a new session has a new token
    yield browsers
    for client, _ in browsers.values():
        client.close()


@pytest.mark.parametrize("caller", CALLERS)
def test_every_console_route_answers_each_caller_as_its_role_and_scope_allow(
    scene: Scene, signed_in: dict[str, tuple[TestClient, str]], caller: str
) -> None:
    client, csrf = signed_in[caller]

    found = {
        route: _class(
            client.request(
                route.split()[0],
                route.split()[1].format(**scene.params),
                params=QUERY.get(route),
                data={"csrf": csrf} if route.startswith("POST") else None,
                follow_redirects=False,
            )
        )
        for route in [*sorted(set(CONSOLE) - {LAST}), LAST]
    }

    assert found == {
        route: CONSOLE[route].expected(caller, none="signin") for route in sorted(CONSOLE)
    }


def test_a_store_key_reads_its_own_locations_stock_and_supply_and_no_other(scene: Scene) -> None:
    ber = {"Authorization": f"Bearer {scene.bearer['store@DC-BER']}"}
    api = scene.api

    own = api.get("/v1/inventory/DC-BER/SKU-1", headers=ber)
    moves = api.get("/v1/inventory/DC-BER/SKU-1/movements", headers=ber)
    listed = api.get("/v1/supply", headers=ber)
    po = api.get("/v1/supply/PO-1", headers=ber)
    other = api.get("/v1/inventory/DC-2/SKU-3", headers=ber)

    assert (own.status_code, own.json()["on_hand"]) == (200, 50)
    assert moves.status_code == 200 and moves.json()["items"][0]["kind"] == "count"
    assert [s["id"] for s in listed.json()["items"]] == ["PO-1"]
    assert po.status_code == 200
    assert other.json()["detail"] == "this key is for DC-BER only, not DC-2"


def test_a_store_associate_sees_a_sku_at_their_own_store_only_on_the_console(
    scene: Scene, signed_in: dict[str, tuple[TestClient, str]]
) -> None:
    sam, _ = signed_in["store@DC-BER"]
    admin, _ = signed_in["admin"]

    theirs = (
        sam.get("/console/inventory?sku=SKU-1").text + sam.get("/console/inventory?sku=SKU-3").text
    )
    everyone = admin.get("/console/inventory?sku=SKU-3").text

    assert 'href="/console/inventory/DC-BER/SKU-1"' in theirs
    assert "DC-2" not in theirs and "PO-2" not in theirs
    assert 'href="/console/inventory/DC-2/SKU-3"' in everyone and "PO-2" in everyone


# Callers scoped elsewhere: a channel key of another channel (`app`: the order is
# `web`'s) and a store key of another store (DC-2: the order and its fulfillment
# order are DC-BER's). Every operation that names an order or a fulfillment order is
# denied them: 404 (what is outside a key's scope does not exist for it) or 403 (the
# role may not, or the body names what its scope does not reach).
ELSEWHERE = ("channel@app", "store@DC-2")
# Valid bodies: a denial must not hide behind a 422.
OTHER_BODY: dict[str, Any] = {
    "POST /v1/orders/{order_id}/cancellations": {"lines": [{"line_no": 1, "quantity": 1}]},
    "POST /v1/orders/{order_id}/deliveries": {"delivered_at": "2026-11-02T12:00:00+00:00"},
    "POST /v1/orders/{order_id}/holds": {"reason": "a look"},
    "POST /v1/orders/{order_id}/notes": {"note": "not mine"},
    "POST /v1/orders/{order_id}/refunds": {"amount": "1.00", "currency": "EUR", "reason": "x"},
    "POST /v1/orders/{order_id}/appeasements": {"amount": "1.00", "currency": "EUR", "reason": "x"},
    "POST /v1/orders/{order_id}/returns": {
        "lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}],
        "method": "store",
    },
    "POST /v1/orders/{order_id}/rejections": {"location_id": "DC-BER", "reason": "damaged"},
    "POST /v1/fulfillments/{fulfillment_id}/reject": {"reason": "damaged"},
    "POST /v1/fulfillments/{fulfillment_id}/shipped": {"carrier": "dhl", "tracking_number": "T"},
    "POST /v1/fulfillments/{fulfillment_id}/delivered": {
        "delivered_at": "2026-11-02T12:00:00+00:00"
    },
    "POST /v1/fulfillments/{fulfillment_id}/picked-up": {"code": "123456"},
}
# The same, for a store's key asking for a location not its own (DC-2 for DC-BER's).
OTHER_LOCATION = sorted(op for op, rule in API.items() if rule.refused == OTHER_STORE)


def _books(api: TestClient, order_id: str) -> dict[str, Any]:
    """What a denied call must leave as it was, read by the admin: the order (its
    lines, fulfillment orders, holds, status), its history, refunds and deliveries
    measured, every position, movement and purchase order."""
    at = [("DC-BER", "SKU-1"), ("DC-2", "SKU-3")]
    return {
        "order": api.get(f"/v1/orders/{order_id}").json(),
        "timeline": api.get(f"/v1/orders/{order_id}/timeline").json(),
        "refunds": api.get(f"/v1/orders/{order_id}/refunds").json(),
        "deliveries": api.get(
            "/v1/promise-performance", params={"from": "2026-11-01", "to": "2026-11-30"}
        ).json(),
        "positions": [api.get(f"/v1/inventory/{loc}/{sku}").json() for loc, sku in at],
        "movements": [api.get(f"/v1/inventory/{loc}/{sku}/movements").json() for loc, sku in at],
        "supply": api.get("/v1/supply").json(),
    }


@pytest.fixture
def released(scene: Scene, clock: Clock) -> Scene:
    """The scene's order released: a fulfillment order at DC-BER; keys for channel
    app and the store DC-2."""
    work(scene.api, clock)
    [fo] = scene.api.get(f"/v1/orders/{scene.params['order_id']}").json()["fulfillments"]
    assert fo["location_id"] == "DC-BER"
    uow = scene.api.app.state.uow  # type: ignore[attr-defined]
    scene.bearer |= {
        "channel@app": create_key(Role.CHANNEL, "app", uow(), clock(), channel="app"),
        "store@DC-2": create_key(Role.STORE, "dc2", uow(), clock(), location_id="DC-2"),
    }
    scene.params |= {"fulfillment_id": fo["id"]}
    return scene


def _denials(scene: Scene, caller: str, operations: list[str]) -> dict[str, int]:
    headers = {"Authorization": f"Bearer {scene.bearer[caller]}"}
    client = TestClient(scene.api.app)
    return {
        operation: client.request(
            operation.split()[0],
            operation.split()[1].format(**scene.params),
            params=QUERY.get(operation),
            json=OTHER_BODY.get(operation, BODY.get(operation, {})),
            headers=headers | {"Idempotency-Key": "elsewhere"},
        ).status_code
        for operation in operations
    }


@pytest.mark.parametrize("caller", ELSEWHERE)
def test_a_caller_scoped_elsewhere_is_denied_every_operation_on_the_order_and_changes_nothing(
    released: Scene, caller: str
) -> None:
    api, order_id = released.api, released.params["order_id"]
    operations = sorted(op for op in API if "{order_id}" in op or "{fulfillment_id}" in op)
    before = _books(api, order_id)

    found = _denials(released, caller, operations)

    assert len(operations) == 31
    assert {op: status for op, status in found.items() if status not in (403, 404)} == {}
    assert _books(api, order_id) == before


def test_a_store_key_is_denied_another_locations_stock_and_supply(released: Scene) -> None:
    api, order_id = released.api, released.params["order_id"]
    before = _books(api, order_id)

    found = _denials(released, "store@DC-BER", OTHER_LOCATION)
    other = {"Authorization": f"Bearer {released.bearer['store@DC-2']}"}
    queue = api.get("/v1/fulfillments", params={"location_id": "DC-BER"}, headers=other)

    assert len(OTHER_LOCATION) == 9
    assert set(found.values()) == {403}, found
    assert queue.json()["items"] == []  # its own store's queue, whatever it asked
    assert _books(api, order_id) == before


def test_a_channel_key_of_another_channel_neither_sells_nor_reads_through_this_one(
    released: Scene,
) -> None:
    """A channel's key acts for its channel: it places no order of another, lists
    none of another's, reads no other channel's view, and sees no other's work."""
    api = released.api
    app = {"Authorization": f"Bearer {released.bearer['channel@app']}"}
    web_view = {"channels": ["web"], "locations": {"include": ["DC-BER"]}}
    assert api.put("/v1/availability-views/shop", json=web_view).status_code == 201
    before = _books(api, released.params["order_id"])
    cart = {"lines": [{"sku": "SKU-1", "quantity": 1}], "destination": {"country": "DE"}}

    web_order = an_order_body(("SKU-1", 1), external_id="W-OTHER")
    answers = {
        "place for web": api.post("/v1/orders", json=web_order, headers=app).status_code,
        "list web's": api.get("/v1/orders", params={"channel": "web"}, headers=app).status_code,
        "web's view": api.get(
            "/v1/availability", params={"skus": "SKU-1", "channel": "web"}, headers=app
        ).status_code,
        "web's products": api.get(
            "/v1/products", params={"channel": "web"}, headers=app
        ).status_code,
        "web's view by name": api.get(
            "/v1/availability", params={"skus": "SKU-1", "view": "shop"}, headers=app
        ).status_code,
        "products by web's view": api.get(
            "/v1/products", params={"view": "shop"}, headers=app
        ).status_code,
        "web's promise": api.post(
            "/v1/promises", json=cart | {"channel": "web"}, headers=app
        ).status_code,
        "promise by web's view": api.post(
            "/v1/promises", json=cart | {"view": "shop"}, headers=app
        ).status_code,
        "web's product promise": api.get(
            "/v1/products/SKU-1/promise", params={"country": "DE", "channel": "web"}, headers=app
        ).status_code,
    }
    own = api.get("/v1/availability", params={"skus": "SKU-1", "view": "default"}, headers=app)
    promised = api.post("/v1/promises", json=cart, headers=app)
    listed = api.get("/v1/orders", headers=app).json()["items"]
    queue = api.get("/v1/fulfillments", params={"location_id": "DC-BER"}, headers=app).json()

    assert answers == dict.fromkeys(answers, 403)
    assert (own.status_code, own.json()["view"]) == (200, "default")  # app's own view
    assert promised.status_code == 200
    assert (listed, queue["items"]) == ([], [])
    assert _books(api, released.params["order_id"]) == before


@pytest.mark.parametrize("caller", ELSEWHERE)
def test_on_the_console_a_caller_scoped_elsewhere_is_denied_the_order_and_changes_nothing(
    released: Scene, caller: str
) -> None:
    api, order_id = released.api, released.params["order_id"]
    client = TestClient(api.app)
    form = {"password": released.bearer[caller], "csrf": _csrf(client)}
    assert client.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    csrf = _csrf(client)
    routes = sorted(r for r in CONSOLE if "{order_id}" in r or "{fulfillment_id}" in r)
    actions = {"action": "accept"}
    before = _books(api, order_id)

    found = {
        route: client.request(
            route.split()[0],
            route.split()[1].format(**(released.params | actions)),
            data={"csrf": csrf} if route.startswith("POST") else None,
            follow_redirects=False,
        ).status_code
        for route in routes
    }

    # The store's form answers what it could not do on the store's own page (422).
    store_form = "POST /console/store/fulfillments/{fulfillment_id}/{action}"
    denied = {route: (403, 404, 422) if route == store_form else (403, 404) for route in routes}
    assert len(routes) == 13
    assert {route: status for route, status in found.items() if status not in denied[route]} == {}
    assert _books(api, order_id) == before
