"""Supply use cases: create a purchase order or a transfer, receive it (in full or
in part), cancel what is still open, reschedule it, read and list.

A transfer ships when it is created: its quantities leave the source's on hand
(never stock that is reserved there) and arrive, when received, in the
destination's on hand. Every change of on hand goes through the feed core, so it
has its movement, referring to the supply order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ordino.inventory.domain.feeds import (
    Adjustment,
    FeedPlan,
    MovementKind,
    Source,
    plan_adjustments,
)
from ordino.inventory.domain.supply import (
    CreateSupply,
    Receipt,
    SupplyKind,
    SupplyOrder,
    SupplyQuery,
)
from ordino.inventory.services.answers import supply_view
from ordino.inventory.services.ports import InventoryWork
from ordino.inventory.services.stock import CLOCK_SKEW, write_plan
from ordino.kernel.domain import (
    FILL_BACKORDERS,
    AlreadyExists,
    BelowReserved,
    FieldError,
    IdempotencyKey,
    InvalidInput,
    Job,
    NotFound,
    expect_job,
)
from ordino.kernel.services import CREATED, Answer, remember, replay, with_retries


def create_supply(
    cmd: CreateSupply,
    source: Source,
    uow: InventoryWork,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    def attempt(_: int) -> Answer:
        with uow:
            if (earlier := replay(uow, idempotency)) is not None:
                return earlier
            order = record_supply(uow, cmd, source)
            answer = Answer(CREATED, supply_view(order))
            remember(uow, idempotency, answer, source.now)
            uow.commit()
            return answer

    return with_retries(attempt)


def record_supply(
    uow: InventoryWork, cmd: CreateSupply, source: Source, *, off_the_shelf: bool = True
) -> SupplyOrder:
    """Create a supply order within a unit of work the caller commits (a transfer ships:
    out of its source's on hand, unless the goods were never on its shelf, as
    returned goods sent on from where they arrived: `off_the_shelf` False)."""
    _refuse_unknown(uow, cmd)
    if uow.supply.get(cmd.id) is not None:
        raise AlreadyExists(f"supply order {cmd.id} exists", extra={"supply_id": cmd.id})
    order = SupplyOrder.create(cmd, source.now)
    if order.kind is SupplyKind.TRANSFER and off_the_shelf:
        _ship(uow, order, source)
    uow.supply.add(order)
    uow.jobs.add(expect_job(source.now), source.now)  # backorders may be dated by it
    return order


def receive_supply(
    supply_id: str, receipt: Receipt, source: Source, uow: InventoryWork
) -> dict[str, Any]:
    """Put what arrived on hand at the destination; a receipt id already recorded for
    this order changes nothing."""
    received_at = receipt.received_at or source.now
    if received_at > source.now + CLOCK_SKEW:
        raise InvalidInput.of("received_at", "must not be in the future")

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = _existing(uow, supply_id, for_update=True)
            if uow.supply.receipt_seen(supply_id, receipt.receipt_id):
                return supply_view(order) | {"receipt": "duplicate"}
            order.receive(receipt, source.now)
            deltas = [
                Adjustment(None, order.location_id, sku, quantity, None, received_at)
                for sku, quantity in receipt.lines
            ]
            reason = f"receipt {receipt.receipt_id} of {order.kind} {order.id}"
            _move(uow, deltas, MovementKind.RECEIPT, _about(order, source, reason))
            uow.supply.add_receipt(supply_id, receipt, received_at, source.now)
            uow.supply.save(order)
            # Backordered units may be had now: the worker sources them.
            uow.jobs.add(Job.new(FILL_BACKORDERS, {}, source.now, key="all"), source.now)
            uow.commit()
            return supply_view(order) | {"receipt": "applied"}

    return with_retries(attempt)


def cancel_supply(
    supply_id: str, skus: Sequence[str], reason: str | None, uow: InventoryWork, now: datetime
) -> dict[str, Any]:
    """Cancel what is still open (of `skus`, or all); cancelling again changes nothing."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = _existing(uow, supply_id, for_update=True)
            if order.cancel(now, tuple(skus), reason):
                uow.supply.save(order)
                uow.jobs.add(expect_job(now), now)
                uow.commit()
            return supply_view(order)

    return with_retries(attempt)


def reschedule_supply(
    supply_id: str, expected_at: datetime, uow: InventoryWork, now: datetime
) -> dict[str, Any]:
    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = _existing(uow, supply_id, for_update=True)
            order.reschedule(expected_at, now)
            uow.supply.save(order)
            uow.jobs.add(expect_job(now), now)
            uow.commit()
            return supply_view(order)

    return with_retries(attempt)


def get_supply(supply_id: str, uow: InventoryWork) -> dict[str, Any]:
    with uow:
        return supply_view(_existing(uow, supply_id))


def list_supply(
    query: SupplyQuery, limit: int, uow: InventoryWork
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of supply orders by id, and the cursor of the next (None at the end); a
    cursor names a supply order (the last of a page)."""
    with uow:
        if query.after_id is not None and uow.supply.get(query.after_id) is None:
            raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
        found = uow.supply.find(query, limit + 1)
    page = found[:limit]
    cursor = page[-1].id if len(found) > limit else None
    return [supply_view(order) for order in page], cursor


def _ship(uow: InventoryWork, order: SupplyOrder, source: Source) -> None:
    """Take a transfer's quantities out of its source: only what is not reserved."""
    assert order.source_location_id is not None
    origin = order.source_location_id
    current = uow.movements.current((origin, line.sku) for line in order.lines)
    for i, line in enumerate(order.lines):
        position = current.get((origin, line.sku))
        free = 0 if position is None else max(0, position.on_hand - position.reserved)
        if free < line.quantity:
            raise BelowReserved(
                f"{origin} has {free} of {line.sku} that is not reserved; "
                f"the transfer takes {line.quantity}",
                extra={"field": f"lines[{i}].quantity", "sku": line.sku, "free": free},
            )
    deltas = [Adjustment(None, origin, line.sku, -line.quantity) for line in order.lines]
    reason = f"transfer {order.id} to {order.location_id}"
    _move(uow, deltas, MovementKind.TRANSFER_OUT, _about(order, source, reason))


def _move(
    uow: InventoryWork, deltas: Sequence[Adjustment], kind: MovementKind, source: Source
) -> FeedPlan:
    current = uow.movements.current((d.location_id, d.sku) for d in deltas)
    plan = plan_adjustments(deltas, current, (), kind, source)
    write_plan(uow, plan, source)
    return plan


def _about(order: SupplyOrder, source: Source, reason: str) -> Source:
    return Source(source.actor, source.now, reason, f"supply/{order.id}")


def _existing(uow: InventoryWork, supply_id: str, *, for_update: bool = False) -> SupplyOrder:
    order = uow.supply.get(supply_id, for_update=for_update)
    if order is None:
        raise NotFound(f"no supply order {supply_id}", extra={"supply_id": supply_id})
    return order


def _refuse_unknown(uow: InventoryWork, cmd: CreateSupply) -> None:
    places = [("location_id", cmd.location_id)]
    if cmd.source_location_id is not None:
        places.append(("source_location_id", cmd.source_location_id))
    known = uow.network.known(location_id for _, location_id in places)
    errors = [
        FieldError(name, f"unknown location {location_id!r}")
        for name, location_id in places
        if location_id not in known
    ]
    skus = uow.catalog.known(sku for sku, _ in cmd.lines)
    errors += [
        FieldError(f"lines[{i}].sku", f"unknown SKU {sku!r}")
        for i, (sku, _) in enumerate(cmd.lines)
        if sku not in skus
    ]
    if errors:
        raise InvalidInput("the supply order names unknown locations or SKUs", errors=errors)
