"""what an order's goods sold for, kept for analytics (an order placed before: its
old total, which was that); and the units each parcel that left took of its lines
(those that left before: numbered in the order they were made, the same as an order
numbers them now)

Revision ID: 0036_money_units
Revises: 0035_order_money
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_money_units"
down_revision: str | None = "0035_order_money"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lines of fulfillment orders whose units left for the customer
# (`Fulfillment.left`), each numbered after the lines of its order line that left
# in fulfillment orders made before it.
_NUMBER = """
UPDATE fulfillment_lines SET first_unit = (
    SELECT COALESCE(SUM(earlier.quantity), 0)
    FROM fulfillment_lines AS earlier
    JOIN fulfillments AS made ON made.id = earlier.fulfillment_id
    WHERE earlier.order_id = fulfillment_lines.order_id
      AND earlier.line_no = fulfillment_lines.line_no
      AND earlier.fulfillment_id < fulfillment_lines.fulfillment_id
      AND (made.status IN ('shipped', 'delivered', 'picked_up')
           OR (made.status = 'ready' AND made.method = 'ship_to_store'))
)
WHERE fulfillment_id IN (
    SELECT id FROM fulfillments
    WHERE status IN ('shipped', 'delivered', 'picked_up')
       OR (status = 'ready' AND method = 'ship_to_store')
)
"""


def upgrade() -> None:
    # A database migrated while these columns were briefly part of 0035 has them:
    # each is added only where it is missing, and numbered only where it is not.
    has = sa.inspect(op.get_bind())
    if "revenue_minor" not in {c["name"] for c in has.get_columns("orders")}:
        revenue = sa.Column("revenue_minor", sa.BigInteger(), nullable=False, server_default="0")
        op.add_column("orders", revenue)
        op.execute("UPDATE orders SET revenue_minor = total_minor")
    if "first_unit" not in {c["name"] for c in has.get_columns("fulfillment_lines")}:
        op.add_column("fulfillment_lines", sa.Column("first_unit", sa.Integer()))
    op.execute(_NUMBER + " AND first_unit IS NULL")


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 on): a batch would copy the tables,
    # which foreign keys refuse.
    op.drop_column("fulfillment_lines", "first_unit")
    op.drop_column("orders", "revenue_minor")
