"""The network over HTTP: products, locations, stock positions, adjustments, availability.

Every refusal is a problem document naming the field, and leaves the data as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.builders import a_location_body, a_product_body, an_adjustment_body, an_order_body

PROBLEM = "application/problem+json"


def _refused(response: Response, status: int, problem: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{problem}"
    assert body["status"] == status
    return body


def _fields(response: Response) -> list[str]:
    return [error["field"] for error in _refused(response, 422, "invalid-input")["errors"]]


def _network(api: TestClient) -> None:
    """DC-BER and SKU-1, SKU-2: the places and things the tests stock."""
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    for sku in ("SKU-1", "SKU-2"):
        assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201


def _stock(api: TestClient, location_id: str, sku: str, on_hand: int, safety: int = 0) -> None:
    body = {"on_hand": on_hand, "safety_stock": safety}
    assert api.put(f"/v1/inventory/{location_id}/{sku}", json=body).status_code == 200


def _positions(api: TestClient, sku: str) -> list[dict[str, Any]]:
    response = api.get("/v1/availability", params={"skus": sku})
    assert response.status_code == 200
    locations: list[dict[str, Any]] = response.json()["items"][0]["locations"]
    return locations


def _on_hand(api: TestClient, sku: str, location_id: str = "DC-BER") -> int | None:
    found = [p["on_hand"] for p in _positions(api, sku) if p["location_id"] == location_id]
    return found[0] if found else None


def _at(location_id: str, *counts: int) -> dict[str, Any]:
    """`_at("DC-BER", available, on_hand, reserved, safety_stock)`: one availability entry."""
    names = ("available", "on_hand", "reserved", "safety_stock")
    return {"location_id": location_id} | dict(zip(names, counts, strict=True))


def _adjust(api: TestClient, *adjustments: dict[str, Any]) -> Response:
    return api.post("/v1/inventory/adjustments", json={"adjustments": list(adjustments)})


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
    }
    assert replaced.status_code == 200
    expected = {"sku": "SKU-1", "name": "Rain jacket II", "weight_kg": None, "prices": {}}
    assert replaced.json() == expected
    assert api.get("/v1/products/SKU-1").json() == expected


def test_an_unknown_product_is_a_404_problem(api: TestClient) -> None:
    body = _refused(api.get("/v1/products/SKU-404"), 404, "not-found")

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

    assert _fields(api.put("/v1/products/SKU-1", json=body)) == [field]
    _refused(api.get("/v1/products/SKU-1"), 404, "not-found")


def test_a_refused_replacement_leaves_the_product_as_it_was(api: TestClient) -> None:
    before = api.put("/v1/products/SKU-1", json=a_product_body()).json()

    refused = api.put("/v1/products/SKU-1", json=a_product_body(prices={"EUR": "1.234"}))

    assert _fields(refused) == ["prices.EUR"]
    assert api.get("/v1/products/SKU-1").json() == before


@pytest.mark.parametrize("sku", ["-SKU", "SK%20U", "SK%00U", "x" * 65])
def test_a_bad_sku_in_the_path_is_refused(api: TestClient, sku: str) -> None:
    response = api.put(f"/v1/products/{sku}", json=a_product_body())

    assert _fields(response) == ["sku"]
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

    assert _fields(api.put("/v1/locations/DC-X", json=body)) == [field]
    _refused(api.get("/v1/locations/DC-X"), 404, "not-found")


def test_a_refused_replacement_leaves_the_location_as_it_was(api: TestClient) -> None:
    before = api.put("/v1/locations/DC-BER", json=a_location_body()).json()

    refused = api.put("/v1/locations/DC-BER", json=a_location_body(time_zone="Europe/Berlinn"))

    assert _fields(refused) == ["time_zone"]
    assert api.get("/v1/locations/DC-BER").json() == before


# Positions


def test_put_position_sets_on_hand_and_safety_stock(api: TestClient) -> None:
    _network(api)

    first = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 10, "safety_stock": 2})
    counted = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 12})

    assert first.status_code == 200
    assert first.json() == {
        "location_id": "DC-BER",
        "sku": "SKU-1",
        "on_hand": 10,
        "reserved": 0,
        "safety_stock": 2,
        "available": 8,
    }
    assert counted.json() == first.json() | {"on_hand": 12, "available": 10}


@pytest.mark.parametrize(
    ("path", "problem_field", "value"),
    [
        ("/v1/inventory/DC-404/SKU-1", "location_id", "DC-404"),
        ("/v1/inventory/DC-BER/SKU-404", "sku", "SKU-404"),
    ],
)
def test_a_position_of_an_unknown_location_or_sku_is_404(
    api: TestClient, path: str, problem_field: str, value: str
) -> None:
    _network(api)

    body = _refused(api.put(path, json={"on_hand": 5}), 404, "not-found")

    assert body[problem_field] == value
    assert _positions(api, "SKU-1") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on_hand": -1}, "on_hand"),
        ({"on_hand": "5"}, "on_hand"),
        ({"on_hand": 1.5}, "on_hand"),
        ({"on_hand": 5, "safety_stock": -1}, "safety_stock"),
        ({"safety_stock": 1}, "on_hand"),
        ({"on_hand": 5, "reserved": 0}, "reserved"),
    ],
)
def test_a_bad_position_is_refused_and_changes_nothing(
    api: TestClient, body: dict[str, Any], field: str
) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)

    assert _fields(api.put("/v1/inventory/DC-BER/SKU-1", json=body)) == [field]
    assert _on_hand(api, "SKU-1") == 10


def test_on_hand_below_reserved_is_409_and_changes_nothing(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)
    assert api.post("/v1/orders", json=an_order_body(("SKU-1", 3))).status_code == 201

    response = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 2, "safety_stock": 1})

    body = _refused(response, 409, "below-reserved")
    assert (body["location_id"], body["sku"], body["reserved"]) == ("DC-BER", "SKU-1", 3)
    assert _positions(api, "SKU-1") == [_at("DC-BER", 7, 10, 3, 0)]


# Adjustments


def test_adjustments_apply_their_deltas(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)

    response = _adjust(
        api, an_adjustment_body("E-1", -4), an_adjustment_body("E-2", 7, sku="SKU-2")
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"event_id": "E-1", "status": "applied"},
            {"event_id": "E-2", "status": "applied"},
        ]
    }
    assert (_on_hand(api, "SKU-1"), _on_hand(api, "SKU-2")) == (6, 7)


def test_an_event_sent_again_is_applied_once(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)
    _adjust(api, an_adjustment_body("E-1", 5))

    again = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-2", 1))

    assert again.json()["results"] == [
        {"event_id": "E-1", "status": "duplicate"},
        {"event_id": "E-2", "status": "applied"},
    ]
    assert _on_hand(api, "SKU-1") == 16


@pytest.mark.parametrize(
    ("unknown", "field"),
    [
        ({"sku": "SKU-404"}, "adjustments[1].sku"),
        ({"location_id": "DC-404"}, "adjustments[1].location_id"),
    ],
)
def test_an_unknown_reference_refuses_the_whole_batch(
    api: TestClient, unknown: dict[str, str], field: str
) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)

    refused = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-2", 1, **unknown))

    assert _fields(refused) == [field]
    assert _on_hand(api, "SKU-1") == 10
    resent = _adjust(api, an_adjustment_body("E-1", 5))
    assert resent.json()["results"] == [{"event_id": "E-1", "status": "applied"}]


def test_a_delta_below_reserved_refuses_the_whole_batch(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)
    _stock(api, "DC-BER", "SKU-2", 10)
    assert api.post("/v1/orders", json=an_order_body(("SKU-1", 4))).status_code == 201

    response = _adjust(
        api, an_adjustment_body("E-1", 5, sku="SKU-2"), an_adjustment_body("E-2", -7)
    )

    body = _refused(response, 409, "below-reserved")
    assert (body["event_id"], body["on_hand"], body["reserved"]) == ("E-2", 10, 4)
    assert (_on_hand(api, "SKU-1"), _on_hand(api, "SKU-2")) == (10, 10)
    resent = _adjust(api, an_adjustment_body("E-1", 5, sku="SKU-2"))
    assert resent.json()["results"] == [{"event_id": "E-1", "status": "applied"}]


def test_an_event_id_repeated_within_a_request_is_refused(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)

    refused = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-1", 3))

    assert _fields(refused) == ["adjustments[1].event_id"]
    assert _on_hand(api, "SKU-1") == 10


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"adjustments": []}, "adjustments"),
        ({"adjustments": [an_adjustment_body(delta="5")]}, "adjustments[0].delta"),
        ({"adjustments": [an_adjustment_body(sku="-x")]}, "adjustments[0].sku"),
        ({"adjustments": [an_adjustment_body(event_id="")]}, "adjustments[0].event_id"),
    ],
)
def test_a_malformed_batch_is_refused(api: TestClient, body: dict[str, Any], field: str) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 10)

    assert _fields(api.post("/v1/inventory/adjustments", json=body)) == [field]
    assert _on_hand(api, "SKU-1") == 10


# Availability


def test_availability_counts_shipping_locations_less_safety_stock(api: TestClient) -> None:
    _network(api)
    api.put("/v1/locations/DC-MUC", json=a_location_body(name="Munich DC"))
    api.put("/v1/locations/ST-HAM", json=a_location_body(type="store", ships=False))
    _stock(api, "DC-BER", "SKU-1", 10, safety=3)
    _stock(api, "DC-MUC", "SKU-1", 2, safety=5)
    _stock(api, "ST-HAM", "SKU-1", 50)
    assert api.post("/v1/orders", json=an_order_body(("SKU-1", 4))).status_code == 201

    response = api.get("/v1/availability", params={"skus": "SKU-2,SKU-1"})

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {"sku": "SKU-2", "available": 0, "locations": []},
            {
                "sku": "SKU-1",
                "available": 3,
                "locations": [_at("DC-BER", 3, 10, 4, 3), _at("DC-MUC", 0, 2, 0, 5)],
            },
        ]
    }


@pytest.mark.parametrize(
    "params",
    [{"skus": "SKU-1,SKU-404"}, {"skus": ""}, {"skus": " , "}, {"skus": "SKU 1"}, {}],
)
def test_bad_skus_for_availability_are_refused(api: TestClient, params: dict[str, str]) -> None:
    _network(api)

    assert _fields(api.get("/v1/availability", params=params)) == ["skus"]


def test_adjustments_cannot_push_on_hand_past_the_maximum(api: TestClient) -> None:
    _network(api)
    _stock(api, "DC-BER", "SKU-1", 0)
    statuses = [
        _adjust(api, an_adjustment_body(f"E-{n}", 100_000_000)).status_code for n in range(10)
    ]

    over = _adjust(api, an_adjustment_body("E-over", 1))

    assert statuses == [200] * 10
    _refused(over, 409, "conflict")
    assert _on_hand(api, "SKU-1") == 1_000_000_000


def test_a_document_read_with_get_can_be_put_back(api: TestClient) -> None:
    _network(api)
    location = api.get("/v1/locations/DC-BER").json()
    product = api.get("/v1/products/SKU-1").json()

    put_location = api.put("/v1/locations/DC-BER", json=location | {"name": "Berlin"})
    put_product = api.put("/v1/products/SKU-1", json=product | {"name": "Jacket"})
    other = api.put("/v1/products/SKU-2", json=product)

    assert (put_location.status_code, put_location.json()["name"]) == (200, "Berlin")
    assert (put_product.status_code, put_product.json()["name"]) == (200, "Jacket")
    assert _fields(other) == ["sku"]
    assert api.get("/v1/products/SKU-2").json()["name"] == a_product_body()["name"]
