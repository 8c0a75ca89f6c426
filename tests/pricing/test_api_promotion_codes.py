"""Promotion codes and limits over HTTP: an order gives codes (any case), each
discount names the code that unlocked it; a code used up (in all or by this
customer), unknown or whose promotion does not apply refuses the order naming
`codes[i]` and why, and places nothing; a cancelled order gives its use back; a
budget spent leaves the next orders undiscounted, never over it; a code is one
promotion's."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.orchestration.test_api_fulfillment import _post, stocked  # noqa: F401 (a fixture)
from tests.pricing.test_api_promotions import SPRING, discounts
from tests.privacy.test_api_customer_data import _engine, _found
from tests.support.api import fields, network, order_of, stock, work
from tests.support.builders import an_order_body

WELCOME = {
    "name": "welcome",
    "benefit": "order_amount",
    "value": "5.00",
    "currency": "EUR",
    "codes": ["welcome5"],
}


@pytest.fixture
def shop(api: TestClient) -> TestClient:
    network(api)  # SKU-1 and SKU-2 at 59.90
    stock(api, "DC-BER", "SKU-1", 50)
    return api


def order(api: TestClient, n: int, email: str = "ada@example.com", **changes: Any) -> Any:
    customer = {"email": email, "name": "Ada Lovelace"}
    body = an_order_body(("SKU-1", 1), external_id=f"W-{n}", customer=customer, **changes)
    return api.post("/v1/orders", json=body)


def placed(api: TestClient, n: int, **changes: Any) -> dict[str, Any]:
    response = order(api, n, **changes)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refused(api: TestClient, n: int, **changes: Any) -> str:
    response = order(api, n, **changes)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert api.get("/v1/orders", params={"channel": "web"}).status_code == 200
    return f"{error['field']}: {error['message']}"


def test_a_code_in_any_case_unlocks_its_promotion_and_the_discount_names_it(
    shop: TestClient,
) -> None:
    assert (
        shop.put("/v1/promotions/welcome", json=WELCOME | {"limits": {"uses": 5}}).status_code
        == 201
    )

    first = placed(shop, 1, codes=[" Welcome5 "])
    without = placed(shop, 2)

    assert discounts(first) == [("welcome@1", "welcome (code WELCOME5)", "5.00")]
    assert discounts(without) == []
    promotion = shop.get("/v1/promotions/welcome").json()
    assert (promotion["codes"], promotion["used"]) == (["WELCOME5"], {"uses": 1, "given": "5.00"})


def test_a_code_used_up_refuses_the_order_until_a_cancelled_one_gives_its_use_back(
    shop: TestClient,
) -> None:
    shop.put("/v1/promotions/welcome", json=WELCOME | {"limits": {"uses": 2}})
    first = placed(shop, 1, codes=["WELCOME5"])
    placed(shop, 2, email="bob@example.com", codes=["WELCOME5"])

    assert refused(shop, 3, codes=["WELCOME5"]) == "codes[0]: WELCOME5: used up: 2 of 2 uses"
    assert shop.get("/v1/orders/by-external/web/W-3").status_code == 404
    assert shop.post(f"/v1/orders/{first['id']}/cancel", json={}).status_code == 200
    assert discounts(placed(shop, 3, codes=["WELCOME5"]))[0][2] == "5.00"
    # Cancelled again: nothing more is given back.
    assert shop.post(f"/v1/orders/{first['id']}/cancel", json={}).status_code == 200
    assert shop.get("/v1/promotions/welcome").json()["used"]["uses"] == 2


def test_a_customer_takes_a_code_as_often_as_it_lets_one_customer(shop: TestClient) -> None:
    shop.put("/v1/promotions/welcome", json=WELCOME | {"limits": {"uses_per_customer": 1}})
    placed(shop, 1, codes=["WELCOME5"])

    assert refused(shop, 2, email="ADA@example.com", codes=["WELCOME5"]) == (
        "codes[0]: WELCOME5: used up by this customer: 1 of 1 uses"
    )
    assert discounts(placed(shop, 3, email="bob@example.com", codes=["WELCOME5"]))


def test_a_code_that_gives_nothing_refuses_the_order_naming_it(shop: TestClient) -> None:
    shop.put("/v1/promotions/welcome", json=WELCOME | {"threshold": "100.00"})
    assert shop.put("/v1/channels/amazon", json={"pricing": {"marketplace": True}}).status_code

    assert refused(shop, 1, codes=["NOPE"]) == "codes[0]: NOPE: no promotion has this code"
    assert refused(shop, 2, codes=["WELCOME5"]) == (
        "codes[0]: WELCOME5: its lines come to 59.90, below 100.00"
    )
    assert refused(shop, 3, codes=["WELCOME5"], channel="amazon") == (
        "codes: a marketplace's order takes no promotion codes"
    )
    assert fields(order(shop, 4, codes=["no spaces"])) == ["codes[0]"]


def test_a_budget_gives_until_the_next_order_would_pass_it_and_never_more(
    shop: TestClient,
) -> None:
    budgeted = SPRING | {"currency": "EUR", "limits": {"budget": "15.00"}}  # 5.99 an order
    shop.put("/v1/promotions/spring", json=budgeted)

    given = [discounts(placed(shop, n)) for n in range(4)]

    assert [len(d) for d in given] == [1, 1, 0, 0]
    assert shop.get("/v1/promotions/spring").json()["used"] == {"uses": 2, "given": "11.98"}


def test_a_code_is_one_promotions(shop: TestClient) -> None:
    shop.put("/v1/promotions/welcome", json=WELCOME)

    taken = shop.put("/v1/promotions/other", json=WELCOME | {"codes": ["WELCOME5", "OTHER"]})

    assert fields(taken) == ["codes"]
    assert "WELCOME5 is promotion welcome's" in taken.json()["errors"][0]["message"]
    assert shop.put("/v1/promotions/welcome", json=WELCOME | {"value": "6.00"}).status_code == 200


def test_a_pickup_not_collected_gives_its_use_back(
    api: TestClient,
    clock: Clock,
    stocked: None,  # noqa: F811 (a fixture)
) -> None:
    api.put("/v1/promotions/welcome", json=WELCOME | {"limits": {"uses": 1}})
    body = an_order_body(("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"}, codes=["WELCOME5"])
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    work(api, clock)
    [fo] = order_of(api, response.json()["id"])["fulfillments"]
    assert api.get("/v1/promotions/welcome").json()["used"]["uses"] == 1

    _post(api, fo["id"], "ready")
    gone = _post(api, fo["id"], "not-collected")

    assert gone["order"]["status"] == "cancelled"
    assert api.get("/v1/promotions/welcome").json()["used"] == {"uses": 0, "given": "0.00"}


def test_an_erased_customers_email_is_in_no_count(shop: TestClient) -> None:
    shop.put("/v1/promotions/welcome", json=WELCOME | {"limits": {"uses_per_customer": 1}})
    cancelled = placed(shop, 1, codes=["WELCOME5"])
    shop.post(f"/v1/orders/{cancelled['id']}/cancel", json={})  # its count stays, at 0
    placed(shop, 2, codes=["WELCOME5"], email="bob@example.com")

    erased = shop.post("/v1/customer-data/erasures", json={"email": "ada@example.com"})

    assert erased.status_code == 201, erased.text
    assert erased.json()["records"]["promotion_uses"] == 1
    assert _found(_engine(shop), "ada@example.com") == []
    assert shop.get("/v1/promotions/welcome").json()["used"] == {"uses": 1, "given": "5.00"}


def test_what_a_promotion_gave_is_counted_in_its_currency_which_it_then_keeps(
    shop: TestClient,
) -> None:
    product = {"name": "Rain jacket", "weight_kg": 0.5, "prices": {"EUR": "59.90", "JPY": "9990"}}
    assert shop.put("/v1/products/SKU-1", json=product).status_code == 200
    anywhere = {"name": "spring", "benefit": "order_percent", "value": "10", "limits": {"uses": 9}}
    shop.put("/v1/promotions/spring", json=anywhere)
    placed(shop, 1)
    placed(shop, 2, currency="JPY", lines=[{"sku": "SKU-1", "quantity": 1, "unit_price": "9990"}])
    budgeted = anywhere | {"currency": "EUR", "limits": {"budget": "100.00"}}
    shop.put("/v1/promotions/spring", json=budgeted)
    placed(shop, 3)

    moved = shop.put("/v1/promotions/spring", json=budgeted | {"currency": "JPY"})

    assert fields(moved) == ["currency"]
    assert shop.get("/v1/promotions/spring").json()["used"] == {"uses": 3, "given": "5.99"}
