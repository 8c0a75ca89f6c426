"""Webhooks: subscriptions to kinds of event, and how a delivery is signed.

A subscription names a URL and the event types it wants (`*`: every one). Each event
the relay takes from the outbox becomes a delivery for every subscription that wants
it; a subscription's deliveries are posted one at a time in the order the events
were written, the next only once the one before was accepted (2xx), so a receiver
sees an order's events in order, each at least once (a receiver dedups by event id).

The body is the event as JSON; the header `Ordino-Signature: t=<unix time>,v1=<hex>`
carries HMAC-SHA256, keyed by the subscription's secret, of `<t>.<body>`: the
receiver recomputes it, and refuses a stale `t` to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

SIGNATURE_HEADER = "Ordino-Signature"
EVERY_TYPE = "*"


@dataclass(frozen=True)
class Subscription:
    id: str
    url: str
    event_types: frozenset[str]
    secret: str
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return EVERY_TYPE in self.event_types or event_type in self.event_types


@dataclass(frozen=True)
class Delivery:
    """One event for one subscription: posted until accepted."""

    id: str
    subscription_id: str
    event_id: str
    event_type: str
    body: str  # the event as JSON, as posted
    attempts: int = 0


def signature(secret: str, timestamp: int, body: str) -> str:
    """The header's value for `body` sent at `timestamp` (seconds since the epoch)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
