"""Answers of the use cases that create things, and their replay under an
Idempotency-Key: a retried request gets the first answer, another body under the
same key a conflict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.kernel.domain.errors import IdempotencyKeyReused
from ordino.kernel.domain.idempotency import IdempotencyKey, StoredAnswer
from ordino.kernel.services.ports import KernelWork

CREATED = 201


@dataclass(frozen=True)
class Answer:
    """A use case's answer for a client: the document, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def replay(uow: KernelWork, key: IdempotencyKey | None) -> Answer | None:
    """The answer given before under `key`, if any."""
    if key is None:
        return None
    stored = uow.idempotency.get(key.scope, key.key)
    if stored is None:
        return None
    if stored.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used with another request (another path or body)",
            extra={"idempotency_key": key.key},
        )
    return Answer(stored.status, stored.body, replayed=True)


def remember(
    uow: KernelWork,
    key: IdempotencyKey | None,
    answer: Answer,
    now: datetime,
    order_id: str | None = None,
) -> None:
    """Keep `answer` for `key`, written with the rest of the unit of work; `order_id`:
    the order it is about (its customer's erasure finds the answer by it)."""
    if key is not None:
        stored = StoredAnswer(key.fingerprint, answer.status, answer.body, order_id)
        uow.idempotency.add(key.scope, key.key, stored, now)
