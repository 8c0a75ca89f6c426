"""The customer's self-service over HTTP, with no API key: finding an order (number
and e-mail, or a signed link), what the customer sees, cancelling within the policy,
another address, collecting at a store and moving the pickup. Every refusal changes
nothing. The clock stands at Monday 2 November 2026, 10:00 in Berlin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.pricing.services import load_rates
from tests.conftest import Clock
from tests.support.api import (
    events_of,
    fields,
    levels,
    network,
    order_of,
    place,
    refused,
    stock,
    work,
)
from tests.support.builders import a_carrier_service_body, a_location_body, an_operations_body

SHIPPED = {"promise": {"option_id": "ship:dhl-standard"}}
MUNICH = {
    "name": "Ada Lovelace",
    "line1": "Marienplatz 1",
    "city": "München",
    "postal_code": "80331",
    "country": "DE",
    "latitude": 48.14,
    "longitude": 11.58,
}
LISBON = MUNICH | {
    "line1": "Praça do Comércio",
    "city": "Lisboa",
    "postal_code": "1100-148",
    "country": "PT",
    "latitude": 38.71,
    "longitude": -9.14,
}


def _store(api: TestClient, location_id: str, name: str, longitude: float) -> None:
    body = a_location_body(
        name=name, type="store", ships=False, pickup=True, latitude=53.55, longitude=longitude
    )
    assert api.put(f"/v1/locations/{location_id}", json=body).status_code == 201


@pytest.fixture
def stocked(api: TestClient) -> None:
    """DC-BER (10 of SKU-1 and SKU-2) and DC-MUC (5 of SKU-1) ship; the Hamburg stores
    ST-HAM and ST-ALT (2 of SKU-1 each) and ST-WAN (none) take pickups."""
    network(api)
    munich = a_location_body(name="Munich DC", latitude=48.14, longitude=11.58)
    assert api.put("/v1/locations/DC-MUC", json=munich).status_code == 201
    _store(api, "ST-HAM", "Hamburg store", 9.99)
    _store(api, "ST-ALT", "Altona store", 9.93)
    _store(api, "ST-WAN", "Wandsbek store", 10.07)
    for location_id in ("DC-BER", "DC-MUC"):
        body = an_operations_body()
        assert api.put(f"/v1/locations/{location_id}/operations", json=body).status_code == 201
    service = a_carrier_service_body()
    assert api.put("/v1/carrier-services/dhl-standard", json=service).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    stock(api, "DC-MUC", "SKU-1", 5)
    stock(api, "ST-HAM", "SKU-1", 2)
    stock(api, "ST-ALT", "SKU-1", 2)


def _lookup(api: TestClient, number: str = "W-1001", email: str = "Ada@Example.com") -> Any:
    return api.post("/v1/self-service/lookup", json={"number": number, "email": email})


def _token(api: TestClient) -> str:
    response = _lookup(api)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _policy(api: TestClient, **changes: Any) -> None:
    response = api.put("/v1/self-service-policy", json=changes)
    assert response.status_code == 200, response.text


def _unchanged(api: TestClient, order: dict[str, Any]) -> None:
    now = order_of(api, order["id"])
    keys = ("status", "lines", "ship_to", "promise", "type", "fulfillments")
    assert {k: now[k] for k in keys} == {k: order[k] for k in keys}


def test_an_order_is_found_by_number_and_email_and_a_wrong_half_is_the_same_not_found(
    api: TestClient, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2))
    place(api, ("SKU-1", 1), external_id="W-2002", customer={"email": "bob@example.com"})
    del api.headers["Authorization"]  # as a customer's browser calls: no API key

    found = _ok(_lookup(api))  # the e-mail in another case
    assert found["order"]["order_id"] == order["id"]
    assert found["order"]["number"] == "W-1001"
    wrong_email = refused(_lookup(api, email="eve@example.com"), 404, "not-found")
    wrong_number = refused(_lookup(api, number="W-9999"), 404, "not-found")
    others = refused(_lookup(api, number="W-2002"), 404, "not-found")  # Bob's order
    assert wrong_email["detail"] == wrong_number["detail"] == others["detail"]
    assert fields(api.post("/v1/self-service/lookup", json={"number": "W-1001"})) == ["email"]
    assert fields(_lookup(api, email="not-an-email")) == ["email"]


def test_the_customer_sees_status_lines_promise_parcels_and_a_timeline_in_their_terms(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), ("SKU-2", 1), **SHIPPED)
    work(api, clock)  # released to DC-BER
    fo = order_of(api, order["id"])["fulfillments"][0]
    shipped = {"carrier": "dhl", "tracking_number": "JD0001"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200

    seen = _ok(api.get(f"/v1/self-service/orders/{_token(api)}"))

    assert seen["status"] == "shipped"
    assert [(line["sku"], line["quantity"], line["status"]) for line in seen["lines"]] == [
        ("SKU-1", 2, "shipped"),
        ("SKU-2", 1, "shipped"),
    ]
    assert seen["promise"]["method"] == "ship"
    assert seen["promise"]["delivery"] == order["promise"]["delivery"]
    assert [(p["carrier"], p["tracking_number"], p["status"]) for p in seen["parcels"]] == [
        ("dhl", "JD0001", "shipped")
    ]
    assert [entry["what"] for entry in seen["timeline"]] == ["placed", "preparing", "shipped"]
    assert seen["timeline"][2]["tracking_number"] == "JD0001"
    assert seen["allowed"] == {
        "cancel": False,
        "change_address": False,
        "convert_to_pickup": False,
        "change_pickup_store": False,
        "start_return": False,  # nothing delivered yet
    }
    text = str(seen)
    for internal in ("DC-BER", "key:", "location_id", fo["id"]):
        assert internal not in text


def test_an_expired_or_tampered_link_is_refused_and_told_apart(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    place(api, ("SKU-1", 2))
    _policy(api, link_hours=1)
    token = _token(api)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    refused(api.get(f"/v1/self-service/orders/{tampered}"), 403, "link-invalid")
    refused(api.get("/v1/self-service/orders/not-a-link"), 403, "link-invalid")
    clock.advance(minutes=61)
    expired = refused(api.get(f"/v1/self-service/orders/{token}"), 403, "link-expired")
    assert expired["expired_at"] == "2026-11-02T10:00:00+00:00"
    lines = {"lines": [{"line_no": 1, "quantity": 1}]}
    cancel = api.post(f"/v1/self-service/orders/{token}/cancellations", json=lines)
    refused(cancel, 403, "link-expired")
    assert levels(api, "DC-BER", "SKU-1") == (8, 10, 2, 0)


def test_units_are_cancelled_until_release_then_refused_changing_nothing(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), ("SKU-2", 1))
    token = _token(api)
    lines = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "bought too many"}

    seen = _ok(api.post(f"/v1/self-service/orders/{token}/cancellations", json=lines))

    assert [(line["cancelled"], line["status"]) for line in seen["lines"]] == [
        (1, "allocated"),
        (0, "allocated"),
    ]
    assert levels(api, "DC-BER", "SKU-1") == (9, 10, 1, 0)
    [cancelled] = [e for e in events_of(api, order["id"]) if e["type"] == "order.lines_cancelled"]
    assert (cancelled["data"]["by"], cancelled["data"]["reason"]) == ("customer", "bought too many")
    assert seen["timeline"][-1] == {
        "at": "2026-11-02T09:00:00+00:00",
        "what": "items_cancelled",
        "lines": [{"line_no": 1, "quantity": 1}],
    }

    work(api, clock)  # released to DC-BER
    before = api.get(f"/v1/orders/{order['id']}").json()
    late = api.post(f"/v1/self-service/orders/{token}/cancellations", json=lines)
    assert "being prepared" in refused(late, 409, "not-allowed")["detail"]
    whole = {"whole_order": True}
    refused(
        api.post(f"/v1/self-service/orders/{token}/cancellations", json=whole), 409, "not-allowed"
    )
    _unchanged(api, before)
    assert levels(api, "DC-BER", "SKU-1") == (9, 10, 1, 0)
    assert fields(api.post(f"/v1/self-service/orders/{token}/cancellations", json={})) == ["body"]
    too_many = {"lines": [{"line_no": 2, "quantity": 5}]}
    response = api.post(f"/v1/self-service/orders/{token}/cancellations", json=too_many)
    assert response.status_code == 409  # released: the policy refuses before the quantity


def test_a_customer_cancelling_a_held_order_ends_its_hold_and_is_not_told_of_it(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2))
    held = api.post(f"/v1/orders/{order['id']}/holds", json={"reason": "address check"})
    assert held.status_code == 201, held.text
    token = _token(api)

    whole = {"whole_order": True, "reason": "found it cheaper"}
    seen = _ok(api.post(f"/v1/self-service/orders/{token}/cancellations", json=whole))

    after = api.get(f"/v1/orders/{order['id']}").json()
    [hold] = after["holds"]
    assert (after["status"], after["on_hold"]) == ("cancelled", False)
    assert (hold["status"], hold["resolved_by"], hold["note"]) == (
        "cancelled",
        "customer",
        "found it cheaper",
    )
    assert api.get("/v1/exceptions").json()["holds"] == []
    assert [entry["what"] for entry in seen["timeline"]] == ["placed", "cancelled"]


def test_within_minutes_the_whole_order_is_cancelled_even_released_and_not_after(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _policy(api, cancel_until="minutes", cancel_minutes=30)
    first = place(api, ("SKU-1", 2))
    second = place(api, ("SKU-1", 1), external_id="W-1002")
    work(api, clock)  # both released
    whole = {"whole_order": True}

    clock.advance(minutes=29)
    done = _ok(api.post(f"/v1/self-service/orders/{_token(api)}/cancellations", json=whole))
    assert done["status"] == "cancelled"
    assert [e["what"] for e in done["timeline"]][-1] == "cancelled"
    assert levels(api, "DC-BER", "SKU-1") == (9, 10, 1, 0)

    clock.advance(minutes=2)
    token = _ok(_lookup(api, number="W-1002"))["token"]
    before = api.get(f"/v1/orders/{second['id']}").json()
    late = api.post(f"/v1/self-service/orders/{token}/cancellations", json=whole)
    assert refused(late, 409, "not-allowed")["cancellable_until"] == "2026-11-02T09:30:00+00:00"
    _unchanged(api, before)
    assert levels(api, "DC-BER", "SKU-1") == (9, 10, 1, 0)
    assert first["id"] != second["id"]


def test_the_policy_is_a_document_an_admin_reads_and_replaces(
    api: TestClient, key_for: Any
) -> None:
    default = _ok(api.get("/v1/self-service-policy"))
    assert default == {
        "cancel_until": "release",
        "cancel_minutes": 30,
        "change_address": True,
        "convert_to_pickup": True,
        "change_pickup_store": True,
        "link_hours": 720,
        "version": 0,
        "default": True,
    }
    changed = _ok(api.put("/v1/self-service-policy", json={"change_address": False}))
    assert (changed["change_address"], changed["version"], changed["default"]) == (False, 1, False)
    assert _ok(api.get("/v1/self-service-policy")) == changed
    assert fields(api.put("/v1/self-service-policy", json={"cancel_minutes": 0})) == [
        "cancel_minutes"
    ]
    assert fields(api.put("/v1/self-service-policy", json={"cancel_until": "soon"})) == [
        "cancel_until"
    ]
    channel = {"Authorization": f"Bearer {key_for('channel')}"}
    refused(api.put("/v1/self-service-policy", json={}, headers=channel), 403, "forbidden")
    del api.headers["Authorization"]
    refused(api.put("/v1/self-service-policy", json={}), 401, "unauthenticated")


def test_another_address_moves_the_reservation_and_the_promise_with_it(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), **SHIPPED)
    assert order["lines"][0]["allocations"][0]["location_id"] == "DC-BER"
    token = _token(api)

    seen = _ok(api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MUNICH}))

    assert seen["ship_to"]["city"] == "München"
    assert seen["timeline"][-1]["what"] == "address_changed"
    moved = order_of(api, order["id"])
    assert moved["lines"][0]["allocations"][0]["location_id"] == "DC-MUC"
    assert moved["promise"]["option_id"] == "ship:dhl-standard"
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)
    assert levels(api, "DC-MUC", "SKU-1") == (3, 5, 2, 0)
    [changed] = [e for e in events_of(api, order["id"]) if e["type"] == "order.address_changed"]
    assert changed["data"]["by"] == "customer"
    sourcing = api.get(f"/v1/orders/{order['id']}/sourcing").json()["decisions"]
    assert [d["reason"] for d in sourcing] == ["capture", "customer"]

    # An address no location may serve (the profile's radius): refused, nothing moves.
    profile = {"channels": ["web"], "filters": {"radius_km": 700}, "strategies": [{"name": "n"}]}
    assert api.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
    before = order_of(api, order["id"])
    far = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": LISBON})
    assert refused(far, 409, "promise-unavailable")["detail"].startswith(
        "the new address cannot be served"
    )
    _unchanged(api, before)
    assert levels(api, "DC-MUC", "SKU-1") == (3, 5, 2, 0)
    bad = {"ship_to": MUNICH | {"country": "XX"}}
    assert fields(api.post(f"/v1/self-service/orders/{token}/address", json=bad)) == [
        "ship_to.country"
    ]

    work(api, clock)  # released: too late
    before = order_of(api, order["id"])
    late = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MUNICH})
    refused(late, 409, "not-allowed")
    _unchanged(api, before)


def test_an_address_change_the_policy_does_not_offer_is_refused(
    api: TestClient, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2))
    _policy(api, change_address=False)
    token = _token(api)
    response = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MUNICH})
    refused(response, 409, "not-allowed")
    _unchanged(api, order)
    assert levels(api, "DC-BER", "SKU-1") == (8, 10, 2, 0)


def test_a_delivery_becomes_a_pickup_at_a_store_near_then_moves_to_another(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), **SHIPPED)
    token = _token(api)

    stores = _ok(api.get(f"/v1/self-service/orders/{token}/pickup-stores"))["stores"]
    assert sorted(s["store_id"] for s in stores) == ["ST-ALT", "ST-HAM"]  # ST-WAN has none
    assert all(s["ready_by"] for s in stores)
    assert levels(api, "DC-BER", "SKU-1") == (8, 10, 2, 0)  # listing holds nothing

    seen = _ok(api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-HAM"}))

    assert seen["promise"]["method"] == "pickup"
    assert seen["promise"]["store"]["store_id"] == "ST-HAM"
    assert seen["timeline"][-1]["what"] == "converted_to_pickup"
    assert seen["allowed"]["change_pickup_store"] and not seen["allowed"]["change_address"]
    converted = order_of(api, order["id"])
    assert converted["type"] == "pickup_in_store"
    assert converted["promise"]["option_id"] == "pickup:ST-HAM"
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)
    assert levels(api, "ST-HAM", "SKU-1") == (0, 2, 2, 0)

    # Another store: it must take pickups, and have the goods.
    unknown = api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-XYZ"})
    assert fields(unknown) == ["store_id"]
    empty = api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-WAN"})
    assert refused(empty, 409, "promise-unavailable")["store_id"] == "ST-WAN"
    _unchanged(api, converted)
    assert levels(api, "ST-HAM", "SKU-1") == (0, 2, 2, 0)

    stores = _ok(api.get(f"/v1/self-service/orders/{token}/pickup-stores"))["stores"]
    assert [s["store_id"] for s in stores] == ["ST-ALT"]
    moved = _ok(api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-ALT"}))
    assert moved["timeline"][-1]["what"] == "pickup_store_changed"
    assert moved["timeline"][-1]["store"]["store_id"] == "ST-ALT"
    assert levels(api, "ST-HAM", "SKU-1") == (2, 2, 0, 0)
    assert levels(api, "ST-ALT", "SKU-1") == (0, 2, 2, 0)
    events = [e for e in events_of(api, order["id"]) if e["type"].startswith("order.")]
    assert [(e["type"], e["data"]["by"]) for e in events][-2:] == [
        ("order.allocated", "customer"),
        ("order.pickup_store_changed", "customer"),
    ]

    work(api, clock)  # released to ST-ALT as a pickup
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert (fo["location_id"], fo["method"], fo["store_id"]) == ("ST-ALT", "pickup", "ST-ALT")
    before = order_of(api, order["id"])
    late = api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-HAM"})
    refused(late, 409, "not-allowed")
    refused(api.get(f"/v1/self-service/orders/{token}/pickup-stores"), 409, "not-allowed")
    _unchanged(api, before)
    assert levels(api, "ST-ALT", "SKU-1") == (0, 2, 2, 0)


def test_an_order_placed_without_a_promise_is_sourced_again_for_its_new_address(
    api: TestClient, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2))
    token = _token(api)
    seen = _ok(api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MUNICH}))
    assert seen["promise"] is None
    [line] = order_of(api, order["id"])["lines"]
    assert [(a["location_id"], a["quantity"]) for a in line["allocations"]] == [("DC-MUC", 2)]
    assert levels(api, "DC-MUC", "SKU-1") == (3, 5, 2, 0)
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)


@pytest.mark.parametrize("prices", ["gross", "net"])
def test_a_delivery_moved_to_another_vat_country_is_taxed_again_for_it(
    api: TestClient, clock: Clock, stocked: None, prices: str
) -> None:
    """The order's tax worked out again for the new country at its day's rates (a
    gross channel's total stays, the tax in it moves; a net channel's total moves),
    told as `order.tax_adjusted`; a country without rates is refused, naming it,
    and nothing changes."""
    assert api.put("/v1/tax-settings", json={"seller_country": "DE"}).status_code == 201
    assert api.put("/v1/channels/web", json={"pricing": {"prices": prices}}).status_code == 200
    rates = "country,tax_class,rate,valid_from,valid_until\nDE,standard,19,2021-01-01,\n"
    load_rates(rates, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    card = {"method": "card", "token": "4242424242424242"}
    order = place(api, ("SKU-1", 2), **SHIPPED, tenders=[card])
    assert (order["tax_treatment"], order["money"]["tax"]) == (
        "domestic", "19.13" if prices == "gross" else "22.76"
    )  # fmt: skip
    token = _token(api)

    no_rates = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": LISBON})
    assert fields(no_rates) == ["ship_to.country"]
    assert "no VAT rates are loaded for PT" in no_rates.json()["errors"][0]["message"]
    assert order_of(api, order["id"])["money"] == order["money"]
    rates += "PT,standard,23,2021-01-01,\n"
    load_rates(rates, api.app.state.uow(), clock())  # type: ignore[attr-defined]

    moved = _ok(api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": LISBON}))
    assert moved["ship_to"]["city"] == "Lisboa"

    after = order_of(api, order["id"])
    assert after["tax_treatment"] == "destination"
    assert [(t["jurisdiction"], t["rate"]) for t in after["lines"][0]["taxes"]] == [("PT", "0.23")]
    if prices == "gross":  # 119.80 holds 22.40 of Portuguese VAT, not 19.13 of German
        assert (after["money"]["tax"], after["total"]) == ("22.40", order["total"])
    else:  # 119.80 and 23 % on it
        assert (after["money"]["tax"], after["total"]) == ("27.55", "147.35")
    [adjusted] = [e for e in events_of(api, order["id"]) if e["type"] == "order.tax_adjusted"]
    assert adjusted["data"]["reason"] == "delivered to PT"
    assert adjusted["data"]["before"]["money"]["tax"] == order["money"]["tax"]
    assert adjusted["data"]["after"]["money"]["tax"] == after["money"]["tax"]
    work(api, clock)  # authorised for what it now pays, released, shipped, invoiced
    [fo] = order_of(api, order["id"])["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    work(api, clock)
    [invoice] = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert [(t["jurisdiction"], t["amount"]) for t in invoice["taxes"]] == [
        ("PT", after["money"]["tax"])
    ]
    [paid] = order_of(api, order["id"])["tenders"]
    assert (paid["authorised"], paid["captured"]) == (after["total"], after["total"])


def test_a_delivery_turned_pickup_pays_no_shipping_and_an_address_that_costs_other_shipping_is_refused(  # noqa: E501
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Shipping is not priced again on a change yet: collecting waives what the order
    paid for it (a correction beside what was placed); an address its channel charges
    another price for shipping to is refused, naming the country, changing nothing."""
    rates = [
        {"currency": "EUR", "price": "14.90", "countries": ["PT"]},
        {"currency": "EUR", "price": "4.90"},
    ]
    assert api.put("/v1/channels/web", json={"pricing": {"shipping": rates}}).status_code == 200
    order = place(api, ("SKU-1", 2), **SHIPPED)
    assert order["money"]["charges"] == "4.90"
    token = _token(api)

    to_lisbon = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": LISBON})
    _ok(api.post(f"/v1/self-service/orders/{token}/pickup", json={"store_id": "ST-HAM"}))

    assert fields(to_lisbon) == ["ship_to.country"]
    assert "shipping to PT is 14.90 EUR, not the 4.90" in to_lisbon.json()["errors"][0]["message"]
    collected = order_of(api, order["id"])
    with api.app.state.uow() as uow:  # type: ignore[attr-defined]
        [waived] = uow.orders.adjustments(order["id"])
    placed, after = waived.before["money"], waived.after["money"]
    assert (waived.kind, placed["total"], after["total"]) == ("shipping_waived", "124.70", "119.80")
    [charge] = collected["charges"]
    assert (charge["total"], charge["discounts"][-1]["source"]) == ("0.00", "correction")
    assert collected["total"] == order["money"]["goods"]


def test_a_taxed_delivery_turned_pickup_has_its_shipping_waived_with_its_vat(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    rates = {"pricing": {"shipping": [{"currency": "EUR", "price": "4.90"}]}}
    assert api.put("/v1/channels/web", json=rates).status_code == 200
    assert api.put("/v1/tax-settings", json={"seller_country": "DE"}).status_code == 201
    vat = "country,tax_class,rate,valid_from,valid_until\nDE,standard,19,2021-01-01,\n"
    load_rates(vat, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    order = place(api, ("SKU-1", 2), **SHIPPED)
    assert order["charges"][0]["taxes"]  # its VAT, in its price

    _ok(api.post(f"/v1/self-service/orders/{_token(api)}/pickup", json={"store_id": "ST-HAM"}))

    [charge] = order_of(api, order["id"])["charges"]
    assert (charge["total"], charge["taxes"]) == ("0.00", [])
