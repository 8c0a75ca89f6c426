"""how locations work, carrier services, capacity used, the promise of each order

Revision ID: 0009_promising
Revises: 0008_positions_fk
Create Date: 2026-11-27 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_promising"
down_revision: str | None = "0008_positions_fk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "location_operations",
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_operations_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_location_operations")),
    )
    op.create_table(
        "carrier_services",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_carrier_services")),
    )
    op.create_table(
        "capacity_use",
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.CheckConstraint("used >= 0", name=op.f("ck_capacity_use_used_not_negative")),
        sa.PrimaryKeyConstraint("location_id", "day", name=op.f("pk_capacity_use")),
    )
    op.create_table(
        "order_promises",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("option_id", sa.String(length=140), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=True),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("ship_date", sa.Date(), nullable=False),
        sa.Column("delivery_earliest", sa.Date(), nullable=False),
        sa.Column("delivery_latest", sa.Date(), nullable=False),
        sa.Column("ready_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("capacity", DOCUMENT, nullable=False),
        sa.Column("promised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_promises_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_promises")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ship_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_column("ship_date")
    op.drop_table("order_promises")
    op.drop_table("capacity_use")
    op.drop_table("carrier_services")
    op.drop_table("location_operations")
