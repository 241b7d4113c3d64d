"""Evaluate a whole table of people with the same compiled rules, as Polars expressions.

Each rule becomes columns computed once (its value, whether it applies where that depends on
the person, and for each fact it reads a boolean: whether that fact keeps it unknown, read from
its value column); parents read their children's columns. The root's booleans, packed into one
integer per row, give the missing facts. The result has a status column per rule
(`rule:<name>`), the `outcome` and the `missing` facts, equal to what the single-person evaluator
answers for each row (a property test holds the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Final

import polars as pl

from guardpath.law.batch_helpers import expressions, shared_columns, with_helpers
from guardpath.law.compiled import CompiledQuestion, compile_question
from guardpath.law.exceptions import ConflictingExceptions, WithExceptions
from guardpath.law.expr import BITS, Const, Fact, Junction, either, no_mask
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


def facts_read(compiled: CompiledQuestion) -> frozenset[str]:
    """Every fact some rule, condition or exception of the question reads."""
    return frozenset(e.name for e in expressions(compiled) if isinstance(e, Fact))


def _node_columns(node: Node) -> list[pl.Expr]:
    value = node.part.polars().alias(node.value_column)
    if isinstance(node.applies, Const):
        return [value]  # the same for everyone: the statuses read the constant
    return [node.applies.polars().alias(node.applies_column), value]


def _node_missing(node: Node) -> list[pl.Expr]:
    """For each fact the rule reads, whether it keeps the rule unknown, reading the rule's value
    column rather than computing the value again."""
    part = node.part
    columns = []
    for fact in sorted(node.all_facts):
        if isinstance(part, Junction):
            parts = part.parts_missing(fact)
            missing = None if parts is None else pl.col(node.value_column).is_null() & parts
        else:
            missing = part.polars_missing(fact)
        if missing is not None:
            columns.append(missing.alias(node.missing_column(fact)))
    return columns


@lru_cache(maxsize=64)
def _plan_columns(compiled: CompiledQuestion, missing: bool) -> tuple[list[pl.Expr], ...]:
    """The rules' columns in stages, built once per compiled question (a Polars expression is
    immutable: plans share them, and a small table does not pay to build them). A stage holds
    every rule of one height (leaves first, then the rules whose children are all leaves, ...),
    so its columns read only earlier stages' and Polars computes them side by side; a rule's
    missing facts read its value column, so they go in the next stage."""
    height: dict[int, int] = {}
    for node in compiled.nodes:  # children before parents
        height[node.index] = 1 + max((height[c.index] for c in node.children), default=-1)
    stages: list[list[pl.Expr]] = [[] for _ in range(max(height.values(), default=0) + 2)]
    for node in compiled.nodes:
        stages[height[node.index]] += _node_columns(node)
        if missing:
            stages[height[node.index] + 1] += _node_missing(node)
    return tuple(stage for stage in stages if stage)


def _rule_columns(frame: pl.LazyFrame, compiled: CompiledQuestion, missing: bool) -> pl.LazyFrame:
    """Each rule's columns, children before parents (parents read their children's)."""
    for columns in _plan_columns(compiled, missing):
        frame = frame.with_columns(columns)
    return frame


@lru_cache(maxsize=64)
def _outputs(compiled: CompiledQuestion) -> tuple[pl.Expr, ...]:
    """The outcome and every rule's status, root first."""
    return (_outcome(compiled.root), *(_status(node) for node in reversed(compiled.nodes)))


def _inactive(node: Node) -> pl.Expr | None:
    """Where the rule does not apply: it or a rule above it does not (None: nowhere)."""
    terms = []
    for above in node.lineage:
        applies = above.applies
        if isinstance(applies, Const):
            if applies.constant is False:
                return pl.lit(True)
            continue  # applies to everyone, or unknown for everyone: never not applicable
        terms.append(pl.col(above.applies_column).eq(False).fill_null(False))
    return either(terms)


def _status(node: Node) -> pl.Expr:
    value = pl.col(node.value_column)
    chain = (
        pl.when(value.is_null())
        .then(pl.lit("unknown", dtype=STATUS))
        .when(value)
        .then(pl.lit("met", dtype=STATUS))
        .otherwise(pl.lit("not_met", dtype=STATUS))
    )
    inactive = _inactive(node)
    if inactive is not None:
        chain = pl.when(inactive).then(pl.lit("not_applicable", dtype=STATUS)).otherwise(chain)
    return chain.alias(status_column(node))


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
    masks, built by bit tests, then gathered by each row's position in it, read from a table
    indexed by the mask itself (a binary search costs about eight times as much, a join more).
    The names are dictionary-coded (a list of an Enum of the facts)."""
    masks = frame[MASK].unique().sort()
    names = pl.select(
        pl.concat_list(
            pl.when(pl.lit(masks) & BITS[fact] != 0).then(pl.lit(fact, dtype=FACT_ENUM))
            for fact in sorted(FACT_NAMES)
        ).list.drop_nulls()
    ).to_series()
    positions = pl.zeros(1 << len(FACT_NAMES), pl.UInt32, eager=True).scatter(
        masks, pl.int_range(0, len(masks), dtype=pl.UInt32, eager=True)
    )
    missing = names.gather(positions.gather(frame[MASK])).alias("missing")
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
    found = frame.select(checks).collect(engine=ENGINE).row(0, named=True)
    for key, row in found.items():
        if row is not None:
            node = next(n for n in compiled.nodes if n.key == key)
            assert isinstance(node.holds, WithExceptions)
            names = [b.name for b in node.holds.branches]
            raise ConflictingExceptions(f"{node.rule.name} (row {row + 1})", names)


def _root_mask(root: Node) -> pl.Expr:
    """The root's missing facts as one integer per row (bit i for FACT_NAMES[i])."""
    bits = [
        pl.when(pl.col(root.missing_column(fact)))
        .then(pl.lit(BITS[fact], dtype=pl.UInt32))
        .otherwise(no_mask())
        for fact in sorted(root.all_facts)
    ]
    mask = bits[0] if bits else no_mask()
    for bit in bits[1:]:
        mask = mask | bit
    return mask.alias(MASK)


def evaluate_lazy(
    frame: pl.LazyFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.LazyFrame:
    """The plan adding the outcome and the rule statuses (evaluate_frame adds what is missing)."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    helpers = shared_columns(compiled)
    frame = frame.with_columns(helpers) if helpers else frame
    _check_conflicts(compiled, frame)
    keep = [c for c in ("id",) if c in frame.collect_schema().names()]
    plan = _rule_columns(frame, compiled, missing=False)
    return plan.select(*[pl.col(c) for c in keep], *_outputs(compiled))


def evaluate_frame(
    frame: pl.DataFrame, question: str, on: date, legislation: Legislation | None = None
) -> pl.DataFrame:
    """Evaluate a conformed table of people (see table.conform): one plan computes each rule's
    value and its missing facts, the statuses, the outcome and the root's missing facts."""
    compiled = compile_question(legislation or default_legislation(), question, on)
    keep = [pl.col(c) for c in ("id",) if c in frame.columns]
    people = with_helpers(frame, compiled).lazy()
    _check_conflicts(compiled, people)
    plan = _rule_columns(people, compiled, missing=True)
    found = plan.select(*keep, *_outputs(compiled), _root_mask(compiled.root))
    return _with_missing(found.collect(engine=ENGINE))
