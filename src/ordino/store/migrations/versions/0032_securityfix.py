"""the guessing limits' windows by when they began: each attempt forgets the windows
long over, and must find them by index, not by reading every count a flood left

Revision ID: 0032_securityfix
Revises: 0031_input_limits
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032_securityfix"
down_revision: str | None = "0031_input_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_attempts_window_started_at", "attempts", ["window_started_at"])


def downgrade() -> None:
    op.drop_index("ix_attempts_window_started_at", table_name="attempts")
