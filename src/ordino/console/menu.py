"""The console's menu: each page with the permission its route asks for, so a role
is shown exactly the pages it may open (tests/orchestration/test_store_forms.py opens every
entry for every role), and where each role lands after signing in."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.kernel.domain.roles import Permission, Role


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """A message for the catalogues, translated where it is shown."""
    return message


@dataclass(frozen=True)
class Entry:
    section: str
    path: str
    label: str
    permission: Permission


MENU = (
    Entry("orders", "/console/orders", N_("Orders"), Permission.ORDERS_READ),
    Entry("returns", "/console/returns", N_("Returns"), Permission.RETURNS_MANAGE),
    Entry("inventory", "/console/inventory", N_("Inventory"), Permission.INVENTORY_READ),
    Entry("store", "/console/store", N_("Store"), Permission.ORDERS_READ),
    Entry("dashboard", "/console/dashboard", N_("Dashboard"), Permission.REPORTS_READ),
    Entry("exceptions", "/console/exceptions", N_("Exceptions"), Permission.HOLDS_MANAGE),
    Entry("configuration", "/console/configuration", N_("Configuration"), Permission.NETWORK_WRITE),
    Entry("access", "/console/access", N_("Access"), Permission.ACCESS_ADMIN),
)


def home_of(role: Role) -> str:
    """Where a role starts: a store associate at their store's queue, others at the
    orders."""
    return "/console/store" if role is Role.STORE else "/console/orders"
