"""Rate cards over HTTP: what a carrier service charges, read back as given, refused
when bad, versioned like the other settings."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.api import fields, network, refused

CARD: dict[str, Any] = {
    "currency": "EUR",
    "base_per_package": "0.40",
    "minimum_charge": "3.50",
    "zones": [
        {
            "destination_countries": ["DE"],
            "max_km": 300,
            "breaks": [{"up_to_kg": "2", "price": "3.00"}, {"up_to_kg": "10", "price": "5.00"}],
            "per_extra_kg": "0.50",
        },
        {"breaks": [{"up_to_kg": "10", "price": "7.00"}]},
    ],
}


def test_a_rate_card_is_stored_read_listed_and_removed(api: TestClient) -> None:
    created = api.put("/v1/rate-cards/dhl-paket", json=CARD)
    replaced = api.put(
        "/v1/rate-cards/dhl-paket", json=CARD | {"minimum_charge": "3.90", "version": 1}
    )

    assert (created.status_code, replaced.status_code) == (201, 200)
    card = api.get("/v1/rate-cards/dhl-paket").json()
    assert (card["service"], card["version"], card["minimum_charge"]) == ("dhl-paket", 2, "3.90")
    assert card["zones"][0] == {
        "origin_countries": [],
        "destination_countries": ["DE"],
        "postal_prefixes": [],
        "max_km": 300.0,
        "breaks": [{"up_to_kg": "2", "price": "3.00"}, {"up_to_kg": "10", "price": "5.00"}],
        "per_extra_kg": "0.50",
    }
    assert [c["service"] for c in api.get("/v1/rate-cards").json()["items"]] == ["dhl-paket"]
    assert api.delete("/v1/rate-cards/dhl-paket").status_code == 204
    refused(api.get("/v1/rate-cards/dhl-paket"), 404, "not-found")


def test_bad_rate_cards_are_refused_naming_the_field(api: TestClient) -> None:
    cheaper_heavier = {
        "breaks": [{"up_to_kg": "2", "price": "5.00"}, {"up_to_kg": "5", "price": "4.00"}]
    }
    assert fields(api.put("/v1/rate-cards/x", json=CARD | {"zones": [cheaper_heavier]})) == [
        "zones[0]"
    ]
    assert fields(api.put("/v1/rate-cards/x", json=CARD | {"zones": []})) == ["zones"]
    assert fields(api.put("/v1/rate-cards/x", json=CARD | {"minimum_charge": "-1"})) == [
        "minimum_charge"
    ]
    assert fields(api.put("/v1/rate-cards/x", json=CARD | {"currency": "XXX"})) == ["currency"]
    assert api.get("/v1/rate-cards").json()["items"] == []


def test_a_locations_costs_are_stored_and_read(api: TestClient) -> None:
    network(api)
    default = api.get("/v1/locations/DC-BER/costs").json()
    body = {"per_order": "1.20", "per_unit": "0.15", "markdown": {"SKU-1": "0.25"}}
    created = api.put("/v1/locations/DC-BER/costs", json=body)

    assert (default["version"], default["per_order"]) == (0, "0")
    assert created.status_code == 201, created.text
    assert api.get("/v1/locations/DC-BER/costs").json() == {
        "location_id": "DC-BER",
        "per_order": "1.20",
        "per_unit": "0.15",
        "store_labour_per_unit": "0",
        "markdown": {"SKU-1": "0.25"},
        "version": 1,
    }
    assert fields(api.put("/v1/locations/DC-BER/costs", json={"markdown": {"SKU-1": "1.5"}})) == [
        "markdown.SKU-1"
    ]
    refused(api.put("/v1/locations/NOWHERE/costs", json=body), 404, "not-found")
