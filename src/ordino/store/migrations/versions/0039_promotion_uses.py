"""promotion uses: how often each promotion with limits was used and what it gave, in
all and per customer; each order's uses, given back when it is cancelled; which
promotion each code unlocks

Revision ID: 0039_promotion_uses
Revises: 0038_promotions
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039_promotion_uses"
down_revision: str | None = "0038_promotions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promotion_uses",
        sa.Column("promotion_id", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=320), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("given_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("promotion_id", "customer", name=op.f("pk_promotion_uses")),
    )
    op.create_index("ix_promotion_uses_customer", "promotion_uses", ["customer"], unique=False)
    op.create_table(
        "promotion_redemptions",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("promotion_id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("customer", sa.String(length=320), nullable=False),
        sa.Column("code", sa.String(length=64)),
        sa.Column("given_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "promotion_id", name=op.f("pk_promotion_redemptions")),
    )
    op.create_table(
        "promotion_codes",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("promotion_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_promotion_codes")),
    )
    op.create_index(
        "ix_promotion_codes_promotion_id", "promotion_codes", ["promotion_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_promotion_codes_promotion_id", table_name="promotion_codes")
    op.drop_table("promotion_codes")
    op.drop_table("promotion_redemptions")
    op.drop_index("ix_promotion_uses_customer", table_name="promotion_uses")
    op.drop_table("promotion_uses")
