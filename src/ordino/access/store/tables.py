"""Access's tables: the attempts counted against guessing (sign-in, the customer's
order lookup). API keys, console users, their sessions and the server's keys are
still written by the storage frame (`ordino.store.records`), so their tables are
the frame's (`ordino.store.tables`)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    Integer,
    String,
    Table,
)

from ordino.store.tables import UTCDateTime, metadata

# Attempts at guessing (ordino.access.domain.throttling): per subject (an account, an order
# number, a client address), the attempts counted in its window and when it began.
attempts = Table(
    "attempts",
    metadata,
    Column("subject", String(255), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("window_started_at", UTCDateTime, nullable=False),
    # Each attempt forgets the windows long over: by index, however many a flood left.
    Index("ix_attempts_window_started_at", "window_started_at"),
)
