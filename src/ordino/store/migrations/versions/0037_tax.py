"""tax: the VAT rates (loaded from a file) and the tax settings (who the seller is);
each product's tax class (standard unless said); an order's buyer VAT id and how its
tax was worked out

Revision ID: 0037_tax
Revises: 0036_money_units
Create Date: 2026-12-06 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0037_tax"
down_revision: str | None = "0036_money_units"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "tax_rates",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("tax_class", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("rate", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("country", "tax_class", "valid_from", name=op.f("pk_tax_rates")),
    )
    op.create_table(
        "tax_settings",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_tax_settings")),
    )
    tax_class = sa.Column(
        "tax_class", sa.String(length=16), nullable=False, server_default="standard"
    )
    op.add_column("products", tax_class)
    op.add_column("orders", sa.Column("customer_vat_id", sa.String(length=32)))
    op.add_column("orders", sa.Column("tax_treatment", sa.String(length=32)))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 on): a batch would copy the tables,
    # which foreign keys refuse.
    op.drop_column("orders", "tax_treatment")
    op.drop_column("orders", "customer_vat_id")
    op.drop_column("products", "tax_class")
    op.drop_table("tax_settings")
    op.drop_table("tax_rates")
