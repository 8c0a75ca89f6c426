"""Signed links to one order, for its customer: a token carrying the order's id and
the time it stops being valid, signed with the process's secret (itsdangerous,
HMAC). Anyone holding the token sees and changes that order as its customer, and no
other: a token altered in any way fails its signature.

The time a token is valid for is decided when it is made (the self-service policy's
`link_hours` then) and checked against the use case's `now`, so tests move a clock
rather than wait.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from ordino.kernel.domain import LinkExpired, LinkInvalid

_SALT = "ordino.self-service.order"


class Links:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=_SALT)

    def make(self, order_id: str, now: datetime, valid: timedelta) -> str:
        until = int((now + valid).timestamp())
        return self._serializer.dumps({"order": order_id, "until": until})

    def order_of(self, token: str, now: datetime) -> str:
        """The order the token names; LinkInvalid when it was not signed here (or was
        changed), LinkExpired when its time is past."""
        try:
            data: Any = self._serializer.loads(token)
        except BadSignature:
            raise LinkInvalid("the link is not valid: look the order up again") from None
        if not _well_formed(data):
            raise LinkInvalid("the link is not valid: look the order up again")
        until = datetime.fromtimestamp(data["until"], UTC)
        if now >= until:
            raise LinkExpired(
                "the link has expired: look the order up again",
                extra={"expired_at": until.isoformat()},
            )
        return str(data["order"])


def _well_formed(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("order"), str)
        and isinstance(data.get("until"), int)
    )
