"""an order's payments, one per tender: its number among them and what it is paid from;
why money was put on a balance; each balance's entries numbered in the order made;
businesses' credit accounts

Revision ID: 0045_tenders
Revises: 0044_balances
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045_tenders"
down_revision: str | None = "0044_balances"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FINISHED = ("cancelled", "shipped", "partially_fulfilled", "fulfilled")


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tender", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("reference", sa.String(length=300)))
        batch_op.drop_constraint("uq_payments_order_id", type_="unique")
        batch_op.create_unique_constraint("uq_payments_order_id_tender", ["order_id", "tender"])
    op.create_index("ix_payments_reference", "payments", ["reference"])
    with op.batch_alter_table("balances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("entry_count", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("balance_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(length=200)))
        batch_op.add_column(sa.Column("n", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "credit_accounts",
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("terms_days", sa.Integer(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_credit_accounts")),
    )
    # An order paid on invoice before was never authorised (nothing to ask a gateway):
    # now Ordino authorises such a tender itself, as the order is placed, so that its
    # shipments are captured from it. One with nothing more to ship (cancelled, or
    # every unit gone) is closed as it was: nothing is captured of it any more.
    bind = op.get_bind()
    pending = bind.execute(
        sa.text(
            "SELECT p.id, p.order_id, p.currency, p.amount_minor, p.created_at, o.status "
            "FROM payments p JOIN orders o ON o.id = p.order_id "
            "WHERE p.method = 'invoice' AND p.status = 'pending'"
        )
    ).all()
    for payment_id, order_id, currency, amount, created_at, status in pending:
        if status in _FINISHED or amount <= 0:
            bind.execute(
                sa.text("UPDATE payments SET status = 'closed' WHERE id = :id"), {"id": payment_id}
            )
            continue
        own = f"ordino:{payment_id}"
        bind.execute(
            sa.text(
                "UPDATE payments SET status = 'authorised', authorisation = :own, "
                "authorised_minor = :amount WHERE id = :id"
            ),
            {"own": own, "amount": amount, "id": payment_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO payment_operations (key, payment_id, kind, amount_minor, currency, "
                "outcome, reference, created_at, completed_at, authorisation, done_minor) "
                "VALUES (:key, :id, 'authorise', :amount, :currency, 'approved', :own, "
                ":at, :at, :own, :amount)"
            ),
            {"key": f"{order_id}:authorise:t0", "id": payment_id, "amount": amount,
             "currency": currency, "own": own, "at": created_at},
        )  # fmt: skip
    # The entries made before numbered in the order they were made, and each balance
    # counting its own.
    entries = bind.execute(sa.text("SELECT id, account FROM balance_entries ORDER BY at, id"))
    counts: dict[str, int] = {}
    for entry_id, account in entries.all():
        counts[account] = counts.get(account, 0) + 1
        bind.execute(
            sa.text("UPDATE balance_entries SET n = :n WHERE id = :id"),
            {"n": counts[account], "id": entry_id},
        )
    for account, count in counts.items():
        bind.execute(
            sa.text("UPDATE balances SET entry_count = :n WHERE account = :account"),
            {"n": count, "account": account},
        )


def downgrade() -> None:
    bind = op.get_bind()
    more = bind.execute(
        sa.text(
            "SELECT count(*) FROM payments WHERE tender > 0 OR method NOT IN ('card', 'invoice')"
        )
    ).scalar_one()
    if more:
        raise RuntimeError(f"{more} tenders the old code cannot read: not downgrading")
    accounts = bind.execute(sa.text("SELECT count(*) FROM credit_accounts")).scalar_one()
    if accounts:
        raise RuntimeError(f"{accounts} credit accounts would be lost: not downgrading")
    op.drop_table("credit_accounts")
    with op.batch_alter_table("balance_entries", schema=None) as batch_op:
        batch_op.drop_column("n")
        batch_op.drop_column("note")
    with op.batch_alter_table("balances", schema=None) as batch_op:
        batch_op.drop_column("entry_count")
    op.drop_index("ix_payments_reference", table_name="payments")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_payments_order_id_tender", type_="unique")
        batch_op.create_unique_constraint("uq_payments_order_id", ["order_id"])
        batch_op.drop_column("reference")
        batch_op.drop_column("tender")
