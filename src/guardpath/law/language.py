"""The rule language: a small, safe subset of Python expressions over facts and parameters.

    18 <= age(birth_date) <= param('enlistment.common.age.max')
    'UA' not in citizenships and stay_basis in ['visa', 'visa_free']
    served('afu', 'contract', 3) and param('citizenship.service_counts.afu')

Names are facts of the contract (and `on`, the question's date); functions are `age`, `param`,
`martial_law`, `served` and `served_in_martial_law`. Anything else is refused when the
legislation loads, with the file named.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
    Served,
    ServedDuring,
)
from guardpath.law.facts import BASES, FACT_NAMES, FORMATIONS

FUNCTIONS = {
    "age": 1,
    "param": 1,
    "martial_law": 0,
    "served": 3,
    "served_in_martial_law": 3,
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


def parse(source: str, parameters: set[str]) -> ast.expr:
    """Parse and check an expression; raises LanguageError saying what is not allowed."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise LanguageError(f"cannot parse {source!r}: {error.msg}") from None
    _check(tree.body, parameters)
    return tree.body


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | bool | type(None)):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(_literal(item) for item in node.elts)
    raise LanguageError(f"expected a literal, found {ast.unparse(node)!r}")


def _check(node: ast.expr, parameters: set[str]) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, parameters)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, parameters)
    elif isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _check(part, parameters)
    elif isinstance(node, ast.Compare):
        _check_compare(node, parameters)
    elif isinstance(node, ast.Name):
        if node.id not in FACT_NAMES and node.id != "on":
            raise LanguageError(f"unknown name {node.id!r}; names are facts or 'on'")
    elif isinstance(node, ast.Call):
        _check_call(node, parameters)
    elif isinstance(node, ast.Constant | ast.List | ast.Tuple):
        _literal(node)
    else:
        raise LanguageError(f"{ast.unparse(node)!r} is not allowed in a rule expression")


def _check_compare(node: ast.Compare, parameters: set[str]) -> None:
    _check(node.left, parameters)
    for op, right in zip(node.ops, node.comparators, strict=True):
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(right, ast.List | ast.Tuple | ast.Name | ast.Call):
                raise LanguageError("'in' takes a list, a list fact or param(...) on its right")
        elif type(op) not in COMPARE_OPS:
            raise LanguageError(f"comparison {ast.unparse(node)!r} is not allowed")
        _check(right, parameters)


def _check_call(node: ast.Call, parameters: set[str]) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise LanguageError(
            f"unknown function in {ast.unparse(node)!r}; known: {sorted(FUNCTIONS)}"
        )
    name = node.func.id
    if node.keywords or len(node.args) != FUNCTIONS[name]:
        raise LanguageError(f"{name}() takes {FUNCTIONS[name]} positional argument(s)")
    if name == "param":
        target = _literal(node.args[0])
        if target not in parameters:
            raise LanguageError(f"param({target!r}) names no parameter in the legislation")
    elif name == "martial_law":
        if MARTIAL_LAW not in parameters:
            raise LanguageError(f"martial_law() needs the parameter {MARTIAL_LAW}")
    elif name in ("served", "served_in_martial_law"):
        formation, basis, years = (_literal(a) for a in node.args)
        if formation not in FORMATIONS or basis not in BASES or not isinstance(years, int):
            raise LanguageError(f"{name}(formation, basis, years) with formation in {FORMATIONS}")
    else:
        _check(node.args[0], parameters)


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
        formation, basis, years = (_literal(a) for a in node.args)
        periods = Fact("service_periods")
        if name == "served":
            return Served(periods, formation, basis, years, self.on)
        self.used[MARTIAL_LAW] = self.value_of(MARTIAL_LAW, self.on)
        return ServedDuring(periods, formation, basis, years, self.on, self.martial_law_intervals)
