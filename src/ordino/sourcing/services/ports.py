"""The sourcing capability's port: sourcing profiles and the decisions recorded for
each order. `ordino.store` implements it over SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ordino.inventory.services import InventoryWork
from ordino.sourcing.domain.plans import SourcingRecord
from ordino.sourcing.domain.profiles import SourcingProfile


class Profiles(Protocol):
    def all(self) -> list[SourcingProfile]: ...
    def get(self, name: str) -> SourcingProfile | None: ...
    def version(self, name: str, version: int) -> SourcingProfile | None: ...
    def put(self, profile: SourcingProfile, now: datetime, by: str) -> tuple[bool, int]: ...
    def remove(self, name: str) -> bool: ...
    def versions(self, name: str) -> list[tuple[int, datetime, str | None]]: ...


class SourcingDecisions(Protocol):
    def add(self, order_id: str, seq: int, record: SourcingRecord, now: datetime) -> None: ...
    def last_seq(self, order_id: str) -> int: ...
    def of_order(self, order_id: str) -> list[tuple[int, datetime, SourcingRecord]]: ...


class SourcingWork(InventoryWork, Protocol):
    """What sourcing's use cases may use in one attempt: its own repositories and every
    lower capability's.
    """

    @property
    def profiles(self) -> Profiles: ...
    @property
    def sourcing(self) -> SourcingDecisions: ...
