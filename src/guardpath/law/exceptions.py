"""Exceptions as the law writes them: "X, unless Y", in the manner of Catala.

A rule's outcome is its base condition unless one of its exceptions applies, in which case it is
that exception's consequence (None where the law's consequence is unknown). Two exceptions that
both apply and disagree are an error in the legislation, never resolved silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guardpath.law.expr import NO_FACTS, Expr, _any, _union, either, when_unknown
from guardpath.law.facts import Facts
from guardpath.law.lazy_polars import pl
from guardpath.law.logic import Truth


class ConflictingExceptions(RuntimeError):
    """Two exceptions to one rule apply at once and disagree."""

    def __init__(self, rule: str, names: list[str]) -> None:
        super().__init__(f"{rule}: exceptions {', '.join(names)} both apply and disagree")
        self.rule = rule
        self.names = names


@dataclass(frozen=True, eq=False)
class Branch:
    name: str
    when: Expr
    then: bool | None


@dataclass(frozen=True, eq=False)
class WithExceptions(Expr):
    rule: str
    base: Expr
    branches: tuple[Branch, ...]

    def _applying(self, facts: Facts) -> list[Branch]:
        applying = [b for b in self.branches if b.when.value(facts) is True]
        if len({b.then for b in applying}) > 1:
            raise ConflictingExceptions(self.rule, [b.name for b in applying])
        return applying

    def value(self, facts: Facts) -> Truth:
        applying = self._applying(facts)
        if applying:
            return applying[0].then
        base = self.base.value(facts)
        open_branches = [b for b in self.branches if b.when.value(facts) is None]
        if not open_branches:
            return base  # type: ignore[no-any-return]
        agree = base is not None and all(b.then == base for b in open_branches)
        return base if agree else None

    def missing(self, facts: Facts) -> frozenset[str]:
        if self._applying(facts):
            return NO_FACTS  # the law itself is unknown here: an open question, not a fact
        parts = [b.when.missing(facts) for b in self.branches if b.when.value(facts) is None]
        if self.base.value(facts) is None:
            parts.append(self.base.missing(facts))
        return _union(parts)

    def polars(self) -> pl.Expr:
        base = self.base.polars()
        if not self.branches:
            return base
        whens = [b.when.polars() for b in self.branches]
        chain: Any = pl
        for when, branch in zip(whens, self.branches, strict=True):
            chain = chain.when(when.fill_null(False)).then(pl.lit(branch.then, dtype=pl.Boolean))
        agree = pl.all_horizontal(
            [
                w.is_not_null() | (base == pl.lit(b.then))
                for w, b in zip(whens, self.branches, strict=True)
            ]
        )
        unknown = pl.when(agree).then(base).otherwise(pl.lit(None, dtype=pl.Boolean))
        result: pl.Expr = (
            chain.when(_any([w.is_null() for w in whens])).then(unknown).otherwise(base)
        )
        return result

    def polars_conflicts(self) -> pl.Expr:
        """True on rows where two disagreeing exceptions both apply."""
        pairs = []
        for i, first in enumerate(self.branches):
            for second in self.branches[i + 1 :]:
                if first.then != second.then:
                    pairs.append(
                        first.when.polars().fill_null(False) & second.when.polars().fill_null(False)
                    )
        return _any(pairs)

    def polars_missing(self, fact: str) -> pl.Expr | None:
        parts = [b.when.polars_missing(fact) for b in self.branches]
        missing = when_unknown(self.polars(), either([*parts, self.base.polars_missing(fact)]))
        law_unknown = [b.when.polars().fill_null(False) for b in self.branches if b.then is None]
        if missing is None or not law_unknown:
            return missing
        # Where an exception of unknown consequence applies, the law is open, not a fact.
        return missing & ~_any(law_unknown)

    def facts(self) -> frozenset[str]:
        return _union([self.base.facts(), *(b.when.facts() for b in self.branches)])
