"""`ordino check`: positions whose reserved disagrees with the ledger, or whose on hand
disagrees with its movements."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ordino.app.check import check_inventory, shortages
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Adjustment, Count, Source
from ordino.inventory.domain.positions import Discrepancy
from ordino.inventory.services.stock import adjust_inventory, count_stock
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order
from ordino.sourcing.engine.choice import RulesEngine
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import with_stock


@pytest.fixture(autouse=True)
def two_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 5})
    place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock())


def run_sql(uow: SqlUnitOfWork, statement: str) -> None:
    with uow.engine.begin() as connection:
        connection.execute(text(statement))


def test_a_consistent_database_has_no_discrepancies(uow: SqlUnitOfWork, clock: Clock) -> None:
    cancelled = place_order(
        a_place_order(("SKU-2", 5), external_id="W-2"), uow, RulesEngine(), clock()
    )
    cancel_order(cancelled.body["id"], uow, clock.advance(minutes=1))

    assert check_inventory(uow) == []


def test_reserved_corrupted_above_the_ledger_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(
        uow, "UPDATE positions SET reserved = 13 WHERE location_id = 'DC-BER' AND sku = 'SKU-1'"
    )

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-1", "reserved 13 but the ledger holds 2")
    ]


def test_on_hand_changed_without_a_movement_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(uow, "UPDATE positions SET on_hand = 12 WHERE sku = 'SKU-2'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-2", "on hand 12 but movements add up to 5"),
        Discrepancy("DC-BER", "SKU-2", "on hand 12 but the last movement left 5"),
    ]


def test_a_movement_lost_is_found(uow: SqlUnitOfWork, clock: Clock) -> None:
    adjust_inventory(
        [Adjustment("evt-1", "DC-BER", "SKU-2", 3)], Source("test", clock.advance(minutes=1)), uow
    )
    run_sql(uow, "DELETE FROM inventory_movements WHERE event_id = 'evt-1'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-2", "on hand 8 but movements add up to 5"),
        Discrepancy("DC-BER", "SKU-2", "on hand 8 but the last movement left 5"),
    ]


def test_movements_out_of_order_are_found(uow: SqlUnitOfWork, clock: Clock) -> None:
    """The sum is right, but the latest movement does not end where the position is."""
    adjust_inventory(
        [Adjustment("evt-1", "DC-BER", "SKU-2", 3)], Source("test", clock.advance(minutes=1)), uow
    )
    run_sql(uow, "UPDATE inventory_movements SET on_hand_after = 4 WHERE event_id = 'evt-1'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-2", "on hand 8 but the last movement left 4")
    ]


def test_a_short_position_is_not_a_discrepancy(uow: SqlUnitOfWork, clock: Clock) -> None:
    count_stock([Count("DC-BER", "SKU-1", 1)], None, Source("test", clock()), uow)

    assert check_inventory(uow) == []
    assert [(p.sku, p.on_hand, p.reserved, p.short) for p in shortages(uow)] == [("SKU-1", 1, 2, 1)]


def test_reserved_below_the_ledger_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(uow, "UPDATE positions SET reserved = 0 WHERE sku = 'SKU-1'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-1", "reserved 0 but the ledger holds 2")
    ]


def test_reserved_without_any_ledger_rows_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(uow, "UPDATE positions SET reserved = 1 WHERE sku = 'SKU-2'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-2", "reserved 1 but the ledger holds 0")
    ]


def test_ledger_rows_of_a_missing_position_are_found(uow: SqlUnitOfWork) -> None:
    run_sql(uow, "DELETE FROM positions WHERE sku = 'SKU-1'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-1", "ledger holds stock of no position")
    ]


def test_a_position_of_an_unknown_location_or_product_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(uow, "UPDATE positions SET location_id = 'DC-GONE' WHERE sku = 'SKU-2'")
    run_sql(uow, "UPDATE reservations SET sku = 'SKU-GONE'")
    run_sql(uow, "UPDATE positions SET sku = 'SKU-GONE' WHERE sku = 'SKU-1'")

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-GONE", "position of an unknown product"),
        Discrepancy("DC-GONE", "SKU-2", "position of an unknown location"),
        # and, moved by hand, the positions no longer match their movements
        Discrepancy("DC-BER", "SKU-GONE", "on hand 10 but movements add up to 0"),
        Discrepancy("DC-BER", "SKU-GONE", "on hand 10 but the last movement left 0"),
        Discrepancy("DC-GONE", "SKU-2", "on hand 5 but movements add up to 0"),
        Discrepancy("DC-GONE", "SKU-2", "on hand 5 but the last movement left 0"),
    ]
