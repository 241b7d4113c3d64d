"""covering indexes for the statistics: cases by formation and intake date, persons' citizenships

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_formation_submitted_on",
        "cases",
        ["formation", "submitted_on", "state", "person_id"],
        unique=False,
    )
    op.create_index("ix_persons_id_citizenships", "persons", ["id", "citizenships"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_persons_id_citizenships", table_name="persons")
    op.drop_index("ix_cases_formation_submitted_on", table_name="cases")
