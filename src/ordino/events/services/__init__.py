"""Events' use cases and the port they speak to."""

from ordino.events.services.ports import EventsWork
from ordino.events.services.webhooks import failing, retry

__all__ = [
    "EventsWork",
    "failing",
    "retry",
]
