"""The rule language: a small, safe subset of Python expressions over facts and parameters.

    18 <= age(birth_date) <= param('enlistment.common.age.max')
    'UA' not in citizenships and stay_basis in ['visa', 'visa_free']
    served('afu', 'contract', 3) and param('citizenship.service_counts.afu')

Names are facts of the contract (and `on`, the question's date); functions are `age`, `param`,
`martial_law`, `served`, `served_in_martial_law`, `served_in_martial_law_with_gaps` and
`serving`. Anything else is refused when the
legislation loads, with the file named.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from guardpath.law.continuous import FUNCTION as CONTINUOUS
from guardpath.law.continuous import ServedAcross
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
from guardpath.law.facts import (
    BASES,
    BOOL_FACTS,
    COUNTRY_CODES,
    DATE_FACTS,
    ENUM_FACTS,
    FORMATIONS,
)
from guardpath.law.service import Served, ServedDuring, Serving

FUNCTIONS = {
    "age": 1,
    "param": 1,
    "martial_law": 0,
    "served": 3,
    "served_in_martial_law": 3,
    "served_in_martial_law_with_gaps": 3,
    "serving": 2,
    CONTINUOUS: 3,
}
COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
MARTIAL_LAW = "martial_law.in_force"


class LanguageError(ValueError):
    pass


ParameterTypes = Mapping[str, str]
"""Each parameter's type in the language: 'int', 'bool', 'str' or 'list'."""

UNIT_TYPES = {"year": "int", "month": "int", "boolean": "bool", "list": "list", "code": "str"}
FACT_TYPES: dict[str, str] = {
    **{name: "date" for name in DATE_FACTS},
    **{name: "str" for name in ENUM_FACTS},
    **{name: "bool" for name in BOOL_FACTS},
    "citizenships": "list",
    "service_periods": "periods",
}


def parse(source: str, parameters: ParameterTypes) -> ast.expr:
    """Parse and check an expression, types included; raises LanguageError saying what is wrong."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise LanguageError(f"cannot parse {source!r}: {error.msg}") from None
    kind = _Checker(parameters).type(tree.body)
    if kind != "bool":
        raise LanguageError(f"{source!r} is a {kind}, not a condition")
    return tree.body


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | bool | type(None)):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(_literal(item) for item in node.elts)
    raise LanguageError(f"expected a literal, found {ast.unparse(node)!r}")


def _constant_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    raise LanguageError(f"{value!r} is not a value the language compares")


class _Checker:
    """Checks names, functions and types, so a rule that loads can always be evaluated."""

    def __init__(self, parameters: ParameterTypes) -> None:
        self.parameters = parameters

    def type(self, node: ast.expr) -> str:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.expect(value, "bool")
            return "bool"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.expect(node.operand, "bool")
            return "bool"
        if isinstance(node, ast.IfExp):
            self.expect(node.test, "bool")
            kind = self.type(node.body)
            self.expect(node.orelse, kind)
            return kind
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Name):
            if node.id == "on":
                return "date"
            if node.id not in FACT_TYPES:
                raise LanguageError(f"unknown name {node.id!r}; names are facts or 'on'")
            return FACT_TYPES[node.id]
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Constant):
            return _constant_type(node.value)
        if isinstance(node, ast.List | ast.Tuple):
            _literal(node)
            return "literal_list"
        raise LanguageError(f"{ast.unparse(node)!r} is not allowed in a rule expression")

    def expect(self, node: ast.expr, kind: str) -> None:
        found = self.type(node)
        if found != kind:
            raise LanguageError(f"{ast.unparse(node)!r} is a {found}, where a {kind} is needed")

    def compare(self, node: ast.Compare) -> str:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                self.membership(left, right)
            elif type(op) in COMPARE_OPS:
                self.comparison(left, op, right)
            else:
                raise LanguageError(f"comparison {ast.unparse(node)!r} is not allowed")
            left = right
        return "bool"

    def membership(self, item: ast.expr, container: ast.expr) -> None:
        kind = self.type(container)
        if kind == "literal_list":
            self.expect(item, "str")
            self.values_allowed(item, [_literal(e) for e in container.elts])  # type: ignore[attr-defined]
        elif kind == "list":
            if isinstance(container, ast.Name):
                value = _literal(item)
                if not isinstance(value, str) or value not in COUNTRY_CODES:
                    raise LanguageError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
            else:
                self.expect(item, "str")
        else:
            raise LanguageError(f"'in' takes a list on its right, not {ast.unparse(container)!r}")

    def comparison(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> None:
        kinds = (self.type(left), self.type(right))
        if kinds[0] != kinds[1]:
            raise LanguageError(f"cannot compare a {kinds[0]} with a {kinds[1]}")
        if kinds[0] in ("list", "periods", "literal_list"):
            raise LanguageError(f"cannot compare {kinds[0]}s")
        ordering = not isinstance(op, ast.Eq | ast.NotEq)
        if ordering and kinds[0] not in ("int", "date"):
            raise LanguageError(f"{kinds[0]}s have no order; use == or !=")
        for fact, other in ((left, right), (right, left)):
            if isinstance(other, ast.Constant):
                self.values_allowed(fact, [other.value])

    def values_allowed(self, node: ast.expr, values: list[Any]) -> None:
        """An enumerated fact compared with a value it can never take is a typo in the law."""
        if isinstance(node, ast.Name) and node.id in ENUM_FACTS:
            accepted = ENUM_FACTS[node.id]
            for value in values:
                if value not in accepted:
                    raise LanguageError(f"{node.id} is never {value!r}; it is one of {accepted}")

    def call(self, node: ast.Call) -> str:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            known = sorted(FUNCTIONS)
            raise LanguageError(f"unknown function in {ast.unparse(node)!r}; known: {known}")
        name = node.func.id
        if node.keywords or len(node.args) != FUNCTIONS[name]:
            raise LanguageError(f"{name}() takes {FUNCTIONS[name]} positional argument(s)")
        if name == "param":
            target = _literal(node.args[0])
            if target not in self.parameters:
                raise LanguageError(f"param({target!r}) names no parameter in the legislation")
            return self.parameters[target]
        if name == "martial_law":
            if MARTIAL_LAW not in self.parameters:
                raise LanguageError(f"martial_law() needs the parameter {MARTIAL_LAW}")
            return "bool"
        if name == "age":
            self.expect(node.args[0], "date")
            return "int"
        if name == "serving":
            self.formations(name, node.args[0], several=True)
            self.basis(name, node.args[1])
            return "bool"
        self.formations(name, node.args[0], several=name != "served")
        self.basis(name, node.args[1])
        years = _literal(node.args[2])
        if isinstance(years, bool) or not isinstance(years, int):
            raise LanguageError(f"{name}(): years must be a whole number, not {years!r}")
        return "bool"

    def formations(self, name: str, node: ast.expr, several: bool) -> None:
        value = _literal(node)
        chosen = value if several and isinstance(value, tuple) else (value,)
        if not chosen or any(f not in FORMATIONS for f in chosen):
            what = "a formation or a list of formations" if several else "a formation"
            raise LanguageError(f"{name}(): expected {what} among {FORMATIONS}, not {value!r}")

    def basis(self, name: str, node: ast.expr) -> None:
        value = _literal(node)
        if value not in BASES:
            raise LanguageError(f"{name}(): the basis is one of {BASES}, not {value!r}")


@dataclass
class Builder:
    """Builds closed expressions for one question date, noting the parameters they read."""

    on: date
    value_of: Callable[[str, date], Any]
    martial_law_intervals: tuple[tuple[date, date | None], ...]
    used: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Const:
        value = self.value_of(name, self.on)
        self.used[name] = value
        return Const(value)

    def build(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.BoolOp):
            kind = "and" if isinstance(node.op, ast.And) else "or"
            return Junction(kind, tuple(self.build(v) for v in node.values))
        if isinstance(node, ast.UnaryOp):
            return Not(self.build(node.operand))
        if isinstance(node, ast.IfExp):
            return IfElse(self.build(node.test), self.build(node.body), self.build(node.orelse))
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Name):
            return Const(self.on) if node.id == "on" else Fact(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        return Const(_literal(node))

    def _compare(self, node: ast.Compare) -> Expr:
        parts: list[Expr] = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts.append(self._compare_one(left, op, right))
            left = right
        return parts[0] if len(parts) == 1 else Junction("and", tuple(parts))

    def _compare_one(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Expr:
        if isinstance(op, ast.In | ast.NotIn):
            inside: Expr
            if isinstance(right, ast.Name):
                inside = Contains(Fact(right.id), _literal(left))
            elif isinstance(right, ast.Call):
                choices = self.build(right)
                if not isinstance(choices, Const) or not isinstance(choices.constant, tuple):
                    raise LanguageError(f"{ast.unparse(right)!r} is not a list parameter")
                inside = IsIn(self.build(left), choices.constant)
            else:
                inside = IsIn(self.build(left), _literal(right))
            return Not(inside) if isinstance(op, ast.NotIn) else inside
        return Compare(COMPARE_OPS[type(op)], self.build(left), self.build(right))

    def _call(self, node: ast.Call) -> Expr:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name == "param":
            return self.param(_literal(node.args[0]))
        if name == "martial_law":
            return self.param(MARTIAL_LAW)
        if name == "age":
            return Age(self.build(node.args[0]), self.on)
        periods = Fact("service_periods")
        formations = _formations(_literal(node.args[0]))
        basis = _literal(node.args[1])
        if name == "serving":
            return Serving(periods, formations, basis, self.on)
        years = _literal(node.args[2])
        if name == CONTINUOUS:  # service continues across a transfer between formations
            self.used[MARTIAL_LAW] = self.value_of(MARTIAL_LAW, self.on)
            intervals = self.martial_law_intervals
            return ServedAcross(periods, formations, basis, years, self.on, intervals)
        if name == "served":
            return Served(periods, formations[0], basis, years, self.on)
        self.used[MARTIAL_LAW] = self.value_of(MARTIAL_LAW, self.on)
        gaps = name == "served_in_martial_law_with_gaps"
        return ServedDuring(
            periods, formations, basis, years, self.on, self.martial_law_intervals, gaps
        )


def _formations(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple) else (value,)
