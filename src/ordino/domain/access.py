"""Roles and what each may do: one table, read by the API's guard."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ordino.domain.orders import OrderScope
from ordino.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"  # everything, including the network and catalogue
    AGENT = "agent"  # customer service: orders on a customer's behalf
    CHANNEL = "channel"  # a sales channel integration: places and reads orders
    STORE = "store"  # a store associate: stock counts, orders to serve


class Permission(StrEnum):
    CATALOG_WRITE = "catalog:write"
    NETWORK_WRITE = "network:write"
    INVENTORY_WRITE = "inventory:write"
    SUPPLY_WRITE = "supply:write"  # purchase orders and transfers
    AVAILABILITY_READ = "availability:read"
    ORDERS_CREATE = "orders:create"
    ORDERS_READ = "orders:read"
    ORDERS_CANCEL = "orders:cancel"
    FULFILLMENT_WRITE = "fulfillment:write"  # deliveries and collections of orders
    JOBS_ADMIN = "jobs:admin"  # the worker's dead jobs: read and requeue
    WEBHOOKS_ADMIN = "webhooks:admin"  # subscriptions and their delivery logs
    HOLDS_MANAGE = "holds:manage"  # hold orders by hand, release holds, cancel from them
    ORDERS_SERVICE = "orders:service"  # notes on orders, notifications sent again
    REPORTS_READ = "reports:read"  # the dashboard's figures (KPIs) over every order
    PAYMENTS_REFUND = "payments:refund"  # refund what an order's card paid
    PERSONAL_DATA = "personal-data:admin"  # a customer's data exported or erased


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGENT: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ,
            Permission.ORDERS_CANCEL,
            Permission.HOLDS_MANAGE,
            Permission.ORDERS_SERVICE,
            Permission.REPORTS_READ,
            Permission.PAYMENTS_REFUND,
        }
    ),
    Role.CHANNEL: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ,
            Permission.ORDERS_CANCEL,
        }
    ),
    Role.STORE: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.INVENTORY_WRITE,
            Permission.ORDERS_READ,
            Permission.FULFILLMENT_WRITE,
        }
    ),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True)
class ApiKey:
    """A stored key: only its hash is kept, never the key itself."""

    id: str
    role: Role
    name: str | None
    channel: str | None = None  # a channel key scoped to one channel sees only its orders
    location_id: str | None = None  # a store key scoped to its store: its stock, its orders

    @property
    def orders(self) -> OrderScope:
        """The orders this key may see."""
        return OrderScope(self.channel, self.location_id, f"key:{self.id}")

    def require_channel(self, channel: str) -> None:
        """A key scoped to a channel acts for that channel only."""
        if self.channel is not None and channel != self.channel:
            raise Forbidden(
                f"this key acts for channel {self.channel} only, not {channel}",
                extra={"channel": self.channel},
            )

    def require_locations(self, location_ids: Iterable[str]) -> None:
        """A key scoped to a location counts that location's stock only."""
        others = sorted({i for i in location_ids if i != self.location_id})
        if self.location_id is not None and others:
            raise Forbidden(
                f"this key counts stock at {self.location_id} only, not {', '.join(others)}",
                extra={"location_id": self.location_id},
            )
