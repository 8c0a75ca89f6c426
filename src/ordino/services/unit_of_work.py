"""The ports the use cases speak to. `ordino.store` implements them over SQL.

A unit of work is entered once per attempt of a use case; leaving it without
`commit()` rolls everything back. Repositories raise `LostRace` when a
conditional write finds the state changed under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from ordino.domain.access import ApiKey, Role
from ordino.domain.catalog import Product
from ordino.domain.idempotency import StoredAnswer
from ordino.domain.inventory import (
    Adjustment,
    Discrepancy,
    Position,
    Reservation,
    StockAtLocation,
)
from ordino.domain.network import Location
from ordino.domain.orders import Order, OrderQuery


class Catalog(Protocol):
    def put(self, product: Product, now: datetime) -> bool: ...  # True if created
    def get(self, sku: str) -> Product | None: ...
    def known(self, skus: Sequence[str]) -> set[str]: ...


class Network(Protocol):
    def put(self, location: Location, now: datetime) -> bool: ...  # True if created
    def get(self, location_id: str) -> Location | None: ...
    def is_empty(self) -> bool: ...


class Inventory(Protocol):
    def stock_for(self, skus: Sequence[str]) -> list[StockAtLocation]: ...
    def reserve(self, reservations: Sequence[Reservation], now: datetime) -> None: ...
    def release(self, order_id: str, now: datetime) -> list[Reservation]: ...
    def position(self, location_id: str, sku: str) -> Position | None: ...
    def set_position(
        self,
        location_id: str,
        sku: str,
        on_hand: int,
        safety_stock: int | None,
        now: datetime,
    ) -> Position: ...
    def adjust(self, adjustment: Adjustment, now: datetime) -> bool: ...  # False: seen before
    def positions(self, skus: Sequence[str], shipping_only: bool) -> list[Position]: ...
    def discrepancies(self) -> list[Discrepancy]: ...


class Orders(Protocol):
    def add(self, order: Order) -> None: ...
    def get(self, order_id: str) -> Order | None: ...
    def save(self, order: Order) -> None: ...
    def id_for_external(self, channel: str, external_id: str) -> str | None: ...
    def find(self, query: OrderQuery, limit: int) -> list[Order]: ...


class Idempotency(Protocol):
    def get(self, scope: str, key: str) -> StoredAnswer | None: ...
    def add(self, scope: str, key: str, answer: StoredAnswer, now: datetime) -> None: ...


class ApiKeys(Protocol):
    def add(
        self, key_id: str, key_hash: str, role: Role, name: str | None, now: datetime
    ) -> None: ...
    def find(self, key_hash: str) -> ApiKey | None: ...


class UnitOfWork(Protocol):
    @property
    def catalog(self) -> Catalog: ...
    @property
    def network(self) -> Network: ...
    @property
    def inventory(self) -> Inventory: ...
    @property
    def orders(self) -> Orders: ...
    @property
    def idempotency(self) -> Idempotency: ...
    @property
    def keys(self) -> ApiKeys: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
