"""Expressions of the rule language, with two evaluators from one definition.

Every node evaluates for one person (`value`, three-valued: None is unknown) and compiles to a
Polars expression for a whole table (`polars`, null is unknown). `missing` and `polars_missing`
say which unknown facts keep an unknown node open: the exact list reported to the user. In a
table each fact's membership is a boolean column (a bitmap, far cheaper than integer masks),
false wherever the node is known; batch.py packs the root's into one integer per row.
Parameters and the question's date are constants by the time a node is built, so a rule
compiled for one date is a closed expression over the person's facts.
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guardpath.law.dates import age_on, is_leap
from guardpath.law.facts import FACT_NAMES, Facts
from guardpath.law.lazy_polars import pl
from guardpath.law.logic import Truth, all_of, any_of, negate

Env = dict[int, Any]
"""Per-evaluation memo of node values, keyed by node id."""


class Expr(ABC):
    """A node of a compiled rule expression."""

    @abstractmethod
    def value(self, facts: Facts) -> Any: ...

    @abstractmethod
    def missing(self, facts: Facts) -> frozenset[str]:
        """Facts whose absence keeps this (unknown) node unknown."""

    @abstractmethod
    def polars(self) -> pl.Expr: ...

    @abstractmethod
    def polars_missing(self, fact: str) -> pl.Expr | None:
        """Whether `fact` is among the facts keeping this node unknown (false where the node is
        known); None, for a constant false, exactly when the node does not read `fact`."""

    @abstractmethod
    def facts(self) -> frozenset[str]: ...


NO_FACTS: frozenset[str] = frozenset()


def no_mask() -> pl.Expr:
    """The mask of no missing facts (a function: Polars is imported only when used)."""
    return pl.lit(0, dtype=pl.UInt32)


BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(FACT_NAMES)}


def either(parts: Sequence[pl.Expr | None]) -> pl.Expr | None:
    """The `or` of the parts that can be true (None where none can)."""
    present = [part for part in parts if part is not None]
    if not present:
        return None
    result = present[0]
    for part in present[1:]:
        result = result | part
    return result


def when_unknown(value: pl.Expr, missing: pl.Expr | None) -> pl.Expr | None:
    """`missing` where `value` is unknown, false elsewhere."""
    return None if missing is None else value.is_null() & missing


def _union(parts: Sequence[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*parts) if parts else NO_FACTS


def _any(exprs: Sequence[pl.Expr]) -> pl.Expr:
    return pl.any_horizontal(exprs) if exprs else pl.lit(False)


@dataclass(frozen=True, eq=False)
class Const(Expr):
    """A literal, a parameter's value on the question's date, or the date itself."""

    constant: Any

    def value(self, facts: Facts) -> Any:
        return self.constant

    def missing(self, facts: Facts) -> frozenset[str]:
        return NO_FACTS

    def polars(self) -> pl.Expr:
        if isinstance(self.constant, list | tuple):
            return pl.lit(pl.Series(list(self.constant)))
        if self.constant is None:
            return pl.lit(None, dtype=pl.Boolean)
        return pl.lit(self.constant)

    def polars_missing(self, fact: str) -> pl.Expr | None:
        return None

    def facts(self) -> frozenset[str]:
        return NO_FACTS


@dataclass(frozen=True, eq=False)
class Fact(Expr):
    name: str

    def value(self, facts: Facts) -> Any:
        return facts.get(self.name)

    def missing(self, facts: Facts) -> frozenset[str]:
        return frozenset((self.name,)) if self.name not in facts else NO_FACTS

    def polars(self) -> pl.Expr:
        return pl.col(self.name)

    def polars_missing(self, fact: str) -> pl.Expr | None:
        return pl.col(self.name).is_null() if fact == self.name else None

    def facts(self) -> frozenset[str]:
        return frozenset((self.name,))


class Strict(Expr):
    """A node that is unknown whenever one of its operands is unknown."""

    operands: tuple[Expr, ...]

    def missing(self, facts: Facts) -> frozenset[str]:
        return _union([o.missing(facts) for o in self.operands if o.value(facts) is None])

    def polars_missing(self, fact: str) -> pl.Expr | None:
        # Unknown exactly when an operand is unknown, and a known operand misses nothing, so
        # the operands' missing facts are the node's.
        return either([o.polars_missing(fact) for o in self.operands])

    def facts(self) -> frozenset[str]:
        return _union([o.facts() for o in self.operands])


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, eq=False)
class Compare(Strict):
    op: str
    left: Expr
    right: Expr

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.left, self.right)

    def value(self, facts: Facts) -> Truth:
        left, right = self.left.value(facts), self.right.value(facts)
        if left is None or right is None:
            return None
        return COMPARISONS[self.op](left, right)

    def polars(self) -> pl.Expr:
        left, right = self.left.polars(), self.right.polars()
        result: pl.Expr = COMPARISONS[self.op](left, right)  # type: ignore[assignment]
        return result


@dataclass(frozen=True, eq=False)
class IsIn(Strict):
    """`item in [a, b, c]`: a fact among literal values."""

    item: Expr
    choices: tuple[Any, ...]

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.item,)

    def value(self, facts: Facts) -> Truth:
        item = self.item.value(facts)
        return None if item is None else item in self.choices

    def polars(self) -> pl.Expr:
        return self.item.polars().is_in(list(self.choices))


@dataclass(frozen=True, eq=False)
class Contains(Strict):
    """`'UA' in citizenships`: a literal among a list fact."""

    container: Expr
    item: Any

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.container,)

    def value(self, facts: Facts) -> Truth:
        container = self.container.value(facts)
        return None if container is None else self.item in container

    @property
    def column(self) -> str:
        """The helper column holding this test: a table plan computes each once
        (batch.shared_columns), however many rules, applicability tests and exceptions read it
        (a list is slow to search, and `'UA' in citizenships` decides both branches)."""
        return f"contains:{self.container!r}:{self.item!r}"

    def polars(self) -> pl.Expr:
        return pl.col(self.column)

    def polars_contains(self) -> pl.Expr:
        return self.container.polars().list.contains(self.item)


@dataclass(frozen=True, eq=False)
class Age(Strict):
    """Whole years of age on the question's date (see dates.age_on)."""

    birth_date: Expr
    on: date

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.birth_date,)

    def value(self, facts: Facts) -> int | None:
        born = self.birth_date.value(facts)
        return None if born is None else age_on(born, self.on)

    @property
    def column(self) -> str:
        """The helper column holding this age: a table plan computes each age once
        (batch.shared_columns) however many conditions and exceptions read it."""
        return f"age:{self.birth_date!r}@{self.on.isoformat()}"

    def polars(self) -> pl.Expr:
        return pl.col(self.column)

    def polars_age(self, born: pl.Expr | None = None) -> pl.Expr:
        """The age on a column of birth dates (the birth date fact's by default)."""
        born = self.birth_date.polars() if born is None else born
        month_day = born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
        if not is_leap(self.on.year):
            # 29 February's birthday falls on 28 February in a common year (dates.age_on).
            month_day = pl.when(month_day == 229).then(pl.lit(228)).otherwise(month_day)
        before_birthday = month_day > (self.on.month * 100 + self.on.day)
        years = pl.lit(self.on.year) - born.dt.year().cast(pl.Int32)
        return years - before_birthday.cast(pl.Int32)


@dataclass(frozen=True, eq=False)
class Not(Expr):
    operand: Expr

    def value(self, facts: Facts) -> Truth:
        return negate(self.operand.value(facts))

    def missing(self, facts: Facts) -> frozenset[str]:
        return self.operand.missing(facts)

    def polars(self) -> pl.Expr:
        return ~self.operand.polars()

    def polars_missing(self, fact: str) -> pl.Expr | None:
        return self.operand.polars_missing(fact)

    def facts(self) -> frozenset[str]:
        return self.operand.facts()


@dataclass(frozen=True, eq=False)
class Junction(Expr):
    """Kleene `and` (`all`) or `or` (`any`) of several parts."""

    kind: str
    parts: tuple[Expr, ...]

    def value(self, facts: Facts) -> Truth:
        values = (part.value(facts) for part in self.parts)
        return all_of(values) if self.kind == "and" else any_of(values)

    def missing(self, facts: Facts) -> frozenset[str]:
        return _union([p.missing(facts) for p in self.parts if p.value(facts) is None])

    def polars(self) -> pl.Expr:
        exprs = [part.polars() for part in self.parts]
        if not exprs:
            return pl.lit(self.kind == "and")
        result = exprs[0]
        for expr in exprs[1:]:
            result = (result & expr) if self.kind == "and" else (result | expr)
        return result

    def polars_missing(self, fact: str) -> pl.Expr | None:
        return when_unknown(self.polars(), self.parts_missing(fact))

    def parts_missing(self, fact: str) -> pl.Expr | None:
        """Whether `fact` keeps some part unknown (the node's missing fact where it is unknown)."""
        return either([part.polars_missing(fact) for part in self.parts])

    def facts(self) -> frozenset[str]:
        return _union([p.facts() for p in self.parts])


def both_known_and_equal(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a == b


@dataclass(frozen=True, eq=False)
class IfElse(Expr):
    """`then if condition else otherwise`; unknown condition gives the branches' common value."""

    condition: Expr
    then: Expr
    otherwise: Expr

    def value(self, facts: Facts) -> Any:
        condition = self.condition.value(facts)
        if condition is True:
            return self.then.value(facts)
        if condition is False:
            return self.otherwise.value(facts)
        then, otherwise = self.then.value(facts), self.otherwise.value(facts)
        return then if both_known_and_equal(then, otherwise) else None

    def missing(self, facts: Facts) -> frozenset[str]:
        condition = self.condition.value(facts)
        if condition is True:
            return self.then.missing(facts)
        if condition is False:
            return self.otherwise.missing(facts)
        branches = [b.missing(facts) for b in (self.then, self.otherwise) if b.value(facts) is None]
        return _union([self.condition.missing(facts), *branches])

    def polars(self) -> pl.Expr:
        condition, then, otherwise = (
            self.condition.polars(),
            self.then.polars(),
            self.otherwise.polars(),
        )
        common = pl.when(then == otherwise).then(then)
        return (
            pl.when(condition.is_null())
            .then(common)
            .when(condition)
            .then(then)
            .otherwise(otherwise)
        )

    def polars_missing(self, fact: str) -> pl.Expr | None:
        then, otherwise = self.then.polars_missing(fact), self.otherwise.polars_missing(fact)
        unknown = either([self.condition.polars_missing(fact), then, otherwise])
        if unknown is None:
            return None
        condition = self.condition.polars()
        open_ = when_unknown(self.polars(), condition.is_null() & unknown)
        chosen_then = None if then is None else condition.fill_null(False) & then
        chosen_otherwise = None if otherwise is None else (~condition).fill_null(False) & otherwise
        return either([open_, chosen_then, chosen_otherwise])

    def facts(self) -> frozenset[str]:
        return _union([self.condition.facts(), self.then.facts(), self.otherwise.facts()])
