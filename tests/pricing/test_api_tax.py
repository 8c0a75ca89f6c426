"""Tax over HTTP and the command line: once the seller is set (`PUT /v1/tax-settings`)
and rates are loaded (`ordino tax load FILE`), each order that is not a marketplace's
has its VAT worked out at capture: a German seller's order to France at France's
rates (a reduced-rate product at its reduced rate), to Germany at Germany's; a
business with a valid VAT id of another member state pays none (reverse charge);
an invalid id, or a country without rates, is refused naming the field and places
nothing; a net channel's prices have the tax added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from ordino.app.main import main
from ordino.pricing.services import load_rates
from tests.conftest import Clock
from tests.support.api import fields, network, stock
from tests.support.builders import a_product_body, an_order_body

RATES = """country,tax_class,rate,valid_from,valid_until
DE,standard,19,2021-01-01,
DE,reduced,7,2021-01-01,
FR,standard,20,2021-01-01,
FR,reduced,5.5,2021-01-01,
"""
PARIS = {
    "name": "Ada Lovelace",
    "line1": "1 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
    "latitude": 48.86,
    "longitude": 2.35,
}


@pytest.fixture
def taxed(api: TestClient, clock: Clock) -> TestClient:
    """A German seller with German and French rates; SKU-1 at 59.90 (standard) and
    SKU-2 a book at 10.55 (reduced)."""
    network(api)
    assert api.put("/v1/products/SKU-2", json=a_product_body(
        name="A book", prices={"EUR": "10.55"}, tax_class="reduced"
    )).status_code == 200  # fmt: skip
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    seller = {"seller_country": "DE", "vat_id": "DE123456704"}
    assert api.put("/v1/tax-settings", json=seller).status_code == 201
    load_rates(RATES, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    return api


def an_order(to: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 1), ("SKU-2", 2), **changes)
    body["lines"][1]["unit_price"] = "10.55"
    if to is not None:
        body["ship_to"] = to
    return body


def taxes(order: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (t["jurisdiction"], t["rate"], t["amount"]) for ln in order["lines"] for t in ln["taxes"]
    ]


def test_a_german_sellers_order_to_france_is_taxed_at_frances_rates(taxed: TestClient) -> None:
    placed = taxed.post("/v1/orders", json=an_order(PARIS))

    assert placed.status_code == 201, placed.text
    order = placed.json()
    # 59.90 holds 59.90 - 59.90 / 1.20 = 9.98; 21.10 holds 21.10 - 21.10 / 1.055 = 1.10
    assert taxes(order) == [("FR", "0.2", "9.98"), ("FR", "0.055", "1.10")]
    assert (order["tax_treatment"], order["money"]["tax"], order["total"]) == (
        "destination",
        "11.08",
        "81.00",
    )
    assert taxed.get(f"/v1/orders/{order['id']}").json() == order


def test_the_same_order_to_germany_is_taxed_at_germanys(taxed: TestClient) -> None:
    order = taxed.post("/v1/orders", json=an_order()).json()

    assert taxes(order) == [("DE", "0.19", "9.56"), ("DE", "0.07", "1.38")]
    assert order["tax_treatment"] == "domestic"


def test_a_business_with_a_valid_french_vat_id_pays_no_vat(taxed: TestClient) -> None:
    body = an_order(PARIS)
    body["customer"]["vat_id"] = "FR 40 303 265 045"

    order = taxed.post("/v1/orders", json=body).json()

    assert (taxes(order), order["tax_treatment"]) == ([], "reverse_charge")
    assert order["customer"]["vat_id"] == "FR40303265045"  # as checked


def test_an_invalid_vat_id_or_a_country_without_rates_places_nothing(taxed: TestClient) -> None:
    body = an_order(PARIS)
    body["customer"]["vat_id"] = "FR00000000000"
    vienna = PARIS | {"city": "Wien", "postal_code": "1010", "country": "AT"}

    assert fields(taxed.post("/v1/orders", json=body)) == ["customer.vat_id"]
    assert fields(taxed.post("/v1/orders", json=an_order(vienna))) == ["ship_to.country"]
    assert taxed.get("/v1/orders").json()["items"] == []


def test_a_net_channels_prices_have_the_vat_added(taxed: TestClient) -> None:
    assert taxed.put("/v1/channels/app", json={"pricing": {"prices": "net"}}).status_code == 200

    order = taxed.post("/v1/orders", json=an_order(PARIS, channel="app")).json()

    # 59.90 * 0.20 = 11.98; 21.10 * 0.055 = 1.1605 -> 1.16
    assert taxes(order) == [("FR", "0.2", "11.98"), ("FR", "0.055", "1.16")]
    assert order["total"] == "94.14"


def test_a_marketplaces_order_keeps_its_own_taxes(taxed: TestClient) -> None:
    assert taxed.put("/v1/channels/amazon", json={"pricing": {"marketplace": True}}).status_code

    order = taxed.post("/v1/orders", json=an_order(PARIS, channel="amazon")).json()

    assert (taxes(order), order["tax_treatment"]) == ([], None)


def test_settings_that_cannot_apply_are_refused_by_their_field(api: TestClient) -> None:
    assert fields(api.put("/v1/tax-settings", json={"seller_country": "CH"})) == ["seller_country"]
    assert fields(
        api.put("/v1/tax-settings", json={"seller_country": "DE", "vat_id": "FR40303265045"})
    ) == ["vat_id"]
    assert api.get("/v1/tax-settings").json() == {
        "provider": "none",  # Ordino works out no tax
        "seller_country": None,
        "vat_id": None,
        "name": None,
        "address": None,
        "eori": None,
        "ioss": None,
        "version": 0,
    }


def test_rates_are_loaded_from_a_file_and_a_bad_file_changes_nothing(
    api: TestClient, database_url: str, tmp_path: Path
) -> None:
    good, bad = tmp_path / "rates.csv", tmp_path / "bad.csv"
    good.write_text(RATES, encoding="utf-8")
    bad.write_text(RATES + "FR,reduced,7,2024-01-01,\nXX,standard,20,2021-01-01,\n")
    url = ["--database-url", database_url]

    loaded = CliRunner().invoke(main, ["tax", "load", str(good), *url])
    refused = CliRunner().invoke(main, ["tax", "load", str(bad), *url])

    assert loaded.exit_code == 0, loaded.output
    assert loaded.output == "4 VAT rates loaded (DE 2, FR 2); 0 replaced\n"
    assert refused.exit_code == 1
    assert "bad.csv: rows[4].valid_from: overlaps rows[3] (FR, reduced)" in refused.output
    assert "bad.csv: rows[5].country: 'XX' is not a member state" in refused.output
    rates = api.get("/v1/tax-rates", params={"country": ["FR"]}).json()["items"]
    assert [(r["tax_class"], r["rate"], r["valid_until"]) for r in rates] == [
        ("reduced", "0.055", None),
        ("standard", "0.2", None),
    ]


def test_a_load_is_recorded_rate_by_rate_and_the_sellers_id_as_invoices_print_it(
    api: TestClient, clock: Clock
) -> None:
    uow = api.app.state.uow  # type: ignore[attr-defined]
    load_rates(RATES, uow(), clock())
    load_rates(RATES.replace("FR,standard,20", "FR,standard,25"), uow(), clock())
    settings = {"seller_country": "DE", "vat_id": "de 123 456 704"}

    put = api.put("/v1/tax-settings", json=settings).json()

    found = api.get("/v1/configuration-changes", params={"kind": "tax_rates"}).json()["items"]
    assert found[0]["changes"] == [
        {"path": "FR standard 2021-01-01.rate", "before": "0.2", "after": "0.25"}
    ]
    assert put["vat_id"] == "DE123456704"
