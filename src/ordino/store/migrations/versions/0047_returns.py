"""returns: return authorisations and their lines, where they go, their labels, the
return policy, goodwill refunds, what a refund of known parts credits; the sandbox
carrier's labels; the order lines' units being returned,
the order's return state, when the customer got each parcel

Revision ID: 0047_returns
Revises: 0046_money_adjustments
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0047_returns"
down_revision: str | None = "0046_money_adjustments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("initiator", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("refund_to", sa.String(length=16), server_default="original", nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("location_id", sa.String(length=64)),
        sa.Column("decided_by", sa.String(length=100)),
        sa.Column("reason", sa.String(length=200)),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("code", name=op.f("uq_returns_code")),
    )
    op.create_index("ix_returns_order_id", "returns", ["order_id"])
    op.create_index("ix_returns_status_id", "returns", ["status", "id"])
    op.create_table(
        "return_lines",
        sa.Column("return_id", sa.String(length=32), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500)),
        sa.Column("received", sa.Integer(), server_default="0", nullable=False),
        sa.Column("missing", sa.Integer(), server_default="0", nullable=False),
        sa.Column("destination", sa.String(length=64)),
        sa.Column("route", sa.String(length=16)),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.PrimaryKeyConstraint("return_id", "line_no", name=op.f("pk_return_lines")),
    )
    op.create_table(
        "return_routes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("return_id", sa.String(length=32), nullable=False),
        sa.Column("decided_at", WHEN, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("explanation", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_routes")),
    )
    op.create_index("ix_return_routes_return_id", "return_routes", ["return_id"])
    op.create_table(
        "return_receipts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("return_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_receipts")),
    )
    op.create_index("ix_return_receipts_return_id", "return_receipts", ["return_id"])
    op.create_table(
        "return_refunds",
        sa.Column("refund_id", sa.String(length=32), nullable=False),
        sa.Column("return_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_return_refunds")),
    )
    op.create_index("ix_return_refunds_order_id", "return_refunds", ["order_id"])
    op.create_table(
        "appeasements",
        sa.Column("refund_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_appeasements")),
    )
    op.create_index("ix_appeasements_order_id", "appeasements", ["order_id"])
    op.create_table(
        "credit_bases",
        sa.Column("refund_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("parts", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_credit_bases")),
    )
    op.create_table(
        "return_labels",
        sa.Column("return_id", sa.String(length=32), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("voided_at", WHEN),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_return_labels")),
    )
    op.create_table(
        "sandbox_labels",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("voided_at", WHEN),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sandbox_labels")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_sandbox_labels_tracking_number")),
    )
    op.create_table(
        "return_policies",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_return_policies")),
    )
    op.add_column(
        "order_lines", sa.Column("being_returned", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "orders",
        sa.Column("return_state", sa.String(length=24), server_default="none", nullable=False),
    )
    # When the customer got the goods: for those they have, what Ordino last knew.
    op.add_column("fulfillments", sa.Column("done_at", WHEN))
    op.execute(
        "UPDATE fulfillments SET done_at = updated_at WHERE status IN ('delivered', 'picked_up')"
    )


def downgrade() -> None:
    kept = op.get_bind().execute(sa.text("SELECT count(*) FROM returns")).scalar_one()
    if kept:
        raise RuntimeError(f"{kept} returns would be lost: not downgrading")
    op.drop_column("fulfillments", "done_at")
    op.drop_column("orders", "return_state")
    op.drop_column("order_lines", "being_returned")
    op.drop_table("return_policies")
    op.drop_table("sandbox_labels")
    op.drop_table("return_labels")
    op.drop_table("credit_bases")
    op.drop_index("ix_appeasements_order_id", table_name="appeasements")
    op.drop_table("appeasements")
    op.drop_index("ix_return_refunds_order_id", table_name="return_refunds")
    op.drop_table("return_refunds")
    op.drop_index("ix_return_receipts_return_id", table_name="return_receipts")
    op.drop_table("return_receipts")
    op.drop_index("ix_return_routes_return_id", table_name="return_routes")
    op.drop_table("return_routes")
    op.drop_table("return_lines")
    op.drop_index("ix_returns_status_id", table_name="returns")
    op.drop_index("ix_returns_order_id", table_name="returns")
    op.drop_table("returns")
