"""Promises over HTTP: how locations work, carrier services, and the options for a
cart. The clock stands at Monday 2 November 2026, 10:00 in Berlin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ordino.access.services.keys import create_key
from ordino.inventory.services.availability import put_postal_codes
from ordino.kernel.domain.geo import Point, PostalCode
from ordino.kernel.domain.roles import Role
from ordino.network.store.tables import capacity_use
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.api import fields, network, refused, stock, work
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    an_operations_body,
    an_order_body,
)
from tests.support.storage import rows

WAREHOUSE_HOURS = an_operations_body()

EXPRESS = a_carrier_service_body(
    name="DHL Express",
    level="express",
    price={"amount": "12.50", "currency": "EUR"},
    transit=[{"min_days": 1, "max_days": 1}],
)


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    store = a_location_body(
        name="Hamburg store",
        type="store",
        ships=False,
        pickup=True,
        address={
            "line1": "Jungfernstieg 10",
            "city": "Hamburg",
            "postal_code": "20354",
            "country": "DE",
        },
        latitude=53.55,
        longitude=9.99,
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/locations/DC-BER/operations", json=WAREHOUSE_HOURS).status_code == 201
    assert (
        api.put("/v1/carrier-services/dhl-standard", json=a_carrier_service_body()).status_code
        == 201
    )
    assert api.put("/v1/carrier-services/dhl-express", json=EXPRESS).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    stock(api, "ST-HAM", "SKU-1", 2)


WINDOW = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
HAMBURG_CUSTOMER = {"country": "DE", "postal_code": "20095", "latitude": 53.55, "longitude": 10.0}


def _promise(api: TestClient, *lines: tuple[str, int], **body: Any) -> dict[str, Any]:
    request = {
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "destination": HAMBURG_CUSTOMER,
        **body,
    }
    response = api.post("/v1/promises", json=request)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_how_a_location_works_is_stored_read_and_versioned(api: TestClient) -> None:
    network(api)
    default = api.get("/v1/locations/DC-BER/operations").json()
    created = api.put("/v1/locations/DC-BER/operations", json=WAREHOUSE_HOURS | {"version": 0})
    stale = api.put("/v1/locations/DC-BER/operations", json=WAREHOUSE_HOURS | {"version": 0})

    assert default["version"] == 0 and default["capacity"] is None
    assert created.status_code == 201
    read = api.get("/v1/locations/DC-BER/operations").json()
    assert read["version"] == 1
    assert read["opening_hours"]["monday"] == [{"opens": "08:00", "closes": "20:00"}]
    assert read["opening_hours"]["sunday"] == []
    assert read["cut_offs"] == {"express": "12:00", "standard": "15:00"}
    assert read["capacity"] == {"limit": 500, "unit": "orders"}
    refused(stale, 409, "conflict")


def test_bad_operations_are_refused_naming_the_field(api: TestClient) -> None:
    network(api)
    backwards = WAREHOUSE_HOURS | {
        "opening_hours": {"monday": [{"opens": "18:00", "closes": "09:00"}]}
    }
    overlapping = WAREHOUSE_HOURS | {
        "opening_hours": {
            "monday": [{"opens": "08:00", "closes": "13:00"}, {"opens": "12:00", "closes": "18:00"}]
        }
    }
    assert fields(api.put("/v1/locations/DC-BER/operations", json=backwards)) == [
        "opening_hours.monday[0]"
    ]
    assert fields(api.put("/v1/locations/DC-BER/operations", json=overlapping)) == [
        "opening_hours.monday"
    ]
    assert fields(
        api.put(
            "/v1/locations/DC-BER/operations",
            json=WAREHOUSE_HOURS | {"cut_offs": {"standard": "25:00"}},
        )
    ) == ["cut_offs.standard"]
    refused(api.put("/v1/locations/NOWHERE/operations", json=WAREHOUSE_HOURS), 404, "not-found")
    assert api.get("/v1/locations/DC-BER/operations").json()["version"] == 0


def test_carrier_services_are_created_listed_replaced_and_removed(api: TestClient) -> None:
    created = api.put("/v1/carrier-services/dhl-standard", json=a_carrier_service_body())
    replaced = api.put(
        "/v1/carrier-services/dhl-standard",
        json=a_carrier_service_body(price={"amount": "5.5", "currency": "EUR"}, version=1),
    )
    listed = api.get("/v1/carrier-services").json()["items"]
    removed = api.delete("/v1/carrier-services/dhl-standard")

    assert created.status_code == 201 and replaced.status_code == 200
    assert [(s["code"], s["price"], s["version"]) for s in listed] == [
        ("dhl-standard", {"amount": "5.50", "currency": "EUR"}, 2)
    ]
    assert listed[0]["delivery_days"] == [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ]
    assert removed.status_code == 204
    refused(api.get("/v1/carrier-services/dhl-standard"), 404, "not-found")


def test_bad_carrier_services_are_refused_naming_the_field(api: TestClient) -> None:
    backwards = a_carrier_service_body(transit=[{"min_days": 3, "max_days": 1}])
    cents = a_carrier_service_body(price={"amount": "4.999", "currency": "EUR"})
    assert fields(api.put("/v1/carrier-services/x", json=backwards)) == ["transit[0]"]
    assert fields(api.put("/v1/carrier-services/x", json=cents)) == ["price"]
    assert fields(api.put("/v1/carrier-services/x", json=a_carrier_service_body(transit=[]))) == [
        "transit"
    ]
    assert api.get("/v1/carrier-services").json()["items"] == []


@pytest.mark.usefixtures("stocked")
def test_a_cart_gets_every_option_soonest_first(api: TestClient, engine: Engine) -> None:
    answer = _promise(api, ("SKU-1", 1))

    options = {option["id"]: option for option in answer["options"]}
    assert list(options) == ["pickup:ST-HAM", "ship:dhl-express", "ship:dhl-standard"]
    pickup = options["pickup:ST-HAM"]
    # The store described no hours: it works always, with nothing to prepare.
    assert (pickup["method"], pickup["ready_by"]) == ("pickup", "2026-11-02T09:00:00+00:00")
    express = options["ship:dhl-express"]
    # Express has its cut-off at 12:00 and the order came at 10:00 with 2 hours' work.
    assert (express["ship_date"], express["delivery"]) == (
        "2026-11-02",
        {"earliest": "2026-11-03", "latest": "2026-11-03"},
    )
    assert express["cost"] == {"amount": "12.50", "currency": "EUR"}
    assert express["sources"] == [
        {"location_id": "DC-BER", "sku": "SKU-1", "quantity": 1, "ship_date": "2026-11-02"}
    ]
    assert options["ship:dhl-standard"]["delivery"] == {
        "earliest": "2026-11-03",
        "latest": "2026-11-04",
    }
    assert rows(engine, capacity_use) == []  # a quote takes nothing


@pytest.mark.usefixtures("stocked")
def test_a_store_without_the_goods_offers_ship_to_store(api: TestClient) -> None:
    answer = _promise(api, ("SKU-2", 1))
    options = {option["id"]: option for option in answer["options"]}
    assert set(options) == {"ship:dhl-express", "ship:dhl-standard", "ship_to_store:ST-HAM"}
    to_store = options["ship_to_store:ST-HAM"]
    assert to_store["sources"][0]["location_id"] == "DC-BER"
    assert to_store["delivery"]["earliest"] == "2026-11-03"


@pytest.mark.usefixtures("stocked")
def test_a_changed_cut_off_counts_at_once(api: TestClient) -> None:
    early = WAREHOUSE_HOURS | {"cut_offs": {"standard": "09:00", "express": "09:00"}}
    assert api.put("/v1/locations/DC-BER/operations", json=early).status_code == 200
    options = {o["id"]: o for o in _promise(api, ("SKU-1", 1))["options"]}
    assert options["ship:dhl-express"]["ship_date"] == "2026-11-03"


@pytest.mark.usefixtures("stocked")
def test_unknown_skus_and_bad_destinations_are_refused(api: TestClient) -> None:
    unknown = {"lines": [{"sku": "NOPE", "quantity": 1}], "destination": HAMBURG_CUSTOMER}
    half_a_point = {
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "destination": {"country": "DE", "latitude": 53.5},
    }
    assert fields(api.post("/v1/promises", json=unknown)) == ["lines[0].sku"]
    assert fields(api.post("/v1/promises", json=half_a_point)) == ["destination.longitude"]
    # The unknown SKU is named first, whatever else is wrong (a channel not configured).
    nowhere = unknown | {"channel": "nowhere"}
    assert fields(api.post("/v1/promises", json=nowhere)) == ["lines[0].sku"]


@pytest.mark.usefixtures("stocked")
def test_the_product_page_gets_the_earliest_of_each_method(api: TestClient) -> None:
    response = api.get("/v1/products/SKU-1/promise", params=HAMBURG_CUSTOMER)
    assert response.status_code == 200, response.text
    methods = response.json()["methods"]
    assert methods["ship"]["id"] == "ship:dhl-express"
    assert methods["pickup"]["store_id"] == "ST-HAM"
    assert methods["ship_to_store"] is None


# Capture with the option chosen


def _order(*lines: tuple[str, int], promise: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = an_order_body(*lines, **overrides)
    body["ship_to"] |= {"postal_code": "20095", "latitude": 53.55, "longitude": 10.0}
    return body | {"promise": promise}


@pytest.mark.usefixtures("stocked")
def test_an_order_keeps_the_option_chosen_and_takes_its_capacity(
    api: TestClient, engine: Engine
) -> None:
    response = api.post(
        "/v1/orders", json=_order(("SKU-1", 2), promise={"option_id": "ship:dhl-express"})
    )

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["promise"] == {
        "option_id": "ship:dhl-express",
        "method": "ship",
        "service": "dhl-express",
        "store_id": None,
        "ship_date": "2026-11-02",
        "delivery": {"earliest": "2026-11-03", "latest": "2026-11-03"},
        "ready_by": None,
        "cost": {"amount": "12.50", "currency": "EUR"},
        "promised_at": "2026-11-02T09:00:00+00:00",
    }
    assert order["lines"][0]["allocations"] == [
        {"location_id": "DC-BER", "quantity": 2, "ship_date": "2026-11-02"}
    ]
    assert api.get(f"/v1/orders/{order['id']}").json() == order
    assert [
        (r["location_id"], r["day"].isoformat(), r["used"]) for r in rows(engine, capacity_use)
    ] == [("DC-BER", "2026-11-02", 1)]
    [created] = [e["data"] for e in rows(engine, outbox) if e["type"] == "order.created"]
    assert created["promise"] == {
        "option_id": "ship:dhl-express",
        "method": "ship",
        "ship_date": "2026-11-02",
        "delivery_earliest": "2026-11-03",
        "delivery_latest": "2026-11-03",
        "ready_by": None,
    }


@pytest.mark.usefixtures("stocked")
def test_a_pickup_order_reserves_at_the_store(api: TestClient) -> None:
    response = api.post(
        "/v1/orders", json=_order(("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"})
    )

    assert response.status_code == 201, response.text
    assert response.json()["lines"][0]["allocations"][0]["location_id"] == "ST-HAM"
    assert api.get("/v1/inventory/ST-HAM/SKU-1").json()["reserved"] == 2


@pytest.mark.usefixtures("stocked")
def test_an_option_no_longer_offered_is_refused_and_changes_nothing(
    api: TestClient, engine: Engine
) -> None:
    # The store has 2: a pickup of 3 is not offered.
    gone = api.post("/v1/orders", json=_order(("SKU-1", 3), promise={"option_id": "pickup:ST-HAM"}))
    later = api.post(
        "/v1/orders",
        json=_order(
            ("SKU-1", 1), promise={"option_id": "ship:dhl-standard", "deliver_by": "2026-11-03"}
        ),
    )

    problem = refused(gone, 409, "promise-unavailable")
    assert "ship:dhl-express" in problem["offered"]
    assert refused(later, 409, "promise-unavailable")["delivery_latest"] == "2026-11-04"
    assert api.get("/v1/orders").json()["items"] == []
    assert rows(engine, capacity_use) == []
    assert api.get("/v1/inventory/DC-BER/SKU-1").json()["reserved"] == 0


@pytest.mark.usefixtures("stocked")
def test_a_full_day_moves_the_next_promise_and_a_cancel_gives_the_capacity_back(
    api: TestClient, engine: Engine
) -> None:
    one_a_day = WAREHOUSE_HOURS | {"capacity": {"limit": 1, "unit": "orders"}}
    assert api.put("/v1/locations/DC-BER/operations", json=one_a_day).status_code == 200
    first = api.post(
        "/v1/orders", json=_order(("SKU-2", 1), promise={"option_id": "ship:dhl-express"})
    )
    assert first.status_code == 201, first.text

    options = {o["id"]: o for o in _promise(api, ("SKU-2", 1))["options"]}
    assert options["ship:dhl-express"]["ship_date"] == "2026-11-03"

    assert api.post(f"/v1/orders/{first.json()['id']}/cancel").status_code == 200
    assert [r["used"] for r in rows(engine, capacity_use)] == [0]
    options = {o["id"]: o for o in _promise(api, ("SKU-2", 1))["options"]}
    assert options["ship:dhl-express"]["ship_date"] == "2026-11-02"


# Promise against reality


def _placed(api: TestClient, option_id: str, *lines: tuple[str, int], external_id: str) -> str:
    body = _order(*lines, promise={"option_id": option_id}, external_id=external_id)
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


@pytest.mark.usefixtures("stocked")
def test_deliveries_are_measured_against_the_promise_per_location_carrier_and_service(
    api: TestClient, clock: Clock
) -> None:
    express = _placed(api, "ship:dhl-express", ("SKU-1", 1), external_id="W-1")
    standard = _placed(api, "ship:dhl-standard", ("SKU-2", 1), external_id="W-2")
    clock.advance(days=7)  # deliveries are recorded once they happened
    # Promised by Tuesday the 3rd (express) and Wednesday the 4th (standard).
    on_time = api.post(
        f"/v1/orders/{express}/deliveries",
        json={"delivered_at": "2026-11-03T23:30:00+01:00", "carrier": "DHL"},
    )
    late = api.post(
        f"/v1/orders/{standard}/deliveries",
        json={
            "delivered_at": "2026-11-06T10:00:00+01:00",
            "location_id": "DC-BER",
            "carrier": "DHL",
        },
    )

    assert on_time.status_code == 200, on_time.text
    [record] = on_time.json()["deliveries"]
    assert (record["delivered_on"], record["on_time"], record["slack_days"]) == (
        "2026-11-03",
        True,
        0,
    )
    assert late.json()["deliveries"][0] | {"delivered_at": None} == {
        "location_id": "DC-BER",
        "delivered_at": None,
        "delivered_on": "2026-11-06",
        "service": "dhl-standard",
        "carrier": "DHL",
        "promised_latest": "2026-11-04",
        "on_time": False,
        "slack_days": -2,
    }
    window = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    by_service = api.get("/v1/promise-performance", params=window | {"by": "service"}).json()
    by_location = api.get("/v1/promise-performance", params=window).json()
    assert by_service["items"] == [
        {
            "service": "dhl-express",
            "deliveries": 1,
            "on_time": 1,
            "on_time_rate": 1.0,
            "mean_slack_days": 0.0,
        },
        {
            "service": "dhl-standard",
            "deliveries": 1,
            "on_time": 0,
            "on_time_rate": 0.0,
            "mean_slack_days": -2.0,
        },
    ]
    assert by_location["items"] == [
        {
            "location": "DC-BER",
            "deliveries": 2,
            "on_time": 1,
            "on_time_rate": 0.5,
            "mean_slack_days": -1.0,
        }
    ]


@pytest.mark.usefixtures("stocked")
def test_a_delivery_recorded_twice_counts_once_and_another_time_is_refused(
    api: TestClient, clock: Clock
) -> None:
    order_id = _placed(api, "ship:dhl-express", ("SKU-1", 1), external_id="W-1")
    clock.advance(days=7)
    delivery = {"delivered_at": "2026-11-03T12:00:00+01:00"}
    first = api.post(f"/v1/orders/{order_id}/deliveries", json=delivery)
    again = api.post(f"/v1/orders/{order_id}/deliveries", json=delivery)
    other = api.post(
        f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "2026-11-04T12:00:00+01:00"}
    )
    elsewhere = api.post(
        f"/v1/orders/{order_id}/deliveries", json=delivery | {"location_id": "ST-HAM"}
    )

    assert first.json() == again.json()
    refused(other, 409, "already-exists")
    assert fields(elsewhere) == ["location_id"]
    window = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    [group] = api.get("/v1/promise-performance", params=window).json()["items"]
    assert group["deliveries"] == 1


@pytest.mark.usefixtures("stocked")
def test_an_order_without_a_promise_has_nothing_to_measure(api: TestClient, clock: Clock) -> None:
    body = an_order_body(("SKU-1", 1))
    order_id = api.post("/v1/orders", json=body).json()["id"]
    clock.advance(days=7)
    response = api.post(
        f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "2026-11-03T12:00:00Z"}
    )
    refused(response, 409, "conflict")
    assert fields(
        api.post(f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "2026-11-03T12:00"})
    ) == ["delivered_at"]


@pytest.mark.usefixtures("stocked")
def test_a_postal_code_one_country_has_needs_no_country(api: TestClient) -> None:
    codes = [
        PostalCode("DE", "20095", Point(53.55, 10.0), "Hamburg"),
        PostalCode("DE", "1010", Point(52.0, 13.0), "nowhere"),
        PostalCode("AT", "1010", Point(48.21, 16.37), "Wien"),
    ]
    put_postal_codes(codes, api.app.state.uow())  # type: ignore[attr-defined]

    hamburg = api.get("/v1/products/SKU-1/promise", params={"postal_code": "20095"})
    both = api.get("/v1/products/SKU-1/promise", params={"postal_code": "1010"})
    nowhere = api.get("/v1/products/SKU-1/promise", params={"latitude": 53.5, "longitude": 10.0})

    assert hamburg.status_code == 200, hamburg.text
    assert hamburg.json()["methods"]["pickup"]["store_id"] == "ST-HAM"
    assert fields(both) == ["country"]
    assert "is in AT, DE" in refused(both, 422, "invalid-input")["detail"]
    assert fields(nowhere) == ["country"]


@pytest.mark.usefixtures("stocked")
def test_a_ship_to_store_order_takes_the_capacity_of_both_locations(
    api: TestClient, engine: Engine
) -> None:
    store_hours = WAREHOUSE_HOURS | {"capacity": {"limit": 10, "unit": "units"}}
    assert api.put("/v1/locations/ST-HAM/operations", json=store_hours).status_code == 201
    body = _order(("SKU-2", 2), promise={"option_id": "ship_to_store:ST-HAM"})

    response = api.post("/v1/orders", json=body)

    assert response.status_code == 201, response.text
    ready_on = response.json()["promise"]["delivery"]["latest"]
    taken = {
        (r["location_id"], r["day"].isoformat()): r["used"] for r in rows(engine, capacity_use)
    }
    assert taken == {("DC-BER", "2026-11-02"): 1, ("ST-HAM", ready_on): 2}


@pytest.mark.usefixtures("stocked")
def test_a_delivery_yet_to_happen_or_before_the_order_is_refused_and_measures_nothing(
    api: TestClient, clock: Clock
) -> None:
    order_id = _placed(api, "ship:dhl-express", ("SKU-1", 1), external_id="W-1")
    clock.advance(days=1)  # Tuesday 3 November, 09:00 UTC

    corrupted = api.post(
        f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "5999-11-03T12:00:00+01:00"}
    )
    tomorrow = api.post(
        f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "2026-11-04T12:00:00+01:00"}
    )
    before = api.post(
        f"/v1/orders/{order_id}/deliveries", json={"delivered_at": "2026-11-01T12:00:00+01:00"}
    )

    assert [fields(r) for r in (corrupted, tomorrow, before)] == [["delivered_at"]] * 3
    assert corrupted.json()["errors"][0]["message"] == (
        "is after now (2026-11-03T09:00:00+00:00): a delivery is recorded once it happened"
    )
    assert before.json()["errors"][0]["message"] == (
        "is before the order was placed (2026-11-02T09:00:00+00:00)"
    )
    window = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    assert api.get("/v1/promise-performance", params=window).json()["items"] == []


@pytest.mark.usefixtures("stocked")
def test_a_store_key_records_the_deliveries_of_its_own_parcels_only(
    api: TestClient, clock: Clock
) -> None:
    """An order split between DC-BER and DC-HAM is DC-BER's to see (it ships some of
    it), but what DC-HAM sent is not DC-BER's to say arrived."""
    hamburg = a_location_body(name="Hamburg DC", latitude=53.6, longitude=10.0)
    assert api.put("/v1/locations/DC-HAM", json=hamburg).status_code == 201
    assert api.put("/v1/locations/DC-HAM/operations", json=WAREHOUSE_HOURS).status_code == 201
    stock(api, "DC-BER", "SKU-2", 0)
    stock(api, "DC-HAM", "SKU-2", 5)
    order_id = _placed(api, "ship:dhl-standard", ("SKU-1", 1), ("SKU-2", 1), external_id="W-9")
    work(api, clock)  # released: a parcel from each
    uow = api.app.state.uow  # type: ignore[attr-defined]
    key = create_key(Role.STORE, "ber", uow(), clock(), location_id="DC-BER")
    berlin = {"Authorization": f"Bearer {key}"}
    clock.advance(days=7)
    arrived = {"delivered_at": "2026-11-03T12:00:00+01:00"}

    other = api.post(
        f"/v1/orders/{order_id}/deliveries",
        json=arrived | {"location_id": "DC-HAM"},
        headers=berlin,
    )
    every = api.post(f"/v1/orders/{order_id}/deliveries", json=arrived, headers=berlin)
    recorded = api.get("/v1/promise-performance", params={"by": "location", **WINDOW}).json()
    own = api.post(
        f"/v1/orders/{order_id}/deliveries",
        json=arrived | {"location_id": "DC-BER"},
        headers=berlin,
    )

    refused(other, 403, "forbidden")
    refused(every, 403, "forbidden")
    assert recorded["items"] == []
    assert own.status_code == 200
    assert [d["location_id"] for d in own.json()["deliveries"]] == ["DC-BER"]


@pytest.mark.usefixtures("stocked")
def test_a_channel_key_is_promised_through_its_own_channels_view_only(
    api: TestClient, clock: Clock
) -> None:
    stores = {"channels": ["app"], "locations": {"types": ["store"]}}
    assert api.put("/v1/availability-views/stores", json=stores).status_code == 201
    key = create_key(Role.CHANNEL, "web", api.app.state.uow(), clock(), channel="web")  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {key}"}
    cart = {"lines": [{"sku": "SKU-1", "quantity": 1}], "destination": HAMBURG_CUSTOMER}

    other_view = api.post("/v1/promises", json={**cart, "view": "stores"}, headers=headers)
    other_channel = api.post("/v1/promises", json={**cart, "channel": "app"}, headers=headers)
    page = api.get(
        "/v1/products/SKU-1/promise", params={**HAMBURG_CUSTOMER, "view": "stores"}, headers=headers
    )
    own = api.post("/v1/promises", json=cart, headers=headers)

    for refusal in (other_view, other_channel, page):
        assert "options" not in refused(refusal, 403, "forbidden")
    assert own.status_code == 200, own.text
