"""Returns' storage: SQL for returns and their lines, the return policy's table."""

from ordino.returns.store.repository import SqlReturns
from ordino.returns.store.tables import (
    appeasements,
    return_exchanges,
    return_labels,
    return_lines,
    return_receipts,
    return_refunds,
    return_routes,
    returns,
)

__all__ = [
    "SqlReturns",
    "appeasements",
    "return_exchanges",
    "return_labels",
    "return_lines",
    "return_receipts",
    "return_refunds",
    "return_routes",
    "returns",
]
