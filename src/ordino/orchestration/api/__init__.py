"""Orchestration's HTTP routes and the schemas of what they take and answer."""

from ordino.orchestration.api.fulfillment_schemas import LinesOnce, by_line

__all__ = [
    "LinesOnce",
    "by_line",
]
