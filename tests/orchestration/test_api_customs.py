"""Customs over HTTP and the command line: a Swiss order in CHF shipped from Berlin
has its declaration (a preview before it ships, kept as it ships): each line's
tariff number, origin and value (its invoice's), the seller's EORI, the channel's
terms; delivered duty paid, the duties and import VAT estimated from the rates
`ordino customs load` loads; a parcel that crosses no border has none; what is no
customs fact or rate is refused by its field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from ordino.app.main import main
from ordino.pricing.services import load_customs_rates, load_exchange_rates, load_rates
from ordino.store import migrate
from tests.conftest import ADMIN_KEY, Clock
from tests.orchestration.test_api_invoices import _csrf
from tests.pricing.test_api_currencies import RATES
from tests.support.api import fields, network, order_of, stock, work
from tests.support.builders import a_product_body, an_order_body

ZURICH = {
    "name": "Grace Hopper",
    "line1": "Bahnhofstrasse 1",
    "city": "Zürich",
    "postal_code": "8001",
    "country": "CH",
    "latitude": 47.37,
    "longitude": 8.54,
}
CUSTOMS = """country,kind,hs_prefix,rate
CH,import_vat,,8.1
CH,import_vat,4901,2.6
CH,duty,,2
CH,duty,4901,0
"""
SELLER = {"seller_country": "DE", "vat_id": "DE123456704", "name": "Ordino Demo GmbH",
          "eori": "DE1234567890123"}  # fmt: skip


@pytest.fixture
def swiss(api: TestClient, clock: Clock) -> TestClient:
    """A Swiss shop in CHF (settling in EUR, duty paid) shipping from Berlin: SKU-1 a
    jacket (6201, made in Portugal) at 56.00 CHF, SKU-2 a book (4901) at 20.00 CHF."""
    network(api)
    jacket = a_product_body(prices={"EUR": "59.90", "CHF": "56.00"}, weight_kg="1.2", customs={
        "hs_code": "620193", "origin": "PT", "description": "Men's anorak, synthetic fibres"
    })  # fmt: skip
    book = a_product_body(name="A book", prices={"EUR": "21.00", "CHF": "20.00"}, customs={
        "hs_code": "490199", "origin": "DE", "description": "Printed book"
    })  # fmt: skip
    for sku, body in (("SKU-1", jacket), ("SKU-2", book)):
        assert api.put(f"/v1/products/{sku}", json=body).status_code == 200
        stock(api, "DC-BER", sku, 10)
    pricing = {"settlement_currency": "EUR", "incoterm": "DDP"}
    assert api.put("/v1/channels/ch-web", json={"pricing": pricing}).status_code == 201
    assert api.put("/v1/tax-settings", json=SELLER).status_code == 201
    uow = api.app.state.uow  # type: ignore[attr-defined]
    load_exchange_rates(RATES, uow(), clock())
    load_customs_rates(CUSTOMS, uow(), clock())
    return api


def a_swiss_order(to: dict[str, Any] = ZURICH, **changes: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 1), ("SKU-2", 2), channel="ch-web", currency="CHF", **changes)
    body["lines"][0]["unit_price"] = "56.00"
    body["lines"][1]["unit_price"] = "20.00"
    body["ship_to"] = to
    return body


def placed(api: TestClient, clock: Clock, body: dict[str, Any]) -> str:
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    work(api, clock)
    return str(response.json()["id"])


def test_a_swiss_order_shipped_from_berlin_is_declared_duty_paid(
    swiss: TestClient, clock: Clock
) -> None:
    order_id = placed(swiss, clock, a_swiss_order())
    [fo] = order_of(swiss, order_id)["fulfillments"]

    preview = swiss.get(f"/v1/fulfillments/{fo['id']}/customs")
    shipped = {"carrier": "dhl", "tracking_number": "CH-1"}
    assert swiss.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    declared = swiss.get(f"/v1/fulfillments/{fo['id']}/customs").json()

    assert preview.status_code == 200, preview.text
    assert preview.json()["status"] == "preview"
    assert {k: v for k, v in preview.json().items() if k not in ("status", "declared_at")} == {
        k: v for k, v in declared.items() if k not in ("status", "declared_at")
    }
    assert (declared["status"], declared["incoterm"], declared["duties_paid_by"]) == (
        "declared", "DDP", "sender"
    )  # fmt: skip
    assert (declared["origin"], declared["destination"], declared["currency"]) == (
        "DE",
        "CH",
        "CHF",
    )
    assert declared["exporter"] == {"name": "Ordino Demo GmbH", "country": "DE",
                                    "eori": "DE1234567890123"}  # fmt: skip
    assert declared["importer"]["name"] == "Grace Hopper"
    assert [(ln["sku"], ln["hs_code"], ln["origin"], ln["quantity"], ln["value"], ln["weight_kg"])
            for ln in declared["lines"]] == [
        ("SKU-1", "620193", "PT", 1, "56.00", "1.200"),
        ("SKU-2", "490199", "DE", 2, "40.00", "1.000"),
    ]  # fmt: skip
    # An export: no VAT charged, so the values are what was paid. The jacket pays 2 %
    # duty, the books none; import VAT 8.1 % and 2.6 % on value and duty.
    assert [(ln["duty"], ln["import_vat"]) for ln in declared["lines"]] == [
        ("1.12", "4.63"),
        ("0.00", "1.04"),
    ]
    assert (declared["duties"], declared["import_vat"], declared["problems"]) == (
        "1.12",
        "5.67",
        [],
    )
    [invoice] = swiss.get(f"/v1/orders/{order_id}/invoices").json()["items"]
    assert Decimal(declared["value"]) + Decimal(declared["shipping"]) == Decimal(invoice["base"])


def test_a_parcel_that_crosses_no_border_has_no_declaration(
    swiss: TestClient, clock: Clock
) -> None:
    german = "country,tax_class,rate,valid_from,valid_until\nDE,standard,19,2021-01-01,\n"
    load_rates(german, swiss.app.state.uow(), clock())  # type: ignore[attr-defined]
    munich = ZURICH | {"city": "München", "postal_code": "80331", "country": "DE"}
    body = an_order_body(("SKU-1", 1), external_id="W-DE", ship_to=munich)
    order_id = placed(swiss, clock, body)
    [fo] = order_of(swiss, order_id)["fulfillments"]

    assert swiss.get(f"/v1/fulfillments/{fo['id']}/customs").status_code == 404


def test_delivered_at_place_estimates_nothing_and_names_what_is_missing(
    swiss: TestClient, clock: Clock
) -> None:
    assert swiss.put("/v1/channels/ch-web", json={
        "pricing": {"settlement_currency": "EUR", "incoterm": "DAP"}
    }).status_code == 200  # fmt: skip
    assert swiss.put("/v1/products/SKU-2", json=a_product_body(
        name="A book", prices={"EUR": "21.00", "CHF": "20.00"}
    )).status_code == 200  # fmt: skip
    order_id = placed(swiss, clock, a_swiss_order())
    [fo] = order_of(swiss, order_id)["fulfillments"]

    declared = swiss.get(f"/v1/fulfillments/{fo['id']}/customs").json()

    assert (declared["incoterm"], declared["duties_paid_by"]) == ("DAP", "receiver")
    assert (declared["duties"], declared["import_vat"]) == (None, None)
    assert declared["problems"] == ["SKU-2 has no tariff number, origin or description"]


def test_what_is_no_customs_fact_or_setting_is_refused_by_its_field(swiss: TestClient) -> None:
    bad = a_product_body(customs={"hs_code": "62", "origin": "XX", "description": ""})
    seller = SELLER | {"eori": "1234", "ioss": "IM12"}
    channel = {"pricing": {"incoterm": "EXW"}}

    assert sorted(fields(swiss.put("/v1/products/SKU-1", json=bad))) == [
        "customs.description", "customs.hs_code", "customs.origin"
    ]  # fmt: skip
    assert sorted(fields(swiss.put("/v1/tax-settings", json=seller))) == ["eori", "ioss"]
    assert fields(swiss.put("/v1/channels/ch-web", json=channel)) == ["pricing.incoterm"]
    product = swiss.get("/v1/products/SKU-1").json()
    assert product["customs"]["hs_code"] == "620193"  # unchanged


def test_customs_rates_load_from_a_file_and_a_bad_file_changes_nothing(
    swiss: TestClient, database_url: str, tmp_path: Path
) -> None:
    good, bad = tmp_path / "customs.csv", tmp_path / "bad.csv"
    good.write_text(CUSTOMS + "LI,import_vat,,8.1\n", encoding="utf-8")
    bad.write_text(
        "country,kind,hs_prefix,rate\nCH,tariff,,2\nCH,duty,49x,2\nCH,duty,,-1\n"
        "CH,duty,,2\nCH,duty,,3\n",
        encoding="utf-8",
    )
    runner = CliRunner()

    loaded = runner.invoke(main, ["customs", "load", str(good), "--database-url", database_url])
    refused = runner.invoke(main, ["customs", "load", str(bad), "--database-url", database_url])

    assert loaded.exit_code == 0, loaded.output
    assert "5 customs rates loaded (CH 4, LI 1); 4 replaced" in loaded.output
    assert refused.exit_code != 0
    for named in ("rows[0].kind", "rows[1].hs_prefix", "rows[2].rate", "rows[4].hs_prefix"):
        assert named in refused.output
    changes = swiss.get("/v1/configuration-changes", params={"kind": "customs_rates"})
    assert len(changes.json()["items"]) == 2  # the fixture's and the good file's


def test_the_console_shows_the_declaration_on_the_orders_page(
    swiss: TestClient, clock: Clock
) -> None:
    order_id = placed(swiss, clock, a_swiss_order())
    signed_in = TestClient(swiss.app)
    form = {"password": ADMIN_KEY, "csrf": _csrf(signed_in)}
    assert signed_in.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303

    page = signed_in.get(f"/console/orders/{order_id}").text

    for shown in ("DE → CH", "DDP", "620193", "490199", "EORI DE1234567890123", "preview"):
        assert shown in page


def test_an_erasure_takes_the_recipient_off_the_declaration(
    swiss: TestClient, clock: Clock
) -> None:
    order_id = placed(swiss, clock, a_swiss_order())
    [fo] = order_of(swiss, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "CH-1"}
    assert swiss.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200

    erased = swiss.post("/v1/customer-data/erasures", json={"order_id": order_id})
    declared = swiss.get(f"/v1/fulfillments/{fo['id']}/customs")

    assert erased.status_code == 201, erased.text
    assert erased.json()["records"]["customs_declarations"] == 1
    text = declared.text
    assert "Grace Hopper" not in text and "Bahnhofstrasse" not in text
    assert declared.json()["importer"]["address"]["country"] == "CH"
    assert declared.json()["lines"][0]["hs_code"] == "620193"  # what was declared stays


def test_a_rejected_parcel_has_no_declaration(swiss: TestClient, clock: Clock) -> None:
    """Found by review: a parcel turned down, which will never ship, was previewed."""
    order_id = placed(swiss, clock, a_swiss_order())
    [fo] = order_of(swiss, order_id)["fulfillments"]
    rejected = swiss.post(f"/v1/fulfillments/{fo['id']}/reject", json={"reason": "damaged"})
    assert rejected.status_code == 200, rejected.text

    assert swiss.get(f"/v1/fulfillments/{fo['id']}/customs").status_code == 404


def test_a_downgrade_that_would_lose_customs_facts_is_refused(swiss: TestClient) -> None:
    engine = swiss.app.state.engine  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="would be lost"):
        migrate.downgrade(engine, "0042_bills")
    assert swiss.get("/v1/products/SKU-1").json()["customs"]["hs_code"] == "620193"
