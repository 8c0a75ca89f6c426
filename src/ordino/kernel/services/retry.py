"""Retrying a use case whose conditional write lost a race."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ordino.kernel.domain.errors import Conflict, LostRace

T = TypeVar("T")

ATTEMPTS = 8


def with_retries(attempt: Callable[[int], T], attempts: int = ATTEMPTS) -> T:
    """Run `attempt(n)` (one unit of work) again each time it loses a race.

    Every attempt re-reads what it decides on, so a retry sees the winner's commit;
    `n` (0 first) lets an attempt skip checks that only a lost race makes necessary.
    """
    last: LostRace | None = None
    for n in range(attempts):
        try:
            return attempt(n)
        except LostRace as race:
            last = race
    raise Conflict(
        f"gave up after {attempts} concurrent changes; try again", extra={"reason": str(last)}
    )
