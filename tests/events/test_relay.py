"""The outbox relay: events leave in the order they were written, each once marked;
a publisher that fails leaves them to the next relay."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.services.relay import relay, relay_all
from ordino.kernel.domain.events import Event
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import rows, with_stock


class Recording:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[Event] = []
        self.fail = fail

    def publish(self, events: Sequence[Event]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.sent.extend(events)


@pytest.fixture(autouse=True)
def stocked(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10})


def _orders(uow: SqlUnitOfWork, clock: Clock) -> list[str]:
    ids = []
    for n in range(3):
        placed = place_order(
            a_place_order(("SKU-1", 1), external_id=f"W-{n}"), uow, RulesEngine(), clock()
        )
        ids.append(str(placed.body["id"]))
    cancel_order(ids[0], uow, clock(), "changed my mind")
    return ids


def test_events_leave_in_the_order_they_were_written_and_once(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    ids = _orders(uow, clock)
    publisher = Recording()

    sent = relay_all(uow, publisher, clock(), limit=2)

    order_events = [(e.type, e.subject) for e in publisher.sent if e.subject.startswith("order/")]
    assert order_events == [
        ("order.created", f"order/{ids[0]}"),
        ("order.created", f"order/{ids[1]}"),
        ("order.created", f"order/{ids[2]}"),
        ("order.cancelled", f"order/{ids[0]}"),
    ]
    assert sent == len(publisher.sent) == len(rows(uow.engine, outbox))
    assert all(row["published_at"] == clock() for row in rows(uow.engine, outbox))
    assert relay(uow, publisher, clock()) == 0


def test_a_failing_publisher_marks_nothing_and_the_next_relay_sends_all(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    _orders(uow, clock)

    with pytest.raises(ConnectionError):
        relay(uow, Recording(fail=True), clock())

    assert all(row["published_at"] is None for row in rows(uow.engine, outbox))
    publisher = Recording()
    assert relay_all(uow, publisher, clock()) == len(rows(uow.engine, outbox))
    assert [e.id for e in publisher.sent] == [
        row["id"] for row in sorted(rows(uow.engine, outbox), key=lambda row: row["seq"])
    ]
