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


# An order whose money the older schema cannot hold: a discount, a tax, a charge, or a
# list price other than its sale price. Going back would leave its total and its
# payment's amounts disagreeing with what the lines say.
_PRICED = """
SELECT count(*) FROM order_lines
WHERE price_parts IS NOT NULL AND CAST(price_parts AS TEXT) <> 'null'
   OR (list_price_minor IS NOT NULL AND list_price_minor <> unit_price_minor)
"""
_CHARGED = (
    "SELECT count(*) FROM orders WHERE charges IS NOT NULL AND CAST(charges AS TEXT) <> 'null'"
)


def downgrade() -> None:
    connection = op.get_bind()
    priced = connection.execute(sa.text(_PRICED)).scalar_one()
    charged = connection.execute(sa.text(_CHARGED)).scalar_one()
    if priced or charged:
        raise RuntimeError(
            f"{priced} order lines and {charged} orders hold money 0034 cannot keep "
            "(discounts, taxes, list prices, charges): not downgrading"
        )
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 on): a batch would copy `orders`,
    # which the lines' foreign keys refuse.
    op.drop_column("orders", "charges")
    op.drop_column("order_lines", "price_parts")
    op.drop_column("order_lines", "list_price_minor")
