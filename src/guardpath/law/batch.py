"""Evaluate a whole table of people with the same compiled rules, as Polars expressions.

Each rule becomes columns computed once (its value, whether it applies, and the mask of the
facts keeping it unknown, read from its value column); parents read their children's columns.
The root's mask gives the missing facts. The result has a status
column per rule (`rule:<name>`), the `outcome` and the `missing` facts, equal to what the
single-person evaluator answers for each row (a property test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Final

import polars as pl

from guardpath.law.compiled import CompiledQuestion, compile_question
from guardpath.law.exceptions import Branch, ConflictingExceptions, WithExceptions
from guardpath.law.expr import (
    BITS,
    Age,
    Contains,
    Expr,
    Fact,
    Junction,
    mask_union,
    no_mask,
    only_if_unknown,
)
from guardpath.law.facts import FACT_NAMES
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.nodes import Node

STATUS = pl.Enum(["met", "not_met", "unknown", "not_applicable"])
OUTCOME = pl.Enum(["eligible", "ineligible", "undetermined"])
FACT_ENUM = pl.Enum(sorted(FACT_NAMES))
CHUNK_ROWS = 250_000
"""Rows per evaluation when a draft is compared (law.reform)."""
MASK = "missing_mask"
ENGINE: Final = "in-memory"
"""The people are in memory already, and the plan is one wide projection: Polars' in-memory
engine runs it with about half the CPU time of its default streaming engine (bench/run.py)."""


@dataclass
class BatchSummary:
    rows: int
    question: str
    on: date
    law_version: str
    outcomes: dict[str, int] = field(default_factory=dict)


def status_column(node: Node) -> str:
    return f"rule:{node.key}"


def _walk(value: object, seen: set[int]) -> Iterator[Expr]:
    """Every expression within `value` once: operands, parts, branches (not other rules)."""
    if isinstance(value, Expr):
        if id(value) in seen:
            return
        seen.add(id(value))
        yield value
        for part in fields(value):  # type: ignore[arg-type]  # every Expr is a dataclass
            yield from _walk(getattr(value, part.name), seen)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item, seen)
    elif isinstance(value, Branch):
        yield from _walk(value.when, seen)


@lru_cache(maxsize=64)
def _expressions(compiled: CompiledQuestion) -> tuple[Expr, ...]:
    """Every expression of the question's rules once (compiled questions are cached too)."""
    roots = [(node.applies, node.part, node.holds) for node in compiled.nodes]
    return tuple(_walk(roots, set()))


def facts_read(compiled: CompiledQuestion) -> frozenset[str]:
    """Every fact some rule, condition or exception of the question reads."""
    return frozenset(e.name for e in _expressions(compiled) if isinstance(e, Fact))


def shared_columns(compiled: CompiledQuestion) -> list[pl.Expr]:
    """The helper columns the rules read (each age and each search of a list once), to add
    before the rules' columns."""
    helpers: dict[str, pl.Expr] = {}
    for e in _expressions(compiled):
        if isinstance(e, Age):
            helpers[e.column] = e.polars_age()
        elif isinstance(e, Contains):
            helpers[e.column] = e.polars_contains()
    return [expr.alias(column) for column, expr in helpers.items()]


def _node_columns(node: Node) -> list[pl.Expr]:
    return [
        node.applies.polars().alias(node.applies_column),
        node.part.polars().alias(node.value_column),
    ]


def _node_mask(node: Node) -> pl.Expr:
    """The rule's mask, reading its value column rather than computing the value again."""
    part = node.part
    if not isinstance(part, Junction):
        return part.polars_mask().alias(node.mask_column)
    masks = [p.polars_mask() for p in part.parts if p.facts()]
    mask = only_if_unknown(pl.col(node.value_column), mask_union(masks)) if masks else no_mask()
    return mask.alias(node.mask_column)


@lru_cache(maxsize=64)
def _plan_columns(compiled: CompiledQuestion, masks: bool) -> tuple[list[pl.Expr], ...]:
    """The helper columns, then each rule's, built once per compiled question (a Polars
    expression is immutable: plans share them, and a small table does not pay to build them).
    A rule's mask reads its value column, so it goes with the next rule's columns."""
    helpers = shared_columns(compiled)
    nodes = [_node_columns(node) for node in compiled.nodes]
    if masks:
        for columns, before in zip(nodes[1:], compiled.nodes, strict=False):
            columns.append(_node_mask(before))
        nodes.append([_node_mask(compiled.nodes[-1])])
    return (helpers, *nodes) if helpers else tuple(nodes)


def _rule_columns(frame: pl.LazyFrame, compiled: CompiledQuestion, masks: bool) -> pl.LazyFrame:
    """Each rule's columns, children before parents (parents read their children's)."""
    for columns in _plan_columns(compiled, masks):
        frame = frame.with_columns(columns)
    return frame


@lru_cache(maxsize=64)
def _outputs(compiled: CompiledQuestion) -> tuple[pl.Expr, ...]:
    """The outcome and every rule's status, root first."""
    return (_outcome(compiled.root), *(_status(node) for node in reversed(compiled.nodes)))


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
    """Turn the root's mask of missing facts into their names: a table of the few distinct
    masks, built by bit tests, then gathered by each row's position in it (a join costs about
    ten times as much). The names are dictionary-coded (a list of an Enum of the facts)."""
    masks = frame[MASK].unique().sort()
    names = pl.select(
        pl.concat_list(
            pl.when(pl.lit(masks) & BITS[fact] != 0).then(pl.lit(fact, dtype=FACT_ENUM))
            for fact in sorted(FACT_NAMES)
        ).list.drop_nulls()
    ).to_series()
    missing = names.gather(masks.search_sorted(frame[MASK])).alias("missing")
    order = [c for c in frame.columns if c != MASK]
    position = order.index("outcome") + 1
    return frame.select(*order[:position]).with_columns(
        missing, *[frame[c] for c in order[position:]]
    )


def _check_conflicts(compiled: CompiledQuestion, frame: pl.LazyFrame) -> None:
    checks = [
        node.holds.polars_conflicts().arg_true().first().alias(node.key)
        for node in compiled.nodes
        if isinstance(node.holds, WithExceptions) and len(node.holds.branches) > 1
    ]
    if not checks:
        return
    helpers = shared_columns(compiled)
    found = (
        (frame.with_columns(helpers) if helpers else frame)
        .select(checks)
        .collect(engine=ENGINE)
        .row(0, named=True)
    )
    for key, row in found.items():
        if row is not None:
            node = next(n for n in compiled.nodes if n.key == key)
            assert isinstance(node.holds, WithExceptions)
            names = [b.name for b in node.holds.branches]
            raise ConflictingExceptions(f"{node.rule.name} (row {row + 1})", names)


def evaluate_lazy(
    frame: pl.LazyFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.LazyFrame:
    """The plan adding the outcome and the rule statuses (evaluate_frame adds what is missing)."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    _check_conflicts(compiled, frame)
    keep = [c for c in ("id",) if c in frame.collect_schema().names()]
    plan = _rule_columns(frame, compiled, masks=False)
    return plan.select(*[pl.col(c) for c in keep], *_outputs(compiled))


def evaluate_frame(
    frame: pl.DataFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.DataFrame:
    """Evaluate a conformed table of people (see table.conform): one plan computes each rule's
    value and its mask of missing facts, the statuses, the outcome and the root's mask."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    _check_conflicts(compiled, frame.lazy())
    keep = [pl.col(c) for c in ("id",) if c in frame.columns]
    root = compiled.root
    mask = pl.when(pl.col(root.value_column).is_null()).then(pl.col(root.mask_column))
    plan = _rule_columns(frame.lazy(), compiled, masks=True)
    found = plan.select(*keep, *_outputs(compiled), mask.otherwise(no_mask()).alias(MASK))
    return _with_missing(found.collect(engine=ENGINE))
