"""fulfillment orders, and the order lines' counters

Revision ID: 0018_fulfillments
Revises: 0017_webhooks
Create Date: 2026-11-27 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_fulfillments"
down_revision: str | None = "0017_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = ("cancelled", "released", "shipped", "delivered", "picked_up", "returned", "backordered")


def upgrade() -> None:
    for name in COUNTERS:
        op.add_column(
            "order_lines", sa.Column(name, sa.Integer(), nullable=False, server_default="0")
        )
    # What waited for supply before lines kept the count.
    op.execute(
        "UPDATE order_lines SET backordered = quantity - COALESCE(("
        "SELECT SUM(a.quantity) FROM allocations a WHERE a.order_id = order_lines.order_id "
        "AND a.line_no = order_lines.line_no), 0) WHERE status = 'backordered'"
    )
    op.execute("UPDATE order_lines SET cancelled = quantity WHERE status = 'cancelled'")
    op.execute(
        "UPDATE orders SET status = 'backordered' WHERE status = 'placed' AND id IN "
        "(SELECT order_id FROM order_lines WHERE backordered > 0)"
    )
    op.drop_index("ix_order_lines_status_order_id", table_name="order_lines")
    op.create_index(
        "ix_order_lines_backordered_order_id", "order_lines", ["backordered", "order_id"]
    )
    op.create_table(
        "fulfillments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("tracking_number", sa.String(length=128), nullable=True),
        sa.Column("pickup_code", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_fulfillments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillments")),
    )
    op.create_index("ix_fulfillments_order_id", "fulfillments", ["order_id"])
    op.create_index(
        "ix_fulfillments_location_id_status_id", "fulfillments", ["location_id", "status", "id"]
    )
    op.create_table(
        "fulfillment_lines",
        sa.Column("fulfillment_id", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_fulfillment_lines_quantity_positive")),
        sa.PrimaryKeyConstraint("fulfillment_id", "line_no", name=op.f("pk_fulfillment_lines")),
    )
    op.create_index("ix_fulfillment_lines_order_id", "fulfillment_lines", ["order_id"])


def downgrade() -> None:
    op.drop_table("fulfillment_lines")
    op.drop_table("fulfillments")
    op.drop_index("ix_order_lines_backordered_order_id", table_name="order_lines")
    op.create_index("ix_order_lines_status_order_id", "order_lines", ["status", "order_id"])
    for name in reversed(COUNTERS):
        op.drop_column("order_lines", name)
