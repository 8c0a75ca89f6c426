"""Invoice numbers under concurrent shipments: 40 parcels of 40 orders shipped at
once from 8 threads take the numbers 1 to 40 of the seller's series, each once, and
each parcel's capture is its invoice's total (PostgreSQL, where shipments of
different orders commit at once; SQLite's writers queue)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain import Source
from ordino.orchestration.services.fulfillment import ship
from ordino.orders.domain import Shipment
from ordino.pricing.store import bills
from ordino.store.dialect import is_postgresql
from tests.conftest import Clock
from tests.support.api import network, order_of, stock, work
from tests.support.builders import an_order_body
from tests.support.plans import statements
from tests.support.storage import rows

ORDERS = 40


def test_parcels_shipped_at_once_take_each_number_once_without_gaps(
    api: TestClient, clock: Clock
) -> None:
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        if not is_postgresql(connection):
            pytest.skip("SQLite's writers queue: PostgreSQL's commit at once")
    network(api)
    stock(api, "DC-BER", "SKU-1", ORDERS)
    payment = {"method": "card", "token": "4242424242424242"}
    ids = []
    for n in range(ORDERS):
        body = an_order_body(("SKU-1", 1), external_id=f"W-{n}", payment=payment)
        placed = api.post("/v1/orders", json=body)
        assert placed.status_code == 201, placed.text
        ids.append(placed.json()["id"])
    work(api, clock)
    seller = {"seller_country": "DE", "vat_id": "DE123456704"}  # whose series
    assert api.put("/v1/tax-settings", json=seller).status_code == 201
    parcels = [order_of(api, order_id)["fulfillments"][0]["id"] for order_id in ids]

    def one(fo_id: str) -> None:
        source = Source("key:dc", clock())
        ship(fo_id, Shipment("dhl", f"T-{fo_id}"), SqlUnitOfWork(engine), source)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, parcels))
    work(api, clock)  # captured

    issued = rows(engine, bills)
    numbers = sorted(int(b["number"].rsplit("-", 1)[1]) for b in issued)
    assert numbers == list(range(1, ORDERS + 1))
    assert {b["entity"] for b in issued} == {"default"}  # one series an installation
    for order_id in ids:
        order = order_of(api, order_id)
        [invoice] = [b for b in issued if b["order_id"] == order_id]
        assert Decimal(order["tenders"][0]["captured"]) == Decimal(invoice["document"]["total"])


def test_a_shipment_takes_its_invoice_number_last_just_before_it_commits(
    api: TestClient, clock: Clock
) -> None:
    """Every shipment waits for the series' row: taken last, it is held for the
    commit alone, not while the shipment's stock, order and jobs are written."""
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 1)
    payment = {"method": "card", "token": "4242424242424242"}
    body = an_order_body(("SKU-1", 1), external_id="W-1", payment=payment)
    order_id = api.post("/v1/orders", json=body).json()["id"]
    work(api, clock)
    [parcel] = order_of(api, order_id)["fulfillments"]

    with statements(engine) as ran:
        ship(parcel["id"], Shipment("dhl", "T-1"), SqlUnitOfWork(engine), Source("dc", clock()))

    written = [" ".join(sql.split()) for sql, _ in ran]
    [series] = [n for n, sql in enumerate(written) if "bill_series" in sql]
    assert [sql.split(" (")[0] for sql in written[series + 1 :]] == ["INSERT INTO bills"]
    [invoice] = rows(engine, bills)
    assert (invoice["order_id"], invoice["number"].endswith("-000001")) == (order_id, True)
