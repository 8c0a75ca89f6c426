"""Where console passwords are verified: argon2, slow on purpose, on threads of its
own, never on those (each holding a database connection) the API's routes run on.

Only so many sign-ins may wait for those threads: past `most` waiting, a sign-in is
turned away at once (the page says to try again), not queued. A flood from many
addresses, each under its limits, would otherwise queue without bound — every
request held open with its memory, and a person's sign-in waiting behind them all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

WAITING_PER_THREAD = 8  # about a second of argon2 each: a person waits that long at most
# A sign-in turned away is answered after this long (no thread, no connection held):
# turned away at once, a flood's clients would come straight back, and answering them
# costs the API more than their waiting did (measured: docs/security.md).
TURNED_AWAY_SECONDS = 1


class Busy(Exception):
    """Too many sign-ins wait for the hashing threads already."""


async def turned_away() -> None:
    await asyncio.sleep(TURNED_AWAY_SECONDS)


class Hashing:
    def __init__(self, threads: int, most_waiting: int | None = None) -> None:
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="ordino-passwords")
        self.most_waiting = most_waiting or WAITING_PER_THREAD * threads
        self.waiting = 0  # hashing or queued; only the event loop changes it

    @property
    def full(self) -> bool:
        """As many sign-ins wait as may: the next is turned away."""
        return self.waiting >= self.most_waiting

    async def verify(self, check: Callable[[str, str], bool], stored: str, secret: str) -> bool:
        """`check(stored, secret)` on the hashing threads; Busy if too many wait."""
        if self.full:
            raise Busy
        self.waiting += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.executor, check, stored, secret)
        finally:
            self.waiting -= 1
