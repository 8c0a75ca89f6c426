"""Identifiers Ordino makes itself (orders, reservations, events).

32 hex digits: 48 bits of milliseconds since the epoch, then 80 random bits (the
layout of ULID and UUIDv7). They sort by creation time, so cursor pagination can use
the id alone and B-tree inserts stay at the right edge of the index.
"""

from __future__ import annotations

import secrets
from datetime import datetime

LENGTH = 32


def new_id(now: datetime) -> str:
    return f"{int(now.timestamp() * 1000):012x}{secrets.token_hex(10)}"


def is_id(text: str) -> bool:
    """Whether `text` is one of Ordino's ids (as a cursor naming one must be)."""
    return len(text) == LENGTH and all(c in "0123456789abcdef" for c in text)
