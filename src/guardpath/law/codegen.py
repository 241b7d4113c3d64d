"""Compile a question's rule tree into one straight-line Python function.

The interpretive evaluator (`Expr.value`) walks objects; for one person that costs more than the
rules themselves. Here each node becomes a few lines of Kleene logic over local variables, and
the tree becomes one function returning every rule's value and applicability at once. Constants
(parameter values, choices, dates) are bound by name, never written into the source, so nothing
from a legislation file is ever executed as code. The interpretive evaluator stays the reference:
a property test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from guardpath.law.dates import is_leap
from guardpath.law.exceptions import ConflictingExceptions, WithExceptions
from guardpath.law.expr import (
    Age,
    Compare,
    Const,
    Contains,
    Expr,
    Fact,
    IfElse,
    IsIn,
    Junction,
    Not,
)
from guardpath.law.facts import DATE_FACTS
from guardpath.law.nodes import Node, RuleRef

Values = tuple[list[bool | None], list[bool | None]]
Evaluator = Callable[[dict[str, Any]], Values]
PY_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
"""Comparison symbols are written into the source from this fixed table only."""


def resolve_exceptions(
    rule: str,
    base: bool | None,
    whens: Sequence[bool | None],
    thens: Sequence[bool | None],
    names: Sequence[str],
) -> bool | None:
    """WithExceptions.value, given the values of its parts."""
    applying = [i for i, when in enumerate(whens) if when is True]
    if applying:
        if len({thens[i] for i in applying}) > 1:
            raise ConflictingExceptions(rule, [names[i] for i in applying])
        return thens[applying[0]]
    open_ = [i for i, when in enumerate(whens) if when is None]
    if not open_:
        return base
    return base if base is not None and all(thens[i] == base for i in open_) else None


@dataclass
class _Emitter:
    on: date
    lines: list[str] = field(default_factory=list)
    names: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    rules: dict[int, str] = field(default_factory=dict)
    counter: int = 0

    def temp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def bind(self, value: Any) -> str:
        name = f"k{len(self.names)}"
        self.names[name] = value
        return name

    def line(self, target: str, source: str) -> str:
        self.lines.append(f"    {target} = {source}")
        return target

    def emit(self, expr: Expr) -> str:
        if isinstance(expr, RuleRef):
            return self.rules[expr.node.index]
        if isinstance(expr, Const):
            return self.bind(expr.constant)
        if isinstance(expr, Fact):
            if expr.name not in self.facts:
                self.facts[expr.name] = self.line(self.temp(), f"facts.get({self.bind(expr.name)})")
            return self.facts[expr.name]
        if isinstance(expr, Compare):
            a, b = self.emit(expr.left), self.emit(expr.right)
            op = PY_OPS[expr.op]
            return self.line(self.temp(), f"None if {a} is None or {b} is None else {a} {op} {b}")
        if isinstance(expr, IsIn):
            a = self.emit(expr.item)
            return self.line(
                self.temp(), f"None if {a} is None else {a} in {self.bind(frozenset(expr.choices))}"
            )
        if isinstance(expr, Contains):
            a = self.emit(expr.container)
            return self.line(self.temp(), f"None if {a} is None else {self.bind(expr.item)} in {a}")
        if isinstance(expr, Not):
            a = self.emit(expr.operand)
            return self.line(self.temp(), f"None if {a} is None else not {a}")
        if isinstance(expr, Junction):
            return self._junction(expr)
        if isinstance(expr, IfElse):
            c, a, b = self.emit(expr.condition), self.emit(expr.then), self.emit(expr.otherwise)
            unknown = f"({a} if {a} is not None and {a} == {b} else None)"
            return self.line(
                self.temp(), f"{a} if {c} is True else ({b} if {c} is False else {unknown})"
            )
        if isinstance(expr, Age):
            return self._age(expr)
        if isinstance(expr, WithExceptions):
            base = self.emit(expr.base)
            whens = ", ".join(self.emit(b.when) for b in expr.branches)
            call = (
                f"{self.bind(resolve_exceptions)}({self.bind(expr.rule)}, {base}, ({whens},), "
                f"{self.bind(tuple(b.then for b in expr.branches))}, "
                f"{self.bind(tuple(b.name for b in expr.branches))})"
            )
            return self.line(self.temp(), call)
        # Service-history functions are rare and loop over periods: call the reference.
        return self.line(self.temp(), f"{self.bind(expr.value)}(facts)")

    def _junction(self, expr: Junction) -> str:
        parts = [self.emit(p) for p in expr.parts]
        if not parts:
            return self.bind(expr.kind == "and")
        decisive, other = ("False", "True") if expr.kind == "and" else ("True", "False")
        hit = " or ".join(f"{p} is {decisive}" for p in parts)
        unknown = " or ".join(f"{p} is None" for p in parts)
        return self.line(
            self.temp(), f"{decisive} if ({hit}) else (None if ({unknown}) else {other})"
        )

    def _age(self, expr: Age) -> str:
        born = self.emit(expr.birth_date)
        today = self.bind((self.on.month, self.on.day))
        if is_leap(self.on.year):
            birthday = f"({born}.month, {born}.day)"
        else:  # 29 February's birthday falls on 28 February in a common year
            leap_day = f"{born}.month == 2 and {born}.day == 29"
            birthday = f"((2, 28) if ({leap_day}) else ({born}.month, {born}.day))"
        years = f"{self.on.year} - {born}.year - ({today} < {birthday})"
        return self.line(self.temp(), f"None if {born} is None else {years}")


def generate(nodes: Sequence[Node], on: date) -> Evaluator:
    """One function computing (values, applies) for every node, children before parents."""
    emitter = _Emitter(on)
    values, applies = [], []
    for node in nodes:
        applies.append(emitter.emit(node.applies))
        value = emitter.emit(node.part)
        emitter.rules[node.index] = value
        values.append(value)
    body = "\n".join(emitter.lines)
    source = (
        f"def evaluate(facts):\n{body}\n    return [{', '.join(values)}], [{', '.join(applies)}]\n"
    )
    namespace: dict[str, Any] = dict(emitter.names)
    exec(compile(source, f"<guardpath rules on {on}>", "exec"), namespace)
    evaluator: Evaluator = namespace["evaluate"]
    return evaluator


Explainer = Callable[[Any], dict[str, Any]]
STATUS_NAMES = {True: "met", False: "not_met", None: "unknown"}
EXCEPTION_STATUSES = {True: "applies", False: "does_not_apply", None: "unknown"}


def _fact_json(emitter: _Emitter, name: str) -> str:
    """Source converting one fact to its JSON form, written once per explanation."""
    raw = emitter.line(emitter.temp(), f"facts.get({emitter.bind(name)})")
    if name in DATE_FACTS:
        converted = f"None if {raw} is None else {raw}.isoformat()"
    elif name == "citizenships":
        converted = f"None if {raw} is None else list({raw})"
    elif name == "service_periods":
        converted = f"None if {raw} is None else [p.as_json() for p in {raw}]"
    else:
        return raw
    return emitter.line(emitter.temp(), converted)


def generate_explainer(
    nodes: Sequence[Node], on: date, statics: Sequence[dict[str, Any]]
) -> Explainer:
    """One function building the explanation tree from a Scope, with the static parts bound."""
    emitter = _Emitter(on)
    emitter.line("rules", "scope.rules")
    emitter.line("applies", "scope.applies")
    emitter.line("facts", "scope")
    used = sorted({f for static in statics for f in static["facts_used"]})
    fact_json = {name: _fact_json(emitter, name) for name in used}
    statuses = emitter.bind(STATUS_NAMES)
    empty = emitter.bind({})
    reasons: dict[int, str] = {}
    for node in reversed(nodes):  # parents first: a rule is active only where its parent is
        i = node.index
        own = f"applies[{i}] is not False" if node.in_force else "False"
        above = f"active{node.parent.index} and " if node.parent is not None else ""
        emitter.line(f"active{i}", f"{above}{own}")
    for node, static in zip(nodes, statics, strict=True):
        i = node.index
        active = f"active{i}"
        facts_display = ", ".join(
            f"{emitter.bind(f)}: {fact_json[f]}" for f in static["facts_used"]
        )
        children = ", ".join(reasons[child.index] for child in node.children)
        fields = [
            f"'rule': {emitter.bind(static['rule'])}",
            f"'label': {emitter.bind(static['label'])}",
            f"'status': {statuses}[rules[{i}]] if {active} else 'not_applicable'",
            f"'verified': {emitter.bind(static['verified'])}",
            f"'citations': {emitter.bind(static['citations'])}",
            f"'facts': {{{facts_display}}} if {active} else {{}}",
            f"'parameters': {emitter.bind(static['parameters'])} if {active} else {empty}",
            f"'children': [{children}]",
        ]
        if node.exceptions:
            fields.append(
                f"'exceptions': {emitter.bind(_exceptions_explainer(node))}(scope, {active})"
            )
        reasons[i] = emitter.line(f"r{i}", "{" + ", ".join(fields) + "}")
    root = reasons[nodes[-1].index]
    source = "def explain(scope):\n" + "\n".join(emitter.lines) + f"\n    return {root}\n"
    namespace: dict[str, Any] = dict(emitter.names)
    exec(compile(source, f"<guardpath explanation on {on}>", "exec"), namespace)
    explainer: Explainer = namespace["explain"]
    return explainer


def _exceptions_explainer(node: Node) -> Callable[[Any, bool], list[dict[str, Any]]]:
    def exceptions(scope: Any, active: bool) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "status": EXCEPTION_STATUSES[when.value(scope)] if active else "not_applicable",
                "then": then,
            }
            for name, when, then in node.exceptions
        ]

    return exceptions
