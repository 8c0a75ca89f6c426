"""exchange rates as the ECB publishes them; the rate an order is settled at in its
channel's currency, and what analytics counts of it in that currency (an order
placed before: its own currency, its own figures)

Revision ID: 0041_exchange_rates
Revises: 0040_shipping_revenue
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0041_exchange_rates"
down_revision: str | None = "0040_shipping_revenue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("per_euro", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("currency", "day", name=op.f("pk_exchange_rates")),
    )
    op.add_column("orders", sa.Column("exchange", DOCUMENT))
    for name, kind, default in (
        ("settlement_currency", sa.String(length=3), "EUR"),
        ("settlement_revenue_minor", sa.BigInteger(), "0"),
        ("settlement_shipping_minor", sa.BigInteger(), "0"),
    ):
        op.add_column("orders", sa.Column(name, kind, nullable=False, server_default=default))
    op.execute(
        "UPDATE orders SET settlement_currency = currency, "
        "settlement_revenue_minor = revenue_minor, settlement_shipping_minor = shipping_minor"
    )


# Orders settled at a rate (SQL NULL or JSON null: none).
_SETTLED = (
    "SELECT count(*) FROM orders WHERE exchange IS NOT NULL AND CAST(exchange AS TEXT) <> 'null'"
)


def downgrade() -> None:
    settled = op.get_bind().execute(sa.text(_SETTLED)).scalar_one()
    if settled:
        raise RuntimeError(
            f"{settled} orders keep the rate they are settled at, which 0040 cannot keep: "
            "not downgrading"
        )
    for name in (
        "settlement_shipping_minor",
        "settlement_revenue_minor",
        "settlement_currency",
        "exchange",
    ):
        op.drop_column("orders", name)
    op.drop_table("exchange_rates")
