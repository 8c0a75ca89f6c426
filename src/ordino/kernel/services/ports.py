"""The kernel capability's port: the frame every capability's port extends (one
attempt: enter, commit or roll back) and the kernel's own records: events,
idempotent answers, jobs, configuration changes, server keys. `ordino.store`
implements it over SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self, TypeVar

from ordino.kernel.domain.configuration import ConfigurationChange, ConfigurationKind
from ordino.kernel.domain.events import Event
from ordino.kernel.domain.idempotency import StoredAnswer
from ordino.kernel.domain.jobs import DeadJob, Job

T = TypeVar("T")


class Events(Protocol):
    def add(self, events: Sequence[Event]) -> None: ...  # written at commit


class Idempotency(Protocol):
    def get(self, scope: str, key: str) -> StoredAnswer | None: ...
    def add(self, scope: str, key: str, answer: StoredAnswer, now: datetime) -> None: ...


class Jobs(Protocol):
    def add(self, job: Job, now: datetime) -> bool: ...  # False: one with its key waits
    def add_at_commit(self, job: Job, now: datetime) -> None: ...  # a new key
    def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Job]: ...
    def done(self, job_ids: Sequence[str], worker: str) -> set[str]: ...  # those still held
    def failed(
        self, job_id: str, worker: str, error: str, now: datetime, retry_at: datetime | None
    ) -> bool: ...
    def dead(self, limit: int) -> list[DeadJob]: ...
    def requeue(self, job_id: str, now: datetime) -> bool: ...
    def waiting(self) -> int: ...


class ConfigurationChanges(Protocol):
    def add(self, change: ConfigurationChange) -> None: ...
    def find(
        self,
        kind: ConfigurationKind | None,
        name: str | None,
        limit: int,
        before_id: int | None = None,
    ) -> list[ConfigurationChange]: ...


class NamedDocuments(Protocol[T]):
    """Settings kept by name, each with its version (carrier services, rate cards)."""

    def all(self) -> list[tuple[T, int]]: ...
    def get(self, name: str) -> tuple[T, int] | None: ...
    def put(self, item: T, now: datetime) -> bool: ...  # True if created
    def remove(self, name: str) -> bool: ...


class ServerKeysStore(Protocol):
    def get(self, name: str) -> str | None: ...
    def keep(self, name: str, candidate: str, now: datetime) -> str: ...


class OrderTypeNames(Protocol):
    """The order types there are, built in or configured (the orders capability's,
    read here so that the configuration of any capability can name them)."""

    def names(self) -> set[str]: ...


class KernelWork(Protocol):
    """One attempt of a use case: entered once, left without `commit()` it rolls
    everything back; with the kernel's own repositories."""

    @property
    def events(self) -> Events: ...
    @property
    def idempotency(self) -> Idempotency: ...
    @property
    def jobs(self) -> Jobs: ...
    @property
    def configuration_changes(self) -> ConfigurationChanges: ...
    @property
    def order_type_names(self) -> OrderTypeNames: ...
    @property
    def server_keys(self) -> ServerKeysStore: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
