"""name tokens: blind indexes of each part of each person's names, for the console's search

The rows need the index key, which migrations never see: `guardpath db index-names` writes them
for the people already stored (new people get theirs as they are added).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "name_tokens",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_name_tokens_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", "token_hash", name=op.f("pk_name_tokens")),
    )
    op.create_index(op.f("ix_name_tokens_token_hash"), "name_tokens", ["token_hash"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_name_tokens_token_hash"), table_name="name_tokens")
    op.drop_table("name_tokens")
