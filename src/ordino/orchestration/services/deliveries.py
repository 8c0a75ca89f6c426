"""Tracking the promise against reality: deliveries (or collections) of an order's
goods, each measured against the order's promise as it is recorded (the on-time rate
and slack they add up to: `ordino.promising.services.performance`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ordino.kernel.domain import AlreadyExists, Conflict, Forbidden, InvalidInput
from ordino.kernel.services import with_retries
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.orders.services import existing_order
from ordino.promising.domain import DeliveryRecord, delivery_time_problem


@dataclass(frozen=True)
class RecordDelivery:
    """The goods of an order from `location_id` (None: from every location not yet
    delivered) arrived at `delivered_at`, given with the offset where it happened."""

    order_id: str
    delivered_at: datetime
    location_id: str | None = None
    carrier: str | None = None


def record_delivery(
    cmd: RecordDelivery, uow: OrchestrationWork, now: datetime, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Recording the same delivery again changes nothing; another time for it is a
    conflict."""
    order_id, location_id, delivered_at = cmd.order_id, cmd.location_id, cmd.delivered_at

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, order_id, scope, for_update=True)
            if problem := delivery_time_problem(delivered_at, order.created_at, now):
                raise InvalidInput.of("delivered_at", problem)
            if order.promise is None:
                raise Conflict(f"order {order_id} was placed without a promise to measure")
            sources = sorted({a.location_id for line in order.lines for a in line.allocations})
            done = {record.location_id: record for record in uow.deliveries.of_order(order_id)}
            arrived = _locations(location_id, sources, done, delivered_at)
            _refuse_others(scope, order, arrived)
            for at in arrived:
                record = DeliveryRecord.of(order_id, at, delivered_at, order.promise, cmd.carrier)
                uow.deliveries.add(record, now)
                done[at] = record
                order.delivered(record, now, complete=set(done) >= set(sources))
            uow.orders.save(order)
            uow.commit()
        return {"order_id": order_id, "deliveries": [delivery_answer(r) for r in done.values()]}

    return with_retries(attempt)


def _refuse_others(scope: OrderScope, order: Order, arrived: list[str]) -> None:
    """A store's key records what it sent, or what is collected at it; another
    location's parcel of the same order is not its to say (Forbidden)."""
    reached = scope.sources_reached(order)
    others = sorted(set(arrived) - reached) if reached is not None else []
    if others:
        raise Forbidden(
            f"this key acts for location {scope.location_id}, not {', '.join(others)}",
            extra={"location_id": others[0]},
        )


def _locations(
    location_id: str | None,
    sources: list[str],
    done: dict[str, DeliveryRecord],
    delivered_at: datetime,
) -> list[str]:
    if location_id is not None and location_id not in sources:
        raise InvalidInput.of("location_id", f"the order has nothing from {location_id}")
    wanted = [location_id] if location_id is not None else sources
    for at in wanted:
        if at in done and done[at].delivered_at != delivered_at:
            raise AlreadyExists(
                f"the delivery from {at} was recorded at {done[at].delivered_at.isoformat()}",
                extra={"location_id": at},
            )
    return [at for at in wanted if at not in done]


def of_order(
    order_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> list[dict[str, Any]]:
    """The order's deliveries, each measured against its promise (actual vs promised)."""
    with uow:
        existing_order(uow, order_id, scope)
        return [delivery_answer(record) for record in uow.deliveries.of_order(order_id)]


def delivery_answer(record: DeliveryRecord) -> dict[str, Any]:
    return {
        "location_id": record.location_id,
        "delivered_at": record.delivered_at.astimezone(UTC).isoformat(),
        "delivered_on": record.delivered_on.isoformat(),
        "service": record.service,
        "carrier": record.carrier,
        "promised_latest": record.promised_latest.isoformat(),
        "on_time": record.on_time,
        "slack_days": record.slack_days,
    }
