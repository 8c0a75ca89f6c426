"""Attempts counted against guessing (`ordino.access.domain.throttling`): one row per
subject, counted in one statement (an upsert), so that every server process shares
the counts and concurrent attempts each get their own number."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from ordino.access.store.tables import attempts
from ordino.store.dialect import is_postgresql


class SqlAttempts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def count(self, subject: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
        """Count an attempt: the subject's count within its window and when the window
        began (a new one, at `now`, once the last has passed)."""
        a = attempts.c
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        statement = dialect.insert(attempts).values(subject=subject, count=1, window_started_at=now)
        over = a.window_started_at <= now - window
        statement = statement.on_conflict_do_update(
            index_elements=[a.subject],
            set_={
                "count": case((over, 1), else_=a.count + 1),
                "window_started_at": case(
                    (over, statement.excluded.window_started_at), else_=a.window_started_at
                ),
            },
        ).returning(a.count, a.window_started_at)
        count, started = self.connection.execute(statement).one()
        return int(count), started

    def take_back(self, subject: str) -> None:
        """An attempt that succeeded does not count."""
        a = attempts.c
        taken = update(attempts).where(a.subject == subject, a.count > 0)
        self.connection.execute(taken.values(count=a.count - 1))

    def prune(self, before: datetime) -> None:
        """Forget windows that began before `before` (long over)."""
        self.connection.execute(delete(attempts).where(attempts.c.window_started_at < before))
