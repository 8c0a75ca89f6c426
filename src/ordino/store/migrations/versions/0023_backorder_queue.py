"""orders' priority (the backorder queue's order) and the date a backordered line's
units are expected

Revision ID: 0023_backorder_queue
Revises: 0022_timeline
Create Date: 2026-11-28 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_backorder_queue"
down_revision: str | None = "0022_timeline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("order_lines", sa.Column("expected_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("expected_on")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("priority")
