"""drop the cases' intake index: the statistics count from case_counts since 0005

`ix_cases_formation_submitted_on` (formation, submitted_on, state, person_id) let the statistics
count cases from the index alone; they now read the month and day counters, and no query reads
it (EXPLAIN on SQLite and PostgreSQL: the queues and searches use `ix_cases_state_formation`
and `ix_cases_person_id`). Every submission still paid for keeping it. The persons' covering
index of 0003 stays: PostgreSQL's staff queues read citizenships from it without the rows.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_cases_formation_submitted_on", table_name="cases")


def downgrade() -> None:
    op.create_index(
        "ix_cases_formation_submitted_on",
        "cases",
        ["formation", "submitted_on", "state", "person_id"],
        unique=False,
    )
