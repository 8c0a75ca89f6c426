"""What a customer reads on their page: their products by name, where the order is
in a shopper's words, and the times where they are (the order's time zone: the
pickup store's, else that of the network's place nearest the address)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.support.api import network, place, stock
from tests.support.builders import a_location_body


@pytest.fixture
def link(api: TestClient) -> str:
    """Ada's order W-1 (2 rain jackets, for Hamburg) placed at 09:00 UTC, 10:00 in
    Germany; the path of her link, for a client with no key."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    lisbon = a_location_body(
        name="Lisbon DC",
        address={"line1": "Rua 1", "city": "Lisboa", "postal_code": "1100", "country": "PT"},
        latitude=38.72,
        longitude=-9.14,
        time_zone="Europe/Lisbon",
    )
    assert api.put("/v1/locations/DC-LIS", json=lisbon).status_code == 201
    order = place(api, ("SKU-1", 2), external_id="W-1")
    token = api.get(f"/v1/orders/{order['id']}/self-service-link").json()["token"]
    api.headers.pop("Authorization")
    return f"/my-order/{token}"


def _text(page: str) -> str:
    main = page[page.index("<main") :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_customer_reads_product_names_in_their_words_at_their_time(
    api: TestClient, link: str
) -> None:
    english = _text(api.get(link).text)
    german = _text(api.get(f"{link}?lang=de").text)

    assert "Rain jacket 2 being prepared" in english
    assert "SKU-1" not in english and "reserved" not in english
    assert "Placed Nov 2, 2026, 10:00:00 AM" in english
    assert "Times: Central European Time" in english
    assert "Regenjacke" not in german  # a product's name is the catalogue's, not translated
    assert "Rain jacket 2 in Vorbereitung" in german
    assert "Bestellt am 02.11.2026, 10:00:00" in german
    view = api.get(f"/v1/self-service/orders/{link.rsplit('/', 1)[1]}").json()
    assert view["time_zone"] == "Europe/Berlin"
    assert [(line["sku"], line["name"]) for line in view["lines"]] == [("SKU-1", "Rain jacket")]


def test_the_page_speaks_the_language_the_order_was_placed_in(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    order = place(api, ("SKU-1", 2), external_id="W-DE", language="de-ch")
    token = api.get(f"/v1/orders/{order['id']}/self-service-link").json()["token"]
    api.headers.pop("Authorization")
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}

    page = _text(api.get(f"/my-order/{token}", headers=english_browser).text)
    asked = _text(api.get(f"/my-order/{token}?lang=en", headers=english_browser).text)

    assert order["language"] == "de-CH"
    assert "in Vorbereitung" in page  # the order's language, whatever the browser's
    assert "being prepared" in asked  # the customer's own choice first
    assert api.get(f"/v1/self-service/orders/{token}").json()["language"] == "de-CH"
