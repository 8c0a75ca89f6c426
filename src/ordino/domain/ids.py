"""Identifiers Ordino makes itself (orders, reservations, events).

They sort by creation time (48-bit milliseconds, then 80 random bits, as in ULID),
so cursor pagination can use the id alone and B-tree inserts stay at the right edge.
"""

from __future__ import annotations

import secrets
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def new_id(now: datetime) -> str:
    value = (int(now.timestamp() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))
