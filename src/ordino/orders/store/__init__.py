"""Orders' storage: its repositories over SQL (the protocols they implement are in
`ordino.orders.services.ports`)."""

from ordino.orders.store.tables import (
    allocations,
    fulfillments,
    order_lines,
    order_promises,
    orders,
    sla_breaches,
)

__all__ = [
    "allocations",
    "fulfillments",
    "order_lines",
    "order_promises",
    "orders",
    "sla_breaches",
]
