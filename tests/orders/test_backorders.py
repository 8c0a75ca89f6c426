"""The backorder queue: supply on its way given out to the waiting lines in the
queue's order, and the order telling its customer when its units are expected."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ordino.inventory.domain.supply import InboundLine, SupplyKind
from ordino.orders.domain.backorders import WaitingLine, expected_dates, queue_key
from tests.conftest import Clock
from tests.orders.test_fulfilling import DC, a_plan, an_order

MONDAY = datetime(2026, 11, 30, 8, tzinfo=UTC)


def _coming(supply_id: str, sku: str, quantity: int, days: int) -> InboundLine:
    at = MONDAY + timedelta(days=days)
    return InboundLine(supply_id, SupplyKind.PURCHASE_ORDER, "DC-BER", sku, quantity, at)


def test_the_queue_puts_higher_priorities_first_then_the_oldest() -> None:
    orders = [(0, "B-old"), (5, "C-new"), (0, "A-older"), (5, "A-old")]

    assert sorted(orders, key=lambda o: queue_key(*o)) == [
        (5, "A-old"),
        (5, "C-new"),
        (0, "A-older"),
        (0, "B-old"),
    ]


def test_supply_goes_to_the_lines_ahead_first_earliest_first() -> None:
    queue = [
        WaitingLine("O1", 1, "SKU-1", 3),
        WaitingLine("O2", 1, "SKU-1", 4),
        WaitingLine("O3", 1, "SKU-1", 5),
        WaitingLine("O3", 2, "SKU-2", 1),
    ]
    coming = [_coming("PO-2", "SKU-1", 10, days=7), _coming("PO-1", "SKU-1", 5, days=2)]

    assert expected_dates(queue, coming) == {
        ("O1", 1): date(2026, 12, 2),  # 3 of PO-1's 5
        ("O2", 1): date(2026, 12, 7),  # 2 of PO-1, 2 of PO-2: the last unit comes with PO-2
        ("O3", 1): date(2026, 12, 7),
        ("O3", 2): None,  # nothing of SKU-2 is on its way
    }


def test_a_line_that_what_is_coming_does_not_cover_is_not_dated() -> None:
    queue = [WaitingLine("O1", 1, "SKU-1", 4), WaitingLine("O2", 1, "SKU-1", 2)]

    dates = expected_dates(queue, [_coming("PO-1", "SKU-1", 5, days=1)])

    assert dates == {("O1", 1): date(2026, 12, 1), ("O2", 1): None}


def test_an_order_tells_when_its_waiting_units_are_expected_once(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3))  # line 2 waits for 1 unit
    order.pending_events.clear()

    assert order.expect({2: date(2026, 12, 7)}, clock())
    assert not order.expect({2: date(2026, 12, 7)}, clock())  # nothing new to tell

    assert order.lines[1].expected_on == date(2026, 12, 7)
    [told] = order.pending_events
    assert (told.type, told.data["backordered"]) == (
        "order.backorder_expected",
        [{"line_no": 2, "sku": "SKU-2", "quantity": 1, "expected_on": "2026-12-07"}],
    )


def test_a_line_filled_is_no_longer_expected(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3))
    order.expect({2: date(2026, 12, 7)}, clock())

    order.allocate(a_plan((2, DC, 1)), clock(), "supply")

    assert order.lines[1].expected_on is None
    assert "backordered" not in order.pending_events[-1].data
    assert not order.expect({1: date(2026, 12, 7)}, clock())  # line 1 waits for nothing
