"""Return codes: what the customer shows at a store or a carrier's point (typed, or
scanned from its QR image) and what finds the return there.

A code is "R" and nine characters of Crockford's base 32 (no I, L, O or U; I and L
are read as 1, O as 0): 32 to the 9th, about 35 trillion codes, so one cannot be
guessed from another, and typed input is read leniently (lower case, spaces,
dashes, the look-alike letters)."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 9
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_return_code() -> str:
    return "R" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def read_code(typed: str) -> str | None:
    """The code as typed or scanned, normalised; None: it cannot be a return code."""
    plain = "".join(typed.split()).replace("-", "").upper()
    if not plain.startswith("R"):
        return None
    body = plain[1:].translate(_LOOK_ALIKES)
    if len(body) != LENGTH or any(c not in ALPHABET for c in body):
        return None
    return "R" + body
