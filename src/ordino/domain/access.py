"""Roles and what each may do: one table, read by the API's guard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ordino.domain.orders import OrderScope


class Role(StrEnum):
    ADMIN = "admin"  # everything, including the network and catalogue
    AGENT = "agent"  # customer service: orders on a customer's behalf
    CHANNEL = "channel"  # a sales channel integration: places and reads orders
    STORE = "store"  # a store associate: stock counts, orders to serve


class Permission(StrEnum):
    CATALOG_WRITE = "catalog:write"
    NETWORK_WRITE = "network:write"
    INVENTORY_WRITE = "inventory:write"
    AVAILABILITY_READ = "availability:read"
    ORDERS_CREATE = "orders:create"
    ORDERS_READ = "orders:read"
    ORDERS_CANCEL = "orders:cancel"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGENT: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ,
            Permission.ORDERS_CANCEL,
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
        {Permission.AVAILABILITY_READ, Permission.INVENTORY_WRITE, Permission.ORDERS_READ}
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
        return OrderScope(self.channel, self.location_id)
