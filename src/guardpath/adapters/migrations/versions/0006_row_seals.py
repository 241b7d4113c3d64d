"""row seals: a keyed MAC on every state-changing row, the chain's record of them, and disabled
staff accounts

Revision ID: 0006
Revises: 0005

The MACs need the audit key, which a migration does not have: rows stored before this revision
have none until `guardpath audit seal-rows` vouches for them (with an audit entry).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEALED = (
    "persons",
    "cases",
    "case_history",
    "contracts",
    "service_periods",
    "citizenship_applications",
    "documents",
    "staff_users",
)


def upgrade() -> None:
    for table in SEALED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("rows", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("rows")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("disabled_at")
    for table in reversed(SEALED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("mac")
