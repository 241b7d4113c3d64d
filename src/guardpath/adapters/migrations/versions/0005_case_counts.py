"""case counts: counters per state and citizenship, by formation and intake day and month

Revision ID: 0005
Revises: 0004

The counters of the cases already stored are computed here from clear columns (no keys
needed), as guardpath.adapters.case_counts keeps them from now on. This migration keeps its
own copy of that rule, so that it stays what it was when the rule changes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEVER_SUBMITTED = date(1, 1, 1)


def upgrade() -> None:
    counts = op.create_table(
        "case_counts",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("span", sa.String(length=8), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("formation", sa.String(length=8), nullable=False),
        sa.Column("item", sa.String(length=24), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "span", "period", "formation", "item", name=op.f("pk_case_counts")
        ),
    )
    rows = [
        {"dimension": d, "span": s, "period": p, "formation": f, "item": i, "n": n}
        for (d, s, p, f, i), n in sorted(_count_stored_cases().items())
    ]
    if rows:
        op.bulk_insert(counts, rows)


def _count_stored_cases() -> Counter[tuple[str, str, date, str, str]]:
    cases = sa.table(
        "cases",
        sa.column("person_id", sa.String),
        sa.column("formation", sa.String),
        sa.column("state", sa.String),
        sa.column("submitted_on", sa.Date),
    )
    persons = sa.table("persons", sa.column("id", sa.String), sa.column("citizenships", sa.String))
    grouped = sa.select(
        cases.c.formation,
        cases.c.state,
        cases.c.submitted_on,
        persons.c.citizenships,
        sa.func.count(),
    ).select_from(cases.join(persons, cases.c.person_id == persons.c.id))
    grouped = grouped.group_by(
        cases.c.formation, cases.c.state, cases.c.submitted_on, persons.c.citizenships
    )
    counted: Counter[tuple[str, str, date, str, str]] = Counter()
    for formation, state, on, listed, n in op.get_bind().execute(grouped):
        codes = sorted({c.strip() for c in listed.split(",") if c.strip()}) or ["stateless"]
        items = [("state", state), *(("citizenship", code) for code in codes)]
        periods = (
            [("month", NEVER_SUBMITTED)]
            if on is None
            else [("day", on), ("month", on.replace(day=1))]
        )
        for dimension, item in items:
            for span, period in periods:
                counted[(dimension, span, period, formation, item)] += n
    return counted


def downgrade() -> None:
    op.drop_table("case_counts")
