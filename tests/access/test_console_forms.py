"""The console over HTTP, without a browser: signing in (a key, a user), the CSRF
token every form must send back, and what a role may not do — each refusal
changing nothing. The browser tests (tests/servicing/test_console_browser.py) drive
the same pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user, disable_user
from ordino.app.job_handlers import handlers
from ordino.inventory.services.availability import put_postal_codes
from ordino.kernel.domain.geo import Point, PostalCode
from ordino.kernel.domain.roles import Role
from ordino.orchestration.services.worker import Worker
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import network, order_of, place, stock
from tests.support.builders import a_location_body, a_product_body, a_purchase_order_body


@pytest.fixture
def console(api: TestClient) -> TestClient:
    """A client with no API key: it signs in as a person does."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    api.headers.pop("Authorization")
    return api


def _form_token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, **form: str) -> str:
    """Sign in; the CSRF token of the session."""
    form["csrf"] = _form_token(client, "/console/sign-in")
    response = client.post("/console/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/console/orders").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _as_admin(client: TestClient) -> TestClient:
    client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
    return client


def test_a_page_sends_whoever_is_not_signed_in_to_sign_in(console: TestClient) -> None:
    response = console.get("/console/orders?status=placed", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in?next=/console/orders%3Fstatus%3Dplaced"


def test_a_wrong_password_is_refused_and_signs_no_one_in(console: TestClient, clock: Clock) -> None:
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]

    token = _form_token(console, "/console/sign-in")
    wrong = {"username": "ada", "password": "wrong one!", "csrf": token}
    response = console.post("/console/sign-in", data=wrong)
    forged = console.post("/console/sign-in", data={"password": ADMIN_KEY})  # no token

    assert forged.status_code == 403
    assert response.status_code == 401
    assert "did not match" in response.text
    assert console.get("/console/orders", follow_redirects=False).status_code == 303


def test_an_agent_finds_an_order_by_number_and_cancels_a_line(
    console: TestClient, clock: Clock
) -> None:
    order = place(_as_admin(console), ("SKU-1", 3), external_id="W-77")
    console.headers.pop("Authorization")
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    csrf = _sign_in(console, username="ada", password="correct horse battery")

    found = console.get("/console/orders?number=W-77")
    assert f"/console/orders/{order['id']}" in found.text
    form = {"csrf": csrf, "cancel-1": "1", "reason": "customer asked"}
    done = console.post(f"/console/orders/{order['id']}/cancellations", data=form)

    assert done.status_code == 200
    assert "Done." in done.text
    line = order_of(_as_admin(console), order["id"])["lines"][0]
    assert line["cancelled"] == 1
    timeline = console.get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    assert (timeline[-1]["type"], timeline[-1]["by"]) == ("order.lines_cancelled", "user:ada")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    console: TestClient,
) -> None:
    order = place(_as_admin(console), ("SKU-1", 3))
    console.headers.pop("Authorization")
    _sign_in(console, password=ADMIN_KEY)

    response = console.post(f"/console/orders/{order['id']}/cancellations", data={"cancel-1": "1"})

    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert order_of(_as_admin(console), order["id"])["lines"][0]["cancelled"] == 0


def test_a_store_associate_may_not_cancel(console: TestClient, clock: Clock) -> None:
    order = place(_as_admin(console), ("SKU-1", 3))
    console.headers.pop("Authorization")
    uow = console.app.state.uow  # type: ignore[attr-defined]
    create_user("sam", "correct horse battery", Role.STORE, uow(), clock(), "DC-BER")
    csrf = _sign_in(console, username="sam", password="correct horse battery")

    response = console.post(
        f"/console/orders/{order['id']}/cancellations", data={"csrf": csrf, "cancel-1": "1"}
    )

    assert response.status_code == 403
    assert order_of(_as_admin(console), order["id"])["lines"][0]["cancelled"] == 0


def test_a_bad_date_in_the_search_is_named(console: TestClient) -> None:
    _sign_in(console, password=ADMIN_KEY)

    response = console.get("/console/orders?from=yesterday")

    assert response.status_code == 422
    assert 'name="from" type="date" value="yesterday" aria-invalid="true"' in response.text


def test_the_console_speaks_german_to_a_german_browser(console: TestClient) -> None:
    _sign_in(console, password=ADMIN_KEY)

    page = console.get("/console/orders", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})

    assert '<html lang="de">' in page.text
    assert "Bestellungen" in page.text


def test_the_exceptions_page_lists_holds_and_waiting_orders_with_what_resolves_them(
    console: TestClient, clock: Clock
) -> None:
    profile = {
        "channels": ["web"],
        "strategies": [{"name": "any"}, {"name": "w", "kind": "backorder"}],
    }
    admin = _as_admin(console)
    assert admin.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
    waiting = place(admin, ("SKU-1", 12), external_id="W-WAIT")  # 10 in stock, 2 wait
    held = place(admin, ("SKU-1", 1), external_id="W-HELD")
    assert admin.post(f"/v1/orders/{held['id']}/holds", json={"reason": "call"}).status_code == 201
    console.headers.pop("Authorization")
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    _sign_in(console, username="ada", password="correct horse battery")

    page = console.get("/console/exceptions").text

    assert f'href="/console/orders/{held["id"]}"' in page
    assert f'href="/console/orders/{waiting["id"]}"' in page
    assert "Jobs given up" not in page  # an admin's to requeue, not an agent's


def test_an_agent_cancelling_every_unit_of_a_held_order_ends_its_hold(
    console: TestClient, clock: Clock
) -> None:
    admin = _as_admin(console)
    held = place(admin, ("SKU-1", 2), external_id="W-HELD")
    assert admin.post(f"/v1/orders/{held['id']}/holds", json={"reason": "call"}).status_code == 201
    console.headers.pop("Authorization")
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    csrf = _sign_in(console, username="ada", password="correct horse battery")

    form = {"csrf": csrf, "cancel-1": "2", "reason": "customer called"}
    done = console.post(f"/console/orders/{held['id']}/cancellations", data=form)

    assert done.status_code == 200
    assert 'class="tag hold"' not in done.text
    assert f'href="/console/orders/{held["id"]}"' not in console.get("/console/exceptions").text
    [hold] = order_of(_as_admin(console), held["id"])["holds"]
    assert (hold["status"], hold["resolved_by"], hold["note"]) == (
        "cancelled",
        "user:ada",
        "customer called",
    )


def test_the_inventory_page_shows_a_sku_across_the_network_and_what_is_coming(
    console: TestClient,
) -> None:
    admin = _as_admin(console)
    place(admin, ("SKU-1", 3))
    po = a_purchase_order_body(lines=[{"sku": "SKU-1", "quantity": 20}])
    assert admin.post("/v1/supply", json=po).status_code == 201
    console.headers.pop("Authorization")
    _sign_in(console, password=ADMIN_KEY)

    page = console.get("/console/inventory?sku=SKU-1")
    movements = console.get("/console/inventory/DC-BER/SKU-1")
    unknown = console.get("/console/inventory?sku=NOPE")

    assert page.status_code == 200
    row = re.search(
        r'<td>DC-BER</td><td><a href="/console/inventory/DC-BER/SKU-1">.*?</tr>', page.text, re.S
    )
    assert row is not None
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    assert cells == ["10", "3", "0", "7"]  # on hand, reserved, safety stock, available
    assert "PO-1" in page.text and '<td class="num">20</td>' in page.text
    assert movements.status_code == 200 and "count" in movements.text
    assert unknown.status_code == 404 and "no product NOPE" in unknown.text


def test_the_inventory_page_finds_products_with_their_availability_in_pages(
    console: TestClient,
) -> None:
    admin = _as_admin(console)
    for n in range(1, 4):
        body = a_product_body(name=f"Rain jacket {n}", attributes={"colour": "red"})
        assert admin.put(f"/v1/products/JKT-{n}", json=body).status_code == 201
    stock(admin, "DC-BER", "JKT-2", 4)
    console.headers.pop("Authorization")
    _sign_in(console, password=ADMIN_KEY)

    first = console.get("/console/inventory?q=rain+jacket&attribute=colour:red&limit=2")
    rows = re.findall(r'<tr class="found">(.*?)</tr>', first.text, re.S)
    more = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert first.status_code == 200
    assert [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[:5] for row in rows] == [
        [
            '<a href="/console/inventory?sku=JKT-1">JKT-1</a>',
            "Rain jacket 1",
            "colour: red",
            "0",
            "out of stock",
        ],
        [
            '<a href="/console/inventory?sku=JKT-2">JKT-2</a>',
            "Rain jacket 2",
            "colour: red",
            "4",
            "in stock",
        ],
    ]
    assert more is not None
    second = console.get("/console/inventory" + more.group(1).replace("&amp;", "&"))
    assert re.findall(r'<tr class="found"><td><a [^>]+>([^<]+)</a>', second.text) == ["JKT-3"]
    assert '<a rel="next"' not in second.text
    in_stock = console.get("/console/inventory?q=rain&attribute=colour:red&in_stock=1")
    assert re.findall(r'<tr class="found"><td><a [^>]+>([^<]+)</a>', in_stock.text) == ["JKT-2"]
    nothing = console.get("/console/inventory?q=umbrella")
    assert "No product matches." in nothing.text
    bad = console.get("/console/inventory?q=rain&attribute=colour")
    assert bad.status_code == 422 and "give name:value" in bad.text


def test_an_agent_notes_resends_and_reroutes_and_the_timeline_says_so(
    console: TestClient, clock: Clock
) -> None:
    admin = _as_admin(console)
    munich = a_location_body(name="Munich DC", latitude=48.14, longitude=11.58)
    assert admin.put("/v1/locations/DC-MUC", json=munich).status_code == 201
    stock(admin, "DC-MUC", "SKU-1", 10)
    order = place(admin, ("SKU-1", 2))
    [held_at] = {a["location_id"] for a in order["lines"][0]["allocations"]}
    console.headers.pop("Authorization")
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    csrf = _sign_in(console, username="ada", password="correct horse battery")
    path = f"/console/orders/{order['id']}"

    empty = console.post(f"{path}/notes", data={"csrf": csrf, "note": "  "})
    console.post(f"{path}/notes", data={"csrf": csrf, "note": "called about the gift wrap"})
    console.post(f"{path}/notifications", data={"csrf": csrf})
    moved = console.post(f"{path}/reroute", data={"csrf": csrf, "location_id": held_at})

    assert empty.status_code == 422 and "note: 1 to 2000 characters" in empty.text
    assert moved.status_code == 200, moved.text
    timeline = _as_admin(console).get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    said = [(e["type"], e["by"], e["why"]) for e in timeline[1:4]]
    assert said == [
        ("order.note_added", "user:ada", "called about the gift wrap"),
        ("order.notification_resent", "user:ada", None),
        ("order.allocation_rejected", "user:ada", "other"),
    ]
    assert timeline[2]["details"]["event"]["type"] == "order.created"
    [now_at] = {a["location_id"] for a in order_of(console, order["id"])["lines"][0]["allocations"]}
    assert now_at != held_at


def test_an_agent_moves_a_delivery_to_another_address_or_to_a_store(
    console: TestClient, clock: Clock
) -> None:
    admin = _as_admin(console)
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert admin.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(admin, "ST-HAM", "SKU-1", 5)
    moving = place(admin, ("SKU-1", 2), external_id="W-MOVE")
    collecting = place(admin, ("SKU-1", 2), external_id="W-COLLECT")
    console.headers.pop("Authorization")
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    csrf = _sign_in(console, username="ada", password="correct horse battery")
    address = {"csrf": csrf, "line1": "Mönckebergstr. 7", "postal_code": "20095", "city": "Hamburg"}
    to_move, to_collect = (f"/console/orders/{o['id']}" for o in (moving, collecting))

    bad = console.post(f"{to_move}/address", data=address | {"country": "XX"})
    moved = console.post(f"{to_move}/address", data=address | {"country": "DE"})
    offered = console.get(f"{to_collect}/pickup")
    collected = console.post(f"{to_collect}/pickup", data={"csrf": csrf, "store_id": "ST-HAM"})

    assert bad.status_code == 422 and "country code" in bad.text
    assert moved.status_code == 200 and "Done." in moved.text
    assert 'value="ST-HAM"' in offered.text
    assert collected.status_code == 200 and "Done." in collected.text
    admin = _as_admin(console)
    assert order_of(admin, moving["id"])["ship_to"]["line1"] == "Mönckebergstr. 7"
    now = order_of(admin, collecting["id"])
    assert now["promise"]["store_id"] == "ST-HAM"
    assert [a["location_id"] for a in now["lines"][0]["allocations"]] == ["ST-HAM"]
    said = [
        (e["type"], e["by"])
        for o in (moving, collecting)
        for e in admin.get(f"/v1/orders/{o['id']}/timeline").json()["items"][-1:]
    ]
    assert said == [
        ("order.address_changed", "user:ada"),
        ("order.converted_to_pickup", "user:ada"),
    ]


def test_a_disabled_user_is_signed_out_and_no_session_outlives_eight_hours(
    console: TestClient, clock: Clock
) -> None:
    uow = console.app.state.uow  # type: ignore[attr-defined]
    for name in ("ada", "bob"):
        create_user(name, "correct horse battery", Role.AGENT, uow(), clock())
    _sign_in(console, username="ada", password="correct horse battery")
    other = TestClient(console.app)
    _sign_in(other, username="bob", password="correct horse battery")

    disable_user("ada", uow(), clock(), "test")
    disabled = console.get("/console/orders", follow_redirects=False)
    kept = other.get("/console/orders?lang=de", follow_redirects=False)  # writes the cookie again
    clock.advance(hours=8)
    expired = other.get("/console/orders", follow_redirects=False)

    assert disabled.status_code == 303 and kept.status_code == 200
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/console/sign-in")


def test_bad_values_in_forms_and_searches_are_refused_not_crashed(
    console: TestClient, clock: Clock
) -> None:
    _sign_in(console, password=ADMIN_KEY)

    far = console.get("/console/orders?to=9999-12-31")
    dashboard = console.get("/console/dashboard?to=9999-12-31")
    csv = console.get("/console/dashboard.csv?from=xx")
    requeue = console.post(
        "/console/exceptions/jobs/nope/requeue",
        data={"csrf": _form_token(console, "/console/orders")},
    )

    assert (far.status_code, dashboard.status_code, csv.status_code) == (422, 422, 422)
    assert "Nothing was done" in requeue.text


def test_a_channel_key_sees_only_its_channels_work_in_a_store_queue(
    console: TestClient, key_for: Callable[[Role], str], clock: Clock
) -> None:
    admin = _as_admin(console)
    place(admin, ("SKU-1", 1), channel="web", external_id="W-WEB")
    place(admin, ("SKU-1", 1), channel="app", external_id="W-APP")
    Worker("w", console.app.state.uow, clock, _jobs(console, clock)).run_until_idle()  # type: ignore[attr-defined]
    uow = console.app.state.uow  # type: ignore[attr-defined]
    web = {"Authorization": f"Bearer {create_key(Role.CHANNEL, 'web', uow(), clock(), 'web')}"}

    queue = console.get("/v1/fulfillments?location_id=DC-BER", headers=web).json()["items"]

    assert [fo["order_id"] for fo in queue] == _ids(admin, "web")


def _ids(client: TestClient, channel: str) -> list[str]:
    return [o["id"] for o in client.get(f"/v1/orders?channel={channel}").json()["items"]]


def _jobs(client: TestClient, clock: Clock) -> Any:
    state = client.app.state  # type: ignore[attr-defined]
    return handlers(state.uow, state.capture, state.outside, clock)


def test_a_store_associates_search_tells_its_own_stores_stock_only(
    console: TestClient, clock: Clock
) -> None:
    admin = _as_admin(console)
    uow = console.app.state.uow  # type: ignore[attr-defined]
    for location_id, (latitude, longitude) in (
        ("ST-HAM", (53.55, 9.99)),
        ("ST-ALT", (53.55, 9.93)),
    ):
        body = a_location_body(latitude=latitude, longitude=longitude, pickup=True)
        assert admin.put(f"/v1/locations/{location_id}", json=body).status_code == 201
    assert admin.put("/v1/products/JKT-1", json=a_product_body(name="Wool parka")).status_code
    stock(admin, "ST-HAM", "JKT-1", 2)
    stock(admin, "ST-ALT", "JKT-1", 7)
    put_postal_codes([PostalCode("DE", "20095", Point(53.55, 9.99), "Hamburg")], uow())
    console.headers.pop("Authorization")
    create_user("sam", "correct horse battery", Role.STORE, uow(), clock(), "ST-HAM")
    _sign_in(console, username="sam", password="correct horse battery")

    page = console.get("/console/inventory?q=parka&postal_code=20095&country=DE")

    [row] = re.findall(r'<tr class="found">(.*?)</tr>', page.text, re.S)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1] == "ST-HAM (0.0 km): 2"
    assert "ST-ALT" not in page.text
