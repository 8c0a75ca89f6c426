"""Idempotent requests: the first answer to a key is kept and given again.

Invariant: a key (within its scope, the API key that sent it) belongs to one request
(its path and body), identified by its fingerprint; another request under the same
key is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int
    body: dict[str, Any]
    order_id: str | None = None  # the order it is about: erasing its customer finds it


@dataclass(frozen=True)
class IdempotencyKey:
    scope: str
    key: str
    fingerprint: str
