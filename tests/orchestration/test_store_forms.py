"""The store associate's queue and the console's frame over HTTP, without a
browser: what a card tells the associate (order number, customer, products), a
rejection asked to be confirmed first (no script needed), where each role lands
after signing in and which menu entries it is shown (only the pages it may open)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import work
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    a_product_body,
    an_operations_body,
    an_order_body,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def console(api: TestClient, clock: Clock) -> TestClient:
    """A pickup order (W-1001, Ada Lovelace, 2 rain jackets) released to the Hamburg
    store, whose associate is sam; a client with no API key, as a person's browser."""
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    stocked = api.put("/v1/inventory/ST-HAM/SKU-1", json={"on_hand": 5, "safety_stock": 0})
    assert stocked.status_code == 201
    body = an_order_body(("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"})
    assert api.post("/v1/orders", json=body).status_code == 201
    work(api, clock)
    uow = api.app.state.uow  # type: ignore[attr-defined]
    create_user("sam", PASSWORD, Role.STORE, uow(), clock(), "ST-HAM")
    create_user("ada", PASSWORD, Role.AGENT, uow(), clock())
    api.headers.pop("Authorization")
    return api


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, **form: str) -> Any:
    form["csrf"] = _csrf(client, "/console/sign-in")
    return client.post("/console/sign-in", data=form, follow_redirects=False)


def _fulfillment(client: TestClient) -> dict[str, Any]:
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    [order] = client.get("/v1/orders", headers=admin).json()["items"]
    [fo] = order["fulfillments"]
    fo["order_id"] = order["id"]
    return dict(fo)


def test_a_card_of_the_queue_names_the_order_the_customer_and_the_products(
    console: TestClient,
) -> None:
    _sign_in(console, username="sam", password=PASSWORD)

    page = console.get("/console/store").text

    card = page[page.index('class="card-fo') :]
    assert "W-1001" in card
    assert "Ada Lovelace" in card
    assert "2 \N{MULTIPLICATION SIGN} Rain jacket" in card
    assert "SKU-1" in card  # what the shelf label says, under the name
    api = console.get(
        "/v1/fulfillments?location_id=ST-HAM", headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    [item] = api.json()["items"]
    assert (item["order_number"], item["customer_name"]) == ("W-1001", "Ada Lovelace")
    assert item["lines"] == [{"line_no": 1, "sku": "SKU-1", "name": "Rain jacket", "quantity": 2}]


def test_a_rejection_is_asked_to_be_confirmed_and_only_then_done(console: TestClient) -> None:
    _sign_in(console, username="sam", password=PASSWORD)
    fo = _fulfillment(console)
    csrf = _csrf(console, "/console/store")
    action = f"/console/store/fulfillments/{fo['id']}/reject"

    asked = console.post(action, data={"csrf": csrf, "reason": "damaged"})

    assert asked.status_code == 200
    assert "Reject W-1001?" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assert 'href="/console/store?location=ST-HAM"' in asked.text  # keep it: back, nothing done
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    after_asking = console.get(f"/v1/orders/{fo['order_id']}", headers=admin).json()
    assert [f["status"] for f in after_asking["fulfillments"]] == ["released"]

    done = console.post(action, data={"csrf": csrf, "reason": "damaged", "confirmed": "1"})

    assert done.status_code == 200  # the queue again, after the redirect
    rejected = console.get(f"/v1/orders/{fo['order_id']}", headers=admin).json()
    assert [(f["status"], f["reason"]) for f in rejected["fulfillments"]] == [
        ("rejected", "damaged")
    ]


def test_a_store_associate_lands_on_the_queue_and_others_on_the_orders(
    console: TestClient,
) -> None:
    store = _sign_in(console, username="sam", password=PASSWORD)
    landed = console.get(store.headers["location"], follow_redirects=False)
    agent_client = TestClient(console.app)
    agent = _sign_in(agent_client, username="ada", password=PASSWORD)
    agent_landed = agent_client.get(agent.headers["location"], follow_redirects=False)

    assert (store.status_code, landed.headers["location"]) == (303, "/console/store")
    assert agent_landed.headers["location"] == "/console/orders"
    asked = TestClient(console.app)
    asked.get("/console/inventory")  # sent to sign in, to come back here
    back = _sign_in(asked, username="sam", password=PASSWORD, next="/console/inventory")
    assert back.headers["location"] == "/console/inventory"


MENU = re.compile(r'<nav aria-label="Console">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="(/console/[a-z]+)"')
EVERY_PAGE = [
    "/console/orders",
    "/console/returns",
    "/console/inventory",
    "/console/store",
    "/console/dashboard",
    "/console/exceptions",
    "/console/configuration",
    "/console/access",
]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.ADMIN, EVERY_PAGE),
        (Role.AGENT, EVERY_PAGE[:-2]),
        (Role.STORE, ["/console/orders", "/console/inventory", "/console/store"]),
        (Role.CHANNEL, ["/console/orders", "/console/store"]),
    ],
)
def test_the_menu_shows_each_role_only_the_pages_it_may_open(
    console: TestClient,
    key_for: Callable[[Role], str],
    clock: Clock,
    role: Role,
    shown: list[str],
) -> None:
    uow = console.app.state.uow  # type: ignore[attr-defined]
    key = create_key(
        role,
        "test",
        uow(),
        clock(),
        "web" if role is Role.CHANNEL else None,
        "ST-HAM" if role is Role.STORE else None,
    )
    assert _sign_in(console, password=key).status_code == 303

    menu = MENU.search(console.get("/console/orders").text)

    assert menu is not None
    assert LINK.findall(menu.group(1)) == shown
    statuses = {path: console.get(path).status_code for path in EVERY_PAGE}
    assert statuses == {path: 200 if path in shown else 403 for path in EVERY_PAGE}


# A parcel shipped to a store: the warehouse ships it, the store says it arrived.


@pytest.fixture
def to_store(console: TestClient, clock: Clock) -> dict[str, Any]:
    """A ship-to-store order (W-2001, Grace Hopper, 1 rain jacket) shipped by DC-BER
    to the Hamburg store with DHL; max works at the Munich store, dora at DC-BER."""
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    network(console, admin)
    body = an_order_body(
        ("SKU-2", 1),
        external_id="W-2001",
        customer={"email": "grace@example.com", "name": "Grace Hopper"},
        promise={"option_id": "ship_to_store:ST-HAM"},
    )
    placed = console.post("/v1/orders", json=body, headers=admin)
    assert placed.status_code == 201, placed.text
    work(console, clock)
    [parcel] = _order(console, placed.json()["id"])["fulfillments"]
    assert (parcel["location_id"], parcel["store_id"]) == ("DC-BER", "ST-HAM")
    shipped = {"carrier": "DHL", "tracking_number": "JJD0001"}
    response = console.post(f"/v1/fulfillments/{parcel['id']}/shipped", json=shipped, headers=admin)
    assert response.status_code == 200, response.text
    uow = console.app.state.uow  # type: ignore[attr-defined]
    create_user("max", PASSWORD, Role.STORE, uow(), clock(), "ST-MUC")
    create_user("dora", PASSWORD, Role.STORE, uow(), clock(), "DC-BER")
    return parcel | {"order_id": placed.json()["id"]}


def network(client: TestClient, admin: dict[str, str]) -> None:
    """DC-BER (works weekdays, ships with DHL, 10 of SKU-2) and the Munich store."""
    for location_id, body in (
        ("DC-BER", a_location_body()),
        ("ST-MUC", a_location_body(name="Munich store", type="store", ships=False, pickup=True)),
    ):
        assert client.put(f"/v1/locations/{location_id}", json=body, headers=admin).is_success
    operations = client.put(
        "/v1/locations/DC-BER/operations", json=an_operations_body(), headers=admin
    )
    assert operations.status_code == 201, operations.text
    service = a_carrier_service_body()
    assert client.put("/v1/carrier-services/dhl-standard", json=service, headers=admin).is_success
    product = client.put("/v1/products/SKU-2", json=a_product_body(name="Wool hat"), headers=admin)
    assert product.status_code == 201
    stocked = {"on_hand": 10, "safety_stock": 0}
    assert client.put("/v1/inventory/DC-BER/SKU-2", json=stocked, headers=admin).is_success


def _order(client: TestClient, order_id: str) -> dict[str, Any]:
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    found: dict[str, Any] = client.get(f"/v1/orders/{order_id}", headers=admin).json()
    return found


def _section(page: str, name: str) -> str:
    start = page.index(f'aria-labelledby="h-{name}"')
    return page[start : page.index("</section>", start)]


def test_a_store_sees_a_parcel_arriving_and_says_it_is_ready_for_pickup(
    console: TestClient, to_store: dict[str, Any]
) -> None:
    _sign_in(console, username="sam", password=PASSWORD)

    arriving = _section(console.get("/console/store").text, "arriving")

    assert "Arriving (1)" in arriving
    assert "W-2001" in arriving and "Grace Hopper" in arriving
    assert "1 \N{MULTIPLICATION SIGN} Wool hat" in arriving
    assert "DHL" in arriving and "JJD0001" in arriving
    assert "Shipped Nov 2, 2026, 9:00:00" in arriving  # when it left DC-BER
    csrf = _csrf(console, "/console/store")
    action = f"/console/store/fulfillments/{to_store['id']}/ready"
    assert f'action="{action}"' in arriving

    done = console.post(action, data={"csrf": csrf})

    assert done.status_code == 200
    assert "Arriving (0)" in done.text
    ready = _section(done.text, "ready")
    assert "Ready for pickup (1)" in ready and "W-2001" in ready
    assert f'action="/console/store/fulfillments/{to_store["id"]}/picked-up"' in ready
    parcel = _fulfillment_of(console, to_store)
    assert parcel["status"] == "ready"


def test_another_store_may_not_say_a_parcel_arrived_and_nothing_changes(
    console: TestClient, to_store: dict[str, Any]
) -> None:
    _sign_in(console, username="max", password=PASSWORD)
    assert "Arriving (0)" in console.get("/console/store").text  # not Munich's parcel
    csrf = _csrf(console, "/console/store")
    before = _order(console, to_store["order_id"])

    refused = console.post(
        f"/console/store/fulfillments/{to_store['id']}/ready", data={"csrf": csrf}
    )

    assert refused.status_code == 422
    assert "Not done:" in refused.text and "Done." not in refused.text
    after = _order(console, to_store["order_id"])
    assert after == before
    assert _fulfillment_of(console, to_store)["status"] == "shipped"


def test_the_sending_warehouse_is_not_shown_a_parcel_that_waits_on_the_store(
    console: TestClient, to_store: dict[str, Any], clock: Clock
) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    _sign_in(console, username="dora", password=PASSWORD)
    assert "W-2001" not in console.get("/console/store").text
    ready = console.post(f"/v1/fulfillments/{to_store['id']}/ready", headers=admin)
    assert ready.status_code == 200, ready.text

    page = console.get("/console/store").text

    assert "W-2001" not in page  # the customer collects it at the store, not here
    assert "Ready for pickup (0)" in page


def _fulfillment_of(client: TestClient, to_store: dict[str, Any]) -> dict[str, Any]:
    order = _order(client, to_store["order_id"])
    [found] = [f for f in order["fulfillments"] if f["id"] == to_store["id"]]
    return dict(found)


def test_a_parcel_not_collected_is_asked_to_be_confirmed_and_only_then_cancelled(
    console: TestClient, to_store: dict[str, Any]
) -> None:
    _sign_in(console, username="sam", password=PASSWORD)
    csrf = _csrf(console, "/console/store")
    base = f"/console/store/fulfillments/{to_store['id']}"
    assert console.post(f"{base}/ready", data={"csrf": csrf}).status_code == 200
    ready = _section(console.get("/console/store").text, "ready")
    assert f'action="{base}/not-collected"' in ready

    asked = console.post(f"{base}/not-collected", data={"csrf": csrf})

    assert asked.status_code == 200
    assert "Not collected: W-2001?" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assert _fulfillment_of(console, to_store)["status"] == "ready"

    done = console.post(f"{base}/not-collected", data={"csrf": csrf, "confirmed": "1"})

    assert done.status_code == 200 and "Done." in done.text
    assert "Ready for pickup (0)" in done.text
    assert _fulfillment_of(console, to_store)["status"] == "not_collected"
    assert _order(console, to_store["order_id"])["status"] == "cancelled"
