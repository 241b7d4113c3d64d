"""screening reviews: a vetting officer's decision on a pair of cases sent for review

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_reviews",
        sa.Column("case_a", sa.String(length=36), nullable=False),
        sa.Column("case_b", sa.String(length=36), nullable=False),
        sa.Column("same_person", sa.Boolean(), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_a"], ["cases.id"], name=op.f("fk_screening_reviews_case_a_cases")
        ),
        sa.ForeignKeyConstraint(
            ["case_b"], ["cases.id"], name=op.f("fk_screening_reviews_case_b_cases")
        ),
        sa.PrimaryKeyConstraint("case_a", "case_b", name=op.f("pk_screening_reviews")),
    )


def downgrade() -> None:
    op.drop_table("screening_reviews")
