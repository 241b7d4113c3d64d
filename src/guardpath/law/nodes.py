"""The nodes of a compiled rule tree, and a person's values during one evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guardpath.law.expr import Expr
from guardpath.law.facts import Facts
from guardpath.law.lazy_polars import pl
from guardpath.law.model import DatedValue, Rule


class Scope(dict[str, Any]):
    """A person's facts during one evaluation, with every rule's value and applicability, and
    whether it is active: in force and applicable, and so is every rule above it."""

    __slots__ = ("active", "applies", "rules")

    def __init__(
        self,
        facts: Facts,
        rules: list[bool | None],
        applies: list[bool | None],
        active: list[bool],
    ) -> None:
        super().__init__(facts)
        self.rules = rules
        self.applies = applies
        self.active = active


@dataclass(frozen=True, eq=False)
class RuleRef(Expr):
    """A child rule's contribution to its parent, evaluated once per person."""

    node: Node

    def value(self, facts: Facts) -> bool | None:
        return facts.rules[self.node.index]  # type: ignore[attr-defined,no-any-return]

    def missing(self, facts: Facts) -> frozenset[str]:
        return self.node.part.missing(facts)

    def polars(self) -> pl.Expr:
        return pl.col(self.node.value_column)

    def polars_missing(self, fact: str) -> pl.Expr | None:
        return pl.col(self.node.missing_column(fact)) if fact in self.node.all_facts else None

    def facts(self) -> frozenset[str]:
        return self.node.all_facts


@dataclass(eq=False)
class Node:
    """One rule of the compiled tree."""

    index: int
    rule: Rule
    in_force: bool
    applies: Expr
    holds: Expr
    part: Expr
    children: tuple[Node, ...]
    exceptions: tuple[tuple[str, Expr, bool | None], ...]
    parameters: dict[str, Any]
    own_facts: frozenset[str]
    all_facts: frozenset[str]

    key: str = ""
    parent: Node | None = None
    parameter_entries: dict[str, DatedValue | None] = field(default_factory=dict)
    open_questions: frozenset[str] = frozenset()
    unknown_law: frozenset[str] = frozenset()
    unknown_exceptions: tuple[tuple[Expr, str], ...] = ()
    """Exceptions of unknown consequence in force: each one's `when` and its open question, which
    an answer names unless the exception is known not to apply to the person."""
    explanation: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def value_column(self) -> str:
        return f"v:{self.key}"

    @property
    def applies_column(self) -> str:
        return f"a:{self.key}"

    def missing_column(self, fact: str) -> str:
        """Whether `fact` keeps this rule unknown, in a table (batch.py)."""
        return f"m:{self.key}:{fact}"

    @property
    def lineage(self) -> tuple[Node, ...]:
        """This node and its ancestors: it applies only where all of them apply."""
        chain: list[Node] = []
        node: Node | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(chain)
