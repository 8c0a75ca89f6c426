"""Who asks (an API key or a console user: `ApiKey`, with its scope), the roles and
what each may do: one table, read by the API's guard and the console's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ordino.kernel.domain.errors import Forbidden

ENVIRONMENT = "environment"  # the id of ORDINO_ADMIN_KEY's access


class Role(StrEnum):
    ADMIN = "admin"  # everything, including the network and catalogue
    AGENT = "agent"  # customer service: orders on a customer's behalf, and why
    CHANNEL = "channel"  # a sales channel integration: availability, promises, its orders
    STORE = "store"  # a store associate: its stock, its supply, the orders it serves


class Permission(StrEnum):
    CATALOG_WRITE = "catalog:write"
    NETWORK_WRITE = "network:write"
    # How the network is set up, read: location costs and operations, carrier
    # services, rate cards, sourcing profiles, availability views, order types,
    # hold rules (the fraud rules), the self-service policy.
    SETUP_READ = "setup:read"
    INVENTORY_READ = "inventory:read"  # positions and movements (a store key: its own)
    INVENTORY_WRITE = "inventory:write"
    SUPPLY_READ = "supply:read"  # inbound supply (a store key: to its own location)
    SUPPLY_WRITE = "supply:write"  # purchase orders and transfers
    AVAILABILITY_READ = "availability:read"  # what sells, promises, products, locations
    ORDERS_CREATE = "orders:create"
    ORDERS_READ = "orders:read"
    ORDERS_CANCEL = "orders:cancel"
    FULFILLMENT_WRITE = "fulfillment:write"  # deliveries and collections of orders
    JOBS_ADMIN = "jobs:admin"  # the worker's dead jobs: read and requeue
    WEBHOOKS_ADMIN = "webhooks:admin"  # subscriptions and their delivery logs
    HOLDS_MANAGE = "holds:manage"  # hold orders by hand, release holds, cancel from them
    ORDERS_SERVICE = "orders:service"  # notes on orders, notifications sent again
    REPORTS_READ = "reports:read"  # KPIs and promise performance over every order
    ACCESS_ADMIN = "access:admin"  # API keys, console users and their sessions
    PAYMENTS_REFUND = "payments:refund"  # refunds of returns, appeasements within limits
    # Refund any part of what an order paid, past the appeasement limits (an admin's).
    PAYMENTS_REFUND_ANY = "payments:refund-any"
    RETURNS_CREATE = "returns:create"  # start a return of an order, or withdraw it
    RETURNS_MANAGE = "returns:manage"  # authorise, decline or close returns
    RETURNS_RECEIVE = "returns:receive"  # receive returned goods and say what becomes of them
    PERSONAL_DATA = "personal-data:admin"  # a customer's data exported or erased


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGENT: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.SETUP_READ,
            Permission.INVENTORY_READ,
            Permission.SUPPLY_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ,
            Permission.ORDERS_CANCEL,
            Permission.HOLDS_MANAGE,
            Permission.ORDERS_SERVICE,
            Permission.REPORTS_READ,
            Permission.PAYMENTS_REFUND,
            Permission.RETURNS_CREATE,
            Permission.RETURNS_MANAGE,
            Permission.RETURNS_RECEIVE,
        }
    ),
    Role.CHANNEL: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ,
            Permission.ORDERS_CANCEL,
            Permission.RETURNS_CREATE,
        }
    ),
    Role.STORE: frozenset(
        {
            Permission.AVAILABILITY_READ,
            Permission.INVENTORY_READ,
            Permission.SUPPLY_READ,
            Permission.INVENTORY_WRITE,
            Permission.ORDERS_READ,
            Permission.FULFILLMENT_WRITE,
            Permission.RETURNS_CREATE,
            Permission.RETURNS_RECEIVE,
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

    def require_channel(self, channel: str) -> None:
        """A key scoped to a channel acts for that channel only."""
        if self.channel is not None and channel != self.channel:
            raise Forbidden(
                f"this key acts for channel {self.channel} only, not {channel}",
                extra={"channel": self.channel},
            )

    def reading_channel(self, asked: str | None) -> str | None:
        """The channel a read goes through: the one asked, or for a key scoped to a
        channel its own (asking another is Forbidden)."""
        if self.channel is None:
            return asked
        self.require_channel(asked or self.channel)
        return self.channel

    def require_locations(self, location_ids: Iterable[str]) -> None:
        """A key scoped to a location counts and reads that location's stock and
        supply only."""
        others = sorted({i for i in location_ids if i != self.location_id})
        if self.location_id is not None and others:
            raise Forbidden(
                f"this key is for {self.location_id} only, not {', '.join(others)}",
                extra={"location_id": self.location_id},
            )


def hash_key(key: str) -> str:
    """What is kept of a key (and what a key is found by): its SHA-256, never the key."""
    return hashlib.sha256(key.encode()).hexdigest()
