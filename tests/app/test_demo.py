"""The demo (`ordino serve --demo`) as a newcomer meets it: what it offers a
customer in Germany, and where its orders of each type are sourced from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from ordino.app.demo import seed_demo
from tests.conftest import Clock
from tests.support.api import levels, order_of, place, work
from tests.support.builders import an_order_body

HAMBURG = {"country": "DE", "postal_code": "20095"}


def _seeded(api: TestClient, clock: Clock) -> None:
    assert seed_demo(api.app.state.uow(), clock()) is True  # type: ignore[attr-defined]


def _promise(api: TestClient, sku: str, destination: dict[str, Any]) -> dict[str, Any]:
    body = {"lines": [{"sku": sku, "quantity": 1}], "destination": destination, "channel": "web"}
    response = api.post("/v1/promises", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_demo_offers_ship_to_store_at_a_german_store(api: TestClient, clock: Clock) -> None:
    _seeded(api, clock)
    assert levels(api, "ST-HAM", "SKU-0005") == (0, 0, 0, 2)  # the Hamburg store has none

    answer = _promise(api, "SKU-0005", HAMBURG)

    [to_store] = [o for o in answer["options"] if o["id"] == "ship_to_store:ST-HAM"]
    assert (to_store["method"], to_store["service"], to_store["store_id"]) == (
        "ship_to_store",
        "dhl-paket",
        "ST-HAM",
    )
    assert [s["location_id"] for s in to_store["sources"]] == ["DC-BER"]
    assert [r for r in answer["not_offered"] if r["option"].startswith("ship_to_store")] == []


def test_a_ship_from_store_order_of_the_demo_ships_from_a_store(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    assert levels(api, "ST-HAM", "SKU-0001")[0] > 0  # type: ignore[index]

    # an_order_body ships to Hamburg, near ST-HAM (a store that ships)
    order = place(api, ("SKU-0001", 1), type="ship_from_store", external_id="W-SFS-1")
    from_home = place(api, ("SKU-0001", 1), external_id="W-HOME-1")
    work(api, clock)

    [allocation] = order["lines"][0]["allocations"]
    assert allocation["location_id"] == "ST-HAM"
    [fulfillment] = order_of(api, order["id"])["fulfillments"]
    assert (fulfillment["location_id"], fulfillment["method"]) == ("ST-HAM", "ship")
    assert [a["location_id"] for a in from_home["lines"][0]["allocations"]] == ["DC-FRA"]
    sourcing = api.get(f"/v1/orders/{order['id']}/sourcing").json()["decisions"][0]
    assert sourcing["profile"]["name"] == "web-ship-from-store"


ZURICH = {
    "name": "Ada Lovelace",
    "line1": "Bahnhofstrasse 1",
    "city": "Zürich",
    "postal_code": "8001",
    "country": "CH",
    "latitude": 47.37,
    "longitude": 8.54,
}


def test_the_demos_money_german_vat_its_promotions_and_a_swiss_shop_in_francs(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    guide = {"sku": "BOOK-0001", "quantity": 5}
    german = an_order_body(external_id="W-MONEY-1", codes=["welcome10"])
    german["lines"] = [guide | {"unit_price": "24.90"}]
    swiss = an_order_body(external_id="CH-1", channel="ch-web", currency="CHF")
    swiss["lines"] = [guide | {"unit_price": "25.90"}]
    swiss["ship_to"] = ZURICH

    at_home = api.post("/v1/orders", json=german)
    abroad = api.post("/v1/orders", json=swiss)

    assert at_home.status_code == 201, at_home.text
    order = at_home.json()
    reasons = [d["reason"] for d in order["lines"][0]["discounts"]]
    assert reasons == [
        "Winter sale: 10 % off from 100 EUR",
        "Welcome: 10 EUR off your first order (code WELCOME10)",
    ]
    assert [(t["rate"], t["inclusive"]) for t in order["lines"][0]["taxes"]] == [("0.07", True)]
    assert order["charges"][0]["discounts"][0]["reason"] == "free shipping from 50.00"
    assert abroad.status_code == 201, abroad.text
    placed = abroad.json()
    assert (placed["currency"], placed["tax_treatment"]) == ("CHF", "export")
    assert placed["exchange"]["settlement"] == "EUR"
    assert placed["exchange"]["source"] == "demo"
    assert placed["charges"][0]["total"] == "0.00"  # 129.50 CHF: free from 80.00


def test_a_demo_order_shipped_is_invoiced_by_the_demos_seller(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    body = an_order_body(external_id="W-INVOICE")
    body["lines"] = [{"sku": "BOOK-0001", "quantity": 2, "unit_price": "24.90"}]
    order = api.post("/v1/orders", json=body).json()
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "T-1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200

    [invoice] = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"]

    assert (invoice["seller"]["name"], invoice["seller"]["vat_id"]) == (
        "Ordino Demo GmbH", "DE123456704"
    )  # fmt: skip
    assert invoice["total"] == order["total"]
    # The books and their shipping (below 50.00: charged), both at the reduced rate.
    assert [(t["rate"], t["amount"]) for t in invoice["taxes"]] == [("0.07", "3.58")]


def test_a_swiss_order_of_the_demo_is_declared_duty_paid_as_it_ships(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    body = an_order_body(external_id="CH-CUSTOMS", channel="ch-web", currency="CHF")
    body["lines"] = [
        {"sku": "BOOK-0002", "quantity": 1, "unit_price": "25.90"},
        {"sku": "SKU-0001", "quantity": 1},
    ]
    body["lines"][1]["unit_price"] = api.get("/v1/products/SKU-0001").json()["prices"]["CHF"]
    body["ship_to"] = ZURICH
    placed = api.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text
    work(api, clock)
    fos = [
        fo for fo in order_of(api, placed.json()["id"])["fulfillments"] if fo["method"] == "ship"
    ]
    assert fos, "shipped to Zürich"
    shipped = {"carrier": "dhl", "tracking_number": "CH-1"}
    assert api.post(f"/v1/fulfillments/{fos[0]['id']}/shipped", json=shipped).status_code == 200

    declared = api.get(f"/v1/fulfillments/{fos[0]['id']}/customs").json()

    assert (declared["status"], declared["incoterm"], declared["destination"]) == (
        "declared", "DDP", "CH"
    )  # fmt: skip
    assert declared["exporter"]["eori"] == "DE4711000000000"
    assert declared["problems"] == []
    assert all(line["hs_code"] and line["origin"] for line in declared["lines"])
    assert declared["duties"] == "0.00"  # none on industrial goods since 2024
    assert declared["import_vat"] is not None


def test_a_demo_order_paid_with_its_gift_card_and_on_account_is_shared_between_them(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    body = an_order_body(external_id="W-TENDERS")
    body["lines"] = [{"sku": "BOOK-0001", "quantity": 2, "unit_price": "24.90"}]
    body["tenders"] = [{"method": "gift_card", "code": "demo-gift-0025", "amount": "25.00"},
                       {"method": "invoice", "account": "ACME-GMBH"}]  # fmt: skip

    placed = api.post("/v1/orders", json=body)

    assert placed.status_code == 201, placed.text
    assert [t["method"] for t in placed.json()["tenders"]] == ["gift_card", "invoice"]
    assert api.get("/v1/gift-cards/DEMO-GIFT-0025").json()["balance"] == "0.00"
    account = api.get("/v1/credit-accounts/ACME-GMBH").json()
    assert (account["credit_limit"], account["terms_days"]) == ("1000.00", 30)
    assert account["open"] == str(Decimal(placed.json()["total"]) - Decimal("25.00"))


def test_a_customer_returns_a_delivered_demo_order_from_their_page(
    api: TestClient, clock: Clock
) -> None:
    """The demo's return policy and routing: a return from the customer's link is
    authorised at once and routed; with a return shipping fee by mail."""
    _seeded(api, clock)
    order = place(api, ("SKU-0001", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "DEMO-1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    done = {"delivered_at": clock.advance(days=2).isoformat()}
    assert api.post(f"/v1/fulfillments/{fo['id']}/delivered", json=done).status_code == 200
    lookup = {"number": "W-1001", "email": "ada@example.com"}
    token = api.post("/v1/self-service/lookup", json=lookup).json()["token"]
    body = {"lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}], "method": "mail"}

    seen = api.post(f"/v1/self-service/orders/{token}/returns", json=body)

    assert seen.status_code == 201, seen.text
    [mine] = seen.json()["returns"]
    assert mine["status"] == "authorised"
    [ra] = api.get(f"/v1/orders/{order['id']}/returns").json()["items"]
    assert ra["lines"][0]["destination"] is not None
    preview = api.get(f"/v1/returns/{ra['id']}/refund-preview").json()["when_all_back"]
    assert preview["return_shipping_fee"] == "2.95"
    assert api.get("/v1/return-policy").json()["windows"][1] == {
        "days": 60,
        "channel": "app",
        "product_class": None,
    }
