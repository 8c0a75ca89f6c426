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


class Busy(Exception):
    """Too many sign-ins wait for the hashing threads already."""


class Hashing:
    def __init__(self, threads: int, most_waiting: int | None = None) -> None:
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="ordino-passwords")
        self.most_waiting = most_waiting or WAITING_PER_THREAD * threads
        self.waiting = 0  # hashing or queued; only the event loop changes it

    async def verify(self, check: Callable[[str, str], bool], stored: str, secret: str) -> bool:
        """`check(stored, secret)` on the hashing threads; Busy if too many wait."""
        if self.waiting >= self.most_waiting:
            raise Busy
        self.waiting += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.executor, check, stored, secret)
        finally:
            self.waiting -= 1
