"""Retention: published events and delivered webhook deliveries older than their
settings go (`ordino db prune`, run by the server and the worker); an open order
keeps its whole timeline, and nothing not yet sent goes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.services.relay import relay_all
from ordino.events.services.webhooks import subscribe
from ordino.events.store.outbox import PRUNE_LOCK
from ordino.events.store.tables import webhook_deliveries
from ordino.inventory.domain.feeds import Source
from ordino.kernel.services.server_keys import ServerKeys
from ordino.orchestration.services.fulfillment import ship
from ordino.orchestration.services.pipelines import advance_order
from ordino.orders.domain.commands import Customer
from ordino.orders.domain.fulfillment import Shipment
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order, get_order
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.privacy.services.retention import Pruned, Retention, prune
from ordino.store.tables import outbox
from tests.conftest import T0
from tests.support.builders import a_place_order
from tests.support.plans import full_scans, statements
from tests.support.storage import rows, with_stock

YEAR = Retention(events=timedelta(days=365), webhook_log=timedelta(days=30))


def _placed(uow: SqlUnitOfWork, external_id: str, at: datetime = T0) -> str:
    cmd = a_place_order(external_id=external_id, customer=Customer("ada@example.com"))
    order_id: str = place_order(cmd, uow, Capture(), at).body["id"]
    return order_id


def _events(engine: Engine) -> list[tuple[str, str]]:
    return sorted((e["subject"], e["type"]) for e in rows(engine, outbox))


def test_published_events_past_retention_go_but_an_open_orders_stay(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    still_open = _placed(uow, "W-OPEN")
    closed = _placed(uow, "W-CLOSED")
    cancel_order(closed, uow, T0, "asked")
    relay_all(uow, None, T0)  # published a year and more ago
    later = T0 + timedelta(days=400)
    unsent = _placed(uow, "W-OLD-UNSENT", T0)  # old, never published
    recent = _placed(uow, "W-RECENT", later - timedelta(days=10))
    relay_all(uow, None, later - timedelta(days=10))  # published within the year

    pruned = prune(uow, YEAR, later, batch=1)  # a batch at a time, until none is left

    assert pruned == Pruned(events=2, webhook_deliveries=0)
    assert _events(engine) == sorted(
        [
            (f"order/{still_open}", "order.created"),
            (f"order/{unsent}", "order.created"),
            (f"order/{recent}", "order.created"),
        ]
    )


def test_delivered_webhook_deliveries_past_retention_go_and_waiting_ones_stay(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    subscribe("http://127.0.0.1:9/hook", ["*"], uow, T0, ServerKeys(()))
    first, second = _placed(uow, "W-1"), _placed(uow, "W-2")
    relay_all(uow, None, T0)
    delivered = {d["event_id"]: d["id"] for d in rows(engine, webhook_deliveries)}
    [event] = [e for e in rows(engine, outbox) if e["subject"] == f"order/{first}"]
    with uow:  # the receiver took the first order's event, a month and more ago
        uow.webhooks.attempted(delivered[event["id"]], 200, None, T0)
        uow.commit()
    later = T0 + timedelta(days=31)

    pruned = prune(uow, YEAR, later)
    again = prune(uow, YEAR, later)

    assert pruned == Pruned(events=0, webhook_deliveries=1)
    assert again == Pruned(events=0, webhook_deliveries=0)
    waiting = [d["event_id"] for d in rows(engine, webhook_deliveries)]
    [second_event] = [e for e in rows(engine, outbox) if e["subject"] == f"order/{second}"]
    assert waiting == [second_event["id"]]


def test_no_retention_set_keeps_everything(uow: SqlUnitOfWork, engine: Engine) -> None:
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    closed = _placed(uow, "W-CLOSED")
    cancel_order(closed, uow, T0)
    relay_all(uow, None, T0)

    pruned = prune(uow, Retention(None, None), T0 + timedelta(days=4000))

    assert pruned == Pruned(events=0, webhook_deliveries=0)
    assert len(_events(engine)) == 2


def _closed_long_ago(uow: SqlUnitOfWork, orders: int) -> None:
    """`orders` orders placed and cancelled at T0, their events published then."""
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    for n in range(orders):
        cancel_order(_placed(uow, f"W-OLD-{n}"), uow, T0)
    relay_all(uow, None, T0)


def test_a_round_prunes_at_most_its_batches_and_says_what_is_left(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    """A process prunes a bounded round at a time (its jobs run between rounds),
    and says whether the round stopped at its bound."""
    _closed_long_ago(uow, 3)  # 6 events
    later = T0 + timedelta(days=400)

    first = prune(uow, YEAR, later, batch=2, batches=2)
    second = prune(uow, YEAR, later, batch=2, batches=2)

    assert first == Pruned(events=4, webhook_deliveries=0, done=False)
    assert second == Pruned(events=2, webhook_deliveries=0, done=True)
    assert rows(engine, outbox) == []


def test_pruning_reads_by_index_not_whole_tables(uow: SqlUnitOfWork, engine: Engine) -> None:
    _closed_long_ago(uow, 2)
    subscribe("http://127.0.0.1:9/hook", ["*"], uow, T0, ServerKeys(()))
    _placed(uow, "W-NEW", T0 + timedelta(days=399))
    relay_all(uow, None, T0 + timedelta(days=399))

    with statements(engine) as ran:
        prune(uow, YEAR, T0 + timedelta(days=400))

    # Besides the look-ups by index, PostgreSQL may read the allocations whole (a
    # hashed semi-join): they are the open orders' only, not the history's.
    assert full_scans(engine, ran) <= {"allocations"}


def test_one_process_prunes_at_a_time(uow: SqlUnitOfWork, engine: Engine) -> None:
    """On PostgreSQL a process that finds another pruning leaves it the work (SQLite
    has one writer at a time anyway)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the lock is PostgreSQL's; SQLite writers queue")
    _closed_long_ago(uow, 1)
    later = T0 + timedelta(days=400)
    with engine.connect() as other:
        other.execute(select(func.pg_advisory_xact_lock(PRUNE_LOCK)))  # pruning

        meanwhile = prune(uow, YEAR, later)

        other.rollback()
    after = prune(uow, YEAR, later)

    assert meanwhile == Pruned(events=0, webhook_deliveries=0)
    assert after == Pruned(events=2, webhook_deliveries=0)


def test_a_shipped_orders_events_go_like_a_closed_orders(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    """Shipped and never confirmed delivered: nothing of it is left to leave, so its
    events are pruned; an order with units still at a location keeps them."""
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    shipped, held = _placed(uow, "W-SHIPPED"), _placed(uow, "W-HELD")
    for order_id in (shipped, held):
        advance_order(order_id, uow, SandboxGateway(engine), T0)  # released
    [fo] = get_order(shipped, uow)["fulfillments"]
    ship(fo["id"], Shipment("DHL", "JD1"), uow, Source("key:store", T0))
    relay_all(uow, None, T0)
    kept = {e["subject"] for e in rows(engine, outbox)}

    pruned = prune(uow, YEAR, T0 + timedelta(days=400))

    assert pruned.events > 0
    assert {e["subject"] for e in rows(engine, outbox)} == {f"order/{held}"} < kept
