"""balances Ordino keeps for gift cards and store credit, and their entries

Revision ID: 0044_balances
Revises: 0043_customs
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044_balances"
down_revision: str | None = "0043_customs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "balances",
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("balance_minor >= 0", name=op.f("ck_balances_not_below_zero")),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_balances")),
    )
    op.create_table(
        "balance_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.String(length=32)),
        sa.Column("by", sa.String(length=100)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_entries")),
    )
    op.create_index("ix_balance_entries_account", "balance_entries", ["account"])
    op.create_index("ix_balance_entries_order_id", "balance_entries", ["order_id"])


def downgrade() -> None:
    kept = op.get_bind().execute(sa.text("SELECT count(*) FROM balances")).scalar_one()
    if kept:
        raise RuntimeError(f"{kept} gift cards and store credits would be lost: not downgrading")
    op.drop_index("ix_balance_entries_order_id", table_name="balance_entries")
    op.drop_index("ix_balance_entries_account", table_name="balance_entries")
    op.drop_table("balance_entries")
    op.drop_table("balances")
