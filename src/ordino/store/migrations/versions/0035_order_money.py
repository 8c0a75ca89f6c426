"""an order keeps its money: each line its list price and its discounts and taxes
(per unit), the order its charges; what was placed before keeps its sale price as its
list price, with nothing taken off and no tax

Revision ID: 0035_order_money
Revises: 0034_storequeue
Create Date: 2026-12-06 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0035_order_money"
down_revision: str | None = "0034_storequeue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("order_lines", sa.Column("list_price_minor", sa.BigInteger()))
    op.add_column("order_lines", sa.Column("price_parts", DOCUMENT))
    op.add_column("orders", sa.Column("charges", DOCUMENT))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 on): a batch would copy `orders`,
    # which the lines' foreign keys refuse.
    op.drop_column("orders", "charges")
    op.drop_column("order_lines", "price_parts")
    op.drop_column("order_lines", "list_price_minor")
