"""Many orders race for a location's last slots of a day on PostgreSQL: exactly its
capacity is promised for that day, the rest are refused or go to a later day, and
the capacity taken adds up."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.calendar import OpeningHours, WorkingCalendar
from ordino.kernel.domain.errors import PromiseUnavailable
from ordino.kernel.domain.money import Money
from ordino.network.domain.carriers import CarrierService, ServiceLevel, TransitRule
from ordino.network.domain.operations import Capacity, LocationOperations, operations_document
from ordino.network.services.catalogue import put_location, put_product
from ordino.network.services.operations import CARRIER_SERVICES, put_named, put_operations
from ordino.network.store.tables import capacity_use
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.store.tables import order_promises
from ordino.promising.domain.promises import PromiseChoice
from ordino.sourcing.engine.choice import RulesEngine
from tests.support.builders import a_location, a_place_order, a_product

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Berlin
MONDAY = date(2026, 11, 2)
SLOTS = 3


def _network(uow: SqlUnitOfWork) -> None:
    put_location(a_location("DC-BER"), uow, NOW)
    put_product(a_product("SKU-1"), uow, NOW)
    count_stock([Count("DC-BER", "SKU-1", 100, 0)], NOW, Source("test", NOW), uow)
    week = ((OpeningHours(time(8), time(20)),),) * 7
    operations = LocationOperations(
        "DC-BER", WorkingCalendar("Europe/Berlin", week), capacity=Capacity(SLOTS)
    )
    put_operations("DC-BER", operations_document(operations), uow, NOW)
    service = CarrierService(
        "parcel", "DHL", "Parcel", ServiceLevel.STANDARD, Money.zero("EUR"), (TransitRule(1, 1),)
    )
    put_named(CARRIER_SERVICES, service, uow, NOW)


def _race(engine: Engine, orders: int, deliver_by: date | None) -> Counter[str]:
    capture = Capture(RulesEngine(), StockPicture())  # one process's, shared by its threads

    def one(n: int) -> str:
        cmd = a_place_order(
            ("SKU-1", 1),
            external_id=f"W-{n}",
            promise=PromiseChoice("ship:parcel", deliver_by),
        )
        try:
            place_order(cmd, SqlUnitOfWork(engine), capture, NOW)
        except PromiseUnavailable:
            return "refused"
        return "placed"

    with ThreadPoolExecutor(max_workers=16) as pool:
        return Counter(pool.map(one, range(orders)))


def _promised_days(engine: Engine) -> Counter[date]:
    with engine.connect() as connection:
        return Counter(connection.scalars(select(order_promises.c.ship_date)))


def _taken(engine: Engine) -> dict[date, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(capacity_use.c.day, capacity_use.c.used))
        return {day: used for day, used in rows}


def test_only_the_days_capacity_is_promised_for_it(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _network(pg_uow)

    outcome = _race(pg_engine, 20, deliver_by=date(2026, 11, 3))  # Monday's ship day only

    assert outcome == Counter({"placed": SLOTS, "refused": 20 - SLOTS})
    assert _promised_days(pg_engine) == Counter({MONDAY: SLOTS})
    assert _taken(pg_engine) == {MONDAY: SLOTS}


def test_orders_beyond_a_full_day_are_promised_the_next(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _network(pg_uow)

    outcome = _race(pg_engine, 10, deliver_by=None)

    assert outcome == Counter({"placed": 10})
    days = _promised_days(pg_engine)
    assert days == Counter(
        {MONDAY: 3, date(2026, 11, 3): 3, date(2026, 11, 4): 3, date(2026, 11, 5): 1}
    )
    assert _taken(pg_engine) == dict(days)
