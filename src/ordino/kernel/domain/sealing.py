"""Secrets kept sealed at rest (webhook secrets): Fernet (AES-128-CBC with
HMAC-SHA256, from the `cryptography` package) under a key derived from the server's
key by HKDF-SHA256, for this purpose only.

The first key seals; every key given opens (MultiFernet): the server's key now,
then earlier ones, so that a key can be changed without losing what the old one
sealed (docs/security.md).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PURPOSE = b"ordino: webhook secrets"


class Unreadable(Exception):
    """Sealed under none of the keys given (or altered)."""


def derived_key(server_key: str) -> bytes:
    """The Fernet key this purpose uses, derived from the server's key."""
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE)
    return base64.urlsafe_b64encode(kdf.derive(server_key.encode()))


class Sealer:
    def __init__(self, server_keys: Sequence[str]) -> None:
        if not server_keys:
            raise ValueError("a sealer needs a key")
        self._fernet = MultiFernet([Fernet(derived_key(key)) for key in server_keys])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as error:
            raise Unreadable("sealed under none of this server's keys") from error
