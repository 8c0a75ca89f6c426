"""a return's line may ask for another size or colour instead of its money: the
exchange orders of a return, kept

Revision ID: 0049_exchanges
Revises: 0048_return_facts
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0049_exchanges"
down_revision: str | None = "0048_return_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("returns", sa.Column("exchange_mode", sa.String(16)))
    op.add_column("return_lines", sa.Column("exchange_sku", sa.String(64)))
    op.create_table(
        "return_exchanges",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("return_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("order_id", sa.String(32)),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.UniqueConstraint("return_id", "seq", name="uq_return_exchanges_return_id_seq"),
    )
    op.create_index("ix_return_exchanges_order_id", "return_exchanges", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_return_exchanges_order_id", table_name="return_exchanges")
    op.drop_table("return_exchanges")
    op.drop_column("return_lines", "exchange_sku")  # SQLite 3.35+: in place
    op.drop_column("returns", "exchange_mode")
