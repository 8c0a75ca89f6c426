"""The promising capability's port: deliveries measured against their promises.
`ordino.store` implements it over SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ordino.promising.domain.promises import DeliveryRecord, PromisePerformance
from ordino.sourcing.services import SourcingWork


class Deliveries(Protocol):
    def add(self, record: DeliveryRecord, now: datetime) -> None: ...  # LostRace if there
    def of_order(self, order_id: str) -> list[DeliveryRecord]: ...
    def performance(
        self, by: str, since: datetime, until: datetime
    ) -> list[PromisePerformance]: ...
    def between(
        self, since: datetime, until: datetime, channel: str | None = None
    ) -> list[DeliveryRecord]: ...


class PromisingWork(SourcingWork, Protocol):
    """What promising's use cases may use in one attempt: its own repositories and
    every lower capability's.
    """

    @property
    def deliveries(self) -> Deliveries: ...
