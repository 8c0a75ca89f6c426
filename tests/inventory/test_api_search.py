"""Finding products and locations over HTTP: products by text (SKU, name, attribute
values) and attributes, paged, each with what it sells through a channel's view and,
given a place, the nearest pickup locations that have it; locations by type, country,
pickup and shipping, paged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ordino.access.services.keys import create_key
from ordino.inventory.api.products import ProductPage
from ordino.kernel.domain.roles import Role
from ordino.network.api.schemas import LocationOut, LocationPage
from tests.support.api import fields, refused, stock
from tests.support.builders import a_location_body, a_product_body

HAMBURG = {"latitude": 53.55, "longitude": 9.99}
MUNICH = {"latitude": 48.14, "longitude": 11.58}


def _store(city: str, postal_code: str, point: dict[str, float], **more: Any) -> dict[str, Any]:
    address = {"line1": "Markt 1", "city": city, "postal_code": postal_code, "country": "DE"}
    body = {"name": f"Store {city}", "type": "store", "address": address, "pickup": True}
    return a_location_body(**body, **point, **more)


def _network(api: TestClient) -> None:
    """DC-BER ships; ST-HAM and ST-MUC take pickups; ST-VIE (Austria) too."""
    vienna = _store(
        "Wien", "1070", {"latitude": 48.2, "longitude": 16.39}, time_zone="Europe/Vienna"
    )
    vienna["address"]["country"] = "AT"
    for location_id, body in (
        ("DC-BER", a_location_body()),
        ("ST-HAM", _store("Hamburg", "20095", HAMBURG, ships=False)),
        ("ST-MUC", _store("München", "80331", MUNICH, ships=False)),
        ("ST-VIE", vienna),
    ):
        assert api.put(f"/v1/locations/{location_id}", json=body).status_code == 201
    products = {
        "JKT-RED-M": ("Rain jacket", {"colour": "red", "size": "M"}),
        "JKT-RED-L": ("Rain jacket", {"colour": "red", "size": "L"}),
        "JKT-BLU-M": ("Rain jacket", {"colour": "blue", "size": "M"}),
        "BOOT-41": ("Hiking boot Straße", {"colour": "brown", "size": "41"}),
    }
    for sku, (name, attributes) in products.items():
        body = a_product_body(name=name, attributes=attributes)
        assert api.put(f"/v1/products/{sku}", json=body).status_code == 201
    stock(api, "DC-BER", "JKT-RED-M", 5)
    stock(api, "ST-HAM", "JKT-RED-M", 2)
    stock(api, "ST-MUC", "JKT-RED-M", 1)
    stock(api, "ST-HAM", "JKT-RED-L", 3)


def _skus(answer: dict[str, Any]) -> list[str]:
    return [item["sku"] for item in answer["items"]]


def test_a_product_keeps_its_attributes(api: TestClient) -> None:
    body = a_product_body(attributes={"colour": "red", "size": "M"})

    created = api.put("/v1/products/SKU-1", json=body)
    cleared = api.put("/v1/products/SKU-1", json=a_product_body(attributes={"colour": "blue"}))

    assert created.json()["attributes"] == {"colour": "red", "size": "M"}
    assert cleared.json()["attributes"] == {"colour": "blue"}
    assert api.get("/v1/products/SKU-1").json()["attributes"] == {"colour": "blue"}


def test_products_are_found_by_words_and_attributes_each_with_its_availability(
    api: TestClient,
) -> None:
    _network(api)

    jackets = api.get("/v1/products", params={"q": "rain JACK", "channel": "web"})
    red = api.get("/v1/products", params=[("q", "jacket"), ("attribute", "colour:red")])
    red_m = api.get("/v1/products", params=[("attribute", "colour:red"), ("attribute", "size:M")])
    by_sku = api.get("/v1/products", params={"q": "boot-41"})
    by_value = api.get("/v1/products", params={"q": "blue"})
    folded = api.get("/v1/products", params={"q": "strasse"})
    nothing = api.get("/v1/products", params={"q": "umbrella"})

    assert jackets.status_code == 200, jackets.text
    assert jackets.json()["view"] == "default"
    assert _skus(jackets.json()) == ["JKT-BLU-M", "JKT-RED-L", "JKT-RED-M"]
    assert _skus(red.json()) == ["JKT-RED-L", "JKT-RED-M"]
    assert _skus(red_m.json()) == ["JKT-RED-M"]
    assert _skus(by_sku.json()) == ["BOOT-41"]
    assert _skus(by_value.json()) == ["JKT-BLU-M"]
    assert _skus(folded.json()) == ["BOOT-41"]
    assert nothing.json() == {"view": "default", "items": [], "next_cursor": None}
    [red_m_item] = red_m.json()["items"]
    assert red_m_item == {
        "sku": "JKT-RED-M",
        "name": "Rain jacket",
        "weight_kg": "0.5",
        "prices": {"EUR": "59.90"},
        "attributes": {"colour": "red", "size": "M"},
        "tax_class": "standard",
        "customs": None,
        # Through the default view: what ships (DC-BER's 5; the stores do not ship).
        "availability": {"available": 5, "status": "in_stock", "future": []},
    }
    unstocked = jackets.json()["items"][0]
    assert unstocked["availability"] == {"available": 0, "status": "out_of_stock", "future": []}


def test_given_a_place_each_product_names_the_nearest_pickup_locations_with_it(
    api: TestClient,
) -> None:
    _network(api)

    near_hamburg = api.get(
        "/v1/products",
        params={"q": "jacket", "attribute": "colour:red", **HAMBURG, "radius_km": 1000},
    )

    items = {item["sku"]: item["availability"]["nearest"] for item in near_hamburg.json()["items"]}
    assert items == {
        "JKT-RED-L": [{"location_id": "ST-HAM", "distance_km": 0.0, "available": 3}],
        "JKT-RED-M": [
            {"location_id": "ST-HAM", "distance_km": 0.0, "available": 2},
            {"location_id": "ST-MUC", "distance_km": 611.8, "available": 1},
        ],
    }


def test_in_stock_finds_only_what_the_view_sells_or_a_pickup_location_near_has(
    api: TestClient,
) -> None:
    _network(api)

    anywhere = api.get("/v1/products", params={"q": "jacket", "in_stock": "true"})
    near = api.get(
        "/v1/products", params={"q": "jacket", "in_stock": "true", **HAMBURG, "radius_km": 50}
    )
    first = api.get("/v1/products", params={"in_stock": "true", **MUNICH, "limit": 1})

    # The default view sells what ships: DC-BER's JKT-RED-M; ST-HAM's JKT-RED-L is for
    # pickup only, near Hamburg.
    assert (_skus(anywhere.json()), anywhere.json()["next_cursor"]) == (["JKT-RED-M"], None)
    assert _skus(near.json()) == ["JKT-RED-L", "JKT-RED-M"]
    assert (_skus(first.json()), first.json()["next_cursor"]) == (["JKT-RED-M"], None)


def test_products_come_in_pages(api: TestClient) -> None:
    _network(api)

    first = api.get("/v1/products", params={"limit": 3}).json()
    second = api.get("/v1/products", params={"limit": 3, "cursor": first["next_cursor"]}).json()

    assert (_skus(first), first["next_cursor"]) == (
        ["BOOT-41", "JKT-BLU-M", "JKT-RED-L"],
        "JKT-RED-L",
    )
    assert (_skus(second), second["next_cursor"]) == (["JKT-RED-M"], None)


def test_a_channel_key_searches_through_its_own_view(api: TestClient, key_for: Any) -> None:
    _network(api)
    view = {"channels": ["web"], "locations": {"types": ["store"]}}
    assert api.put("/v1/availability-views/stores", json=view).status_code == 201
    headers = {"Authorization": f"Bearer {key_for(Role.CHANNEL)}"}

    found = api.get("/v1/products", params={"q": "jkt-red-m", "channel": "web"}, headers=headers)

    assert found.status_code == 200, found.text
    assert found.json()["view"] == "stores"
    # Through the stores only: they do not ship, so nothing is available to ship.
    assert found.json()["items"][0]["availability"]["available"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"attribute": "colour"}, "attribute"),
        ({"attribute": ":red"}, "attribute"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"q": "a b c d e f g h i j k"}, "q"),
        ({"latitude": 53.5}, "longitude"),
        ({"postal_code": "20095"}, "country"),
        ({"view": "nope"}, "view"),
        ({"cursor": "x" * 65}, "cursor"),
    ],
)
def test_a_bad_search_is_refused_naming_the_field(
    api: TestClient, params: dict[str, Any], field: str
) -> None:
    _network(api)

    assert fields(api.get("/v1/products", params=params)) == [field]


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"col:our": "red"}, "attributes.col:our"),
        ({"colour": ""}, "attributes.colour"),
        ({"colour": "x" * 201}, "attributes.colour"),
        ({f"a{n}": "x" for n in range(51)}, "attributes"),
    ],
)
def test_bad_attributes_are_refused_naming_the_field(
    api: TestClient, attributes: dict[str, str], field: str
) -> None:
    response = api.put("/v1/products/SKU-1", json=a_product_body(attributes=attributes))

    assert fields(response) == [field]
    refused(api.get("/v1/products/SKU-1"), 404, "not-found")


def test_locations_are_listed_by_type_country_pickup_and_shipping_in_pages(
    api: TestClient,
) -> None:
    _network(api)

    every = api.get("/v1/locations").json()
    stores = api.get("/v1/locations", params={"type": "store", "country": "DE"}).json()
    shipping = api.get("/v1/locations", params={"ships": "true"}).json()
    pickup = api.get("/v1/locations", params={"pickup": "true", "limit": 2}).json()
    rest = api.get("/v1/locations", params={"pickup": "true", "cursor": pickup["next_cursor"]})

    assert [at["id"] for at in every["items"]] == ["DC-BER", "ST-HAM", "ST-MUC", "ST-VIE"]
    assert every["items"][1] == api.get("/v1/locations/ST-HAM").json()
    assert [at["id"] for at in stores["items"]] == ["ST-HAM", "ST-MUC"]
    assert [at["id"] for at in shipping["items"]] == ["DC-BER", "ST-VIE"]
    assert ([at["id"] for at in pickup["items"]], pickup["next_cursor"]) == (
        ["ST-HAM", "ST-MUC"],
        "ST-MUC",
    )
    assert ([at["id"] for at in rest.json()["items"]], rest.json()["next_cursor"]) == (
        ["ST-VIE"],
        None,
    )
    assert fields(api.get("/v1/locations", params={"type": "depot"})) == ["type"]
    assert fields(api.get("/v1/locations", params={"country": "XX"})) == ["country"]


def test_a_channel_key_cannot_read_through_another_channels_view(
    api: TestClient, clock: Any
) -> None:
    _network(api)
    stores = {"channels": ["app"], "locations": {"types": ["store"]}}
    assert api.put("/v1/availability-views/stores", json=stores).status_code == 201
    web = {"channels": ["web"], "locations": {"include": ["DC-BER"]}}
    assert api.put("/v1/availability-views/web-view", json=web).status_code == 201
    key = create_key(Role.CHANNEL, "web", api.app.state.uow(), clock(), channel="web")  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {key}"}

    other = api.get("/v1/products", params={"q": "jkt-red-l", "view": "stores"}, headers=headers)
    default = api.get("/v1/products", params={"q": "jkt-red-l", "view": "default"}, headers=headers)
    read = api.get(
        "/v1/availability", params={"skus": "JKT-RED-L", "view": "stores"}, headers=headers
    )
    own = api.get("/v1/products", params={"q": "jkt-red-l", "view": "web-view"}, headers=headers)

    # ST-HAM's 3 of JKT-RED-L are in the stores' view only: never told to web's key.
    for refusal in (other, default, read):
        body = refused(refusal, 403, "forbidden")
        assert body["view"] == "web-view"
        assert "items" not in body
    assert own.status_code == 200, own.text
    assert own.json()["view"] == "web-view"
    assert own.json()["items"][0]["availability"]["available"] == 0


def test_a_store_key_is_not_told_other_stores_stock_near_a_place(
    api: TestClient, clock: Any
) -> None:
    _network(api)
    key = create_key(Role.STORE, "hamburg", api.app.state.uow(), clock(), location_id="ST-HAM")  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {key}"}
    place = {**MUNICH, "radius_km": 1000}

    found = api.get("/v1/products", params={"q": "jkt-red-m", **place}, headers=headers)
    read = api.get(
        "/v1/availability",
        params={"skus": "JKT-RED-M", "include": "locations", **place},
        headers=headers,
    )

    # ST-MUC has 1 of JKT-RED-M, 0 km from Munich: only ST-HAM's own 2 are told.
    assert found.status_code == 200, found.text
    assert found.json()["items"][0]["availability"]["nearest"] == [
        {"location_id": "ST-HAM", "distance_km": 611.8, "available": 2}
    ]
    assert read.status_code == 200, read.text
    [item] = read.json()["items"]
    assert item["nearest"] == [{"location_id": "ST-HAM", "distance_km": 611.8, "available": 2}]
    assert [at["location_id"] for at in item["locations"]] == ["ST-HAM"]


def test_accents_and_case_are_folded_alike_in_products_and_searches(api: TestClient) -> None:
    for sku, name in (("DESSERT-1", "Crème brûlée"), ("MAP-1", "Stadtplan Hauptstraße")):
        assert api.put(f"/v1/products/{sku}", json=a_product_body(name=name)).status_code == 201

    found = {
        q: _skus(api.get("/v1/products", params={"q": q}).json())
        for q in ("creme", "CRÈME brulee", "strasse", "hauptstrasse", "Straße", "crême")
    }

    assert found == {
        "creme": ["DESSERT-1"],
        "CRÈME brulee": ["DESSERT-1"],
        "strasse": [],  # a word begins a word: "hauptstraße" is one word
        "hauptstrasse": ["MAP-1"],
        "Straße": [],
        "crême": ["DESSERT-1"],
    }


def _schema_of(api: TestClient, path: str, method: str, status: str) -> dict[str, Any]:
    document = api.get("/openapi.json").json()
    answer = document["paths"][path][method]["responses"][status]
    schema: dict[str, Any] = answer["content"]["application/json"]["schema"]
    return schema


@pytest.mark.parametrize(
    ("path", "method", "status", "model"),
    [
        ("/v1/products", "get", "200", ProductPage),
        ("/v1/locations", "get", "200", LocationPage),
        ("/v1/locations/{location_id}", "get", "200", LocationOut),
        ("/v1/locations/{location_id}", "put", "200", LocationOut),
        ("/v1/locations/{location_id}", "put", "201", LocationOut),
    ],
)
def test_the_lists_and_searches_document_what_they_answer(
    api: TestClient, path: str, method: str, status: str, model: type[BaseModel]
) -> None:
    assert _schema_of(api, path, method, status) == {
        "$ref": f"#/components/schemas/{model.__name__}"
    }


def test_what_they_answer_is_what_their_schemas_say(api: TestClient) -> None:
    _network(api)
    answers = [
        (ProductPage, api.get("/v1/products", params={"q": "jacket", **HAMBURG}).json()),
        (ProductPage, api.get("/v1/products", params={"limit": 1}).json()),
        (LocationPage, api.get("/v1/locations", params={"limit": 2}).json()),
        (LocationOut, api.get("/v1/locations/ST-VIE").json()),
    ]

    for model, answer in answers:
        # Every field the answer has is in the model (unset ones left out), no other.
        assert model.model_validate(answer).model_dump(exclude_unset=True) == answer
