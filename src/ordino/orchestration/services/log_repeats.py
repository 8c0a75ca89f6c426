"""Log lines that would repeat at every look (the database down at each poll, jobs of
one kind failing alike at each attempt) are said once, then counted, and summed up
in one line once the window (a minute) is over: a worker left alone with a fault
writes two lines a minute about it, not one a poll.

Each key holds its window from its first line; at the most KEEP keys are held (a
burst of distinct failures is said in full, as it comes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)
KEEP = 1_000


@dataclass
class _Held:
    since: datetime
    summary: str
    count: int = 0
    last: datetime | None = None


@dataclass
class Repeats:
    log: logging.Logger
    window: timedelta = WINDOW
    held: dict[str, _Held] = field(default_factory=dict)

    def say(self, key: str, now: datetime, line: str, summary: str) -> None:
        """Log `line` unless `key` was said in the window; then count it (`summary`
        is what the window's summing up says)."""
        self.close(now)
        held = self.held.get(key)
        if held is not None:
            held.count, held.last = held.count + 1, now
            return
        self.log.error(line)
        if len(self.held) < KEEP:
            self.held[key] = _Held(now, summary)

    def close(self, now: datetime, key: str | None = None) -> None:
        """Sum up the windows that are over (and `key`'s, over or not: it went well)."""
        for name, held in list(self.held.items()):
            if name == key or now - held.since >= self.window:
                del self.held[name]
                if held.count and held.last is not None:
                    self.log.error(
                        "%s (%d times more since %s, the last at %s)",
                        held.summary,
                        held.count,
                        f"{held.since:%H:%M:%S}",
                        f"{held.last:%H:%M:%S}",
                    )
