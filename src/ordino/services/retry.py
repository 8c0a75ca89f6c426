"""Retrying a use case whose conditional write lost a race."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ordino.errors import Conflict, LostRace

T = TypeVar("T")

ATTEMPTS = 8


def with_retries(attempt: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run `attempt` (one unit of work) again each time it loses a race.

    Every attempt re-reads what it decides on, so a retry sees the winner's commit.
    """
    last: LostRace | None = None
    for _ in range(attempts):
        try:
            return attempt()
        except LostRace as race:
            last = race
    raise Conflict(
        f"gave up after {attempts} concurrent changes; try again", extra={"reason": str(last)}
    )
