"""each payment operation keeps the authorisation it acts on and what the gateway did

Revision ID: 0026_payment_records
Revises: 0025_self_service
Create Date: 2026-12-06 09:00:00

An operation's answer and its effect on the payment are now written together, and
the payment's amounts are summed from what its operations did. Operations answered
before take what the gateway recorded under their keys (the sandbox, the only
gateway so far): the authorisation acted on, what was done, an authorisation's end;
those it has no record of: an approved one did what it asked, on the payment's
authorisation (an authorise: on the one it made).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_payment_records"
down_revision: str | None = "0025_self_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment_operations") as batch:
        batch.add_column(sa.Column("authorisation", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("done_minor", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE payment_operations SET "
        "authorisation = (SELECT s.authorisation_id FROM sandbox_operations s "
        "WHERE s.key = payment_operations.key), "
        "done_minor = COALESCE((SELECT s.amount_minor FROM sandbox_operations s "
        "WHERE s.key = payment_operations.key AND s.outcome = 'approved'), 0), "
        "expires_at = (SELECT s.expires_at FROM sandbox_operations s "
        "WHERE s.key = payment_operations.key AND s.kind = 'authorise') "
        "WHERE outcome IS NOT NULL AND EXISTS (SELECT 1 FROM sandbox_operations s "
        "WHERE s.key = payment_operations.key)"
    )
    op.execute(
        "UPDATE payment_operations SET authorisation = reference, done_minor = amount_minor "
        "WHERE kind = 'authorise' AND outcome = 'approved' AND authorisation IS NULL"
    )
    op.execute(
        "UPDATE payment_operations SET done_minor = CASE WHEN outcome = 'approved' "
        "THEN amount_minor ELSE 0 END, authorisation = (SELECT p.authorisation FROM payments p "
        "WHERE p.id = payment_operations.payment_id) WHERE kind <> 'authorise' "
        "AND NOT EXISTS (SELECT 1 FROM sandbox_operations s WHERE s.key = payment_operations.key)"
    )
    with op.batch_alter_table("payment_operations") as batch:
        batch.alter_column("done_minor", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("payment_operations") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("done_minor")
        batch.drop_column("authorisation")
