"""Orders over HTTP: capture with sourcing and reservation, idempotency, reading,
listing and cancelling. A refused order is never stored and reserves nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.kernel.domain.roles import Role
from tests.conftest import T0, Clock
from tests.support.api import events_of, fields, locations_of, network, order_of, refused, stock
from tests.support.builders import a_location_body, a_product_body, an_order_body

POINTS = {"DC-HAM": (53.55, 9.99), "DC-BER": (52.53, 13.38), "DC-MUC": (48.14, 11.58)}


def _network(api: TestClient, stock: dict[str, dict[str, int]]) -> None:
    """Products SKU-1..3 and the locations of `stock` ({"DC-HAM": {"SKU-1": 3}})."""
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201
    for location_id, on_hand in stock.items():
        latitude, longitude = POINTS[location_id]
        body = a_location_body(name=location_id, latitude=latitude, longitude=longitude)
        assert api.put(f"/v1/locations/{location_id}", json=body).status_code == 201
        for sku, quantity in on_hand.items():
            url = f"/v1/inventory/{location_id}/{sku}"
            assert api.put(url, json={"on_hand": quantity}).status_code == 201


def _reserved(api: TestClient, *skus: str) -> dict[str, int]:
    """Units reserved per SKU over the network."""
    return {sku: sum(at["reserved"] for at in locations_of(api, sku).values()) for sku in skus}


def _order_ids(api: TestClient, **params: str) -> list[str]:
    response = api.get("/v1/orders", params=params)
    assert response.status_code == 200
    return [order["id"] for order in response.json()["items"]]


def _allocations(order: dict[str, Any]) -> list[list[tuple[str, int]]]:
    return [
        [(a["location_id"], a["quantity"]) for a in line["allocations"]] for line in order["lines"]
    ]


def _place(api: TestClient, *lines: tuple[str, int], **changes: Any) -> dict[str, Any]:
    response = api.post("/v1/orders", json=an_order_body(*lines, **changes))
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


# Capture


def test_the_contract_example_places_an_order(api: TestClient) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10, "SKU-2": 10}})
    body = an_order_body(("SKU-1", 2), ("SKU-2", 1))
    body["lines"][1]["unit_price"] = "15.00"

    response = api.post("/v1/orders", json=body)

    assert response.status_code == 201
    order = response.json()
    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert order == {
        "id": order["id"],
        "channel": "web",
        "external_id": "W-1001",
        "status": "placed",
        "return_state": "none",
        "currency": "EUR",
        "total": "134.80",
        "money": {
            "goods": "134.80",
            "discount": "0.00",
            "charges": "0.00",
            "tax": "0.00",
            "total": "134.80",
        },
        "charges": [],
        "customer": {
            "email": "ada@example.com",
            "name": "Ada Lovelace",
            "phone": None,
            "vat_id": None,
            "group": None,
        },
        "tax_treatment": None,
        "exchange": None,
        "ship_to": body["ship_to"] | {"line2": None, "region": None},
        "type": "ship_to_home",
        "language": None,
        "priority": 0,
        "on_hold": False,
        "holds": [],
        "pipeline": {"steps": [], "next": None},  # begun when the worker first advances it
        "bill_to": None,
        "b2b": None,
        "lines": [
            {
                "line_no": 1,
                "sku": "SKU-1",
                "quantity": 2,
                "list_price": "59.90",
                "unit_price": "59.90",
                "gross": "119.80",
                "discount": "0.00",
                "net": "119.80",
                "tax": "0.00",
                "total": "119.80",
                "discounts": [],
                "taxes": [],
                "status": "allocated",
                "cancelled": 0,
                "allocated": 2,
                "released": 0,
                "shipped": 0,
                "delivered": 0,
                "picked_up": 0,
                "returned": 0,
                "being_returned": 0,
                "returnable": 0,
                "backordered": 0,
                "expected_on": None,
                "allocations": [{"location_id": "DC-BER", "quantity": 2, "ship_date": None}],
            },
            {
                "line_no": 2,
                "sku": "SKU-2",
                "quantity": 1,
                "list_price": "59.90",  # the catalogue's: sold for less
                "unit_price": "15.00",
                "gross": "15.00",
                "discount": "0.00",
                "net": "15.00",
                "tax": "0.00",
                "total": "15.00",
                "discounts": [],
                "taxes": [],
                "status": "allocated",
                "cancelled": 0,
                "allocated": 1,
                "released": 0,
                "shipped": 0,
                "delivered": 0,
                "picked_up": 0,
                "returned": 0,
                "being_returned": 0,
                "returnable": 0,
                "backordered": 0,
                "expected_on": None,
                "allocations": [{"location_id": "DC-BER", "quantity": 1, "ship_date": None}],
            },
        ],
        "fulfillments": [],
        "tenders": [],
        "promise": None,
        "created_at": "2026-11-02T09:00:00+00:00",
        "updated_at": "2026-11-02T09:00:00+00:00",
    }
    assert api.get(response.headers["location"]).json() == order
    assert _reserved(api, "SKU-1", "SKU-2") == {"SKU-1": 2, "SKU-2": 1}


@pytest.mark.parametrize(("to", "expected"), [((53.55, 9.99), "DC-BER"), ((48.2, 11.6), "DC-MUC")])
def test_the_nearest_location_with_the_whole_order_ships_it(
    api: TestClient, to: tuple[float, float], expected: str
) -> None:
    both = {"SKU-1": 5, "SKU-2": 5}
    _network(api, {"DC-HAM": {"SKU-1": 5}, "DC-BER": both, "DC-MUC": both})
    body = an_order_body(("SKU-1", 1), ("SKU-2", 1))
    body["ship_to"] |= {"latitude": to[0], "longitude": to[1]}

    order = api.post("/v1/orders", json=body).json()

    assert _allocations(order) == [[(expected, 1)], [(expected, 1)]]


def test_without_a_location_having_everything_the_fewest_locations_ship(api: TestClient) -> None:
    stock = {"DC-HAM": {"SKU-1": 2}, "DC-BER": {"SKU-2": 2}, "DC-MUC": {"SKU-1": 1, "SKU-2": 1}}
    _network(api, stock)

    order = _place(api, ("SKU-1", 2), ("SKU-2", 2))

    assert _allocations(order) == [[("DC-HAM", 2)], [("DC-BER", 2)]]


def test_a_line_no_location_can_fill_is_split(api: TestClient) -> None:
    _network(api, {"DC-HAM": {"SKU-1": 3}, "DC-BER": {"SKU-1": 2}, "DC-MUC": {"SKU-1": 4}})

    order = _place(api, ("SKU-1", 5))

    # Two packages either way: the nearer pair (Hamburg and Berlin) is cheaper.
    assert _allocations(order) == [[("DC-BER", 2), ("DC-HAM", 3)]]
    assert api.get(f"/v1/orders/{order['id']}").json() == order


def _changed(path: str, value: Any, **fields: Any) -> dict[str, Any]:
    """A valid order body (with `fields`) whose field at `path` ("ship_to.country") is
    set to `value`, or removed for `...`."""
    body = an_order_body(("SKU-1", 2), **fields)
    *parents, name = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: Any = body
    for parent in parents:
        target = target[parent]
    if value is ...:
        del target[name]
    else:
        target[name] = value
    return body


BAD_ORDERS = [
    (an_order_body(("SKU-404", 1)), "lines[0].sku"),
    (_changed("lines.0.quantity", 0), "lines[0].quantity"),
    (_changed("lines.0.quantity", -1), "lines[0].quantity"),
    (_changed("lines.0.quantity", "2"), "lines[0].quantity"),
    (_changed("lines.0.quantity", 2.5), "lines[0].quantity"),
    (_changed("lines.0.quantity", 10**7), "lines[0].quantity"),
    (_changed("lines.0.quantity", 10**30), "lines[0].quantity"),
    (_changed("lines.0.unit_price", "59.999"), "lines[0].unit_price"),
    (_changed("lines.0.unit_price", 59.9), "lines[0].unit_price"),
    (_changed("lines.0.unit_price", "-1"), "lines[0].unit_price"),
    (_changed("lines.0.unit_price", "1e30"), "lines[0].unit_price"),
    (_changed("lines.0.unit_price", "9999999999999999.99"), "lines"),
    (_changed("lines.0.unit_price", "1.5", currency="JPY"), "lines[0].unit_price"),
    (_changed("currency", "ZZZ"), "currency"),
    (_changed("currency", "eur"), "currency"),
    (_changed("ship_to.postal_code", ...), "ship_to.postal_code"),
    (_changed("ship_to.country", "XX"), "ship_to.country"),
    (_changed("ship_to.longitude", ...), "ship_to.longitude"),
    (_changed("customer.email", "ada.example.com"), "customer.email"),
    (_changed("lines", []), "lines"),
    (_changed("channel", ...), "channel"),
    (_changed("external_id", "W-\x00"), "external_id"),
    (_changed("gift_wrap", True), "gift_wrap"),
]


@pytest.mark.parametrize(("body", "field"), BAD_ORDERS)
def test_a_bad_order_is_refused_naming_the_field(
    api: TestClient, body: dict[str, Any], field: str
) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})

    problem = refused(api.post("/v1/orders", json=body), 422, "invalid-input")

    assert [error["field"] for error in problem["errors"]] == [field]
    assert _order_ids(api) == []
    assert _reserved(api, "SKU-1") == {"SKU-1": 0}


@pytest.mark.parametrize(
    "content", [b'{"channel": "web",', b"[]", b'[{"channel": "web"}]', b"", b"null", b'"order"']
)
def test_a_body_that_is_no_json_object_is_refused(api: TestClient, content: bytes) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    headers = {"content-type": "application/json"}

    response = api.post("/v1/orders", content=content, headers=headers)

    problem = refused(response, 422, "invalid-input")
    assert [error["field"] for error in problem["errors"]] == ["body"]
    assert _order_ids(api) == []


def test_insufficient_stock_is_409_with_shortfalls_and_reserves_nothing(api: TestClient) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10, "SKU-2": 1}, "DC-MUC": {"SKU-2": 2}})

    response = api.post("/v1/orders", json=an_order_body(("SKU-1", 2), ("SKU-2", 4)))

    problem = refused(response, 409, "insufficient-stock")
    assert problem["shortfalls"] == [
        {"line_no": 2, "sku": "SKU-2", "requested": 4, "available": 3, "short": 1}
    ]
    assert _order_ids(api) == []
    assert _reserved(api, "SKU-1", "SKU-2") == {"SKU-1": 0, "SKU-2": 0}


def test_the_same_channel_order_twice_is_a_409_naming_the_first(api: TestClient) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    first = _place(api, ("SKU-1", 2))

    again = api.post("/v1/orders", json=an_order_body(("SKU-1", 3)))
    other_channel = _place(api, ("SKU-1", 1), channel="app")

    assert refused(again, 409, "duplicate-order")["order_id"] == first["id"]
    assert set(_order_ids(api)) == {first["id"], other_channel["id"]}
    assert _reserved(api, "SKU-1") == {"SKU-1": 3}


# Idempotency-Key


def test_a_repeated_idempotent_request_gets_the_first_answer(api: TestClient) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    headers = {"Idempotency-Key": "checkout-7"}

    first = api.post("/v1/orders", json=an_order_body(), headers=headers)
    again = api.post("/v1/orders", json=an_order_body(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert _order_ids(api) == [first.json()["id"]]
    assert _reserved(api, "SKU-1") == {"SKU-1": 2}


def test_an_idempotency_key_with_another_body_is_refused(api: TestClient) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    headers = {"Idempotency-Key": "checkout-7"}
    first = api.post("/v1/orders", json=an_order_body(("SKU-1", 2)), headers=headers)

    other = api.post("/v1/orders", json=an_order_body(("SKU-1", 3)), headers=headers)

    assert refused(other, 409, "idempotency-key-reused")["idempotency_key"] == "checkout-7"
    assert _order_ids(api) == [first.json()["id"]]
    assert _reserved(api, "SKU-1") == {"SKU-1": 2}


def test_idempotency_keys_belong_to_the_api_key_that_sent_them(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    channel = {"Authorization": f"Bearer {key_for(Role.CHANNEL)}", "Idempotency-Key": "k-1"}

    mine = api.post("/v1/orders", json=an_order_body(), headers={"Idempotency-Key": "k-1"})
    theirs = api.post("/v1/orders", json=an_order_body(external_id="W-2"), headers=channel)

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert _reserved(api, "SKU-1") == {"SKU-1": 4}


# Reading and listing


@pytest.mark.parametrize(
    "request_line", ["GET /v1/orders/ORDER-404", "POST /v1/orders/ORDER-404/cancel"]
)
def test_an_unknown_order_is_a_404refused(api: TestClient, request_line: str) -> None:
    method, path = request_line.split()

    problem = refused(api.request(method, path), 404, "not-found")

    assert problem["order_id"] == "ORDER-404"


def _three_orders(api: TestClient, clock: Clock) -> list[str]:
    """At 09:00 web/ada, at 10:00 app/bob, at 11:00 web/Ada (cancelled)."""
    _network(api, {"DC-BER": {"SKU-1": 10}})
    first = _place(api, external_id="W-1")["id"]
    clock.advance(hours=1)
    bob = {"email": "bob@example.com"}
    second = _place(api, external_id="A-1", channel="app", customer=bob)["id"]
    clock.advance(hours=1)
    third = _place(api, external_id="W-2", customer={"email": "Ada@Example.COM"})["id"]
    assert api.post(f"/v1/orders/{third}/cancel").status_code == 200
    return [first, second, third]


def _at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [2, 1, 0]),
        ({"status": "placed"}, [1, 0]),
        ({"status": "cancelled"}, [2]),
        ({"channel": "web"}, [2, 0]),
        ({"channel": "store"}, []),
        ({"customer_email": "ADA@example.com"}, [2, 0]),
        ({"created_from": _at(1)}, [2, 1]),
        ({"created_to": _at(1)}, [0]),
        ({"created_from": _at(0.5), "created_to": "2026-11-02T11:30:00+01:00"}, [1]),
        ({"created_from": "2026-11-02T10:00:00Z", "channel": "web"}, [2]),
    ],
)
def test_orders_are_listed_newest_first_by_filter(
    api: TestClient, clock: Clock, params: dict[str, str], expected: list[int]
) -> None:
    ids = _three_orders(api, clock)

    assert _order_ids(api, **params) == [ids[i] for i in expected]


def test_the_cursor_pages_through_every_order_once(api: TestClient, clock: Clock) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}})
    placed = []
    for n in range(5):
        placed.append(_place(api, ("SKU-1", 1), external_id=f"W-{n}")["id"])
        clock.advance(seconds=1)

    pages, cursor = [], None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = api.get("/v1/orders", params=params).json()
        pages.append([order["id"] for order in page["items"]])
        if (cursor := page["next_cursor"]) is None:
            break

    newest_first = placed[::-1]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"created_from": "2026-11-02T09:00:00"}, "created_from"),
        ({"created_to": "yesterday"}, "created_to"),
        ({"created_to": "0001-01-01T00:00:00+03:00"}, "created_to"),  # year 0 in UTC
        ({"status": "lost"}, "status"),
        ({"colour": "red"}, "colour"),
        ({"channel": "\x00"}, "channel"),
    ],
)
def test_bad_list_parameters_are_refused(
    api: TestClient, params: dict[str, str], field: str
) -> None:
    problem = refused(api.get("/v1/orders", params=params), 422, "invalid-input")

    assert [(error["field"], error["in"]) for error in problem["errors"]] == [(field, "query")]


# Cancelling


def test_cancel_releases_the_reservations_once(api: TestClient, clock: Clock) -> None:
    _network(api, {"DC-BER": {"SKU-1": 10}, "DC-MUC": {"SKU-1": 10}})
    order = _place(api, ("SKU-1", 12))
    _place(api, ("SKU-1", 3), external_id="W-2")
    clock.advance(minutes=5)

    cancelled = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "changed mind"})
    clock.advance(minutes=5)
    again = api.post(f"/v1/orders/{order['id']}/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json() == order | {
        "status": "cancelled",
        "lines": [
            order["lines"][0]
            | {"status": "cancelled", "cancelled": 12, "allocated": 0, "allocations": []}
        ],
        "updated_at": "2026-11-02T09:05:00+00:00",
    }
    assert again.status_code == 200
    assert again.json() == cancelled.json()
    assert _reserved(api, "SKU-1") == {"SKU-1": 3}
    availability = api.get("/v1/availability", params={"skus": "SKU-1"}).json()
    assert availability["items"][0]["available"] == 17


def test_the_customers_language_is_kept_as_bcp_47_and_a_wrong_one_refused(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    swiss = api.post("/v1/orders", json=an_order_body(("SKU-1", 1), language="fr_ch"))
    wrong = api.post(
        "/v1/orders", json=an_order_body(("SKU-1", 1), external_id="W-2", language="xx-YY")
    )

    assert swiss.status_code == 201, swiss.text
    assert swiss.json()["language"] == "fr-CH"
    assert order_of(api, swiss.json()["id"])["language"] == "fr-CH"
    created = [e for e in events_of(api, swiss.json()["id"]) if e["type"] == "order.created"]
    assert created[0]["data"]["language"] == "fr-CH"  # what its messages are written in
    assert fields(wrong) == ["language"]
