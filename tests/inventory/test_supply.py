"""Inbound supply: each kind's lifecycle from creation to receipt or cancellation, and
what each step does to on hand (always with its movement)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from ordino.app.check import check_inventory
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count
from ordino.inventory.domain.positions import Discrepancy
from ordino.inventory.domain.supply import CreateSupply, Receipt, SupplyKind, SupplyQuery
from ordino.inventory.services.stock import count_stock
from ordino.inventory.services.supply import (
    cancel_supply,
    create_supply,
    get_supply,
    list_supply,
    receive_supply,
    reschedule_supply,
)
from ordino.inventory.store.tables import inventory_movements
from ordino.kernel.domain.errors import (
    AlreadyExists,
    BelowReserved,
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
)
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_place_order, a_source
from tests.support.storage import rows, stock_levels, with_stock


@pytest.fixture(autouse=True)
def network(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(
        uow,
        clock(),
        {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 4, ("ST-HAM", "SKU-1"): 1},
    )
    clock.advance(hours=1)


def a_purchase_order(**overrides: Any) -> CreateSupply:
    fields: dict[str, Any] = {
        "id": "PO-1",
        "kind": SupplyKind.PURCHASE_ORDER,
        "location_id": "DC-BER",
        "expected_at": datetime.fromisoformat("2026-11-09T08:00:00+00:00"),
        "lines": (("SKU-1", 20), ("SKU-2", 5)),
        "reference": "Supplier Nord",
    }
    return CreateSupply(**(fields | overrides))


def a_transfer(**overrides: Any) -> CreateSupply:
    return a_purchase_order(
        **(
            {
                "id": "TR-1",
                "kind": SupplyKind.TRANSFER,
                "location_id": "ST-HAM",
                "source_location_id": "DC-BER",
                "lines": (("SKU-1", 3),),
                "reference": None,
            }
            | overrides
        )
    )


def receive(
    uow: SqlUnitOfWork, clock: Clock, receipt_id: str, *lines: tuple[str, int]
) -> dict[str, Any]:
    return receive_supply("PO-1", Receipt(receipt_id, lines), a_source(clock), uow)


def on_hand(uow: SqlUnitOfWork, location_id: str, sku: str) -> int:
    return stock_levels(uow.engine)[(location_id, sku)][0]


def movements(uow: SqlUnitOfWork) -> list[tuple[str, str, str, int, str | None]]:
    return [
        (m["location_id"], m["sku"], m["kind"], m["quantity"], m["reference"])
        for m in rows(uow.engine, inventory_movements)
        if m["kind"] in ("receipt", "transfer_out")
    ]


def event_types(uow: SqlUnitOfWork) -> list[str]:
    """The supply events' types, sorted: ids sort by time only to the millisecond, and
    the test clock stands still within a step."""
    events = [e for e in rows(uow.engine, outbox) if e["type"].startswith("supply.")]
    return sorted(e["type"] for e in events)


# Purchase orders


def test_a_purchase_order_is_open_and_expected_until_received(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    answer = create_supply(a_purchase_order(), a_source(clock), uow)

    assert answer.status == 201
    assert answer.body | {"created_at": "", "updated_at": ""} == {
        "id": "PO-1",
        "kind": "purchase_order",
        "status": "open",
        "location_id": "DC-BER",
        "source_location_id": None,
        "expected_at": "2026-11-09T08:00:00+00:00",
        "reference": "Supplier Nord",
        "lines": [
            {"sku": "SKU-1", "quantity": 20, "received": 0, "cancelled": 0, "open": 20},
            {"sku": "SKU-2", "quantity": 5, "received": 0, "cancelled": 0, "open": 5},
        ],
        "created_at": "",
        "updated_at": "",
    }
    assert on_hand(uow, "DC-BER", "SKU-1") == 10  # not on hand before it arrives
    with uow:
        assert [(i.sku, i.quantity) for i in uow.supply.inbound(["SKU-1", "SKU-2"])] == [
            ("SKU-1", 20),
            ("SKU-2", 5),
        ]


def test_receipts_move_supply_on_hand_part_by_part(uow: SqlUnitOfWork, clock: Clock) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)

    partly = receive(uow, clock.advance(days=1), "GRN-1", ("SKU-1", 12))
    rest = receive(uow, clock.advance(hours=2), "GRN-2", ("SKU-1", 8), ("SKU-2", 5))

    assert (partly["status"], partly["lines"][0]["open"]) == ("partially_received", 8)
    assert (rest["status"], rest["receipt"]) == ("received", "applied")
    assert (on_hand(uow, "DC-BER", "SKU-1"), on_hand(uow, "DC-BER", "SKU-2")) == (30, 9)
    assert movements(uow) == [
        ("DC-BER", "SKU-1", "receipt", 12, "supply/PO-1"),
        ("DC-BER", "SKU-1", "receipt", 8, "supply/PO-1"),
        ("DC-BER", "SKU-2", "receipt", 5, "supply/PO-1"),
    ]
    with uow:
        assert uow.supply.inbound(["SKU-1", "SKU-2"]) == []
    assert event_types(uow) == ["supply.created", "supply.received", "supply.received"]
    assert check_inventory(uow) == []


def test_a_receipt_sent_again_is_applied_once(uow: SqlUnitOfWork, clock: Clock) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    receive(uow, clock, "GRN-1", ("SKU-1", 12))

    again = receive(uow, clock.advance(minutes=5), "GRN-1", ("SKU-1", 12))

    assert (again["receipt"], again["lines"][0]["received"]) == ("duplicate", 12)
    assert on_hand(uow, "DC-BER", "SKU-1") == 22


def test_more_than_ordered_is_received_and_closes_the_line(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)

    answer = receive(uow, clock, "GRN-1", ("SKU-2", 7))

    assert answer["lines"][1] == {
        "sku": "SKU-2",
        "quantity": 5,
        "received": 7,
        "cancelled": 0,
        "open": 0,
    }
    assert on_hand(uow, "DC-BER", "SKU-2") == 11


def test_a_receipt_of_a_sku_not_ordered_changes_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-3"): 0})
    create_supply(a_purchase_order(), a_source(clock), uow)

    with pytest.raises(InvalidInput) as refused:
        receive(uow, clock, "GRN-1", ("SKU-1", 2), ("SKU-3", 1))

    assert refused.value.errors == [
        FieldError("lines[1].sku", "'SKU-3' is not on supply order PO-1")
    ]
    assert on_hand(uow, "DC-BER", "SKU-1") == 10
    assert get_supply("PO-1", uow)["lines"][0]["received"] == 0


def test_a_receipt_from_before_the_last_count_is_already_counted(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    arrived = clock.advance(minutes=10)
    count_stock([Count("DC-BER", "SKU-1", 30)], clock.advance(minutes=10), a_source(clock), uow)

    answer = receive_supply(
        "PO-1", Receipt("GRN-1", (("SKU-1", 20),), arrived), a_source(clock.advance(hours=1)), uow
    )

    assert answer["lines"][0]["open"] == 0
    assert on_hand(uow, "DC-BER", "SKU-1") == 30  # the count held the 20 already


def test_open_lines_can_be_cancelled_and_then_nothing_is_expected(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    receive(uow, clock, "GRN-1", ("SKU-1", 12))

    cancelled = cancel_supply("PO-1", [], "supplier short", uow, clock())
    again = cancel_supply("PO-1", [], None, uow, clock())

    assert cancelled["status"] == "received"  # what came stays received
    assert [(line["cancelled"], line["open"]) for line in cancelled["lines"]] == [(8, 0), (5, 0)]
    assert again == cancelled
    assert event_types(uow) == ["supply.cancelled", "supply.created", "supply.received"]


def test_a_purchase_order_cancelled_whole_is_cancelled(uow: SqlUnitOfWork, clock: Clock) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)

    assert cancel_supply("PO-1", ["SKU-2"], None, uow, clock())["status"] == "open"
    assert cancel_supply("PO-1", [], None, uow, clock())["status"] == "cancelled"


def test_a_late_purchase_order_is_rescheduled(uow: SqlUnitOfWork, clock: Clock) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    later = datetime.fromisoformat("2026-11-12T08:00:00+00:00")

    answer = reschedule_supply("PO-1", later, uow, clock())

    assert answer["expected_at"] == later.isoformat()
    cancel_supply("PO-1", [], None, uow, clock())
    with pytest.raises(Conflict):
        reschedule_supply("PO-1", later + timedelta(days=1), uow, clock())


# Transfers


def test_a_transfer_ships_from_its_source_and_arrives_at_its_destination(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    shipped = create_supply(a_transfer(), a_source(clock), uow).body

    assert shipped["status"] == "in_transit"
    assert (on_hand(uow, "DC-BER", "SKU-1"), on_hand(uow, "ST-HAM", "SKU-1")) == (7, 1)

    arrived = receive_supply(
        "TR-1", Receipt("IN-1", (("SKU-1", 3),)), a_source(clock.advance(days=1)), uow
    )

    assert arrived["status"] == "received"
    assert (on_hand(uow, "DC-BER", "SKU-1"), on_hand(uow, "ST-HAM", "SKU-1")) == (7, 4)
    assert movements(uow) == [
        ("DC-BER", "SKU-1", "transfer_out", -3, "supply/TR-1"),
        ("ST-HAM", "SKU-1", "receipt", 3, "supply/TR-1"),
    ]
    assert check_inventory(uow) == []


def test_a_transfer_never_takes_reserved_stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    place_order(a_place_order(("SKU-1", 8)), uow, RulesEngine(), clock())  # HAM has 1: DC-BER

    with pytest.raises(BelowReserved) as refused:
        create_supply(a_transfer(), a_source(clock), uow)

    assert refused.value.extra == {"field": "lines[0].quantity", "sku": "SKU-1", "free": 2}
    assert on_hand(uow, "DC-BER", "SKU-1") == 10
    with pytest.raises(NotFound):
        get_supply("TR-1", uow)


def test_a_transfer_needs_a_source_other_than_its_destination(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_supply(a_transfer(source_location_id="ST-HAM"), a_source(clock), uow)

    assert refused.value.errors == [
        FieldError("source_location_id", "must differ from location_id")
    ]


# Refusals, idempotency, lists


@pytest.mark.parametrize(
    ("cmd", "errors"),
    [
        (
            a_purchase_order(location_id="DC-NOPE", lines=(("SKU-9", 1),)),
            [
                FieldError("location_id", "unknown location 'DC-NOPE'"),
                FieldError("lines[0].sku", "unknown SKU 'SKU-9'"),
            ],
        ),
        (
            a_purchase_order(lines=(("SKU-1", 0), ("SKU-1", 2))),
            [
                FieldError("lines[0].quantity", "must be greater than 0"),
                FieldError("lines[1].sku", "repeats lines[0].sku"),
            ],
        ),
    ],
)
def test_a_bad_supply_order_is_refused(
    uow: SqlUnitOfWork, clock: Clock, cmd: CreateSupply, errors: list[FieldError]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_supply(cmd, a_source(clock), uow)

    assert refused.value.errors == errors
    assert list_supply(SupplyQuery(), 10, uow) == ([], None)


def test_an_id_is_used_once_and_a_retry_gets_the_first_answer(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    key = IdempotencyKey("key-1", "try-1", "fingerprint")
    first = create_supply(a_purchase_order(), a_source(clock), uow, key)

    again = create_supply(a_purchase_order(), a_source(clock), uow, key)

    assert (again.replayed, again.body) == (True, first.body)
    with pytest.raises(AlreadyExists):
        create_supply(a_purchase_order(), a_source(clock), uow)


def test_supply_is_listed_by_location_sku_and_what_is_open(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    create_supply(a_purchase_order(id="PO-2", lines=(("SKU-2", 1),)), a_source(clock), uow)
    create_supply(a_transfer(), a_source(clock), uow)
    cancel_supply("PO-2", [], None, uow, clock())

    def ids(**query: Any) -> list[str]:
        return [s["id"] for s in list_supply(SupplyQuery(**query), 10, uow)[0]]

    assert ids() == ["PO-1", "PO-2", "TR-1"]
    assert ids(location_id="DC-BER") == ["PO-1", "PO-2"]
    assert ids(sku="SKU-1") == ["PO-1", "TR-1"]
    assert ids(open_only=True) == ["PO-1", "TR-1"]
    assert ids(kind=SupplyKind.TRANSFER) == ["TR-1"]
    page, cursor = list_supply(SupplyQuery(), 2, uow)
    assert (len(page), cursor) == (2, "PO-2")
    assert ids(after_id=cursor) == ["TR-1"]


# ordino check


def _corrupt(uow: SqlUnitOfWork, statement: str) -> None:
    with uow.engine.begin() as connection:
        connection.execute(text(statement))


def test_check_finds_supply_that_its_movements_do_not_explain(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    create_supply(a_purchase_order(), a_source(clock), uow)
    create_supply(a_transfer(), a_source(clock), uow)
    receive(uow, clock, "GRN-1", ("SKU-1", 12))
    assert check_inventory(uow) == []

    _corrupt(
        uow, "UPDATE supply_lines SET received = 13 WHERE supply_id = 'PO-1' AND sku = 'SKU-1'"
    )
    _corrupt(uow, "UPDATE supply_lines SET quantity = 4 WHERE supply_id = 'TR-1'")
    _corrupt(
        uow, "UPDATE supply_lines SET cancelled = 8 WHERE supply_id = 'PO-1' AND sku = 'SKU-1'"
    )

    assert check_inventory(uow) == [
        Discrepancy("DC-BER", "SKU-1", "supply PO-1 received 13 but receipts add up to 12"),
        Discrepancy("DC-BER", "SKU-1", "supply PO-1 cancelled 8 of 7 open"),
        Discrepancy("ST-HAM", "SKU-1", "transfer TR-1 of 4 but 3 left its source"),
    ]
