"""Promising's pure model: promises and shipment history. Plain Python, no I/O."""

from ordino.promising.domain.promises import (
    CartLine,
    DeliveryRecord,
    Method,
    OrderPromise,
    Promise,
    PromiseChoice,
    PromiseOption,
    Source,
    capacity_needed,
    delivery_time_problem,
    plan_of,
)

__all__ = [
    "CartLine",
    "DeliveryRecord",
    "Method",
    "OrderPromise",
    "Promise",
    "PromiseChoice",
    "PromiseOption",
    "Source",
    "capacity_needed",
    "delivery_time_problem",
    "plan_of",
]
