"""The checks made on the whole legislation once every file is read: every reference names
something that exists, rules form a tree, and every open question can reach an answer."""

from __future__ import annotations

import ast

from guardpath.law.language import MARTIAL_LAW
from guardpath.law.model import Legislation

OPEN_QUESTIONS = "open_questions.yaml"


class LegislationError(ValueError):
    """A legislation file that breaks the schema or names what does not exist."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


CASE_TERMS = "enlistment.contract."
"""Parameters the case process reads to write a contract's terms (length, probation); no rule
reads them, yet an open question about them reaches the contract a case is given."""


def _reached(legislation: Legislation) -> set[str]:
    """What an answer can show an open question through: a rule or an exception (its `affects`),
    an obligation, a parameter a rule reads (its unknown values name their question), and the
    contract-term parameters of the case process."""
    read: set[str] = set()
    for rule in legislation.rules.values():
        trees = [rule.condition, rule.when, *(e.when for e in rule.exceptions)]
        for tree in trees:
            if tree is not None:
                read |= _parameters_read(tree)
    reached = set(legislation.rules) | set(legislation.obligations)
    reached |= {f"{r.name}.{e.name}" for r in legislation.rules.values() for e in r.exceptions}
    return reached | {p for p in legislation.parameters if p in read or p.startswith(CASE_TERMS)}


def _parameters_read(tree: ast.expr) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "param" and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
            elif node.func.id in (
                "martial_law",
                "served_in_martial_law",
                "served_in_martial_law_with_gaps",
            ):
                names.add(MARTIAL_LAW)
    return names


def _check_reachable(legislation: Legislation) -> None:
    """An open question that no answer can show is a defect: each must affect a rule, an
    exception or an obligation, or be named by a value of a parameter some rule reads."""
    reached = _reached(legislation)
    named: set[str] = set()
    for rule in legislation.rules.values():
        named |= {e.open_question for e in rule.exceptions if e.open_question}
    for name, parameter in legislation.parameters.items():
        if name in reached:
            named |= {v.open_question for v in parameter.values if v.open_question}
    direct = {name for name in reached if name not in legislation.parameters}
    for question in legislation.open_questions.values():
        if question.id in named or direct & set(question.affects):
            continue
        case_terms = {a for a in question.affects if a.startswith(CASE_TERMS)}
        if case_terms:
            continue
        raise LegislationError(
            OPEN_QUESTIONS,
            f"{question.id} is reachable from no rule: it affects no rule, exception or "
            "obligation, and no parameter a rule reads names it",
        )


def check_references(legislation: Legislation) -> None:
    """The checks `load` makes once every file is read: references, open questions, cycles."""
    known = set(legislation.parameters) | set(legislation.rules) | set(legislation.obligations)
    known |= {f"{r.name}.{e.name}" for r in legislation.rules.values() for e in r.exceptions}
    for rule in legislation.rules.values():
        for child in rule.children:
            if child not in legislation.rules:
                raise LegislationError(
                    rule.path, f"refers to the rule {child!r}, which does not exist"
                )
        for exception in rule.exceptions:
            _check_question(legislation, rule.path, exception.open_question)
    _check_cycles(legislation)
    for parameter in legislation.parameters.values():
        for value in parameter.values:
            _check_question(legislation, parameter.path, value.open_question)
    for question in legislation.open_questions.values():
        for name in question.affects:
            if name not in known:
                raise LegislationError(OPEN_QUESTIONS, f"{question.id} affects unknown {name!r}")
    _check_reachable(legislation)


def _check_cycles(legislation: Legislation) -> None:
    """A rule may not contain itself, however deep: the tree must be a tree."""
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = " → ".join((*path[path.index(name) :], name))
            raise LegislationError(legislation.rules[name].path, f"rules refer in a cycle: {cycle}")
        if name in done:
            return
        for child in legislation.rules[name].children:
            visit(child, (*path, name))
        done.add(name)

    for name in legislation.rules:
        visit(name, ())


def _check_question(legislation: Legislation, path: str, question: str | None) -> None:
    if question is not None and question not in legislation.open_questions:
        raise LegislationError(
            path, f"names the open question {question!r}, not in {OPEN_QUESTIONS}"
        )
