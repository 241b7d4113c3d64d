"""rate limits: counters of each limit and throttle per subject and window, shared by workers

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("window", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("rule", "subject", "window", name=op.f("pk_rate_limits")),
    )
    op.create_index(op.f("ix_rate_limits_expires"), "rate_limits", ["expires"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limits_expires"), table_name="rate_limits")
    op.drop_table("rate_limits")
