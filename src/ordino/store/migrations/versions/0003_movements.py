"""inventory movements: every change of on hand kept; counts carry their time

Revision ID: 0003_movements
Revises: 0002_key_channel
Create Date: 2026-11-27 12:30:00

The adjustments recorded so far become movements (their event ids stay applied
once), preceded per position by an opening balance, so that each position's
movements add up to its on hand from the start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_movements"
down_revision: str | None = "0002_key_channel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "inventory_movements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("on_hand_after", sa.Integer(), nullable=False),
        sa.Column("safety_stock_after", sa.Integer(), nullable=False),
        sa.Column("reported", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=160), nullable=True),
        sa.Column("reference", sa.String(length=128), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_movements")),
    )
    op.create_index(
        "ix_inventory_movements_location_id_sku_id",
        "inventory_movements",
        ["location_id", "sku", "id"],
        unique=False,
    )
    for name, column, unique in (
        ("uq_inventory_movements_event_id", "event_id", True),
        ("ix_inventory_movements_reference", "reference", False),
    ):
        condition = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name,
            "inventory_movements",
            [column],
            unique=unique,
            sqlite_where=condition,
            postgresql_where=condition,
        )
    if op.get_bind().dialect.name == "postgresql":
        # Room on each page for the new version of a row: updates of on hand and
        # reserved stay on the page and touch no index (HOT updates).
        op.execute("ALTER TABLE positions SET (fillfactor = 70)")
    _carry_over()
    op.drop_table("inventory_adjustments")


_OPENING = """
INSERT INTO inventory_movements (location_id, sku, kind, quantity, on_hand_after, safety_stock_after, reported,
                                 event_id, reason, actor, occurred_at, recorded_at)
SELECT p.location_id, p.sku, 'opening', p.on_hand - COALESCE(a.total, 0),
       p.on_hand - COALESCE(a.total, 0), p.safety_stock, NULL, NULL,
       'balance when movements began', 'migration 0003', p.updated_at, p.updated_at
  FROM positions p
  LEFT JOIN (SELECT location_id, sku, SUM(delta) AS total FROM inventory_adjustments
              GROUP BY location_id, sku) a
    ON a.location_id = p.location_id AND a.sku = p.sku
 ORDER BY p.location_id, p.sku
"""
# Each adjustment ends where the position is, less the adjustments after it.
_ADJUSTMENTS = """
INSERT INTO inventory_movements (location_id, sku, kind, quantity, on_hand_after, safety_stock_after, reported,
                                 event_id, reason, actor, occurred_at, recorded_at)
SELECT a.location_id, a.sku, 'adjustment', a.delta,
       p.on_hand - COALESCE(SUM(a.delta) OVER (
           PARTITION BY a.location_id, a.sku ORDER BY a.applied_at, a.event_id
           ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0),
       p.safety_stock, a.delta, a.event_id, a.reason, 'migration 0003',
       a.applied_at, a.applied_at
  FROM inventory_adjustments a
  JOIN positions p ON p.location_id = a.location_id AND p.sku = a.sku
 ORDER BY a.applied_at, a.event_id
"""


def _carry_over() -> None:
    """Opening balance first, then the recorded adjustments, per position."""
    op.execute(_OPENING)
    op.execute(_ADJUSTMENTS)


def downgrade() -> None:
    op.create_table(
        "inventory_adjustments",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_inventory_adjustments")),
    )
    op.execute(
        "INSERT INTO inventory_adjustments "
        "SELECT event_id, location_id, sku, quantity, reason, recorded_at "
        "FROM inventory_movements WHERE kind = 'adjustment' AND event_id IS NOT NULL"
    )
    op.drop_index("ix_inventory_movements_reference", table_name="inventory_movements")
    op.drop_index("uq_inventory_movements_event_id", table_name="inventory_movements")
    op.drop_index("ix_inventory_movements_location_id_sku_id", table_name="inventory_movements")
    op.drop_table("inventory_movements")
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_column("moved_at")
        batch_op.drop_column("counted_at")
