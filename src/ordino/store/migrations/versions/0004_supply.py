"""inbound supply: purchase orders, transfers, receipts

Revision ID: 0004_supply
Revises: 0003_movements
Create Date: 2026-11-27 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_supply"
down_revision: str | None = "0003_movements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supply_orders",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("source_location_id", sa.String(length=64), nullable=True),
        sa.Column("expected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_supply_orders_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["locations.id"],
            name=op.f("fk_supply_orders_source_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_orders")),
    )
    op.create_index("ix_supply_orders_location_id", "supply_orders", ["location_id"])
    op.create_table(
        "supply_lines",
        sa.Column("supply_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_supply_lines_quantity_positive")),
        sa.CheckConstraint(
            "received >= 0 AND cancelled >= 0", name=op.f("ck_supply_lines_counters_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["products.sku"], name=op.f("fk_supply_lines_sku_products")
        ),
        sa.ForeignKeyConstraint(
            ["supply_id"],
            ["supply_orders.id"],
            name=op.f("fk_supply_lines_supply_id_supply_orders"),
        ),
        sa.PrimaryKeyConstraint("supply_id", "sku", name=op.f("pk_supply_lines")),
    )
    condition = sa.text("quantity > received + cancelled")
    op.create_index(
        "ix_supply_lines_open_sku",
        "supply_lines",
        ["sku"],
        sqlite_where=condition,
        postgresql_where=condition,
    )
    op.create_table(
        "supply_receipts",
        sa.Column("supply_id", sa.String(length=64), nullable=False),
        sa.Column("receipt_id", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "lines", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supply_id"],
            ["supply_orders.id"],
            name=op.f("fk_supply_receipts_supply_id_supply_orders"),
        ),
        sa.PrimaryKeyConstraint("supply_id", "receipt_id", name=op.f("pk_supply_receipts")),
    )


def downgrade() -> None:
    op.drop_table("supply_receipts")
    op.drop_index("ix_supply_lines_open_sku", table_name="supply_lines")
    op.drop_table("supply_lines")
    op.drop_index("ix_supply_orders_location_id", table_name="supply_orders")
    op.drop_table("supply_orders")
