"""Webhooks: subscriptions to kinds of event, and how a delivery is signed.

A subscription names a URL and the event types it wants (`*`: every one). Each event
the relay takes from the outbox becomes a delivery for every subscription that wants
it; a subscription's deliveries are posted one at a time in the order the events
were written, the next only once the one before was accepted (2xx), so a receiver
sees an order's events in order, each at least once (a receiver dedups by event id).

The body is the event as JSON; the header `Ordino-Signature: t=<unix time>,v1=<hex>`
carries HMAC-SHA256, keyed by the subscription's secret, of `<t>.<body>`: the
receiver recomputes it, and refuses a stale `t` to stop replays. The secret is
kept sealed (`ordino.kernel.domain.sealing`) and opened only to sign.

A receiver must be on the public internet: `refusal` names what is wrong with an
address that is not (loopback, private, link-local, the cloud's metadata service),
unless the server allows private receivers (ORDINO_WEBHOOK_ALLOW_PRIVATE).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SIGNATURE_HEADER = "Ordino-Signature"
EVERY_TYPE = "*"


@dataclass(frozen=True)
class Subscription:
    id: str
    url: str
    event_types: frozenset[str]
    sealed_secret: str  # the signing secret, sealed (ordino.kernel.domain.sealing)
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


# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway takes them to:
# NAT64's well-known prefix, and the deprecated IPv4-compatible addresses.
_CARRYING_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))


def refusal(address: str) -> str | None:
    """Why a receiver at `address` (an IP address) is refused; None if it is public.
    An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, IPv4-compatible)
    is public only if that IPv4 address is too: a gateway may deliver to it."""
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        parsed = _carried(parsed) or parsed
    if parsed.is_global and not parsed.is_multicast:
        return None
    return (
        f"{address} is a private or loopback address: receivers must be public "
        "(ORDINO_WEBHOOK_ALLOW_PRIVATE=1 allows them)"
    )


def _carried(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries, if any."""
    if address.ipv4_mapped is not None or address.sixtofour is not None:
        return address.ipv4_mapped or address.sixtofour
    if any(address in network for network in _CARRYING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def subscription_document(subscription: Subscription) -> dict[str, Any]:
    """A subscription as the record of configuration keeps it: never its secret."""
    return {"url": subscription.url, "event_types": sorted(subscription.event_types)}
