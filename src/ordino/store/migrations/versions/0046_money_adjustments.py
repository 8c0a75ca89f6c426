"""the changes of an order's money after it was placed, kept for good beside it

Revision ID: 0046_money_adjustments
Revises: 0045_tenders
Create Date: 2026-12-07 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0046_money_adjustments"
down_revision: str | None = "0045_tenders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "money_adjustments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("before", DOCUMENT, nullable=False),
        sa.Column("after", DOCUMENT, nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_money_adjustments")),
    )
    op.create_index("ix_money_adjustments_order_id", "money_adjustments", ["order_id"])


def downgrade() -> None:
    kept = op.get_bind().execute(sa.text("SELECT count(*) FROM money_adjustments")).scalar_one()
    if kept:
        raise RuntimeError(f"{kept} adjustments of orders' money would be lost: not downgrading")
    op.drop_index("ix_money_adjustments_order_id", table_name="money_adjustments")
    op.drop_table("money_adjustments")
