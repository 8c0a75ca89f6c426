"""The events capability's port: the outbox's relay and webhook subscriptions with
their deliveries. `ordino.store` implements it over SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ordino.events.domain.webhooks import Delivery, Subscription
from ordino.kernel.domain import Event
from ordino.orders.services import OrdersWork


class Outbox(Protocol):
    def unpublished(self, limit: int) -> list[Event]: ...  # the oldest first
    def published(self, ids: Sequence[str], now: datetime) -> None: ...
    def of_subject(self, subject: str) -> list[Event]: ...  # in the order written
    def prune(self, before: datetime, limit: int) -> int: ...  # published, not an open order's
    def prune_alone(self) -> bool: ...  # no other process prunes (held until commit)


class Webhooks(Protocol):
    def add(self, subscription: Subscription) -> None: ...
    def all(self) -> list[Subscription]: ...
    def get(self, subscription_id: str) -> Subscription | None: ...
    def remove(self, subscription_id: str) -> bool: ...
    def fan_out(self, events: Sequence[Event], now: datetime) -> list[str]: ...
    def next_waiting(self, subscription_id: str) -> Delivery | None: ...
    def attempted(
        self, delivery_id: str, status: int | None, error: str | None, now: datetime
    ) -> None: ...
    def log(self, subscription_id: str, limit: int) -> list[dict[str, Any]]: ...
    def prune(self, before: datetime, limit: int) -> int: ...  # delivered before `before`


class EventsWork(OrdersWork, Protocol):
    """What events's use cases may use in one attempt: its own repositories and every
    lower capability's.
    """

    @property
    def outbox(self) -> Outbox: ...
    @property
    def webhooks(self) -> Webhooks: ...
