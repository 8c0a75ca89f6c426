"""stock changes: what commits changed, for caches in other processes and signals

Revision ID: 0006_changes
Revises: 0005_views
Create Date: 2026-11-27 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_changes"
down_revision: str | None = "0005_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_changes",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("down", sa.Integer(), nullable=False),
        sa.Column("up", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_stock_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_stock_changes_sku", "stock_changes", ["sku"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_stock_changes_sku", table_name="stock_changes")
    op.drop_table("stock_changes")
