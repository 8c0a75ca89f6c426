"""An order's timeline: every change of it, in the order it happened, who or what
made it and why — read from the outbox, where every change wrote its event in the
transaction that made it (so the timeline cannot miss one, nor show one that did
not happen)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ordino.kernel.domain import ENVIRONMENT, Event
from ordino.orders.domain import EVERY_ORDER, OrderScope
from ordino.orders.services import existing_order
from ordino.servicing.services.ports import ServicingWork

# What every order event carries; the rest is what the entry adds.
_COMMON = ("order_id", "channel", "external_id", "status", "total", "currency", "by")
# The customer alone is sent the pickup code (in the event, to notify them): whoever
# reads the timeline (a store's key among them) must not be able to hand goods over.
_SECRET = ("pickup_code",)


def timeline(order_id: str, uow: ServicingWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    with uow:
        existing_order(uow, order_id, scope)
        events = uow.outbox.of_subject(f"order/{order_id}")
    return {"order_id": order_id, "items": [entry(event) for event in events]}


def entry(event: Event) -> dict[str, Any]:
    data = event.data
    return {
        "seq": event.seq,
        "at": event.occurred_at.isoformat(),
        "type": event.type,
        "by": data.get("by", "ordino"),
        "why": why(data),
        "status": data.get("status"),
        "details": {k: v for k, v in data.items() if k not in _COMMON + _SECRET},
    }


def why(data: dict[str, Any]) -> str | None:
    """The reason the event gives, wherever its kind keeps it."""
    for value in (
        data.get("reason"),
        data.get("why"),
        (data.get("hold") or {}).get("note"),
        (data.get("hold") or {}).get("reason"),
        (data.get("fulfillment") or {}).get("reason"),
        (data.get("payment") or {}).get("message"),
    ):
        if value:
            return str(value)
    return None


def actor_names(actors: Iterable[str], uow: ServicingWork) -> dict[str, str]:
    """The names of the API keys among `actors` (`key:<id>`), by actor, for people to
    read who acted (ORDINO_ADMIN_KEY by its variable's name); unnamed keys are left out."""
    with uow:
        return names_of_keys(actors, uow)


def names_of_keys(actors: Iterable[str], uow: ServicingWork) -> dict[str, str]:
    """As `actor_names`, inside a unit of work already open."""
    ids = {actor.removeprefix("key:") for actor in actors if actor.startswith("key:")}
    found = uow.keys.names(sorted(ids - {ENVIRONMENT}))
    if ENVIRONMENT in ids:
        found[ENVIRONMENT] = "ORDINO_ADMIN_KEY"
    return {f"key:{key_id}": name for key_id, name in found.items() if name}
