"""A reservation that finds its stock gone (another order won the race) re-plans on fresh
stock: it succeeds elsewhere or is refused, and never oversells."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import DBAPIError

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.store.tables import reservations
from ordino.kernel.domain.errors import Conflict, InsufficientStock, LostRace
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.commit_writer import PendingWrites
from ordino.store.tables import idempotency_keys
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import (
    ORDER_TABLES,
    StaleSnapshot,
    counts,
    rows,
    stock_levels,
    with_stock,
)

NONE_WRITTEN = {table.name: 0 for table in ORDER_TABLES}


def test_a_lost_race_re_plans_and_sources_elsewhere(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 10})
    engine = StaleSnapshot({("ST-HAM", "SKU-1"): 2})  # Hamburg looked like it had 5

    answer = place_order(a_place_order(("SKU-1", 5)), uow, engine, clock())

    assert engine.calls == 2
    assert answer.body["lines"][0]["allocations"] == [
        {"location_id": "DC-BER", "quantity": 5, "ship_date": None}
    ]
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (10, 5, 0),
        ("ST-HAM", "SKU-1"): (3, 0, 0),
    }
    assert [(r["location_id"], r["quantity"]) for r in rows(uow.engine, reservations)] == [
        ("DC-BER", 5)
    ]


def test_what_a_lost_attempt_reserved_before_failing_is_rolled_back(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(
        uow,
        clock(),
        {
            ("ST-HAM", "SKU-1"): 5,
            ("ST-HAM", "SKU-2"): 3,
            ("DC-BER", "SKU-1"): 10,
            ("DC-BER", "SKU-2"): 10,
        },
    )
    # The stale plan takes both lines from Hamburg: SKU-1 reserves, then SKU-2 fails.
    engine = StaleSnapshot({("ST-HAM", "SKU-2"): 2})

    answer = place_order(a_place_order(("SKU-1", 2), ("SKU-2", 5)), uow, engine, clock())

    assert engine.calls == 2
    assert [line["allocations"] for line in answer.body["lines"]] == [
        [{"location_id": "DC-BER", "quantity": 2, "ship_date": None}],
        [{"location_id": "DC-BER", "quantity": 5, "ship_date": None}],
    ]
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (10, 2, 0),
        ("DC-BER", "SKU-2"): (10, 5, 0),
        ("ST-HAM", "SKU-1"): (5, 0, 0),
        ("ST-HAM", "SKU-2"): (3, 0, 0),
    }
    assert len(rows(uow.engine, reservations)) == 2


def test_a_lost_race_with_no_stock_elsewhere_is_insufficient_stock(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3})
    engine = StaleSnapshot({("ST-HAM", "SKU-1"): 2})

    with pytest.raises(InsufficientStock) as refused:
        place_order(a_place_order(("SKU-1", 5)), uow, engine, clock())

    assert engine.calls == 2
    assert refused.value.extra == {
        "shortfalls": [{"line_no": 1, "sku": "SKU-1", "requested": 5, "available": 3, "short": 2}],
        "sourcing": {"profile": "built-in", "version": 0, "strategy": "split lines"},
    }
    assert counts(uow.engine) == NONE_WRITTEN
    assert stock_levels(uow.engine) == {("ST-HAM", "SKU-1"): (3, 0, 0)}


# What the database said of a key written concurrently: the reason a Conflict carries
# once the retries give up, and the log's only word on which key it was.
KEY_TAKEN = {
    "sqlite": "UNIQUE constraint failed: idempotency_keys.scope, idempotency_keys.key",
    "postgresql": 'duplicate key value violates unique constraint "pk_idempotency_keys"',
}


def test_a_key_written_concurrently_is_a_lost_race_in_the_databases_words(
    engine: Engine, clock: Clock
) -> None:
    row = {
        "scope": "orders",
        "key": "K-1",
        "fingerprint": "f" * 64,
        "status": 201,
        "body": {"id": "O-1"},
        "created_at": clock(),
        "order_id": "O-1",
    }
    with engine.begin() as connection:
        connection.execute(insert(idempotency_keys), [row])  # the other writer's
    pending = PendingWrites()
    pending.insert(idempotency_keys, [row])

    with engine.connect() as connection, pytest.raises(LostRace) as lost:
        pending.flush(connection)

    assert str(lost.value).splitlines()[0] == KEY_TAKEN[engine.dialect.name]


def test_a_value_no_json_carries_is_refused_naming_its_type(engine: Engine, clock: Clock) -> None:
    """Rows reach PostgreSQL as JSON: a column of a type JSON has no word for (a new
    one, say) must fail loudly, with its type named, not be written as something else."""
    pending = PendingWrites()
    pending.insert(
        idempotency_keys,
        [
            {
                "scope": "orders",
                "key": "K-1",
                "fingerprint": "f" * 64,
                "status": 201,
                "body": {"total": Decimal("9.99")},
                "created_at": clock(),
                "order_id": "O-1",
            }
        ],
    )

    with engine.connect() as connection, pytest.raises(Exception) as refused:
        pending.flush(connection)

    assert "Decimal is not JSON" in str(refused.value)  # SQLite: SQLAlchemy's, wrapped
    if engine.dialect.name == "postgresql":  # the flush's own JSON
        assert (type(refused.value), str(refused.value)) == (TypeError, "Decimal is not JSON")


def test_a_failure_that_is_no_race_is_not_retried(engine: Engine) -> None:
    """Only a unique key or a deadlock is a lost race: anything else (here a table
    gone) is the database's own error, not eight attempts and a Conflict."""
    pending = PendingWrites()
    pending.insert(idempotency_keys, [{"scope": "orders", "key": "K-1"}])

    with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
        connection.execute(text("DROP TABLE idempotency_keys"))
        pending.flush(connection)

    assert "idempotency_keys" in str(failed.value.orig)


def test_losing_every_race_gives_up_without_writing(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3})
    engine = StaleSnapshot({("ST-HAM", "SKU-1"): 2}, times=1000)

    with pytest.raises(Conflict) as refused:
        place_order(a_place_order(("SKU-1", 5)), uow, engine, clock())

    assert type(refused.value) is Conflict
    assert str(refused.value) == "gave up after 8 concurrent changes; try again"
    assert engine.calls == 8
    assert counts(uow.engine) == NONE_WRITTEN
    assert stock_levels(uow.engine) == {("ST-HAM", "SKU-1"): (3, 0, 0)}


def _waits_for_a_lock(engine: Engine) -> None:
    """Until some session waits for a lock (a minute at most: a loaded machine may be
    slow to bring the order there; the test's outcome does not depend on how slow)."""
    with engine.connect() as connection:
        for _ in range(1200):
            waiting = connection.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            )
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the order never waited for the lock")


def test_a_deadlock_while_reserving_is_a_lost_race_and_retried(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    """Another transaction holds SKU-2 while the order, holding SKU-1 by then, waits
    for it; then wants SKU-1: PostgreSQL ends the order's attempt, which tries again."""
    if uow.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers queue; they cannot deadlock")
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 10})
    placed: dict[str, Any] = {}
    order = a_place_order(("SKU-1", 1), ("SKU-2", 1))

    def place() -> None:
        placed["answer"] = place_order(order, uow, RulesEngine(), clock())

    with uow.engine.connect() as other:
        other.execute(text("SET LOCAL deadlock_timeout = '10s'"))  # the order's side notices
        other.execute(text("SELECT 1 FROM positions WHERE sku = 'SKU-2' FOR UPDATE"))
        placing = threading.Thread(target=place)
        placing.start()
        _waits_for_a_lock(uow.engine)
        other.execute(text("SELECT 1 FROM positions WHERE sku = 'SKU-1' FOR UPDATE"))
        other.rollback()
    placing.join(timeout=30)

    assert placed["answer"].status == 201
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (10, 1, 0),
        ("DC-BER", "SKU-2"): (10, 1, 0),
    }
