"""Pure engines of orders over snapshots read at once: capture's decision (the rules
an order must keep, its plan, the order placed with its payment and jobs)."""

from ordino.orders.engine.capture import Sourced

__all__ = [
    "Sourced",
]
