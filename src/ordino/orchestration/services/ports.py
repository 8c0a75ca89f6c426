"""The orchestration capability's port: breaches of service levels. `ordino.store`
implements it over SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ordino.events.services import EventsWork
from ordino.orchestration.domain.breaches import Breach


class Breaches(Protocol):
    def add(self, breach: Breach) -> None: ...
    def resolve(self, fulfillment_id: str, now: datetime) -> None: ...
    def open(self, limit: int) -> list[Breach]: ...
    def of_order(self, order_id: str) -> list[Breach]: ...


class OrchestrationWork(EventsWork, Protocol):
    """What orchestration's use cases may use in one attempt: its own repositories and
    every lower capability's.
    """

    @property
    def breaches(self) -> Breaches: ...
