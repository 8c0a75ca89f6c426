"""The store associate's view in a real browser, phone-sized: a pickup order is
accepted, picked, made ready, and handed over only with the customer's pickup code
(a wrong one hands over nothing); a parcel the warehouse shipped to the store is seen
arriving, said to have arrived, and handed over with the code."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user
from ordino.app.demo import seed_demo
from ordino.kernel.domain.roles import Role
from ordino.store.tables import outbox
from tests.support.browser import PHONE, Served, document, overflow
from tests.support.builders import a_location_body, a_product_body, an_order_body
from tests.support.storage import rows


def _pickup_order(served: Served) -> dict[str, Any]:
    api = served.api
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    stocked = api.put("/v1/inventory/ST-HAM/SKU-1", json={"on_hand": 5, "safety_stock": 0})
    assert stocked.status_code == 201
    body = an_order_body(("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"}, external_id="P-1")
    placed = api.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text
    served.work()  # released to the store
    order: dict[str, Any] = placed.json()
    return order


def _code(served: Served, order_id: str) -> str:
    """The code the customer was sent (in the order's ready-for-pickup event, which
    notifies them; the timeline never shows it)."""
    events = [
        e for e in rows(served.app.state.engine, outbox) if e["subject"] == f"order/{order_id}"
    ]
    [ready] = [e for e in events if e["type"] == "fulfillment.ready_for_pickup"]
    code: str = ready["data"]["pickup_code"]
    return code


def test_a_store_associate_accepts_picks_and_hands_over_with_the_code(
    served: Served, page: Any
) -> None:
    order = _pickup_order(served)
    create_user("sam", "correct horse battery", Role.STORE, served.uow(), served.clock(), "ST-HAM")
    page.set_viewport_size(PHONE)

    page.goto(f"{served.url}/console")
    page.get_by_label("User name", exact=True).fill("sam")
    page.get_by_label("Password, or an API key").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{served.url}/console/store")  # where an associate lands
    to_accept = page.get_by_role("region", name="To accept (1)")
    expect(to_accept).to_contain_text("Order P-1")
    expect(to_accept).to_contain_text("For Ada Lovelace")
    expect(to_accept).to_contain_text("2 \N{MULTIPLICATION SIGN} Rain jacket")
    assert overflow(page) == 0  # a 390 px phone scrolls down, never sideways
    document(page, "console-store")
    to_accept.get_by_role("button", name="Accept").click()
    page.get_by_role("region", name="To pick (1)").get_by_role("button", name="Picked").click()
    finish = page.get_by_role("region", name="To hand over or ship (1)")
    finish.get_by_role("button", name="Ready for pickup").click()

    ready = page.get_by_role("region", name="Ready for pickup (1)")
    code = _code(served, order["id"])
    wrong = "000000" if code != "000000" else "111111"
    ready.get_by_label("Customer's pickup code").fill(wrong)
    ready.get_by_role("button", name="Hand over").click()
    expect(page.get_by_role("alert")).to_contain_text("Not done:")
    expect(page.get_by_role("region", name="Ready for pickup (1)")).to_be_visible()

    ready = page.get_by_role("region", name="Ready for pickup (1)")
    ready.get_by_label("Customer's pickup code").fill(code)
    ready.get_by_role("button", name="Hand over").click()

    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(page.get_by_role("region", name="Ready for pickup (0)")).to_be_visible()
    [fo] = served.api.get(f"/v1/orders/{order['id']}").json()["fulfillments"]
    assert fo["status"] == "picked_up"
    timeline = served.api.get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    assert all("pickup_code" not in e["details"] for e in timeline)


def test_a_rejection_on_a_phone_is_confirmed_on_a_page_of_its_own(
    served: Served, page: Any
) -> None:
    order = _pickup_order(served)
    create_user("sam", "correct horse battery", Role.STORE, served.uow(), served.clock(), "ST-HAM")
    page.set_viewport_size(PHONE)
    page.goto(f"{served.url}/console")
    page.get_by_label("User name", exact=True).fill("sam")
    page.get_by_label("Password, or an API key").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    to_accept = page.get_by_role("region", name="To accept (1)")
    to_accept.get_by_label("Reason").select_option("damaged")
    to_accept.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject P-1?")
    assert overflow(page) == 0
    document(page, "console-store-reject")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_role("region", name="To accept (1)")).to_be_visible()
    page.get_by_role("region", name="To accept (1)").get_by_role("button", name="Reject").click()
    page.get_by_role("button", name="Yes, reject").click()

    expect(page.get_by_role("status")).to_have_text("Done.")
    [fo] = served.api.get(f"/v1/orders/{order['id']}").json()["fulfillments"]
    assert (fo["status"], fo["reason"]) == ("rejected", "not-found")


def _shipped_to_the_store(served: Served) -> dict[str, Any]:
    """The demo's network; a hat the Hamburg store does not have, ordered to be
    collected there (ship_to_store:ST-HAM), released to DC-BER, which ships it with
    DHL by its own key, as its warehouse system would."""
    assert seed_demo(served.uow(), served.clock()) is True
    body = an_order_body(
        ("SKU-0005", 1),
        external_id="W-STS-1",
        customer={"email": "grace@example.com", "name": "Grace Hopper"},
        promise={"option_id": "ship_to_store:ST-HAM"},
    )
    placed = served.api.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text
    served.work()  # released to the warehouse
    order: dict[str, Any] = placed.json()
    [fo] = served.api.get(f"/v1/orders/{order['id']}").json()["fulfillments"]
    assert (fo["location_id"], fo["store_id"], fo["status"]) == ("DC-BER", "ST-HAM", "released")
    key = create_key(Role.STORE, "Berlin WMS", served.uow(), served.clock(), None, "DC-BER")
    warehouse = {"Authorization": f"Bearer {key}"}
    for step, step_body in (
        ("accept", None),
        ("picked", None),
        ("packed", None),
        ("shipped", {"carrier": "DHL", "tracking_number": "00340434161094015902"}),
    ):
        url = f"/v1/fulfillments/{fo['id']}/{step}"
        answer = served.api.post(url, json=step_body, headers=warehouse)
        assert answer.status_code == 200, answer.text
    return order | {"fulfillment_id": fo["id"]}


@pytest.mark.browser_locale("de-DE")
def test_a_parcel_shipped_to_a_german_store_arrives_and_is_handed_over_with_the_code(
    served: Served, page: Any
) -> None:
    order = _shipped_to_the_store(served)
    create_user("sam", "correct horse battery", Role.STORE, served.uow(), served.clock(), "ST-HAM")
    page.set_viewport_size(PHONE)

    page.goto(f"{served.url}/console")
    page.get_by_label("Benutzername", exact=True).fill("sam")
    page.get_by_label("Passwort, oder ein API-Schlüssel").fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{served.url}/console/store")
    arriving = page.get_by_role("region", name="Unterwegs zu uns (1)")
    expect(arriving).to_contain_text("Bestellung W-STS-1")
    expect(arriving).to_contain_text("Für Grace Hopper")
    expect(arriving).to_contain_text("DHL 00340434161094015902")
    expect(arriving).to_contain_text("Versandt 02.11.2026")
    assert overflow(page) == 0  # a 390 px phone scrolls down, never sideways
    document(page, "console-store-arriving-de")
    arriving.get_by_role("button", name="Angekommen \N{EN DASH} bereit zur Abholung").click()

    expect(page.get_by_role("status")).to_have_text("Erledigt.")
    expect(page.get_by_role("region", name="Unterwegs zu uns (0)")).to_be_visible()
    ready = page.get_by_role("region", name="Abholbereit (1)")
    expect(ready).to_contain_text("Bestellung W-STS-1")
    assert overflow(page) == 0
    document(page, "console-store-ready-de")
    ready.get_by_label("Abholcode des Kunden").fill(_code(served, order["id"]))
    ready.get_by_role("button", name="Übergeben").click()

    expect(page.get_by_role("status")).to_have_text("Erledigt.")
    expect(page.get_by_role("region", name="Abholbereit (0)")).to_be_visible()
    placed = served.api.get(f"/v1/orders/{order['id']}").json()
    assert [f["status"] for f in placed["fulfillments"]] == ["picked_up"]
    assert placed["status"] == "fulfilled"
