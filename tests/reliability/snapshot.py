"""The database in a few numbers, to show that a refusal changed nothing: each table's row count
and a digest of all its rows, every table of the schema's own metadata (audit chain, persons,
cases, drafts, documents and the rest).

A surface may change something by design when it refuses input; an *allowance* says exactly
what, and takes it out of both sides before they are compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from guardpath.adapters.tables import metadata
from guardpath.bootstrap import Context
from web.staff_fixtures import snapshot

Rows = dict[str, list[dict[str, Any]]]
Allowance = Callable[[Rows], Rows]


@dataclass(frozen=True)
class TableState:
    rows: int
    digest: str


State = dict[str, TableState]


def read_rows(ctx: Context) -> Rows:
    """Every row of every table, by column name, in key order."""
    return {
        name: [dict(zip(metadata.tables[name].columns.keys(), row, strict=True)) for row in rows]
        for name, rows in snapshot(ctx).items()
    }


def state_of(ctx: Context, allowance: Allowance | None = None) -> State:
    rows = read_rows(ctx)
    kept = allowance(rows) if allowance else rows
    return {
        name: TableState(len(table), hashlib.sha256(repr(table).encode()).hexdigest())
        for name, table in kept.items()
    }


def changed(before: State, after: State) -> list[str]:
    """The tables whose count or rows differ, with their counts before and after."""
    return [
        f"{name} ({before[name].rows} -> {after[name].rows} rows)"
        for name in sorted(before)
        if before[name] != after[name]
    ]


# -- what a refusal may change, by design --------------------------------------------------------
def draft_keeps_what_was_typed(rows: Rows) -> Rows:
    """A step of the application saves what was typed even with errors, and the step the
    applicant is on (the draft keeps their work, sealed): its content, step and times may
    change; not the number of drafts, not which draft it is, nothing in any other table."""
    kept = ("id", "token_hash", "created_at")
    return {**rows, "drafts": [{key: row[key] for key in kept} for row in rows["drafts"]]}


def staff_reads_are_logged(rows: Rows) -> Rows:
    """A refused staff step shows the case again, and every read of a person's record by staff
    is logged: the audit chain may gain reads, nothing else."""
    audit = [row for row in rows["audit_log"] if row["action"] != "read_person"]
    return {**rows, "audit_log": audit}
