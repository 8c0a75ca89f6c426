"""What order capture asks the database, once the process's picture holds what the
capture rules and sourcing need (channels, carrier services, the currencies of the
products' prices, their weights): nothing of the catalogue for each order, while a
change of a product is heard at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.errors import InvalidInput
from ordino.network.domain.carriers import LaneMatch
from ordino.network.domain.costs import RateCard, RateZone, WeightBreak
from ordino.network.services.catalogue import put_product
from ordino.network.services.operations import RATE_CARDS, put_named
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.decisions import get_sourcing
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


def _by_weight(uow: SqlUnitOfWork, clock: Clock) -> None:
    """The `dhl` service's card: 4.00 a parcel up to 1 kg, 9.00 up to 30 kg."""
    breaks = (WeightBreak(Decimal(1), Decimal("4.00")), WeightBreak(Decimal(30), Decimal("9.00")))
    put_named(RATE_CARDS, RateCard("dhl", "EUR", (RateZone(LaneMatch(), breaks),)), uow, clock())


def test_a_capture_priced_by_weight_reads_no_weights_once_the_picture_holds_them(
    engine: Engine, clock: Clock
) -> None:
    uow, capture = _capture(engine, clock)
    _by_weight(uow, clock)
    _place(uow, capture, clock, 0, service="dhl")

    with statements(engine) as ran:
        for n in range(1, 4):
            _place(uow, capture, clock, n, service="dhl")

    assert [sql for sql, _ in ran if "product" in sql] == []


def test_a_change_of_a_products_weight_is_heard_by_the_next_capture(
    engine: Engine, clock: Clock
) -> None:
    uow, capture = _capture(engine, clock)
    _by_weight(uow, clock)
    _place(uow, capture, clock, 0, service="dhl")  # two parcels' worth of 0.5 kg: 4.00

    put_product(a_product("SKU-2", weight_kg=Decimal(5)), uow, clock() + timedelta(1))
    _place(uow, capture, clock, 1, service="dhl")

    with uow:
        first, second = (uow.orders.id_for_external("web", f"W-{n}") for n in (0, 1))
    assert first is not None and second is not None
    [before] = get_sourcing(first, uow)["decisions"]
    [after] = get_sourcing(second, uow)["decisions"]
    assert (before["chosen"]["cost"]["total"], after["chosen"]["cost"]["total"]) == ("4.00", "9.00")
