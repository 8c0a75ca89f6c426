"""Two workers at one payment at once: a job whose lease ran out runs in two
workers, and two parcels' captures run side by side by design. Each call is still
decided under the payment's lock, from the payment and its operations read
together, so no card is authorised twice and no authorisation in use is voided.

The second worker is let in at a chosen statement of the first: it runs in a
thread, and the first waits for it a moment at most (it may be waiting for the
first's lock); the outcome must not depend on which finishes first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event

from ordino.app.check import check_payments
from ordino.orchestration.services import payments
from tests.support.api import order_of
from tests.support.money import Books, placed, released, ship

PATIENCE = 2.0  # seconds the first worker gives the second before it goes on


class Interleave:
    """Runs `other` in a thread just before this thread's `nth` statement that
    mentions `table` (after this thread's work, if no such statement comes)."""

    def __init__(self, engine: Engine, table: str, nth: int, other: Callable[[], None]) -> None:
        self.engine, self.table, self.nth, self.other = engine, table, nth, other
        self.owner = threading.current_thread()
        self.seen = 0
        self.thread: threading.Thread | None = None
        self.failed: list[BaseException] = []
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread() is not self.owner or self.table not in statement:
            return
        self.seen += 1
        if self.seen == self.nth:
            self.thread = threading.Thread(target=self._other)
            self.thread.start()
            self.thread.join(PATIENCE)

    def _other(self) -> None:
        try:
            self.other()
        except BaseException as error:  # reported by `done`
            self.failed.append(error)

    def done(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        if self.thread is None:
            self._other()
        else:
            self.thread.join()
        assert self.failed == []


def _state(books: Books) -> Any:
    return books.api.app.state  # type: ignore[attr-defined]


def test_an_authorisation_run_by_two_workers_is_made_once(books: Books) -> None:
    order_id = placed(books)
    state, sandbox = _state(books), books.gateway.sandbox

    def authorise() -> None:
        payments.authorise(order_id, state.uow(), sandbox, books.clock())

    other = Interleave(state.engine, "payment_operations", 1, authorise)
    authorise()
    other.done()

    assert len(books.authorisations()) == 1
    payment = order_of(books.api, order_id)["tenders"][0]
    assert (payment["status"], payment["authorised"]) == ("authorised", "119.80")
    assert check_payments(state.uow(), sandbox, books.clock()) == []


def test_two_captures_after_expiry_renew_the_authorisation_once(books: Books) -> None:
    order_id = released(books)
    books.clock.advance(days=8)
    state, sandbox = _state(books), books.gateway.sandbox

    def capture(parcel: str) -> Callable[[], None]:
        return lambda: payments.capture(
            order_id, parcel, Decimal("59.90"), state.uow(), sandbox, books.clock()
        )

    other = Interleave(state.engine, "payment_operations", 2, capture("F-1"))
    capture("F-2")()
    other.done()
    payments.settle(order_id, state.uow(), sandbox, books.clock())

    assert len(books.authorisations()) == 2  # the first, expired, and one renewal
    payment = order_of(books.api, order_id)["tenders"][0]
    assert (payment["status"], payment["captured"], payment["message"]) == (
        "closed",
        "119.80",
        None,
    )
    assert check_payments(state.uow(), sandbox, books.clock()) == []


@pytest.mark.parametrize(
    ("table", "nth"), [("payments", 1), ("payment_operations", 1), ("payment_operations", 2)]
)
def test_settling_never_voids_an_authorisation_made_meanwhile(
    books: Books, table: str, nth: int
) -> None:
    """A unit cancelled before release queues the payment's settling while the order
    lives on; the card is authorised while it settles (before it locks the payment,
    while it holds the lock, and where the earlier code read the operations again)."""
    order_id = placed(books)
    cancelled = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "one is enough"}
    response = books.api.post(f"/v1/orders/{order_id}/cancellations", json=cancelled)
    assert response.status_code == 200, response.text
    state, sandbox = _state(books), books.gateway.sandbox

    def authorise() -> None:
        payments.authorise(order_id, state.uow(), sandbox, books.clock())

    other = Interleave(state.engine, table, nth, authorise)
    payments.settle(order_id, state.uow(), sandbox, books.clock())
    other.done()
    books.work()
    ship(books, order_id)
    books.work()

    payment = order_of(books.api, order_id)["tenders"][0]
    assert (payment["status"], payment["captured"]) == ("closed", "59.90")
    [held] = books.authorisations().values()
    assert (held["captured_minor"], held["voided"]) == (5990, True)  # the rest, at the end
    assert check_payments(state.uow(), sandbox, books.clock()) == []
