"""The helper columns of a table plan: each age and each search of a list, computed once per
table however many rules, applicability tests and exceptions read it (law.batch).

On a table already in memory they are computed from the data, each as cheaply as it can be
while equal to the formula: an age by looking the day of birth up in a table of the formula's
own values, and every item searched for in one list by a single pass over the list's elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from functools import lru_cache
from typing import Any, Final

import polars as pl

from guardpath.law.compiled import CompiledQuestion
from guardpath.law.exceptions import Branch
from guardpath.law.expr import Age, Contains, Expr, Fact

AGE_TABLE_DAYS: Final = 1 << 16
"""An age is looked up by day of birth in a table of the formula's values over the span of the
birth dates when the span is at most this many days (about 179 years) or the number of rows:
a gather instead of Polars' calendar conversions (the table costs at most what it saves)."""
COUNT_BITS: Final = 64
"""The searches of one list share a 64-bit count per row, a field of bits per item searched."""


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
def expressions(compiled: CompiledQuestion) -> tuple[Expr, ...]:
    """Every expression of the question's rules once (compiled questions are cached too)."""
    roots = [(node.applies, node.part, node.holds) for node in compiled.nodes]
    return tuple(_walk(roots, set()))


def _helpers(compiled: CompiledQuestion) -> dict[str, Age | Contains]:
    """The expressions computed once as helper columns, by column name."""
    return {e.column: e for e in expressions(compiled) if isinstance(e, Age | Contains)}


def _helper(e: Age | Contains) -> pl.Expr:
    return (e.polars_age() if isinstance(e, Age) else e.polars_contains()).alias(e.column)


def shared_columns(compiled: CompiledQuestion) -> list[pl.Expr]:
    """The helper columns the rules read, as expressions, to add before the rules' columns."""
    return [_helper(e) for e in _helpers(compiled).values()]


def with_helpers(frame: pl.DataFrame, compiled: CompiledQuestion) -> pl.DataFrame:
    """The table with the helper columns, computed from its data where that is cheaper."""
    columns: dict[str, pl.Expr | pl.Series] = {}
    searches: dict[str, list[Contains]] = {}
    for e in _helpers(compiled).values():
        if isinstance(e, Contains) and isinstance(e.container, Fact):
            searches.setdefault(e.container.name, []).append(e)
        looked_up = looked_up_age(e, frame) if isinstance(e, Age) else None
        columns[e.column] = _helper(e) if looked_up is None else looked_up.alias(e.column)
    for name, items in searches.items():
        columns.update(searched(frame, name, items))
    return frame.with_columns(columns.values()) if columns else frame


def looked_up_age(age: Age, frame: pl.DataFrame) -> pl.Series | None:
    """The age of every row, from a table of the same formula over each day from the earliest
    birth date to the latest (so equal by construction), or None where the span is too wide."""
    if not isinstance(age.birth_date, Fact) or age.birth_date.name not in frame.columns:
        return None
    days = frame[age.birth_date.name].to_physical()
    low, high = days.min(), days.max()
    if not isinstance(low, int) or not isinstance(high, int):
        return None  # no birth date known
    if high - low >= max(AGE_TABLE_DAYS, frame.height):
        return None
    span = pl.int_range(low, high + 1, dtype=pl.Int32, eager=True).cast(pl.Date)
    table = pl.select(age.polars_age(pl.lit(span))).to_series()
    return table.gather(days - low)


def searched(frame: pl.DataFrame, column: str, items: list[Contains]) -> dict[str, pl.Series]:
    """Whether each list holds each item, in one pass over the lists' elements: each element
    adds one to its item's field of a 64-bit count, and an item is in a list where its field is
    not zero. The fields are wide enough for the longest list, or the lists are searched once
    per item (`list.contains`). A list that is unknown gives unknown; an empty one, false."""
    if column not in frame.columns or len(items) < 2:
        return {}
    width = COUNT_BITS // len(items)
    longest = frame[column].list.len().max()
    if not isinstance(longest, int) or longest >= 1 << width:
        return {}
    chain: Any = pl
    for index, e in enumerate(items):
        one = pl.lit(1 << (index * width), dtype=pl.UInt64)
        chain = chain.when(pl.element() == e.item).then(one)
    count = chain.otherwise(pl.lit(0, dtype=pl.UInt64))
    lists = pl.col(column)
    counts = frame.select(
        pl.when(lists.is_not_null()).then(lists.list.eval(count).list.sum())
    ).to_series()
    field = (1 << width) - 1
    return {
        e.column: ((counts & (field << (index * width))) != 0).alias(e.column)
        for index, e in enumerate(items)
    }
