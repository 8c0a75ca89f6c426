"""API keys: created once and shown once; only a hash is stored. Listed (never the
key) and revoked by an admin.

Keys carry 256 random bits, so a plain SHA-256 is a sound, fast hash for lookup
(a slow password hash protects low-entropy secrets, which these are not).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.access.domain.keys import key_document
from ordino.access.services.ports import AccessWork
from ordino.kernel.domain import (
    ENVIRONMENT,
    ApiKey,
    ConfigurationKind,
    InvalidInput,
    NotFound,
    Role,
    hash_key,
    new_id,
)
from ordino.kernel.services import ORDINO, Changed
from ordino.kernel.services import record as configuration_record
from ordino.network.domain import known_channel
from ordino.network.services import channels_of

PREFIX = "ordino_"


def create_key(
    role: Role,
    name: str | None,
    uow: AccessWork,
    now: datetime,
    channel: str | None = None,
    location_id: str | None = None,
) -> str:
    """Store a new key's hash and return the key itself, which is never stored (made
    by Ordino itself: by hand, as in a test)."""
    key: str = issue_key(NewKey(role, name, channel, location_id), uow, now, ORDINO)["key"]
    return key


@dataclass(frozen=True)
class NewKey:
    role: Role
    name: str | None = None
    channel: str | None = None
    location_id: str | None = None


def issue_key(new: NewKey, uow: AccessWork, now: datetime, by: str) -> dict[str, Any]:
    """A new key: its record and, this once, the key itself (only its hash is stored);
    recorded as a change of configuration made `by` that caller.

    A channel key may be scoped to one `channel`: it then places, reads, lists and
    cancels that channel's orders only. A store key may be scoped to its location:
    it then counts and reads that location's stock and reads the orders allocated to it.
    """
    if new.channel is not None and new.role is not Role.CHANNEL:
        raise InvalidInput.of("channel", "only a channel key is scoped to a channel")
    if new.location_id is not None and new.role is not Role.STORE:
        raise InvalidInput.of("location_id", "only a store key is scoped to a location")
    key = PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(new_id(now), new.role, new.name, new.channel, new.location_id)
    with uow:
        if new.location_id is not None and uow.network.get(new.location_id) is None:
            raise InvalidInput.of("location_id", f"unknown location {new.location_id!r}")
        if new.channel is not None:
            known_channel(channels_of(uow), new.channel)
        uow.keys.add(record, hash_key(key), now)
        what = (ConfigurationKind.API_KEY, record.id, None)
        configuration_record(uow, what, None, key_document(record, False), Changed(by, now))
        uow.commit()
    return _answer(record, now, None) | {"key": key}


def list_keys(uow: AccessWork) -> list[dict[str, Any]]:
    """Every stored key, oldest first, revoked ones too; never a key or its hash."""
    with uow:
        return [_answer(key, created, revoked) for key, created, revoked in uow.keys.all()]


def revoke_key(key_id: str, uow: AccessWork, now: datetime, by: str) -> None:
    """The key stops working (a second time changes nothing), recorded as a change
    of configuration made `by` that caller. Its console sessions end with it; every
    process's cache of keys hears of it (docs/security.md)."""
    with uow:
        revoked = uow.keys.revoke(key_id, now)
        key = uow.keys.get(key_id)
        if revoked is None or key is None:
            raise NotFound(f"no key {key_id!r}", extra={"key_id": key_id})
        if revoked:
            what = (ConfigurationKind.API_KEY, key_id, None)
            before, after = key_document(key, False), key_document(key, True)
            configuration_record(uow, what, before, after, Changed(by, now))
        uow.sessions.end(now, principal_id=key_id)
        uow.commit()


def _answer(key: ApiKey, created: datetime, revoked: datetime | None) -> dict[str, Any]:
    return {
        "id": key.id,
        "role": str(key.role),
        "name": key.name,
        "channel": key.channel,
        "location_id": key.location_id,
        "created_at": created.isoformat(),
        "revoked_at": None if revoked is None else revoked.isoformat(),
    }


def authenticate(key: str, uow: AccessWork, admin_key: str | None) -> ApiKey | None:
    """The stored key `key` is, or the environment's admin key, or None."""
    if admin_key and hmac.compare_digest(key.encode(), admin_key.encode()):
        return ApiKey(ENVIRONMENT, Role.ADMIN, "ORDINO_ADMIN_KEY")
    with uow:
        return uow.keys.find(hash_key(key))
