"""order types and pipelines, holds and hold rules

Revision ID: 0020_pipelines
Revises: 0019_payment_sandbox
Create Date: 2026-11-27 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020_pipelines"
down_revision: str | None = "0019_payment_sandbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column("type", sa.String(length=32), nullable=False, server_default="ship_to_home"),
    )
    op.add_column("orders", sa.Column("pipeline", DOCUMENT, nullable=False, server_default="[]"))
    op.add_column("orders", sa.Column("step", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("orders", sa.Column("bill_to", DOCUMENT, nullable=True))
    op.add_column("orders", sa.Column("b2b", DOCUMENT, nullable=True))
    # Orders placed before pipelines were released at once: their pipeline is done.
    op.execute("UPDATE orders SET pipeline = '[\"release\"]', step = 1")
    op.create_table(
        "holds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("placed_by", sa.String(length=100), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_holds_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
    )
    op.create_index("ix_holds_order_id", "holds", ["order_id"])
    op.create_index("ix_holds_status_order_id", "holds", ["status", "order_id"])
    # A job queued while one of its key runs (a hold released as the order advances)
    # must not be lost: the key is unique among queued jobs only.
    op.drop_index("uq_jobs_kind_key_waiting", table_name="jobs")
    op.create_index(
        "uq_jobs_kind_key_queued",
        "jobs",
        ["kind", "key"],
        unique=True,
        postgresql_where=sa.text("status = 'queued'"),
        sqlite_where=sa.text("status = 'queued'"),
    )
    for name, length in (("hold_rules", 64), ("order_types", 32)):
        op.create_table(
            name,
            sa.Column("name", sa.String(length=length), nullable=False),
            sa.Column("document", DOCUMENT, nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("name", name=op.f(f"pk_{name}")),
        )


def downgrade() -> None:
    op.drop_index("uq_jobs_kind_key_queued", table_name="jobs")
    waiting = sa.text("status IN ('queued', 'running')")
    op.create_index(
        "uq_jobs_kind_key_waiting",
        "jobs",
        ["kind", "key"],
        unique=True,
        postgresql_where=waiting,
        sqlite_where=waiting,
    )
    op.drop_table("order_types")
    op.drop_table("hold_rules")
    op.drop_table("holds")
    for name in ("b2b", "bill_to", "step", "pipeline", "type"):
        op.drop_column("orders", name)
