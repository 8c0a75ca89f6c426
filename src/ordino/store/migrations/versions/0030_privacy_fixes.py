"""privacy fixes: webhook deliveries name their event's subject and stored answers
their order, so an erasure finds them by index (also once retention has pruned the
events); retention finds what is past it by index; the active holds of cancelled
orders end; exports of customers' data recorded

Existing rows are filled in here: a delivery's subject from its body (the event as
sent); an answer's order from its body (a capture's answer is the order) or, for a
refund's answer, from the refund's first payment operation.

Revision ID: 0030_privacy_fixes
Revises: 0029_product_search
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030_privacy_fixes"
down_revision: str | None = "0029_product_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NOT_NULL_ORDER = sa.text("order_id IS NOT NULL")


def upgrade() -> None:
    _deliveries_name_their_subject()
    _answers_name_their_order()
    _retention_by_index()
    _end_holds_of_cancelled_orders()
    op.create_table(
        "customer_exports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("exported_by", sa.String(length=100), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("orders", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_exports")),
    )


def _end_holds_of_cancelled_orders() -> None:
    """Orders cancelled while held, before cancelling ended holds, kept an active
    hold: ended now as cancelling ends it (by Ordino), when the order was last
    changed (its cancellation). Their timelines do not get an event for it."""
    holds = sa.table(
        "holds",
        sa.column("order_id"),
        sa.column("status"),
        sa.column("resolved_at"),
        sa.column("resolved_by"),
    )
    orders = sa.table("orders", sa.column("id"), sa.column("status"), sa.column("updated_at"))
    cancelled = sa.select(orders.c.id).where(orders.c.status == "cancelled")
    when = sa.select(orders.c.updated_at).where(orders.c.id == holds.c.order_id)
    op.get_bind().execute(
        sa.update(holds)
        .where(holds.c.status == "active", holds.c.order_id.in_(cancelled))
        .values(status="cancelled", resolved_by="ordino", resolved_at=when.scalar_subquery())
    )


def _retention_by_index() -> None:
    published = sa.text("published_at IS NOT NULL")
    op.create_index(
        "ix_outbox_published_occurred_at",
        "outbox",
        ["occurred_at"],
        sqlite_where=published,
        postgresql_where=published,
    )
    awaiting = sa.text("method = 'ship_to_store' AND status IN ('shipped', 'ready')")
    op.create_index(
        "ix_fulfillments_awaiting_collection",
        "fulfillments",
        ["order_id"],
        sqlite_where=awaiting,
        postgresql_where=awaiting,
    )
    delivered = sa.text("delivered_at IS NOT NULL")
    op.create_index(
        "ix_webhook_deliveries_delivered_at",
        "webhook_deliveries",
        ["delivered_at"],
        sqlite_where=delivered,
        postgresql_where=delivered,
    )


def _deliveries_name_their_subject() -> None:
    op.add_column("webhook_deliveries", sa.Column("subject", sa.String(128), nullable=True))
    deliveries = sa.table("webhook_deliveries", sa.column("subject"), sa.column("body"))
    connection = op.get_bind()
    # The body is the event as JSON text: PostgreSQL reads it as jsonb, SQLite's JSON
    # functions read text as it is.
    read = sa.cast if connection.dialect.name == "postgresql" else sa.type_coerce
    subject = read(deliveries.c.body, DOCUMENT)["subject"].as_string()
    connection.execute(sa.update(deliveries).values(subject=subject))
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.alter_column("subject", existing_type=sa.String(128), nullable=False)
    op.create_index("ix_webhook_deliveries_subject", "webhook_deliveries", ["subject"])


def _answers_name_their_order() -> None:
    op.add_column("idempotency_keys", sa.Column("order_id", sa.String(32), nullable=True))
    op.create_index(
        "ix_idempotency_keys_order_id",
        "idempotency_keys",
        ["order_id"],
        sqlite_where=NOT_NULL_ORDER,
        postgresql_where=NOT_NULL_ORDER,
    )
    keys = sa.table(
        "idempotency_keys", sa.column("order_id"), sa.column("body", DOCUMENT), sa.column("status")
    )
    orders = sa.table("orders", sa.column("id"))
    payments = sa.table("payments", sa.column("id"), sa.column("order_id"))
    operations = sa.table("payment_operations", sa.column("key"), sa.column("payment_id"))
    answered = keys.c.body["id"].as_string()
    captured = sa.select(orders.c.id).where(orders.c.id == answered).scalar_subquery()
    refunded = (
        sa.select(payments.c.order_id)
        .join(operations, operations.c.payment_id == payments.c.id)
        .where(operations.c.key == answered + ":1")
        .scalar_subquery()
    )
    connection = op.get_bind()
    connection.execute(sa.update(keys).where(keys.c.status == 201).values(order_id=captured))
    connection.execute(
        sa.update(keys)
        .where(keys.c.status == 202, keys.c.order_id.is_(None))
        .values(order_id=refunded)
    )


def downgrade() -> None:
    op.drop_table("customer_exports")
    op.drop_index("ix_fulfillments_awaiting_collection", table_name="fulfillments")
    op.drop_index("ix_webhook_deliveries_delivered_at", table_name="webhook_deliveries")
    op.drop_index("ix_outbox_published_occurred_at", table_name="outbox")
    op.drop_index("ix_idempotency_keys_order_id", table_name="idempotency_keys")
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("order_id")
    op.drop_index("ix_webhook_deliveries_subject", table_name="webhook_deliveries")
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("subject")
