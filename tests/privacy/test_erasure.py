"""An erasure reaches what was made of the customer's orders however old it is, and
costs what the customer's own records cost: webhook deliveries still waiting after
their events were pruned, the answers kept for idempotency keys (two customers'
keys alike), found by the order they concern, never by scanning whole tables."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.services.relay import relay_all
from ordino.events.services.webhooks import subscribe
from ordino.events.store.tables import webhook_deliveries
from ordino.kernel.domain.errors import Conflict
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.kernel.services.server_keys import ServerKeys
from ordino.orders.domain.commands import Customer
from ordino.orders.domain.orders import Order
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order
from ordino.orders.store.tables import orders
from ordino.payments.domain import BalanceKind, Entry, EntryKind, account_of
from ordino.payments.services import StoreCreditGrant, grant_store_credit
from ordino.privacy.services import customer_data
from ordino.privacy.services.customer_data import CustomerRef, erase_customer
from ordino.privacy.services.retention import Retention, prune
from ordino.privacy.store.tables import erasures
from ordino.servicing.services.notes import add_note
from ordino.store.tables import idempotency_keys, outbox
from tests.conftest import T0
from tests.support.builders import a_place_order
from tests.support.plans import full_scans, statements
from tests.support.storage import rows, with_stock

YEAR = Retention(events=timedelta(days=365), webhook_log=timedelta(days=30))


def _closed(uow: SqlUnitOfWork, email: str, external_id: str, key: str | None = None) -> str:
    """An order of the customer, placed (under `key`, if given), noted and cancelled
    with words that name them."""
    name = email.split("@", maxsplit=1)[0].capitalize() + " Example"
    cmd = a_place_order(external_id=external_id, customer=Customer(email, name))
    idempotency = None if key is None else IdempotencyKey("key:shop", key, f"print-{key}")
    order_id: str = place_order(cmd, uow, Capture(), T0, idempotency).body["id"]
    add_note(order_id, f"{name} wrote from {email}", uow, T0)
    cancel_order(order_id, uow, T0, f"{name} changed their mind")
    return order_id


def _with(engine: Engine, value: str) -> list[str]:
    """The webhook deliveries and stored answers that still hold `value`."""
    found = [d["id"] for d in rows(engine, webhook_deliveries) if value in d["body"]]
    found += [k["key"] for k in rows(engine, idempotency_keys) if value in json.dumps(k["body"])]
    return found + [k["key"] for k in rows(engine, idempotency_keys) if value in k["key"]]


def test_waiting_deliveries_of_pruned_events_are_erased_too(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    """The receiver is down: the deliveries wait while retention prunes their events
    (a closed order's, published over a year ago). The erasure still finds them."""
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    subscribe("http://127.0.0.1:9/hook", ["*"], uow, T0, ServerKeys(()))
    order_id = _closed(uow, "ann@example.org", "W-ANN-1")
    relay_all(uow, None, T0)
    waiting = len(rows(engine, webhook_deliveries))
    later = T0 + timedelta(days=400)
    assert prune(uow, YEAR, later).events == 3  # created, note added, cancelled
    assert [e for e in rows(engine, outbox) if e["subject"] == f"order/{order_id}"] == []
    assert _with(engine, "ann@example.org") != []

    erased = erase_customer(CustomerRef("ann@example.org"), uow, later, "key:admin")

    assert erased["records"]["webhook_deliveries"] == waiting == 3
    assert _with(engine, "ann@example.org") == []
    assert _with(engine, "Ann Example") == []
    bodies = [json.loads(d["body"]) for d in rows(engine, webhook_deliveries)]
    types = ["order.cancelled", "order.created", "order.note_added"]
    assert sorted(b["type"] for b in bodies) == types
    assert {b["subject"] for b in bodies} == {f"order/{order_id}"}
    assert all(d["delivered_at"] is None for d in rows(engine, webhook_deliveries))


def test_two_customers_whose_keys_differ_only_by_their_email_are_both_erased(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    """`ann@example.org-1` and `bob@example.org-1` must not both become
    `[erased]-1`: the key is part of the record's primary key."""
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    _closed(uow, "ann@example.org", "W-ANN-1", "ann@example.org-1")
    _closed(uow, "bob@example.org", "W-BOB-1", "bob@example.org-1")
    _closed(uow, "cy@example.org", "W-CY-1", "checkout-77")

    first = erase_customer(CustomerRef("ann@example.org"), uow, T0, "key:admin")
    second = erase_customer(CustomerRef("bob@example.org"), uow, T0, "key:admin")
    third = erase_customer(CustomerRef("cy@example.org"), uow, T0, "key:admin")

    assert [e["records"]["idempotency_keys"] for e in (first, second, third)] == [1, 1, 1]
    keys = sorted(k["key"] for k in rows(engine, idempotency_keys))
    assert len(keys) == len(set(keys)) == 3
    assert "checkout-77" in keys  # a key without the customer in it still replays
    assert [k for k in keys if "example.org" in k] == []
    assert _with(engine, "ann@example.org") == _with(engine, "bob@example.org") == []


def _erased_with_history(uow: SqlUnitOfWork, engine: Engine, now: datetime) -> set[str]:
    """The tables an erasure of one customer reads whole, among many other orders'
    answers and deliveries."""
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 100})
    subscribe("http://127.0.0.1:9/hook", ["*"], uow, T0, ServerKeys(()))
    for n in range(5):
        _closed(uow, f"other{n}@example.org", f"W-OTHER-{n}", f"other-{n}")
    _closed(uow, "ann@example.org", "W-ANN-1", "ann-1")
    for n, email in enumerate(("other0@example.org", "ann@example.org")):  # credit, spent
        grant = StoreCreditGrant(email, "10.00", "EUR", f"sorry, {email}")
        key = IdempotencyKey("key:desk", f"credit-{n}", f"print-{n}")
        grant_store_credit(grant, uow, T0, "key:desk", key)
        with uow:
            account = account_of(BalanceKind.STORE_CREDIT, email)
            spent = Entry(account, EntryKind.HELD, -Decimal("10.00"), T0, "o-1")
            assert uow.balances.hold(spent, "EUR")
            uow.commit()
    relay_all(uow, None, T0)
    with statements(engine) as ran:
        erase_customer(CustomerRef("ann@example.org"), uow, now, "key:admin")
    return full_scans(engine, ran)


def test_an_erasure_reads_the_customers_answers_and_deliveries_by_index(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    scanned = _erased_with_history(uow, engine, T0)

    # Only the jobs with an error are read whole (queued and dead ones: done jobs are
    # deleted), searched for the orders in their payloads.
    assert scanned == {"jobs"}
    assert _with(engine, "ann@example.org") == []  # nor in the answer to the credit's grant
    assert _with(engine, "other0@example.org") != []


def test_an_order_placed_while_the_erasure_runs_makes_it_refuse_and_change_nothing(
    uow: SqlUnitOfWork, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The customer places an order after the erasure read their orders and before
    it commits (PostgreSQL; SQLite's writers queue): the erasure sees it before
    committing and is refused, as for any open order, erasing nothing."""
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite a unit of work holds the write lock from its start")
    with_stock(uow, T0, {("DC-BER", "SKU-1"): 10})
    erased_first = _closed(uow, "ann@example.org", "W-ANN-1")
    checked, placed = customer_data._refuse_open, []

    def meanwhile(orders: list[Order]) -> None:
        if not placed:  # once the erasure has read the customer's orders
            cmd = a_place_order(external_id="W-ANN-2", customer=Customer("ann@example.org"))
            placed.append(place_order(cmd, SqlUnitOfWork(engine), Capture(), T0))  # committed
        checked(orders)

    monkeypatch.setattr(customer_data, "_refuse_open", meanwhile)

    with pytest.raises(Conflict) as refused:
        erase_customer(CustomerRef("ann@example.org"), uow, T0, "key:admin")

    assert [o["external_id"] for o in refused.value.extra["open_orders"]] == ["W-ANN-2"]
    emails = {o["id"]: o["customer_email"] for o in rows(engine, orders)}
    assert set(emails.values()) == {"ann@example.org"}
    assert erased_first in emails
    assert rows(engine, erasures) == []
