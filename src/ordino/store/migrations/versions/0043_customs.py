"""customs: what a declaration says of each product; the duties and import VAT
rates a declaration estimates by; each cross-border parcel's declaration; the
customer's language on the order

Revision ID: 0043_customs
Revises: 0042_bills
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0043_customs"
down_revision: str | None = "0042_bills"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("products", sa.Column("customs", DOCUMENT))
    op.add_column("orders", sa.Column("language", sa.String(length=35)))
    op.create_table(
        "customs_rates",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hs_prefix", sa.String(length=10), nullable=False),
        sa.Column("rate", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("country", "kind", "hs_prefix", name=op.f("pk_customs_rates")),
    )
    op.create_table(
        "customs_declarations",
        sa.Column("fulfillment_id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("fulfillment_id", name=op.f("pk_customs_declarations")),
    )
    op.create_index("ix_customs_declarations_order_id", "customs_declarations", ["order_id"])


_KEPT = (
    ("customs declarations", "SELECT count(*) FROM customs_declarations"),
    ("products' customs facts", "SELECT count(*) FROM products WHERE customs IS NOT NULL "
     "AND CAST(customs AS TEXT) <> 'null'"),
    ("orders' languages", "SELECT count(*) FROM orders WHERE language IS NOT NULL"),
)  # fmt: skip


def downgrade() -> None:
    for what, counting in _KEPT:
        kept = op.get_bind().execute(sa.text(counting)).scalar_one()
        if kept:
            raise RuntimeError(f"{kept} {what} would be lost: not downgrading")
    op.drop_index("ix_customs_declarations_order_id", table_name="customs_declarations")
    op.drop_table("customs_declarations")
    op.drop_table("customs_rates")
    op.drop_column("products", "customs")
    op.drop_column("orders", "language")
