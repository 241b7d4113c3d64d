"""Evaluate a whole table of people with the same compiled rules, as Polars expressions.

Each rule becomes columns computed once (its value, whether it applies, and for each fact whether
that fact keeps it unknown); parents read their children's columns. The result has a status
column per rule (`rule:<name>`), the `outcome` and the `missing` facts, equal to what the
single-person evaluator answers for each row (a property test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from guardpath.law.compiled import CompiledQuestion, compile_question
from guardpath.law.exceptions import ConflictingExceptions, WithExceptions
from guardpath.law.expr import BITS
from guardpath.law.facts import FACT_NAMES
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.nodes import Node
from guardpath.law.table import read_people

STATUS = pl.Enum(["met", "not_met", "unknown", "not_applicable"])
OUTCOME = pl.Enum(["eligible", "ineligible", "undetermined"])
CHUNK_ROWS = 250_000
MASK = "missing_mask"


@dataclass
class BatchSummary:
    rows: int
    question: str
    on: date
    law_version: str
    outcomes: dict[str, int] = field(default_factory=dict)


def status_column(node: Node) -> str:
    return f"rule:{node.key}"


def _node_columns(node: Node) -> list[pl.Expr]:
    return [
        node.applies.polars().alias(node.applies_column),
        node.part.polars().alias(node.value_column),
        node.part.polars_mask().alias(node.mask_column),
    ]


def _status(node: Node) -> pl.Expr:
    value = pl.col(node.value_column)
    inactive = pl.any_horizontal([pl.col(n.applies_column).eq(False) for n in node.lineage])
    status = (
        pl.when(inactive)
        .then(pl.lit("not_applicable", dtype=STATUS))
        .when(value.is_null())
        .then(pl.lit("unknown", dtype=STATUS))
        .when(value)
        .then(pl.lit("met", dtype=STATUS))
        .otherwise(pl.lit("not_met", dtype=STATUS))
    )
    return status.alias(status_column(node))


def _outcome(root: Node) -> pl.Expr:
    value = pl.col(root.value_column)
    outcome = (
        pl.when(value.is_null())
        .then(pl.lit("undetermined", dtype=OUTCOME))
        .when(value)
        .then(pl.lit("eligible", dtype=OUTCOME))
        .otherwise(pl.lit("ineligible", dtype=OUTCOME))
    )
    return outcome.alias("outcome")


def _with_missing(frame: pl.DataFrame) -> pl.DataFrame:
    """Turn the root's mask of missing facts into their names, through a table of the few
    distinct masks (far cheaper than building a list per row)."""
    masks = frame[MASK].unique().to_list()
    names = [[fact for fact in FACT_NAMES if mask & BITS[fact]] for mask in masks]
    lookup = pl.DataFrame(
        {MASK: masks, "missing": sorted_names(names)},
        schema={MASK: pl.UInt32, "missing": pl.List(pl.String)},
    )
    joined = frame.join(lookup, on=MASK, how="left", maintain_order="left")
    order = [c for c in frame.columns if c != MASK]
    position = order.index("outcome") + 1
    return joined.select([*order[:position], "missing", *order[position:]])


def sorted_names(lists: list[list[str]]) -> list[list[str]]:
    return [sorted(names) for names in lists]


def _check_conflicts(compiled: CompiledQuestion, frame: pl.LazyFrame) -> None:
    checks = [
        node.holds.polars_conflicts().arg_true().first().alias(node.key)
        for node in compiled.nodes
        if isinstance(node.holds, WithExceptions) and len(node.holds.branches) > 1
    ]
    if not checks:
        return
    found = frame.select(checks).collect().row(0, named=True)
    for key, row in found.items():
        if row is not None:
            node = next(n for n in compiled.nodes if n.key == key)
            assert isinstance(node.holds, WithExceptions)
            names = [b.name for b in node.holds.branches]
            raise ConflictingExceptions(f"{node.rule.name} (row {row + 1})", names)


def evaluate_lazy(
    frame: pl.LazyFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.LazyFrame:
    """The plan adding the outcome, the mask of missing facts and the rule statuses."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    _check_conflicts(compiled, frame)
    keep = [c for c in ("id",) if c in frame.collect_schema().names()]
    plan = frame
    for node in compiled.nodes:
        plan = plan.with_columns(_node_columns(node))
    outputs = [_status(node) for node in reversed(compiled.nodes)]
    root_mask = pl.col(compiled.root.mask_column).alias(MASK)
    return plan.select(*[pl.col(c) for c in keep], _outcome(compiled.root), root_mask, *outputs)


def evaluate_frame(
    frame: pl.DataFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.DataFrame:
    """Evaluate a conformed table of people (see table.conform)."""
    return _with_missing(evaluate_lazy(frame.lazy(), question, on, legislation).collect())


def evaluate_file(
    source: Path,
    question: str,
    on: date,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    legislation: Legislation | None = None,
) -> BatchSummary:
    """Read people, evaluate them in chunks (reporting progress), write one Parquet file."""
    legislation = legislation or default_legislation()
    people = read_people(source)
    results = []
    for start in range(0, max(people.height, 1), CHUNK_ROWS):
        chunk = people.slice(start, CHUNK_ROWS)
        results.append(evaluate_frame(chunk, question, on, legislation))
        if progress is not None:
            progress(min(start + CHUNK_ROWS, people.height), people.height)
    result = pl.concat(results) if results else evaluate_frame(people, question, on, legislation)
    result.write_parquet(out)
    counts = result["outcome"].value_counts()
    summary = BatchSummary(people.height, question, on, legislation.version)
    summary.outcomes = {str(k): int(v) for k, v in counts.iter_rows()}
    return summary
