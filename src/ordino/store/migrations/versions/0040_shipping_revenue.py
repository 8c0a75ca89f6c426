"""what an order was paid for shipping (after its discounts, without tax), kept for
analytics beside what the shipping cost: an order placed before, from its charges
(a marketplace's, as given)

Revision ID: 0040_shipping_revenue
Revises: 0039_promotion_uses
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from ordino.kernel.domain.money import to_minor

revision: str = "0040_shipping_revenue"
down_revision: str | None = "0039_promotion_uses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _shipping(charges: list[dict], currency: str) -> int:  # type: ignore[type-arg]
    """A charges document's shipping: its net less the taxes in its price."""
    paid = Decimal(0)
    for charge in charges:
        if charge["kind"] == "shipping":
            inclusive = sum(Decimal(t["amount"]) for t in charge["taxes"] if t["inclusive"])
            paid += Decimal(charge["net"]) - inclusive
    return to_minor(paid, currency)


def upgrade() -> None:
    shipping = sa.Column("shipping_minor", sa.BigInteger(), nullable=False, server_default="0")
    op.add_column("orders", shipping)
    bind = op.get_bind()
    orders = sa.table(
        "orders",
        sa.column("id", sa.String),
        sa.column("currency", sa.String),
        sa.column("charges", sa.JSON),
        sa.column("shipping_minor", sa.BigInteger),
    )
    charged = bind.execute(
        sa.select(orders.c.id, orders.c.currency, orders.c.charges).where(
            orders.c.charges.is_not(None)
        )
    ).all()
    for row in charged:
        paid = _shipping(row.charges or [], row.currency)  # JSON null: none
        if paid:
            bind.execute(orders.update().where(orders.c.id == row.id).values(shipping_minor=paid))


def downgrade() -> None:
    op.drop_column("orders", "shipping_minor")
