"""Feeds planned without a database: counts, out of order and in any arrival order,
deltas once per event id, movements that always add up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ordino.inventory.domain.feeds import (
    Adjustment,
    Count,
    FeedPlan,
    Key,
    MovementKind,
    Outcome,
    Source,
    plan_adjustments,
    plan_counts,
)
from ordino.inventory.domain.positions import MAX_ON_HAND, Position

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KEY = ("DC-BER", "SKU-1")
SOURCE = Source("key:test", T0 + timedelta(hours=1))


def a_position(on_hand: int = 10, reserved: int = 0, **fields: Any) -> Position:
    return Position("DC-BER", "SKU-1", on_hand, reserved, 0)._replace(**fields)


def applied(plan: FeedPlan, current: dict[Key, Position]) -> dict[Key, Position]:
    """The positions as the store would hold them after writing the plan."""
    return current | {key: change.position for key, change in plan.changes.items()}


def count_at(on_hand: int, minutes: int, current: dict[Key, Position]) -> dict[Key, Position]:
    plan = plan_counts(
        [Count(*KEY, on_hand)],
        T0 + timedelta(minutes=minutes),
        current,
        {},
        MovementKind.COUNT,
        SOURCE,
    )
    return applied(plan, current)


def test_a_count_of_a_new_position_creates_it_with_its_movement() -> None:
    plan = plan_counts([Count(*KEY, 7, 2)], T0, {}, {}, MovementKind.COUNT, SOURCE)

    change = plan.changes[KEY]
    assert (change.position.on_hand, change.position.safety_stock) == (7, 2)
    assert change.position.counted_at == T0
    assert change.expected_on_hand is None
    [movement] = plan.movements
    assert (movement.kind, movement.quantity, movement.on_hand_before, movement.reported) == (
        MovementKind.COUNT,
        7,
        0,
        7,
    )


def test_a_count_adds_the_deltas_that_happened_after_it() -> None:
    current = {KEY: a_position(12, moved_at=T0 + timedelta(minutes=5))}

    plan = plan_counts([Count(*KEY, 4)], T0, current, {KEY: 5}, MovementKind.SNAPSHOT, SOURCE)

    assert plan.changes[KEY].position.on_hand == 9
    assert plan.movements[0].quantity == -3


def test_a_count_below_reserved_leaves_the_position_short() -> None:
    current = {KEY: a_position(10, reserved=4)}

    plan = plan_counts([Count(*KEY, 1)], T0, current, {}, MovementKind.COUNT, SOURCE)

    assert plan.changes[KEY].position.short == 3
    assert [c.position.short for c in plan.shortages] == [3]


def test_a_shortage_no_worse_than_before_is_not_reported_again() -> None:
    current = {KEY: a_position(1, reserved=4)}

    plan = plan_counts([Count(*KEY, 2)], T0, current, {}, MovementKind.COUNT, SOURCE)

    assert plan.shortages == []


def test_a_delta_is_clipped_at_zero_and_keeps_what_was_reported() -> None:
    plan = plan_adjustments(
        [Adjustment("E-1", *KEY, -15)], {KEY: a_position(10)}, [], MovementKind.ADJUSTMENT, SOURCE
    )

    [movement] = plan.movements
    assert (movement.quantity, movement.on_hand_after, movement.reported) == (-10, 0, -15)


def test_a_delta_before_the_last_count_is_recorded_but_not_applied() -> None:
    current = {KEY: a_position(10, counted_at=T0)}
    early = Adjustment("E-1", *KEY, -3, occurred_at=T0 - timedelta(seconds=1))

    plan = plan_adjustments([early], current, [], MovementKind.ADJUSTMENT, SOURCE)

    assert plan.results[0].outcome is Outcome.SUPERSEDED
    assert (plan.movements[0].quantity, plan.movements[0].event_id) == (0, "E-1")


# Properties

ARRIVALS = st.lists(
    st.tuples(st.integers(0, 1000), st.integers(0, 10_000)),  # (on hand, minutes)
    min_size=1,
    max_size=8,
    unique_by=lambda count: count[1],
)


@given(arrivals=ARRIVALS, order=st.randoms(use_true_random=False))
def test_whatever_the_order_of_arrival_the_newest_count_wins(
    arrivals: list[tuple[int, int]], order: random.Random
) -> None:
    shuffled = list(arrivals)
    order.shuffle(shuffled)
    current: dict[Key, Position] = {}

    for on_hand, minutes in shuffled:
        current = count_at(on_hand, minutes, current)

    newest = max(arrivals, key=lambda count: count[1])
    assert current[KEY].on_hand == newest[0]
    assert current[KEY].counted_at == T0 + timedelta(minutes=newest[1])


DELTAS = st.lists(
    st.tuples(st.sampled_from(["E-1", "E-2", "E-3", "E-4"]), st.integers(-500, 500)),
    max_size=12,
)


@given(on_hand=st.integers(0, MAX_ON_HAND), reserved=st.integers(0, 100), deltas=DELTAS)
def test_movements_always_add_up_to_the_change_of_on_hand(
    on_hand: int, reserved: int, deltas: list[tuple[str, int]]
) -> None:
    current = {KEY: a_position(on_hand, reserved)}
    batch = [Adjustment(event_id, *KEY, delta) for event_id, delta in deltas]

    plan = plan_adjustments(batch, current, [], MovementKind.ADJUSTMENT, SOURCE)

    after = applied(plan, current)[KEY]
    assert on_hand + sum(m.quantity for m in plan.movements) == after.on_hand
    assert 0 <= after.on_hand <= MAX_ON_HAND
    assert after.reserved == reserved  # a feed never touches reservations
    chain = [on_hand] + [m.on_hand_after for m in plan.movements]
    assert all(m.on_hand_before == chain[i] for i, m in enumerate(plan.movements))


@given(deltas=DELTAS)
def test_a_batch_sent_again_changes_nothing(deltas: list[tuple[str, int]]) -> None:
    current = {KEY: a_position(100)}
    batch = [Adjustment(event_id, *KEY, delta) for event_id, delta in deltas]
    first = plan_adjustments(batch, current, [], MovementKind.ADJUSTMENT, SOURCE)
    recorded = [m.event_id for m in first.movements if m.event_id]

    again = plan_adjustments(
        batch, applied(first, current), recorded, MovementKind.ADJUSTMENT, SOURCE
    )

    assert again.movements == []
    assert {r.outcome for r in again.results} <= {Outcome.DUPLICATE}


@given(deltas=DELTAS)
def test_the_same_feed_gives_the_same_plan(deltas: list[tuple[str, int]]) -> None:
    current = {KEY: a_position(100)}
    batch = [Adjustment(event_id, *KEY, delta) for event_id, delta in deltas]

    first = plan_adjustments(batch, current, [], MovementKind.ADJUSTMENT, SOURCE)
    second = plan_adjustments(batch, current, [], MovementKind.ADJUSTMENT, SOURCE)

    assert first == second
