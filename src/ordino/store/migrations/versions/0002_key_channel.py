"""api keys scoped to a channel or a location

Revision ID: 0002_key_channel
Revises: 0001_core
Create Date: 2026-11-27 01:51:40.942523
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_key_channel"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("location_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("location_id")
        batch_op.drop_column("channel")
