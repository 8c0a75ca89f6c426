"""Returns in a real browser: a customer, in German, returns an item of a delivered
order on their page, to drop off at a store, and gets its code (and QR image); the
store's associate, on a phone, finds the return by the code and restocks it; the
refund that follows shows on the customer's page and on customer service's return
page, and the unit is on the store's shelf again; the dashboard counts the return,
the restock, the refund and the SKU's return rate."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.support.browser import DESKTOP, PHONE, Served, document, overflow
from tests.support.builders import a_location_body, a_product_body, an_order_body

APPROVES = "4242424242424242"


def _delivered(served: Served) -> dict[str, Any]:
    """Two rain jackets (59.90 each) paid by card, shipped from Berlin to Hamburg and
    delivered; the Hamburg store ST-HAM sells them and takes returns."""
    api = served.api
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    for location_id, on_hand in (("DC-BER", 10), ("ST-HAM", 5)):
        put = api.put(f"/v1/inventory/{location_id}/SKU-1", json={"on_hand": on_hand})
        assert put.status_code == 201
    body = an_order_body(
        ("SKU-1", 2),
        external_id="W-4711",
        language="de-DE",
        payment={"method": "card", "token": APPROVES},
    )
    placed = api.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text
    order: dict[str, Any] = placed.json()
    served.work()
    [fo] = api.get(f"/v1/orders/{order['id']}").json()["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    served.work()  # captured
    delivered = {"delivered_at": served.clock.advance(days=1).isoformat()}
    assert api.post(f"/v1/fulfillments/{fo['id']}/delivered", json=delivered).status_code == 200
    return order


def _on_hand(served: Served, location_id: str) -> int:
    on_hand: int = served.api.get(f"/v1/inventory/{location_id}/SKU-1").json()["on_hand"]
    return on_hand


@pytest.mark.browser_locale("de-DE")
def test_a_german_customer_returns_at_a_store_which_restocks_it_and_the_refund_shows(
    served: Served, page: Any, browser: Any
) -> None:
    order = _delivered(served)
    shelf = _on_hand(served, "ST-HAM")

    # The customer finds their order and starts a return of one jacket.
    page.goto(f"{served.url}/my-order")
    page.get_by_label("Bestellnummer").fill("W-4711")
    page.get_by_label("E-Mail-Adresse").fill("ada@example.com")
    page.get_by_role("button", name="Meine Bestellung anzeigen").click()
    page.get_by_role("link", name="Artikel zurückgeben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Artikel der Bestellung W-4711 zurückgeben"
    )
    page.get_by_label("Wie viele Rain jacket zurückgeben").fill("1")
    page.get_by_label("Warum Sie Rain jacket zurückgeben").select_option("wrong_size")
    page.get_by_label("Ich bringe es in eine Filiale").check()
    page.get_by_label("Zurück auf das, womit ich bezahlt habe").check()
    document(page, "customer-return-de")
    page.get_by_role("button", name="Rücksendung starten").click()

    expect(page.get_by_role("status")).to_contain_text("Ihre Rücksendung ist gestartet")
    card = page.locator(".returns li").first
    expect(card).to_contain_text("angenommen")
    expect(card.locator("svg")).to_be_visible()  # the code as a QR image
    code = re.search(r"R[0-9A-Z]{9}", card.locator(".code").inner_text())
    assert code is not None
    document(page, "customer-return-code-de")
    customer_page = page.url

    # The associate at the Hamburg store receives it by its code and restocks it.
    create_user("sam", "correct horse battery", Role.STORE, served.uow(), served.clock(), "ST-HAM")
    store = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    store.goto(f"{served.url}/console")
    store.get_by_label("User name", exact=True).fill("sam")
    store.get_by_label("Password, or an API key").fill("correct horse battery")
    store.get_by_role("button", name="Sign in").click()
    returns = store.get_by_role("region", name="A customer brings a return")
    returns.get_by_label("Return code (type or scan it)").fill(code.group(0).lower())
    returns.get_by_role("button", name="Find the return").click()
    expect(store.get_by_role("heading", level=1)).to_contain_text(code.group(0))
    expect(store.get_by_label("What becomes of them")).to_have_value("restock")
    store.get_by_label("Condition").select_option("new")
    assert overflow(store) == 0  # a 390 px phone scrolls down, never sideways
    document(store, "console-store-return")
    store.get_by_role("button", name="Receive").click()
    expect(store.get_by_role("status")).to_have_text("Received.")
    expect(store.locator(".cards").last).to_contain_text("restock")
    assert _on_hand(served, "ST-HAM") == shelf + 1

    served.work()  # the card's refund, at the gateway

    # The refund on the customer's page...
    page.goto(customer_page)
    card = page.locator(".returns li").first
    expect(card).to_contain_text("Erstattet: 59,90\N{NO-BREAK SPACE}€")
    expect(card).to_contain_text("erledigt")

    # ...and on customer service's page of the return.
    agent = browser.new_context(locale="en-GB", viewport=DESKTOP).new_page()
    create_user("ada", "correct horse battery", Role.AGENT, served.uow(), served.clock())
    agent.goto(f"{served.url}/console")
    agent.get_by_label("User name", exact=True).fill("ada")
    agent.get_by_label("Password, or an API key").fill("correct horse battery")
    agent.get_by_role("button", name="Sign in").click()
    agent.get_by_role("link", name="Returns").click()
    agent.get_by_label("Status").select_option("closed")
    agent.get_by_role("button", name="Show").click()
    agent.get_by_role("link", name=code.group(0)).click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(agent.locator(".facts").nth(1)).to_contain_text("Refunded€59.90")
    document(agent, "console-return")
    [tender] = served.api.get(f"/v1/orders/{order['id']}").json()["tenders"]
    assert tender["refunded"] == "59.90"

    # The dashboard counts it: the return, the unit restocked, the refund, the rate.
    agent.get_by_role("link", name="Dashboard").click()
    totals = agent.locator(".totals")
    expect(totals).to_contain_text("Returns1 (1 units)")
    expect(totals).to_contain_text("Restocked of the units received100.0 % (1/1)")
    expect(totals).to_contain_text("Refunded€59.90")
    by_product = agent.get_by_role("table", name="By product")
    expect(by_product.get_by_role("row").nth(1)).to_have_text(re.compile(r"SKU-1\s*1\s*2\s*50.0 %"))
    document(agent, "console-dashboard-returns")


@pytest.mark.browser_locale("de-DE")
def test_a_german_customer_exchanges_for_another_size_and_sees_the_exchange_order(
    served: Served, page: Any, browser: Any
) -> None:
    order = _delivered(served)
    api = served.api
    exchanges = {"allowed": True}
    policy = {"windows": [{"days": 30}], "reasons": [{"code": "wrong_size", "label": "Wrong size"}],
              "methods": ["store"], "exchanges": exchanges}  # fmt: skip
    assert api.put("/v1/return-policy", json=policy).status_code == 200
    for sku, price in (("SKU-1", "59.90"), ("SKU-2", "69.90")):
        body = a_product_body(name=f"Rain jacket {sku[-1]}", prices={"EUR": price},
                              attributes={"style": "rain-jacket"})  # fmt: skip
        response = api.put(f"/v1/products/{sku}", json=body)
        assert response.status_code in (200, 201), response.text
    assert api.put("/v1/inventory/DC-BER/SKU-2", json={"on_hand": 3}).status_code == 201

    # The customer asks for the other size instead of the money.
    page.goto(f"{served.url}/my-order")
    page.get_by_label("Bestellnummer").fill("W-4711")
    page.get_by_label("E-Mail-Adresse").fill("ada@example.com")
    page.get_by_role("button", name="Meine Bestellung anzeigen").click()
    page.get_by_role("link", name="Artikel zurückgeben").click()
    page.get_by_label("Wie viele Rain jacket 1 zurückgeben").fill("1")
    picker = page.get_by_label("Was Sie für Rain jacket 1 bekommen")
    picker.select_option("SKU-2")
    expect(picker).to_contain_text("Umtausch gegen Rain jacket 2 (SKU-2), 69,90\N{NO-BREAK SPACE}€")
    document(page, "customer-exchange-de")
    page.get_by_role("button", name="Rücksendung starten").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Rücksendung ist gestartet")
    customer_page = page.url

    # The goods come back; the worker places the exchange order.
    [ra] = api.get(f"/v1/orders/{order['id']}/returns").json()["items"]
    back = {"line_no": 1, "quantity": 1, "condition": "new", "disposition": "restock"}
    got = {"location_id": "DC-BER", "lines": [back]}
    received = api.post(
        f"/v1/returns/{ra['id']}/receipts", json=got, headers={"Idempotency-Key": "rc"}
    )
    assert received.status_code == 201, received.text
    served.work()

    page.goto(customer_page)
    card = page.locator(".returns li").first
    expect(card).to_contain_text("umgetauscht gegen Rain jacket 2")
    expect(card).to_contain_text(f"Umtauschbestellung exchange-{ra['code']}-1 aufgegeben")
    expect(card).to_contain_text("mit der Rücksendung bezahlt: 59,90\N{NO-BREAK SPACE}€")
    expect(card).to_contain_text("Ihrer Karte belastet: 10,00\N{NO-BREAK SPACE}€")
    expect(card).not_to_contain_text("Erstattet")
    document(page, "customer-exchange-order-de")

    agent = browser.new_context(locale="en-GB", viewport=DESKTOP).new_page()
    create_user("ada", "correct horse battery", Role.AGENT, served.uow(), served.clock())
    agent.goto(f"{served.url}/console")
    agent.get_by_label("User name", exact=True).fill("ada")
    agent.get_by_label("Password, or an API key").fill("correct horse battery")
    agent.get_by_role("button", name="Sign in").click()
    agent.goto(f"{served.url}/console/returns/{ra['id']}")
    exchanges_table = agent.get_by_role("table").nth(1)
    expect(exchanges_table).to_contain_text(f"exchange-{ra['code']}-1")
    expect(exchanges_table).to_contain_text("€10.00")
    document(agent, "console-return-exchange")
