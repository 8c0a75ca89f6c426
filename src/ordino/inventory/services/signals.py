"""Stock signals: `stock.sold_out`, `stock.ran_low` and `stock.restocked` per view and
SKU, written to the outbox with the state they change, once per change of status.

`evaluate_signals` takes a batch of the changes commits recorded (`stock_changes`),
decides each SKU's signal in every view (`ordino.inventory.domain.signals`: from a bound when
the SKU is far from its threshold, from an exact count otherwise) and commits the
new states, the events and the removal of the changes it evaluated together: a
crash loses no signal and repeats none. Server processes run it every second.

A changed view counts every SKU again (its rules may change anything); a redefined
location requeues the SKUs it holds, each as a change that may have taken all the
location had; new postal codes change no signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ordino.inventory.domain.signals import SignalState, decide, lowered, needs_count
from ordino.inventory.domain.views import DEFAULT_VIEW, DEFAULT_VIEW_NAME, AvailabilityView
from ordino.inventory.engine.availability import sku_availability
from ordino.inventory.services.ports import InventoryWork
from ordino.kernel.domain import FILL_BACKORDERS, Event, Job, Recorded, new_id
from ordino.kernel.services import with_retries

# SKUs per evaluation: each may need its positions at every location counted.
BATCH = 500


def evaluate_signals(
    uow: InventoryWork, now: datetime, limit: int = BATCH, settle: timedelta = timedelta(0)
) -> int:
    """Evaluate the changes of up to `limit` SKUs recorded at least `settle` ago; how
    many changes it took."""

    def attempt(_: int) -> int:
        with uow:
            claimed = uow.signals.claim(limit, settle)
            if not claimed:
                return 0
            views = _views(uow)
            if any(change.kind == "views" for change in claimed):
                uow.signals.requeue([view.name for view in views], now)
            if redefined := sorted({c.location_id for c in claimed if c.location_id}):
                uow.signals.requeue_locations(redefined, now)
            _evaluate(uow, _by_sku(claimed), views, now)
            uow.commit()
            return len(claimed)

    return with_retries(attempt)


def evaluate_all(uow: InventoryWork, now: datetime, settle: timedelta = timedelta(0)) -> int:
    """Evaluate every change recorded until none is left; how many there were."""
    total = 0
    while taken := evaluate_signals(uow, now, settle=settle):
        total += taken
    return total


def _views(uow: InventoryWork) -> list[AvailabilityView]:
    stored = uow.views.all()
    if DEFAULT_VIEW_NAME in {view.name for view in stored}:
        return stored
    return [DEFAULT_VIEW, *stored]


def _by_sku(claimed: Sequence[Recorded]) -> dict[str, tuple[int, bool]]:
    """Per SKU: how far it may have fallen in all, and whether it may have risen."""
    merged: dict[str, tuple[int, bool]] = {}
    for change in claimed:
        if change.sku is not None:
            down, up = merged.get(change.sku, (0, False))
            merged[change.sku] = (down + change.down, up or change.up)
    return merged


def _evaluate(
    uow: InventoryWork,
    changes: dict[str, tuple[int, bool]],
    views: Sequence[AvailabilityView],
    now: datetime,
) -> None:
    if not changes:
        return
    states = uow.signals.states(sorted(changes))
    counted = _counts(uow, changes, views, states, now)
    decided: list[SignalState] = []
    events: list[Event] = []
    for sku, (down, _) in sorted(changes.items()):
        for view in views:
            state = states.get((view.name, sku))
            if sku in counted:
                new, event = decide(view, sku, state, counted[sku][view.name])
                if event is not None:
                    events.append(_event(event, view, state, new, now))
            elif state is not None and down:
                new = lowered(state, down)
            else:
                continue
            decided.append(new)
    uow.signals.save(decided, set(states), now)
    uow.events.add(events)
    if any(up for _, up in changes.values()):  # stock may have risen: backorders may fill
        uow.jobs.add(Job.new(FILL_BACKORDERS, {}, now, key="all"), now)


def _counts(
    uow: InventoryWork,
    changes: dict[str, tuple[int, bool]],
    views: Sequence[AvailabilityView],
    states: dict[tuple[str, str], SignalState],
    now: datetime,
) -> dict[str, dict[str, int]]:
    """Exact availability per view of the SKUs only a count can decide."""
    wanted = [
        sku
        for sku, (down, up) in changes.items()
        if any(needs_count(view, states.get((view.name, sku)), down, up) for view in views)
    ]
    if not wanted:
        return {}
    positions = uow.inventory.positions(wanted, shipping_only=False)
    locations = {location.id: location for location in uow.network.all()}
    counts: dict[str, dict[str, int]] = {}
    for sku in wanted:
        mine = [p for p in positions if p.sku == sku]
        counts[sku] = {
            view.name: sku_availability(view, sku, mine, locations, (), now).available
            for view in views
        }
    return counts


def _event(
    kind: str, view: AvailabilityView, before: SignalState | None, after: SignalState, now: datetime
) -> Event:
    return Event(
        new_id(now),
        kind,
        now,
        f"sku/{after.sku}",
        {
            "sku": after.sku,
            "view": view.name,
            "channels": sorted(view.channels),
            "status": str(after.status),
            "previous_status": None if before is None else str(before.status),
            "available": after.bound,
        },
    )
