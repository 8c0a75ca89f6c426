"""Returns' engines: pure functions over snapshots read for them."""

from ordino.returns.engine.refunds import (
    credit_basis,
    delivered_units,
    preview_refund,
    refund_question,
    shipping_paid,
    units_due,
)
from ordino.returns.engine.routing import route_return

__all__ = [
    "credit_basis",
    "delivered_units",
    "preview_refund",
    "refund_question",
    "route_return",
    "shipping_paid",
    "units_due",
]
