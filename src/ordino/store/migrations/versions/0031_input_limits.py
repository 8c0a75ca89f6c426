"""the channels known, each with its settings (the most units a line may ask);
every channel already named (by orders, keys, users, views, sourcing profiles)
becomes a known one with the default settings, so nothing that worked stops

Revision ID: 0031_input_limits
Revises: 0030_privacy_fixes
Create Date: 2026-12-01 12:00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0031_input_limits"
down_revision: str | None = "0030_privacy_fixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
DEFAULT = {"max_line_quantity": 1000, "description": None}  # ordino.network.domain.channels


def upgrade() -> None:
    channels = op.create_table(
        "channels",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_channels")),
    )
    named = _channels_named(op.get_bind())
    now = datetime.now(UTC)
    rows = [{"name": n, "document": DEFAULT, "version": 1, "updated_at": now} for n in named]
    if rows:
        op.bulk_insert(channels, rows)


def _channels_named(connection: sa.Connection) -> list[str]:
    named: set[str] = set()
    for table in ("orders", "api_keys", "users"):
        query = f"SELECT DISTINCT channel FROM {table} WHERE channel IS NOT NULL"  # noqa: S608
        named.update(row[0] for row in connection.execute(sa.text(query)))
    for table in ("availability_views", "sourcing_profiles"):
        query = f"SELECT document FROM {table}"  # noqa: S608
        for (stored,) in connection.execute(sa.text(query)):
            document = json.loads(stored) if isinstance(stored, str) else stored
            named.update(document.get("channels", []))
    return sorted(name for name in named if name)[:100_000]


def downgrade() -> None:
    op.drop_table("channels")
