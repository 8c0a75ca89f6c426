"""the guessing limits' windows by when they began, console sessions by when they
expired and ended: each attempt and each sign-in forgets those long over, and must
find them by index, not by reading every row a flood left

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
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])
    op.create_index("ix_console_sessions_ended_at", "console_sessions", ["ended_at"])


def downgrade() -> None:
    op.drop_index("ix_console_sessions_ended_at", table_name="console_sessions")
    op.drop_index("ix_console_sessions_expires_at", table_name="console_sessions")
    op.drop_index("ix_attempts_window_started_at", table_name="attempts")
