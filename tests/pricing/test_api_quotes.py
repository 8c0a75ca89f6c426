"""Quotes over HTTP: a cart priced before capture is priced exactly as the order
placed from it (lines, promotions, codes, VAT, total); the catalogue's price serves
a line given none; a quote says why each promotion and code gives nothing where
capture refuses the code; what cannot be priced is refused naming its field; a
quote writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.pricing.test_api_tax import PARIS, an_order, taxed  # noqa: F401 (a fixture)
from tests.support.api import fields

WELCOME = {
    "name": "welcome",
    "benefit": "order_amount",
    "value": "5.00",
    "currency": "EUR",
    "codes": ["WELCOME5"],
    "limits": {"uses": 1},
}
BOOKS = {"name": "books -10 %", "benefit": "line_percent", "value": "10", "skus": ["SKU-2"]}


def a_cart(**changes: Any) -> dict[str, Any]:
    """The order of `an_order(PARIS)` as a cart: SKU-1 at 59.90 and two books."""
    return {
        "channel": "web",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}, {"sku": "SKU-2", "quantity": 2}],
        "ship_to": {"country": "FR"},
        "customer": {"email": "ada@example.com"},
    } | changes


def money_of(answer: dict[str, Any]) -> Any:
    keep = ("line_no", "sku", "quantity", "list_price", "unit_price", "net", "tax", "total",
            "discounts", "taxes")  # fmt: skip
    lines = [{k: line[k] for k in keep} for line in answer["lines"]]
    return lines, answer["money"], answer["charges"], answer["tax_treatment"]


def test_a_quote_is_the_money_of_the_order_placed_from_it(taxed: TestClient) -> None:  # noqa: F811
    taxed.put("/v1/promotions/welcome", json=WELCOME)
    taxed.put("/v1/promotions/books", json=BOOKS)

    quoted = taxed.post("/v1/quotes", json=a_cart(codes=["welcome5"]))
    placed = taxed.post("/v1/orders", json=an_order(PARIS, codes=["welcome5"]))

    assert quoted.status_code == 200, quoted.text
    assert placed.status_code == 201, placed.text
    quote = quoted.json()
    assert money_of(quote) == money_of(placed.json())
    assert quote["money"]["tax"] != "0.00"  # French VAT, the books at the reduced rate
    assert quote["promotions"]["applied"] == ["books@1", "welcome@1"]
    assert quote["codes"] == [
        {"code": "WELCOME5", "promotion": "welcome@1", "applied": True, "reason": None}
    ]


def test_a_quote_says_why_a_code_gives_nothing_where_capture_refuses_it(
    taxed: TestClient,  # noqa: F811
) -> None:
    taxed.put("/v1/promotions/welcome", json=WELCOME)
    assert taxed.post("/v1/orders", json=an_order(PARIS, codes=["WELCOME5"])).status_code == 201

    quote = taxed.post("/v1/quotes", json=a_cart(codes=["WELCOME5", "NOPE"])).json()
    refused = taxed.post("/v1/orders", json=an_order(PARIS, codes=["WELCOME5"], external_id="W-2"))

    assert quote["codes"] == [
        {"code": "WELCOME5", "promotion": "welcome@1", "applied": False,
         "reason": "used up: 1 of 1 uses"},
        {"code": "NOPE", "promotion": None, "applied": False,
         "reason": "no promotion has this code"},
    ]  # fmt: skip
    assert quote["promotions"]["passed"] == [
        {"reference": "welcome@1", "reason": "used up: 1 of 1 uses"}
    ]
    assert quote["money"]["discount"] == "0.00"
    assert refused.status_code == 422
    assert fields(refused) == ["codes[0]"]


def test_a_quote_writes_nothing(taxed: TestClient) -> None:  # noqa: F811
    taxed.put("/v1/promotions/welcome", json=WELCOME)

    for _ in range(3):
        assert taxed.post("/v1/quotes", json=a_cart(codes=["WELCOME5"])).status_code == 200

    assert taxed.get("/v1/promotions/welcome").json()["used"] == {"uses": 0, "given": "0"}
    assert taxed.get("/v1/orders").json()["items"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "nowhere"}, "channel"),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "lines[0].sku"),
        ({"currency": "CHF", "lines": [{"sku": "SKU-1", "quantity": 1}]}, "lines[0].sku"),
        (
            {"lines": [{"sku": "SKU-1", "quantity": 1, "unit_price": "1.234"}]},
            "lines[0].unit_price",
        ),
        ({"ship_to": {"country": "IT"}}, "ship_to.country"),  # no Italian rates loaded
        ({"customer": {"vat_id": "FR00000000000"}}, "customer.vat_id"),
        ({"codes": ["no spaces"]}, "codes[0]"),
        ({"lines": []}, "lines"),
    ],
)
def test_what_cannot_be_priced_is_refused_by_its_field(
    taxed: TestClient,  # noqa: F811
    changes: dict[str, Any],
    field: str,
) -> None:
    assert fields(taxed.post("/v1/quotes", json=a_cart(**changes))) == [field]
