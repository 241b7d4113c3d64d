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

from guardpath.law.compiled import CompiledQuestion, Node, compile_question
from guardpath.law.exceptions import ConflictingExceptions, WithExceptions
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.table import read_people

STATUS = pl.Enum(["met", "not_met", "unknown", "not_applicable"])
OUTCOME = pl.Enum(["eligible", "ineligible", "undetermined"])
CHUNK_ROWS = 250_000


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
    columns = [
        node.applies.polars().alias(node.applies_column),
        node.part.polars().alias(node.value_column),
    ]
    columns += [
        node.part.polars_missing(fact).fill_null(False).alias(node.missing_column(fact))
        for fact in sorted(node.all_facts)
    ]
    return columns


def _status(node: Node) -> pl.Expr:
    value = pl.col(node.value_column)
    status = (
        pl.when(pl.col(node.applies_column).eq(False))
        .then(pl.lit("not_applicable"))
        .when(value.is_null())
        .then(pl.lit("unknown"))
        .when(value)
        .then(pl.lit("met"))
        .otherwise(pl.lit("not_met"))
    )
    return status.cast(STATUS).alias(status_column(node))


def _missing(root: Node) -> pl.Expr:
    names = [
        pl.when(pl.col(root.missing_column(fact))).then(pl.lit(fact))
        for fact in sorted(root.all_facts)
    ]
    listed = pl.concat_list(names).list.drop_nulls() if names else pl.lit([], pl.List(pl.String))
    unknown = pl.col(root.value_column).is_null()
    return pl.when(unknown).then(listed).otherwise(pl.lit([], pl.List(pl.String))).alias("missing")


def _outcome(root: Node) -> pl.Expr:
    value = pl.col(root.value_column)
    outcome = (
        pl.when(value.is_null())
        .then(pl.lit("undetermined"))
        .when(value)
        .then(pl.lit("eligible"))
        .otherwise(pl.lit("ineligible"))
    )
    return outcome.cast(OUTCOME).alias("outcome")


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
    """The plan that adds rule statuses, the outcome and the missing facts to `frame`."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    _check_conflicts(compiled, frame)
    keep = [c for c in ("id",) if c in frame.collect_schema().names()]
    plan = frame
    for node in compiled.nodes:
        plan = plan.with_columns(_node_columns(node))
    outputs = [_status(node) for node in reversed(compiled.nodes)]
    return plan.select(
        *[pl.col(c) for c in keep], _outcome(compiled.root), _missing(compiled.root), *outputs
    )


def evaluate_frame(
    frame: pl.DataFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.DataFrame:
    """Evaluate a conformed table of people (see table.conform)."""
    return evaluate_lazy(frame.lazy(), question, on, legislation).collect()


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
