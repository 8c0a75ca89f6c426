"""deliveries measured against the promise

Revision ID: 0010_deliveries
Revises: 0009_promising
Create Date: 2026-11-27 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_deliveries"
down_revision: str | None = "0009_promising"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=True),
        sa.Column("carrier", sa.String(length=200), nullable=True),
        sa.Column("promised_latest", sa.Date(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("slack_days", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_deliveries_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", "location_id", name=op.f("pk_deliveries")),
    )
    op.create_index("ix_deliveries_delivered_at", "deliveries", ["delivered_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deliveries_delivered_at", table_name="deliveries")
    op.drop_table("deliveries")
