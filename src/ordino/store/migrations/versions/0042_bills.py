"""invoices and credit notes, numbered without gaps per selling entity

Revision ID: 0042_bills
Revises: 0041_exchange_rates
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0042_bills"
down_revision: str | None = "0041_exchange_rates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bills",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=40)),
        sa.Column("refund_id", sa.String(length=32)),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", UTC_DATETIME, nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills")),
        sa.UniqueConstraint("entity", "number", name="uq_bills_entity_number"),
        sa.UniqueConstraint("fulfillment_id", name="uq_bills_fulfillment_id"),
        sa.UniqueConstraint("refund_id", name="uq_bills_refund_id"),
    )
    op.create_index("ix_bills_order_id", "bills", ["order_id"])
    op.create_table(
        "bill_series",
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("series", sa.String(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "series", name=op.f("pk_bill_series")),
    )


def downgrade() -> None:
    issued = op.get_bind().execute(sa.text("SELECT count(*) FROM bills")).scalar_one()
    if issued:
        raise RuntimeError(f"{issued} invoices and credit notes would be lost: not downgrading")
    op.drop_table("bill_series")
    op.drop_index("ix_bills_order_id", table_name="bills")
    op.drop_table("bills")
