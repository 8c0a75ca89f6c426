"""The customer's page in a real browser, in German: a customer finds their order
by its number and e-mail and has it collected at a store near them instead of
delivered; a wrong e-mail finds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESKTOP, PHONE, Served, document, overflow
from tests.support.builders import a_location_body, a_product_body, an_order_body


def _delivery_order(served: Served) -> None:
    api = served.api
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    for location_id in ("DC-BER", "ST-HAM"):
        put = api.put(f"/v1/inventory/{location_id}/SKU-1", json={"on_hand": 5})
        assert put.status_code == 201
    placed = api.post("/v1/orders", json=an_order_body(("SKU-1", 2), external_id="W-4711"))
    assert placed.status_code == 201, placed.text


@pytest.mark.browser_locale("de-DE")
def test_a_customer_finds_their_order_in_german_and_collects_it_at_a_store(
    served: Served, page: Any
) -> None:
    _delivery_order(served)

    page.goto(f"{served.url}/my-order")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestellung finden")
    page.get_by_label("Bestellnummer").fill("W-4711")
    page.get_by_label("E-Mail-Adresse").fill("someone.else@example.com")
    page.get_by_role("button", name="Meine Bestellung anzeigen").click()
    expect(page.get_by_role("alert")).to_contain_text("keine Bestellung")

    page.get_by_label("E-Mail-Adresse").fill("Ada@Example.com")
    page.get_by_role("button", name="Meine Bestellung anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bestellung W-4711")
    expect(page.get_by_role("row").filter(has_text="Rain jacket")).to_contain_text(
        "in Vorbereitung"
    )
    document(page, "customer-order-de")
    page.set_viewport_size(PHONE)
    assert overflow(page) == 0
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Stattdessen in einer Filiale in Ihrer Nähe abholen").click()
    page.get_by_label("Hamburg store", exact=False).check()
    document(page, "customer-pickup-de")
    page.get_by_role("button", name="Dort abholen").click()

    expect(page.get_by_role("status")).to_have_text("Erledigt: Ihre Bestellung wurde geändert.")
    expect(page.locator(".facts")).to_contain_text("Abholen bei")
    expect(page.locator(".facts")).to_contain_text("Hamburg store")
    expect(page.locator(".timeline")).to_contain_text("Zur Abholung umgestellt")
    [line] = served.api.get("/v1/orders?channel=web").json()["items"][0]["lines"]
    assert [a["location_id"] for a in line["allocations"]] == ["ST-HAM"]
