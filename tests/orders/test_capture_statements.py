"""What order capture asks the database, once the process's picture holds what the
capture rules need (channels, carrier services, the currencies of the products'
prices): nothing of the catalogue for each order (its rules cost no query), while
a change of a product's prices is heard at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.errors import InvalidInput
from ordino.network.services.catalogue import put_product
from ordino.orders.services.orders import Capture, place_order
from tests.conftest import Clock
from tests.support.builders import a_place_order, a_product
from tests.support.plans import statements
from tests.support.storage import with_stock


def _capture(engine: Engine, clock: Clock) -> tuple[SqlUnitOfWork, Capture]:
    capture = Capture()
    uow = SqlUnitOfWork(engine, on_commit=capture.picture.forget)  # as the app wires it
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 100, ("DC-BER", "SKU-2"): 100})
    return uow, capture


def _place(uow: SqlUnitOfWork, capture: Capture, clock: Clock, n: int, **changes: str) -> None:
    cmd = replace(a_place_order(("SKU-1", 1), ("SKU-2", 1)), external_id=f"W-{n}", **changes)
    place_order(cmd, uow, capture, clock.advance(seconds=1))


def test_a_capture_reads_nothing_of_the_catalogue_once_the_picture_holds_it(
    engine: Engine, clock: Clock
) -> None:
    uow, capture = _capture(engine, clock)
    _place(uow, capture, clock, 0)  # the picture learns channels, carriers, prices

    with statements(engine) as ran:
        for n in range(1, 6):
            _place(uow, capture, clock, n)

    catalogue = [sql for sql, _ in ran if "product" in sql]
    assert catalogue == []
    assert len(ran) / 5 <= 13  # 14 when the rules read the prices each time


def test_a_change_of_a_products_prices_is_heard_by_the_next_capture(
    engine: Engine, clock: Clock
) -> None:
    uow, capture = _capture(engine, clock)
    _place(uow, capture, clock, 0)
    with pytest.raises(InvalidInput):
        _place(uow, capture, clock, 1, currency="CHF")

    for sku in ("SKU-1", "SKU-2"):
        prices = {"EUR": Decimal("59.90"), "CHF": Decimal("64.90")}
        put_product(a_product(sku, prices=prices), uow, clock() + timedelta(1))
    _place(uow, capture, clock, 2, currency="CHF")

    with uow:
        assert uow.orders.id_for_external("web", "W-2") is not None
