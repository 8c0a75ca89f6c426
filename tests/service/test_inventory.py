"""Inventory: counts set on hand (never below reserved), adjustments apply once per event
id and all or nothing, availability is what shipping locations can sell."""

from __future__ import annotations

import pytest

from ordino.domain.inventory import Adjustment
from ordino.engines.sourcing import NearestFirst
from ordino.errors import BelowReserved, FieldError, InvalidInput, NotFound
from ordino.services.inventory import adjust_inventory, availability, set_position
from ordino.services.network import put_location
from ordino.services.orders import place_order
from ordino.store.tables import inventory_adjustments
from ordino.store.uow import SqlUnitOfWork
from tests.builders import a_location, a_place_order
from tests.conftest import Clock
from tests.service.support import rows, stock_levels, with_stock


@pytest.fixture(autouse=True)
def stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 0})


@pytest.fixture
def three_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    place_order(a_place_order(("SKU-1", 3)), uow, NearestFirst(), clock())


def test_setting_a_position_creates_and_then_updates_it(uow: SqlUnitOfWork, clock: Clock) -> None:
    put_location(a_location("DC-MUC"), uow, clock())

    created = set_position("DC-MUC", "SKU-1", 7, 2, uow, clock())
    updated = set_position("DC-MUC", "SKU-1", 9, None, uow, clock())  # safety stock kept

    assert created == {
        "location_id": "DC-MUC",
        "sku": "SKU-1",
        "on_hand": 7,
        "reserved": 0,
        "safety_stock": 2,
        "available": 5,
    }
    assert updated == created | {"on_hand": 9, "available": 7}
    assert stock_levels(uow.engine)[("DC-MUC", "SKU-1")] == (9, 0, 2)


@pytest.mark.usefixtures("three_reserved")
def test_on_hand_cannot_be_set_below_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(BelowReserved) as refused:
        set_position("DC-BER", "SKU-1", 2, 5, uow, clock())

    assert refused.value.extra == {"location_id": "DC-BER", "sku": "SKU-1", "reserved": 3}
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 3, 0)


@pytest.mark.usefixtures("three_reserved")
def test_on_hand_can_be_set_to_exactly_reserved(uow: SqlUnitOfWork, clock: Clock) -> None:
    view = set_position("DC-BER", "SKU-1", 3, None, uow, clock())

    assert (view["on_hand"], view["reserved"], view["available"]) == (3, 3, 0)


@pytest.mark.parametrize(
    ("location_id", "sku", "extra"),
    [
        ("DC-NOPE", "SKU-1", {"location_id": "DC-NOPE"}),
        ("DC-BER", "SKU-NOPE", {"sku": "SKU-NOPE"}),
    ],
)
def test_setting_a_position_of_unknown_things_is_not_found(
    uow: SqlUnitOfWork, clock: Clock, location_id: str, sku: str, extra: dict[str, str]
) -> None:
    levels = stock_levels(uow.engine)

    with pytest.raises(NotFound) as refused:
        set_position(location_id, sku, 5, 0, uow, clock())

    assert refused.value.extra == extra
    assert stock_levels(uow.engine) == levels


def test_an_adjustment_applies_once_per_event_id(uow: SqlUnitOfWork, clock: Clock) -> None:
    damaged = Adjustment("evt-1", "DC-BER", "SKU-1", -2, "damaged")
    applied_at = clock()

    first = adjust_inventory([damaged], uow, applied_at)
    again = adjust_inventory([damaged], uow, clock.advance(minutes=1))

    assert first == [{"event_id": "evt-1", "status": "applied"}]
    assert again == [{"event_id": "evt-1", "status": "duplicate"}]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (8, 0, 0)
    assert rows(uow.engine, inventory_adjustments) == [
        {
            "event_id": "evt-1",
            "location_id": "DC-BER",
            "sku": "SKU-1",
            "delta": -2,
            "reason": "damaged",
            "applied_at": applied_at,
        }
    ]


def test_an_event_repeated_within_one_batch_applies_once(uow: SqlUnitOfWork, clock: Clock) -> None:
    received = Adjustment("evt-1", "DC-BER", "SKU-2", 5)

    result = adjust_inventory([received, received], uow, clock())

    assert result == [
        {"event_id": "evt-1", "status": "applied"},
        {"event_id": "evt-1", "status": "duplicate"},
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-2")] == (5, 0, 0)


def test_an_adjustment_of_a_new_position_creates_it(uow: SqlUnitOfWork, clock: Clock) -> None:
    put_location(a_location("DC-MUC"), uow, clock())

    adjust_inventory([Adjustment("evt-1", "DC-MUC", "SKU-1", 4)], uow, clock())

    assert stock_levels(uow.engine)[("DC-MUC", "SKU-1")] == (4, 0, 0)


def test_a_batch_naming_unknown_things_applies_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    batch = [
        Adjustment("evt-1", "DC-BER", "SKU-1", 5),
        Adjustment("evt-2", "DC-NOPE", "SKU-1", 1),
        Adjustment("evt-3", "DC-BER", "SKU-NOPE", 1),
    ]

    with pytest.raises(InvalidInput) as refused:
        adjust_inventory(batch, uow, clock())

    assert refused.value.errors == [
        FieldError("adjustments[1].location_id", "unknown location 'DC-NOPE'"),
        FieldError("adjustments[2].sku", "unknown SKU 'SKU-NOPE'"),
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 0, 0)
    assert rows(uow.engine, inventory_adjustments) == []


@pytest.mark.usefixtures("three_reserved")
def test_a_batch_taking_on_hand_below_reserved_applies_nothing(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    batch = [
        Adjustment("evt-1", "DC-BER", "SKU-2", 5),
        Adjustment("evt-2", "DC-BER", "SKU-1", -8),  # 2 left, 3 reserved
    ]

    with pytest.raises(BelowReserved) as refused:
        adjust_inventory(batch, uow, clock())

    assert refused.value.extra == {
        "event_id": "evt-2",
        "location_id": "DC-BER",
        "sku": "SKU-1",
        "on_hand": 10,
        "reserved": 3,
    }
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (10, 3, 0),
        ("DC-BER", "SKU-2"): (0, 0, 0),
    }
    assert rows(uow.engine, inventory_adjustments) == []  # so the events may come again


@pytest.mark.usefixtures("three_reserved")
def test_availability_is_on_hand_less_reserved_and_safety_stock(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 4})
    set_position("ST-HAM", "SKU-1", 4, 1, uow, clock())
    put_location(a_location("ST-KOE", ships=False), uow, clock())  # serves pickup only
    set_position("ST-KOE", "SKU-1", 50, 0, uow, clock())

    [item] = availability(["SKU-1"], uow)

    assert item == {
        "sku": "SKU-1",
        "available": 10,
        "locations": [
            {
                "location_id": "DC-BER",
                "available": 7,
                "on_hand": 10,
                "reserved": 3,
                "safety_stock": 0,
            },
            {
                "location_id": "ST-HAM",
                "available": 3,
                "on_hand": 4,
                "reserved": 0,
                "safety_stock": 1,
            },
        ],
    }


def test_availability_of_unknown_skus_is_refused(uow: SqlUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as refused:
        availability(["SKU-1", "SKU-NOPE"], uow)

    assert refused.value.errors == [FieldError("skus", "unknown SKUs: SKU-NOPE")]
