"""Inventory feeds: counts (newest count wins, later deltas kept), full snapshots of a
location, deltas once per event id; every change is a movement; facts are applied
even below reserved, and the shortage is reported."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ordino.app.check import check_inventory, shortages
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Adjustment, Count
from ordino.inventory.services.stock import (
    adjust_inventory,
    count_stock,
    movements,
    set_position,
    take_snapshot,
)
from ordino.inventory.store.tables import inventory_movements
from ordino.kernel.domain.errors import FieldError, InvalidInput, NotFound
from ordino.network.services.catalogue import put_location
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_location, a_place_order, a_source
from tests.support.storage import rows, stock_levels, with_stock


@pytest.fixture(autouse=True)
def stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 0})
    clock.advance(hours=1)


@pytest.fixture
def three_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    place_order(a_place_order(("SKU-1", 3)), uow, RulesEngine(), clock())


def movement_rows(uow: SqlUnitOfWork, sku: str = "SKU-1") -> list[dict[str, Any]]:
    """(kind, quantity, on hand after, reported, event id) of a position's movements."""
    return [
        {k: row[k] for k in ("kind", "quantity", "on_hand_after", "reported", "event_id")}
        for row in rows(uow.engine, inventory_movements)
        if row["location_id"] == "DC-BER" and row["sku"] == sku
    ]


def events(uow: SqlUnitOfWork, event_type: str) -> list[dict[str, Any]]:
    return [row["data"] for row in rows(uow.engine, outbox) if row["type"] == event_type]


# Counts


def test_a_count_creates_then_updates_a_position(uow: SqlUnitOfWork, clock: Clock) -> None:
    put_location(a_location("DC-MUC"), uow, clock())

    new, created = set_position(
        "DC-MUC", "SKU-1", Count("DC-MUC", "SKU-1", 7, 2), None, a_source(clock), uow
    )
    again, updated = set_position(
        "DC-MUC", "SKU-1", Count("DC-MUC", "SKU-1", 9), None, a_source(clock), uow
    )

    assert (new, again) == (True, False)
    assert created == {
        "location_id": "DC-MUC",
        "sku": "SKU-1",
        "on_hand": 7,
        "reserved": 0,
        "safety_stock": 2,
        "available": 5,
        "short": 0,
        "counted_at": clock().isoformat(),
    }
    assert updated == created | {"on_hand": 9, "available": 7}  # safety stock kept


def test_a_count_older_than_the_last_one_changes_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    counted = clock()
    count_stock([Count("DC-BER", "SKU-1", 6)], counted, a_source(clock), uow)
    before = movement_rows(uow)

    late = count_stock(
        [Count("DC-BER", "SKU-1", 40)], counted - timedelta(minutes=5), a_source(clock), uow
    )

    assert late == [
        {"location_id": "DC-BER", "sku": "SKU-1", "status": "superseded", "on_hand": 6, "short": 0}
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (6, 0, 0)
    assert movement_rows(uow) == before


def test_a_count_keeps_the_deltas_that_happened_after_it(uow: SqlUnitOfWork, clock: Clock) -> None:
    counted = clock.advance(minutes=1)
    received = Adjustment(
        "evt-1", "DC-BER", "SKU-1", 5, "received", counted + timedelta(seconds=30)
    )
    adjust_inventory([received], a_source(clock.advance(minutes=1)), uow)

    [result] = count_stock([Count("DC-BER", "SKU-1", 4)], counted, a_source(clock), uow)

    assert (result["status"], result["on_hand"]) == ("applied", 9)  # 4 counted + 5 after
    assert movement_rows(uow)[-1] == {
        "kind": "count",
        "quantity": -6,
        "on_hand_after": 9,
        "reported": 4,
        "event_id": None,
    }


@pytest.mark.usefixtures("three_reserved")
def test_a_count_below_reserved_is_applied_and_the_position_is_short(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    [result] = count_stock([Count("DC-BER", "SKU-1", 1)], None, a_source(clock), uow)

    assert result == {
        "location_id": "DC-BER",
        "sku": "SKU-1",
        "status": "applied",
        "on_hand": 1,
        "short": 2,
    }
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (1, 3, 0)
    assert events(uow, "inventory.fell_short") == [
        {"location_id": "DC-BER", "sku": "SKU-1", "on_hand": 1, "reserved": 3, "short": 2}
    ]
    assert [(p.location_id, p.sku, p.short) for p in shortages(uow)] == [("DC-BER", "SKU-1", 2)]
    assert check_inventory(uow) == []  # short is not broken


@pytest.mark.usefixtures("three_reserved")
def test_a_count_that_leaves_a_short_position_as_short_reports_nothing_new(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    count_stock([Count("DC-BER", "SKU-1", 1)], None, a_source(clock), uow)
    count_stock([Count("DC-BER", "SKU-1", 2)], None, a_source(clock.advance(minutes=1)), uow)

    assert len(events(uow, "inventory.fell_short")) == 1


@pytest.mark.parametrize(
    ("counts", "errors"),
    [
        (
            [Count("DC-NOPE", "SKU-1", 1), Count("DC-BER", "SKU-NOPE", 1)],
            [
                FieldError("counts[0].location_id", "unknown location 'DC-NOPE'"),
                FieldError("counts[1].sku", "unknown SKU 'SKU-NOPE'"),
            ],
        ),
        (
            [Count("DC-BER", "SKU-1", 1), Count("DC-BER", "SKU-1", 2)],
            [FieldError("counts[1]", "repeats counts[0]")],
        ),
        (
            [Count("DC-BER", "SKU-1", -1)],
            [FieldError("counts[0].on_hand", "must be between 0 and 1,000,000,000")],
        ),
    ],
)
def test_a_bad_count_feed_changes_nothing(
    uow: SqlUnitOfWork, clock: Clock, counts: list[Count], errors: list[FieldError]
) -> None:
    levels, moved = stock_levels(uow.engine), movement_rows(uow)

    with pytest.raises(InvalidInput) as refused:
        count_stock([*counts, Count("DC-BER", "SKU-2", 5)], None, a_source(clock), uow)

    assert refused.value.errors == errors
    assert stock_levels(uow.engine) == levels
    assert movement_rows(uow) == moved


def test_a_count_from_the_future_is_refused(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as refused:
        count_stock(
            [Count("DC-BER", "SKU-1", 1)], clock() + timedelta(hours=1), a_source(clock), uow
        )

    assert refused.value.errors == [FieldError("counted_at", "must not be in the future")]


def test_setting_a_position_of_unknown_things_is_not_found(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with pytest.raises(NotFound) as refused:
        set_position("DC-NOPE", "SKU-1", Count("DC-NOPE", "SKU-1", 1), None, a_source(clock), uow)

    assert refused.value.extra == {"location_id": "DC-NOPE"}


# Snapshots


def test_a_snapshot_counts_what_the_location_does_not_list_as_zero(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("DC-MUC", "SKU-1"): 8, ("DC-BER", "SKU-3"): 4})

    summary = take_snapshot(
        "DC-BER", [Count("DC-BER", "SKU-2", 6)], clock(), a_source(clock, "weekly count"), uow
    )

    assert summary == {
        "location_id": "DC-BER",
        "counted_at": clock().isoformat(),
        "listed": 1,
        "zeroed": 2,
        "applied": 3,
        "superseded": 0,
        "short": [],
    }
    levels = stock_levels(uow.engine)
    assert [levels[("DC-BER", sku)][0] for sku in ("SKU-1", "SKU-2", "SKU-3")] == [0, 6, 0]
    assert levels[("DC-MUC", "SKU-1")] == (8, 0, 0)  # another location: untouched


def test_a_late_older_snapshot_never_overwrites_a_newer_one(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    older, newer = clock.advance(minutes=1), clock.advance(minutes=1)
    take_snapshot("DC-BER", [Count("DC-BER", "SKU-1", 7)], newer, a_source(clock), uow)

    summary = take_snapshot("DC-BER", [Count("DC-BER", "SKU-1", 50)], older, a_source(clock), uow)

    assert (summary["applied"], summary["superseded"]) == (0, 2)
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (7, 0, 0)


def test_reservations_made_after_the_count_are_held_against_it(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    counted = clock()
    place_order(a_place_order(("SKU-1", 3)), uow, RulesEngine(), clock.advance(minutes=2))

    take_snapshot("DC-BER", [Count("DC-BER", "SKU-1", 10)], counted, a_source(clock), uow)

    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 3, 0)  # 7 left to sell


def test_a_snapshot_of_an_unknown_location_is_not_found(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(NotFound):
        take_snapshot("DC-NOPE", [], clock(), a_source(clock), uow)


# Deltas


def test_an_adjustment_applies_once_per_event_id(uow: SqlUnitOfWork, clock: Clock) -> None:
    damaged = Adjustment("evt-1", "DC-BER", "SKU-1", -2, "damaged")

    first = adjust_inventory([damaged], a_source(clock), uow)
    again = adjust_inventory([damaged], a_source(clock.advance(minutes=1)), uow)

    assert first == [{"event_id": "evt-1", "status": "applied", "on_hand": 8, "short": 0}]
    assert again == [{"event_id": "evt-1", "status": "duplicate", "on_hand": None, "short": 0}]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (8, 0, 0)
    assert movement_rows(uow)[-1] == {
        "kind": "adjustment",
        "quantity": -2,
        "on_hand_after": 8,
        "reported": -2,
        "event_id": "evt-1",
    }


def test_an_event_repeated_within_one_batch_applies_once(uow: SqlUnitOfWork, clock: Clock) -> None:
    received = Adjustment("evt-1", "DC-BER", "SKU-2", 5)

    result = adjust_inventory([received, received], a_source(clock), uow)

    assert [r["status"] for r in result] == ["applied", "duplicate"]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-2")] == (5, 0, 0)


def test_deltas_to_one_position_in_one_batch_add_up(uow: SqlUnitOfWork, clock: Clock) -> None:
    batch = [Adjustment(f"evt-{n}", "DC-BER", "SKU-1", delta) for n, delta in enumerate((3, -1))]

    result = adjust_inventory(batch, a_source(clock), uow)

    assert [r["on_hand"] for r in result] == [13, 12]
    assert [m["on_hand_after"] for m in movement_rows(uow)[-2:]] == [13, 12]


def test_an_adjustment_of_a_new_position_creates_it(uow: SqlUnitOfWork, clock: Clock) -> None:
    put_location(a_location("DC-MUC"), uow, clock())

    adjust_inventory([Adjustment("evt-1", "DC-MUC", "SKU-1", 4)], a_source(clock), uow)

    assert stock_levels(uow.engine)[("DC-MUC", "SKU-1")] == (4, 0, 0)


def test_a_batch_naming_unknown_things_applies_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    batch = [
        Adjustment("evt-1", "DC-BER", "SKU-1", 5),
        Adjustment("evt-2", "DC-NOPE", "SKU-1", 1),
        Adjustment("evt-3", "DC-BER", "SKU-NOPE", 1),
    ]
    moved = movement_rows(uow)

    with pytest.raises(InvalidInput) as refused:
        adjust_inventory(batch, a_source(clock), uow)

    assert refused.value.errors == [
        FieldError("adjustments[1].location_id", "unknown location 'DC-NOPE'"),
        FieldError("adjustments[2].sku", "unknown SKU 'SKU-NOPE'"),
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 0, 0)
    assert movement_rows(uow) == moved


@pytest.mark.usefixtures("three_reserved")
def test_a_delta_below_reserved_is_applied_and_reported_short(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    result = adjust_inventory(
        [Adjustment("evt-2", "DC-BER", "SKU-1", -8, "water damage")], a_source(clock), uow
    )

    assert result == [{"event_id": "evt-2", "status": "applied", "on_hand": 2, "short": 1}]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (2, 3, 0)
    assert [e["short"] for e in events(uow, "inventory.fell_short")] == [1]


def test_a_delta_that_happened_before_the_last_count_is_already_in_it(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    counted = clock()
    count_stock([Count("DC-BER", "SKU-1", 6)], counted, a_source(clock), uow)
    early = Adjustment("evt-1", "DC-BER", "SKU-1", -2, None, counted - timedelta(seconds=1))

    first = adjust_inventory([early], a_source(clock.advance(minutes=1)), uow)
    again = adjust_inventory([early], a_source(clock.advance(minutes=1)), uow)

    assert [first[0]["status"], again[0]["status"]] == ["superseded", "duplicate"]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (6, 0, 0)
    assert movement_rows(uow)[-1]["quantity"] == 0


def test_a_delta_cannot_take_on_hand_below_zero(uow: SqlUnitOfWork, clock: Clock) -> None:
    adjust_inventory([Adjustment("evt-1", "DC-BER", "SKU-1", -15)], a_source(clock), uow)

    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (0, 0, 0)
    assert movement_rows(uow)[-1] | {"event_id": None} == {
        "kind": "adjustment",
        "quantity": -10,
        "on_hand_after": 0,
        "reported": -15,
        "event_id": None,
    }


# Movements


def test_movements_explain_a_position_newest_first(uow: SqlUnitOfWork, clock: Clock) -> None:
    adjust_inventory([Adjustment("evt-1", "DC-BER", "SKU-1", -2, "damaged")], a_source(clock), uow)
    count_stock(
        [Count("DC-BER", "SKU-1", 5)], None, a_source(clock.advance(minutes=1), "cycle"), uow
    )

    page = movements("DC-BER", "SKU-1", uow, limit=2)

    assert page["position"]["on_hand"] == 5
    assert [
        (m["kind"], m["on_hand_before"], m["on_hand_after"], m["reason"], m["actor"])
        for m in page["items"]
    ] == [("count", 8, 5, "cycle", "key:test"), ("adjustment", 10, 8, "damaged", "key:test")]
    assert page["next_cursor"] == page["items"][-1]["id"]
    rest = movements("DC-BER", "SKU-1", uow, limit=2, before_id=page["next_cursor"])
    assert [m["kind"] for m in rest["items"]] == ["count"]
    assert rest["next_cursor"] is None
    assert check_inventory(uow) == []


def test_movements_of_no_position_are_not_found(uow: SqlUnitOfWork) -> None:
    with pytest.raises(NotFound):
        movements("DC-BER", "SKU-NOPE", uow)
