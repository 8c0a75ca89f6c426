"""Currencies over HTTP and the command line: a channel that settles in another
currency than its orders' keeps with each order the rate it is settled at (rate,
source, day), from the rates `ordino rates load` loads; analytics count its revenue
in the settlement currency; an order with no rate recent enough is refused naming
`currency` and places nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from ordino.app.main import main
from ordino.pricing.services import load_exchange_rates
from ordino.store import migrate
from tests.conftest import Clock
from tests.support.api import fields, network, stock
from tests.support.builders import a_product_body, an_order_body

MUNICH = {
    "name": "Ada Lovelace",
    "line1": "Marienplatz 1",
    "city": "München",
    "postal_code": "80331",
    "country": "DE",
    "latitude": 48.14,
    "longitude": 11.58,
}
# The test clock's day is Monday 2 November 2026: Friday's rates serve it.
RATES = """Date, USD, CHF,
2026-10-30, 1.0500, 0.9400,
2026-10-29, 1.0480, 0.9390,
"""


@pytest.fixture
def swiss(api: TestClient) -> TestClient:
    """A Swiss shop selling in CHF, settling in EUR; SKU-1 at 56.00 CHF."""
    network(api)
    product = a_product_body(prices={"EUR": "59.90", "CHF": "56.00"})
    assert api.put("/v1/products/SKU-1", json=product).status_code == 200
    stock(api, "DC-BER", "SKU-1", 10)
    channel = {"time_zone": "Europe/Zurich", "pricing": {"settlement_currency": "EUR"}}
    assert api.put("/v1/channels/ch-web", json=channel).status_code == 201
    return api


def a_swiss_order(**changes: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 2), channel="ch-web", currency="CHF", **changes)
    body["lines"][0]["unit_price"] = "56.00"
    return body


def test_an_order_keeps_the_rate_it_is_settled_at(swiss: TestClient, clock: Clock) -> None:
    load_exchange_rates(RATES, swiss.app.state.uow(), clock())  # type: ignore[attr-defined]

    placed = swiss.post("/v1/orders", json=a_swiss_order())

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["currency"], order["total"]) == ("CHF", "112.00")
    assert order["exchange"] == {
        "presentment": "CHF",
        "settlement": "EUR",
        "rate": "1.06382978723",  # 1 / 0.94, to 12 digits
        "date": "2026-10-30",
        "source": "ECB",
        "settlement_total": "119.15",
    }
    assert swiss.get(f"/v1/orders/{order['id']}").json()["exchange"] == order["exchange"]
    kpis = swiss.get("/v1/analytics/kpis", params={"from": "2026-11-02", "to": "2026-11-03"})
    assert kpis.status_code == 200, kpis.text
    assert kpis.json()["total"]["revenue"] == [{"amount": "119.15", "currency": "EUR"}]


def test_an_order_with_no_recent_rate_is_refused_naming_its_currency(swiss: TestClient) -> None:
    refused = swiss.post("/v1/orders", json=a_swiss_order())

    assert fields(refused) == ["currency"]
    assert "no exchange rate from CHF to EUR" in refused.json()["errors"][0]["message"]
    assert swiss.get("/v1/orders").json()["items"] == []


def test_rates_are_loaded_from_the_ecbs_file_and_a_bad_one_changes_nothing(
    api: TestClient, database_url: str, tmp_path: Path
) -> None:
    good, bad = tmp_path / "ecb.csv", tmp_path / "bad.csv"
    good.write_text(Path("examples/ecb-rates.csv").read_text(encoding="utf-8"), encoding="utf-8")
    bad.write_text(RATES + "2026-10-28, 1.05, none,\n", encoding="utf-8")
    url = ["--database-url", database_url]

    loaded = CliRunner().invoke(main, ["rates", "load", str(good), *url])
    refused = CliRunner().invoke(main, ["rates", "load", str(bad), *url])

    assert loaded.exit_code == 0, loaded.output
    assert loaded.output == "28 exchange rates loaded, 7 currencies, 2026-12-01 to 2026-12-04\n"
    assert refused.exit_code == 1
    assert "bad.csv: rows[2].CHF: 'none' is not a rate from 0.000001 to" in refused.output
    changes = api.get("/v1/configuration-changes", params={"kind": "exchange_rates"}).json()
    assert len(changes["items"]) == 1


def test_a_quote_says_the_rate_and_is_refused_without_one_as_capture_is(
    swiss: TestClient, clock: Clock
) -> None:
    cart = {
        "channel": "ch-web",
        "currency": "CHF",
        "lines": [{"sku": "SKU-1", "quantity": 2}],
        "ship_to": {"country": "DE"},
    }
    assert fields(swiss.post("/v1/quotes", json=cart)) == ["currency"]
    load_exchange_rates(RATES, swiss.app.state.uow(), clock())  # type: ignore[attr-defined]

    quote = swiss.post("/v1/quotes", json=cart).json()

    assert quote["exchange"]["settlement_total"] == "119.15"


def test_a_change_of_an_order_needs_no_rate_of_its_day(swiss: TestClient, clock: Clock) -> None:
    """The order keeps the rate it was placed at: a change a week later, when no rate
    is recent enough for a new order, plans it again all the same."""
    load_exchange_rates(RATES, swiss.app.state.uow(), clock())  # type: ignore[attr-defined]
    order = swiss.post("/v1/orders", json=a_swiss_order()).json()
    clock.advance(days=8)

    found = swiss.post(
        "/v1/self-service/lookup", json={"number": "W-1001", "email": "ada@example.com"}
    )
    token = found.json()["token"]
    moved = swiss.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MUNICH})

    assert moved.status_code == 200, moved.text
    assert swiss.get(f"/v1/orders/{order['id']}").json()["exchange"] == order["exchange"]
    assert fields(swiss.post("/v1/orders", json=a_swiss_order(external_id="W-2"))) == ["currency"]


def test_going_back_before_0041_is_refused_while_an_order_keeps_its_rate(
    swiss: TestClient, clock: Clock
) -> None:
    engine = swiss.app.state.engine  # type: ignore[attr-defined]
    load_exchange_rates(RATES, swiss.app.state.uow(), clock())  # type: ignore[attr-defined]
    assert swiss.post("/v1/orders", json=a_swiss_order()).status_code == 201

    with pytest.raises(RuntimeError, match="1 orders keep the rate"):
        migrate.downgrade(engine, "0040_shipping_revenue")
