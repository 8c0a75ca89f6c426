"""The network over HTTP: products and locations.

Every refusal is a problem document naming the field, and leaves the data as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import fields, network, refused
from tests.support.builders import a_location_body, a_product_body

# Products


def test_put_product_creates_then_replaces_it_whole(api: TestClient) -> None:
    prices = {"USD": "64.00", "EUR": "59.90", "JPY": "9800"}
    created = api.put("/v1/products/SKU-1", json=a_product_body(prices=prices))
    replaced = api.put("/v1/products/SKU-1", json={"name": "Rain jacket II", "prices": {}})

    assert created.status_code == 201
    assert created.json() == {
        "sku": "SKU-1",
        "name": "Rain jacket",
        "weight_kg": "0.5",
        "prices": {"EUR": "59.90", "JPY": "9800", "USD": "64.00"},
        "attributes": {},
        "tax_class": "standard",
        "customs": None,
    }
    assert replaced.status_code == 200
    expected = {
        "sku": "SKU-1",
        "name": "Rain jacket II",
        "weight_kg": None,
        "prices": {},
        "attributes": {},
        "tax_class": "standard",
        "customs": None,
    }
    assert replaced.json() == expected
    assert api.get("/v1/products/SKU-1").json() == expected


def test_an_unknown_product_is_a_404_problem(api: TestClient) -> None:
    body = refused(api.get("/v1/products/SKU-404"), 404, "not-found")

    assert body["sku"] == "SKU-404"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"prices": {"ZZZ": "1.00"}}, "prices.ZZZ"),
        ({"prices": {"eur": "1.00"}}, "prices.eur"),
        ({"prices": {"EUR": "-1.00"}}, "prices.EUR"),
        ({"prices": {"EUR": "1.234"}}, "prices.EUR"),
        ({"prices": {"JPY": "1.5"}}, "prices.JPY"),
        ({"prices": {"EUR": "1e30"}}, "prices.EUR"),
        ({"prices": {"EUR": 59.9}}, "prices.EUR"),
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"weight_kg": -1}, "weight_kg"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_product_is_refused_naming_the_field(
    api: TestClient, changes: dict[str, Any], field: str
) -> None:
    body = {k: v for k, v in (a_product_body() | changes).items() if v is not None}

    assert fields(api.put("/v1/products/SKU-1", json=body)) == [field]
    refused(api.get("/v1/products/SKU-1"), 404, "not-found")


def test_a_refused_replacement_leaves_the_product_as_it_was(api: TestClient) -> None:
    before = api.put("/v1/products/SKU-1", json=a_product_body()).json()

    response = api.put("/v1/products/SKU-1", json=a_product_body(prices={"EUR": "1.234"}))

    assert fields(response) == ["prices.EUR"]
    assert api.get("/v1/products/SKU-1").json() == before


@pytest.mark.parametrize("sku", ["-SKU", "SK%20U", "SK%00U", "x" * 65])
def test_a_bad_sku_in_the_path_isrefused(api: TestClient, sku: str) -> None:
    response = api.put(f"/v1/products/{sku}", json=a_product_body())

    assert fields(response) == ["sku"]
    assert response.json()["errors"][0]["in"] == "path"


# Locations


def test_put_location_creates_then_replaces_it(api: TestClient) -> None:
    sent = a_location_body(type="store", pickup=True)
    renamed = {"name": "Hamburg store", "latitude": None, "longitude": None}

    created = api.put("/v1/locations/ST-HAM", json=sent)
    replaced = api.put("/v1/locations/ST-HAM", json=sent | renamed)

    assert created.status_code == 201
    blanks = {"line2": None, "region": None}
    assert created.json() == {"id": "ST-HAM"} | sent | {"address": sent["address"] | blanks}
    assert replaced.status_code == 200
    assert replaced.json() == created.json() | renamed
    assert api.get("/v1/locations/ST-HAM").json() == replaced.json()


def _address(**changes: Any) -> dict[str, Any]:
    address = a_location_body()["address"] | changes
    return {k: v for k, v in address.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "castle"}, "type"),
        ({"address": _address(country="XX")}, "address.country"),
        ({"address": _address(country="de")}, "address.country"),
        ({"address": _address(city=None)}, "address.city"),
        ({"address": _address(postal_code=None)}, "address.postal_code"),
        ({"address": _address(line1="")}, "address.line1"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"longitude": None}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"latitude": 91}, "latitude"),
        ({"ships": "sometimes"}, "ships"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_a_bad_location_is_refused_naming_the_field(
    api: TestClient, changes: dict[str, Any], field: str
) -> None:
    body = {k: v for k, v in (a_location_body() | changes).items() if v is not None}

    assert fields(api.put("/v1/locations/DC-X", json=body)) == [field]
    refused(api.get("/v1/locations/DC-X"), 404, "not-found")


def test_a_refused_replacement_leaves_the_location_as_it_was(api: TestClient) -> None:
    before = api.put("/v1/locations/DC-BER", json=a_location_body()).json()

    response = api.put("/v1/locations/DC-BER", json=a_location_body(time_zone="Europe/Berlinn"))

    assert fields(response) == ["time_zone"]
    assert api.get("/v1/locations/DC-BER").json() == before


def test_a_document_read_with_get_can_be_put_back(api: TestClient) -> None:
    network(api)
    location = api.get("/v1/locations/DC-BER").json()
    product = api.get("/v1/products/SKU-1").json()

    put_location = api.put("/v1/locations/DC-BER", json=location | {"name": "Berlin"})
    put_product = api.put("/v1/products/SKU-1", json=product | {"name": "Jacket"})
    other = api.put("/v1/products/SKU-2", json=product)

    assert (put_location.status_code, put_location.json()["name"]) == (200, "Berlin")
    assert (put_product.status_code, put_product.json()["name"]) == (200, "Jacket")
    assert fields(other) == ["sku"]
    assert api.get("/v1/products/SKU-2").json()["name"] == a_product_body()["name"]
