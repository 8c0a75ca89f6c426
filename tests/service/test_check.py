"""`ordino check`: positions whose reserved disagrees with the ledger or exceeds on hand."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ordino.domain.inventory import Discrepancy
from ordino.engines.sourcing import NearestFirst
from ordino.services.check import check_inventory
from ordino.services.orders import cancel_order, place_order
from ordino.store.uow import SqlUnitOfWork
from tests.builders import a_place_order
from tests.conftest import Clock
from tests.service.support import with_stock


@pytest.fixture(autouse=True)
def two_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 5})
    place_order(a_place_order(("SKU-1", 2)), uow, NearestFirst(), clock())


def run_sql(uow: SqlUnitOfWork, statement: str) -> None:
    with uow.engine.begin() as connection:
        connection.execute(text(statement))


def test_a_consistent_database_has_no_discrepancies(uow: SqlUnitOfWork, clock: Clock) -> None:
    cancelled = place_order(
        a_place_order(("SKU-2", 5), external_id="W-2"), uow, NearestFirst(), clock()
    )
    cancel_order(cancelled.body["id"], uow, clock.advance(minutes=1))

    assert check_inventory(uow) == []


def test_reserved_corrupted_above_the_ledger_and_on_hand_is_found(uow: SqlUnitOfWork) -> None:
    run_sql(
        uow, "UPDATE positions SET reserved = 13 WHERE location_id = 'DC-BER' AND sku = 'SKU-1'"
    )

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-1", "reserved 13 but the ledger holds 2"),
        Discrepancy("DC-BER", "SKU-1", "reserved 13 exceeds on hand 10"),
    ]


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
