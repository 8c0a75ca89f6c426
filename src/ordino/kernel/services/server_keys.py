"""The keys webhook secrets are sealed under (`ordino.kernel.domain.sealing`).

ORDINO_SECRET_KEY seals and opens; ORDINO_PREVIOUS_SECRET_KEYS open what earlier
keys sealed. Without ORDINO_SECRET_KEY, Ordino makes a key the first time it needs
one and keeps it in the database (`server_keys`), so secrets survive restarts and
every process opens them; they are then only as safe as the database itself, and
docs/security.md says to set the key. A key kept in the database also opens what
it sealed after ORDINO_SECRET_KEY is set.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from datetime import datetime

from ordino.kernel.domain.sealing import Sealer
from ordino.kernel.services.ports import KernelWork

STORED = "webhooks"  # the name of the key kept in the database


class ServerKeys:
    def __init__(self, configured: Sequence[str]) -> None:
        """`configured`: ORDINO_SECRET_KEY then the previous keys (may be empty)."""
        self._configured = tuple(configured)
        self._sealer: Sealer | None = None
        self._lock = threading.Lock()

    def sealer(self, uow: KernelWork, now: datetime) -> Sealer:
        """What seals and opens; read (or, without a configured key, made) once."""
        with self._lock:
            if self._sealer is None:
                self._sealer = Sealer([*self._configured, *self._stored(uow, now)])
            return self._sealer

    def _stored(self, uow: KernelWork, now: datetime) -> list[str]:
        with uow:
            if self._configured:
                found = uow.server_keys.get(STORED)
                return [] if found is None else [found]
            kept = uow.server_keys.keep(STORED, secrets.token_urlsafe(32), now)
            uow.commit()
            return [kept]
