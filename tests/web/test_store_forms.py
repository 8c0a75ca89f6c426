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

from ordino.domain.access import Role
from ordino.services.access import create_key
from ordino.services.users import create_user
from tests.builders import a_location_body, a_product_body, an_order_body
from tests.conftest import ADMIN_KEY, Clock
from tests.e2e.support import work

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
