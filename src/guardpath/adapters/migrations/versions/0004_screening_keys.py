"""screening keys: blind indexes of each person's name skeletons, for duplicate candidates

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_keys",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_screening_keys_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", "key_hash", name=op.f("pk_screening_keys")),
    )
    op.create_index(
        op.f("ix_screening_keys_key_hash"), "screening_keys", ["key_hash"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_screening_keys_key_hash"), table_name="screening_keys")
    op.drop_table("screening_keys")
