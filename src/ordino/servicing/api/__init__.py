"""Servicing's HTTP routes and the schemas of what they take and answer."""

from ordino.servicing.api.schemas import TimelineEntryOut

__all__ = [
    "TimelineEntryOut",
]
