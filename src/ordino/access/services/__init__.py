"""Access's use cases and the port they speak to."""

from ordino.access.services.ports import AccessWork
from ordino.access.services.throttling import attempt, succeeded

__all__ = [
    "AccessWork",
    "attempt",
    "succeeded",
]
