"""Keys and console users as the record of configuration keeps them: never a key, a
password or their hashes."""

from __future__ import annotations

from typing import Any

from ordino.kernel.domain import ApiKey


def key_document(key: ApiKey, revoked: bool) -> dict[str, Any]:
    """A key as the record of configuration keeps it: never the key or its hash."""
    return {
        "role": str(key.role),
        "name": key.name,
        "channel": key.channel,
        "location_id": key.location_id,
        "revoked": revoked,
    }


def user_document(user: ApiKey, disabled: bool) -> dict[str, Any]:
    """A console user as the record of configuration keeps them: never a password or
    its hash."""
    return {"role": str(user.role), "location_id": user.location_id, "disabled": disabled}
