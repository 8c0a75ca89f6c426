"""0035_order_money: going back past it is refused while an order holds money the
older schema cannot keep (a discount, a tax, a charge, a list price other than its
sale price), and changes nothing; plain orders go back and forth (as the other
migration tests do)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text

from ordino.store import migrate
from tests.support.api import network, order_of, stock
from tests.support.builders import an_order_body


def test_a_downgrade_that_would_lose_an_orders_money_is_refused(api: TestClient) -> None:
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    assert api.put("/v1/channels/amazon", json={"pricing": {"marketplace": True}}).status_code
    body = an_order_body(("SKU-1", 1), channel="amazon", external_id="AMZ-1")
    body["lines"][0]["discounts"] = [{"amount": "5.00"}]
    placed = api.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text

    with pytest.raises(RuntimeError, match="1 order lines and 0 orders hold money"):
        migrate.downgrade(engine, "0034_storequeue")

    assert order_of(api, placed.json()["id"])["lines"][0]["discount"] == "5.00"


def test_0036_adds_only_what_a_database_lacks(tmp_path: Path) -> None:
    """A database migrated while 0035 briefly added revenue_minor and first_unit
    itself (a commit of this issue's branch) upgrades all the same."""
    engine = create_engine(f"sqlite:///{tmp_path / 'early.db'}")
    migrate.upgrade(engine, "0035_order_money")
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE orders ADD COLUMN revenue_minor BIGINT"))
        connection.execute(text("ALTER TABLE fulfillment_lines ADD COLUMN first_unit INTEGER"))

    migrate.upgrade(engine)

    columns = {c["name"] for c in inspect(engine).get_columns("fulfillment_lines")}
    assert "first_unit" in columns


def test_0040_keeps_what_an_order_placed_before_was_paid_for_shipping(api: TestClient) -> None:
    """A marketplace's order with 4.99 of shipping holding 0.80 of VAT, placed before
    0040: analytics counts 4.19 for its shipping once migrated."""
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    assert api.put("/v1/channels/amazon", json={"pricing": {"marketplace": True}}).status_code
    tax = {"jurisdiction": "DE", "rate": "0.19", "amount": "0.80", "inclusive": True}
    shipping = {"kind": "shipping", "price": "4.99", "taxes": [tax]}
    body = an_order_body(("SKU-1", 1), channel="amazon", external_id="AMZ-1", charges=[shipping])
    assert api.post("/v1/orders", json=body).status_code == 201

    migrate.downgrade(engine, "0039_promotion_uses")
    migrate.upgrade(engine)

    with engine.connect() as connection:
        assert connection.scalar(text("SELECT shipping_minor FROM orders")) == 419
