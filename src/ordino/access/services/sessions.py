"""Console sessions, kept on the server.

Signing in starts a session and hands the browser a random token (in the signed
cookie); only the token's SHA-256 is stored. Every request asks whether the session
is still open: not ended (signing out, an admin ending a person's sessions), not
past its hours, and its user not disabled or its key not revoked. A copied cookie is
then worth nothing once the session has ended.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ordino.access.services.ports import AccessWork
from ordino.kernel.domain import ENVIRONMENT, ApiKey

KEPT = timedelta(days=1)  # how long an ended session's row is kept before it is pruned


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(access: ApiKey, user: bool, uow: AccessWork, now: datetime, hours: float) -> str:
    """A new session for a user's (`user`) or a key's access; its token."""
    token = secrets.token_urlsafe(32)
    with uow:
        uow.sessions.prune(now - KEPT)
        kind = "user" if user else "key"
        uow.sessions.add(_hash(token), kind, access.id, now, now + timedelta(hours=hours))
        uow.commit()
    return token


def holds(
    token: str, access: ApiKey, uow: AccessWork, now: datetime, admin_key: str | None
) -> bool:
    """The session of `token` is open and still `access`'s (the environment's admin
    key's only while it is set)."""
    with uow:
        found = uow.sessions.open_for(_hash(token), now)
    if found is None or found != access.id:
        return False
    return found != ENVIRONMENT or admin_key is not None


def end(token: str, uow: AccessWork, now: datetime) -> None:
    """Signing out: the session ends for every copy of its cookie."""
    with uow:
        uow.sessions.end(now, token_hash=_hash(token))
        uow.commit()


def end_all(principal_id: str, uow: AccessWork, now: datetime) -> int:
    """End every open session of a user or key (by id); how many were open."""
    with uow:
        ended = uow.sessions.end(now, principal_id=principal_id)
        uow.commit()
    return ended


def overview(uow: AccessWork, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Who holds access: every console user and API key (never a key or a hash),
    each with their open sessions."""
    with uow:
        people, keys, counts = uow.users.all(), uow.keys.all(), uow.sessions.open_counts(now)
    users = [
        {"username": user.name, "role": str(user.role), "location_id": user.location_id}
        | {"disabled": disabled, "sessions": counts.get(user.id, 0)}
        for user, disabled in people
    ]
    return {
        "users": users,
        "keys": [
            {"id": key.id, "name": key.name, "role": str(key.role), "scope": _scope(key)}
            | {"created_at": created, "revoked_at": revoked, "sessions": counts.get(key.id, 0)}
            for key, created, revoked in keys
        ],
    }


def _scope(key: ApiKey) -> str | None:
    if key.channel is not None:
        return f"channel {key.channel}"
    return None if key.location_id is None else f"location {key.location_id}"


@dataclass(frozen=True)
class ConsoleSessions:
    """Sessions as the console's frame keeps them (`ordino.console.session`), each call
    in a unit of work of its own at the app's time; the app builds it."""

    uow: Callable[[], AccessWork]
    clock: Callable[[], datetime]
    admin_key: str | None

    def start(self, access: ApiKey, user: bool, hours: float) -> str:
        return start(access, user, self.uow(), self.clock(), hours)

    def holds(self, token: str, access: ApiKey) -> bool:
        return holds(token, access, self.uow(), self.clock(), self.admin_key)

    def end(self, token: str) -> None:
        end(token, self.uow(), self.clock())
