"""the outbox read by subject (an order's timeline), and service levels missed

Revision ID: 0022_timeline
Revises: 0021_payments
Create Date: 2026-11-27 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_timeline"
down_revision: str | None = "0021_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_subject_seq", "outbox", ["subject", "seq"])
    op.create_table(
        "sla_breaches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_breaches")),
    )
    op.create_index("ix_sla_breaches_open", "sla_breaches", ["resolved_at", "breached_at"])
    op.create_index("ix_sla_breaches_fulfillment_id", "sla_breaches", ["fulfillment_id"])


def downgrade() -> None:
    op.drop_table("sla_breaches")
    op.drop_index("ix_outbox_subject_seq", table_name="outbox")
