"""Events' storage: its repositories over SQL (the protocols they implement are in
`ordino.events.services.ports`)."""

from ordino.events.store.outbox import RELAY_LOCK
from ordino.events.store.tables import webhook_deliveries

__all__ = [
    "RELAY_LOCK",
    "webhook_deliveries",
]
