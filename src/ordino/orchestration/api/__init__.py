"""Orchestration's HTTP routes and the schemas of what they take and answer."""

from ordino.orchestration.api.fulfillment_schemas import LinesOnce, by_line
from ordino.orchestration.api.refunds import RefundIn, RefundOut

__all__ = [
    "LinesOnce",
    "RefundIn",
    "RefundOut",
    "by_line",
]
