"""Compile a question's rule tree into one straight-line Python function.

The interpretive evaluator (`Expr.value`) walks objects; for one person that costs more than the
rules themselves. Here each node becomes a few lines of Kleene logic over local variables, and
the tree becomes one function returning every rule's value, applicability and activity at once.
Whatever is known on the date (rules out of force, parameter values, martial law) is folded while
generating, so the person's code computes only what depends on the person. Constants (parameter
values, choices, dates) are bound by name, never written into the source; only the keywords
True, False and None are, so nothing from a legislation file is ever executed as code. The
interpretive evaluator stays the reference: a property test holds the two equal.
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
from guardpath.law.nodes import Node, RuleRef

Values = tuple[list[bool | None], list[bool | None], list[bool]]
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


LITERALS = {"True": True, "False": False, "None": None}
"""Names written into the source for the three truth values instead of bound constants."""


@dataclass
class _Emitter:
    on: date
    lines: list[str] = field(default_factory=list)
    names: dict[str, Any] = field(default_factory=dict)
    known: dict[str, Any] = field(default_factory=lambda: dict(LITERALS))
    """Every name whose value is known when the code is generated (constants, folded results)."""
    facts: dict[str, str] = field(default_factory=dict)
    rules: dict[int, str] = field(default_factory=dict)
    ages: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def temp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def bind(self, value: Any) -> str:
        name = f"k{len(self.names)}"
        self.names[name] = value
        return name

    def constant(self, value: Any) -> str:
        """A name for a value known now: a literal for a truth value, else a bound constant."""
        if value is None or isinstance(value, bool):
            return repr(value)
        name = self.bind(value)
        self.known[name] = value
        return name

    def line(self, target: str, source: str) -> str:
        self.lines.append(f"    {target} = {source}")
        return target

    def compute(self, source: str, *operands: str) -> str:
        """A new value from `source`; folded now when every operand is known (a rule out of
        force, a parameter, martial law on the date), so the person's code never computes it."""
        if all(operand in self.known for operand in operands):
            try:  # the source is this emitter's own, over its bound constants
                value = eval(source, dict(self.names), dict(self.known))
            except ConflictingExceptions:  # left for evaluation, where it is reported
                pass
            else:
                return self.constant(value)
        return self.line(self.temp(), source)

    def strict(self, source: str, *operands: str) -> str:
        """`source`, unknown wherever an operand is unknown; only the operands not known now
        are checked for None, and a known None makes the whole value None."""
        if any(operand in self.known and self.known[operand] is None for operand in operands):
            return "None"
        open_ = [operand for operand in operands if operand not in self.known]
        if not open_:
            return self.compute(source, *operands)
        guard = " or ".join(f"{operand} is None" for operand in open_)
        return self.line(self.temp(), f"None if {guard} else {source}")

    def active(self, above: str, applies: str, in_force: bool) -> str:
        """Whether a rule is active: the rule above is, and this one is in force and applies."""
        if not in_force or self.known.get(above, True) is False:
            return "False"
        if applies in self.known:
            return "False" if self.known[applies] is False else above
        if above == "True":
            return self.line(self.temp(), f"{applies} is not False")
        return self.line(self.temp(), f"{above} and {applies} is not False")

    def emit(self, expr: Expr) -> str:
        if isinstance(expr, RuleRef):
            return self.rules[expr.node.index]
        if isinstance(expr, Const):
            return self.constant(expr.constant)
        if isinstance(expr, Fact):
            if expr.name not in self.facts:
                self.facts[expr.name] = self.line(self.temp(), f"get({self.bind(expr.name)})")
            return self.facts[expr.name]
        if isinstance(expr, Compare):
            a, b = self.emit(expr.left), self.emit(expr.right)
            return self.strict(f"{a} {PY_OPS[expr.op]} {b}", a, b)
        if isinstance(expr, IsIn):
            a = self.emit(expr.item)
            return self.strict(f"{a} in {self.bind(frozenset(expr.choices))}", a)
        if isinstance(expr, Contains):
            a = self.emit(expr.container)
            return self.strict(f"{self.bind(expr.item)} in {a}", a)
        if isinstance(expr, Not):
            a = self.emit(expr.operand)
            return self.strict(f"not {a}", a)
        if isinstance(expr, Junction):
            return self._junction(expr)
        if isinstance(expr, IfElse):
            c, a, b = self.emit(expr.condition), self.emit(expr.then), self.emit(expr.otherwise)
            unknown = f"({a} if {a} is not None and {a} == {b} else None)"
            source = f"{a} if {c} is True else ({b} if {c} is False else {unknown})"
            return self.compute(source, c, a, b)
        if isinstance(expr, Age):
            return self._age(expr)
        if isinstance(expr, WithExceptions):
            return self._exceptions(expr)
        # Service-history functions are rare and loop over periods: call the reference.
        return self.line(self.temp(), f"{self.bind(expr.value)}(facts)")

    def _exceptions(self, expr: WithExceptions) -> str:
        """The base where no exception can apply (every condition false), inline; otherwise
        resolve_exceptions. Folded where the conditions are known now: an exception that
        applies on the date decides without the base, unless another one might conflict."""
        base = self.emit(expr.base)
        whens = [self.emit(b.when) for b in expr.branches]
        call = (
            f"{self.bind(resolve_exceptions)}({self.bind(expr.rule)}, {{base}}, "
            f"({', '.join(whens)},), {self.bind(tuple(b.then for b in expr.branches))}, "
            f"{self.bind(tuple(b.name for b in expr.branches))})"
        )
        if all(when in self.known for when in whens):
            if any(self.known[when] is True for when in whens):
                return self.compute(call.format(base="None"), *whens)
            if all(self.known[when] is False for when in whens):
                return base
            return self.compute(call.format(base=base), base, *whens)
        if any(self.known.get(when) is not False for when in whens if when in self.known):
            return self.line(self.temp(), call.format(base=base))
        open_ = [when for when in whens if when not in self.known]
        none_applies = " and ".join(f"{when} is False" for when in open_)
        return self.line(self.temp(), f"{base} if {none_applies} else {call.format(base=base)}")

    def _junction(self, expr: Junction) -> str:
        """Kleene and/or; known parts are folded: a decisive one decides, a neutral one drops,
        and a known unknown leaves the rest only able to decide."""
        decisive = expr.kind != "and"  # False decides an and, True an or
        parts: list[str] = []
        unknown_part = False
        for part in (self.emit(p) for p in expr.parts):
            if part not in self.known:
                parts.append(part)
            elif self.known[part] is None:
                unknown_part = True
            elif self.known[part] is decisive:
                return self.constant(decisive)
        hit = " or ".join(f"{p} is {decisive}" for p in parts)
        if unknown_part:
            return self.line(self.temp(), f"{decisive} if ({hit}) else None") if parts else "None"
        if len(parts) <= 1:
            return parts[0] if parts else self.constant(not decisive)
        if not decisive:  # an and: test first for every part met, the usual case of a rule
            met = " and ".join(f"{p} is True" for p in parts)
            return self.line(self.temp(), f"True if ({met}) else (False if ({hit}) else None)")
        unknown = " or ".join(f"{p} is None" for p in parts)
        return self.line(
            self.temp(), f"{decisive} if ({hit}) else (None if ({unknown}) else {not decisive})"
        )

    def _age(self, expr: Age) -> str:
        """Full years on the date, computed once per birth date however many rules ask."""
        born = self.emit(expr.birth_date)
        if born in self.ages:
            return self.ages[born]
        today = self.bind((self.on.month, self.on.day))
        if is_leap(self.on.year):
            birthday = f"({born}.month, {born}.day)"
        else:  # 29 February's birthday falls on 28 February in a common year
            leap_day = f"{born}.month == 2 and {born}.day == 29"
            birthday = f"((2, 28) if ({leap_day}) else ({born}.month, {born}.day))"
        age = self.strict(f"{self.on.year} - {born}.year - ({today} < {birthday})", born)
        self.ages[born] = age
        return age


def generate(nodes: Sequence[Node], on: date) -> Evaluator:
    """One function computing (values, applies, active) for every node, children before
    parents. A node is active where it and every rule above it is in force and applies."""
    emitter = _Emitter(on)
    emitter.line("get", "facts.get")
    values, applies = [], []
    for node in nodes:
        applies.append(emitter.emit(node.applies))
        value = emitter.emit(node.part)
        emitter.rules[node.index] = value
        values.append(value)
    active: dict[int, str] = {}
    for node in reversed(nodes):  # parents first
        above = active[node.parent.index] if node.parent is not None else "True"
        active[node.index] = emitter.active(above, applies[node.index], node.in_force)
    body = "\n".join(emitter.lines)
    returned = [", ".join(column) for column in (values, applies, [active[n.index] for n in nodes])]
    source = f"def evaluate(facts):\n{body}\n    return {', '.join(f'[{c}]' for c in returned)}\n"
    namespace: dict[str, Any] = dict(emitter.names)
    exec(compile(source, f"<guardpath rules on {on}>", "exec"), namespace)
    evaluator: Evaluator = namespace["evaluate"]
    return evaluator
