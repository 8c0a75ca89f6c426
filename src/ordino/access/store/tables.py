"""Access's tables: API keys, console users and their sessions (hashes only), and
the attempts counted against guessing (sign-in, the customer's order lookup)."""

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


api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("name", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("channel", String(64)),
    Column("location_id", String(64)),
)


# People who sign in to the console: the password's argon2 hash, never the password.
users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("name", String(200)),
    Column("channel", String(64)),
    Column("location_id", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
)


# Console sessions, kept on the server so that signing out (or an admin) ends them:
# the cookie holds a random token, the table its SHA-256. `kind` is user or key, and
# `principal_id` the user's or key's id (`environment`: ORDINO_ADMIN_KEY).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("principal_id", String(32), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Index("ix_console_sessions_principal_id", "principal_id"),
    # Each sign-in forgets the sessions long over: by index, however many there are
    # (any key may sign in as often as it likes).
    Index("ix_console_sessions_expires_at", "expires_at"),
    Index("ix_console_sessions_ended_at", "ended_at"),
)
