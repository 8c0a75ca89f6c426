"""security: console sessions kept on the server; attempts counted against guessing;
webhook secrets sealed (and the key Ordino keeps when ORDINO_SECRET_KEY is not set)

Existing webhook secrets are sealed here, under ORDINO_SECRET_KEY when it is set in
the environment of `ordino db upgrade` (set the one the server runs with), else
under a key made now and kept in `server_keys` (docs/security.md).

Revision ID: 0028_security
Revises: 0027_privacy
Create Date: 2026-12-06 09:00:00
"""

import os
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from ordino.kernel.domain.sealing import Sealer

revision: str = "0028_security"
down_revision: str | None = "0027_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("principal_id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_sessions")),
    )
    op.create_index(
        "ix_console_sessions_principal_id", "console_sessions", ["principal_id"], unique=False
    )
    op.create_table(
        "attempts",
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_attempts")),
    )
    op.create_table(
        "server_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_keys")),
    )
    _reseal("secret", "sealed_secret", lambda sealer, secret: sealer.seal(secret), 512)


def _sealer(connection: sa.Connection) -> Sealer:
    """ORDINO_SECRET_KEY's (with the kept key, if any, to open what it sealed), or
    the kept key, made now if there is none (as ordino.kernel.services.server_keys does)."""
    keys = [os.environ["ORDINO_SECRET_KEY"]] if os.environ.get("ORDINO_SECRET_KEY") else []
    keys += [k for k in os.environ.get("ORDINO_PREVIOUS_SECRET_KEYS", "").split(",") if k and keys]
    kept = connection.scalar(sa.text("SELECT key FROM server_keys WHERE name = 'webhooks'"))
    if kept is None and not keys:
        kept = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        table = sa.table(
            "server_keys", sa.column("name"), sa.column("key"), sa.column("created_at")
        )
        at = now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now
        connection.execute(sa.insert(table).values(name="webhooks", key=kept, created_at=at))
    return Sealer([*keys, *([kept] if kept else [])])


def _reseal(old: str, new: str, change: Callable[[Sealer, str], str], length: int) -> None:
    """Move every subscription's secret from column `old` to `new`, changed."""
    op.add_column("webhook_subscriptions", sa.Column(new, sa.String(length=length), nullable=True))
    connection = op.get_bind()
    table = sa.table("webhook_subscriptions", sa.column("id"), sa.column(old), sa.column(new))
    rows = connection.execute(sa.select(table.c.id, table.c[old])).all()
    if rows:
        sealer = _sealer(connection)
        for subscription_id, value in rows:
            changed = sa.update(table).where(table.c.id == subscription_id)
            connection.execute(changed.values({new: change(sealer, value)}))
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column(old)
        batch.alter_column(new, existing_type=sa.String(length=length), nullable=False)


def downgrade() -> None:
    _reseal("sealed_secret", "secret", lambda sealer, sealed: sealer.open(sealed), 128)
    op.drop_table("server_keys")
    op.drop_table("attempts")
    op.drop_index("ix_console_sessions_principal_id", table_name="console_sessions")
    op.drop_table("console_sessions")
