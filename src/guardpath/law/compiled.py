"""A question compiled for one date: the rule tree with parameters and periods resolved.

The engine, not the rules, selects what is in force: a rule outside its period is not
applicable, an exception outside its period is left out, and each `param(...)` is replaced by its
value on the date. Compiled questions are cached per (legislation, question, date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from guardpath.law.codegen import Evaluator, generate
from guardpath.law.exceptions import Branch, WithExceptions
from guardpath.law.explainer import Explainer, generate_explainer
from guardpath.law.explanation import static_explanation
from guardpath.law.expr import NO_FACTS, Const, Expr, Junction, Not
from guardpath.law.facts import Facts
from guardpath.law.language import MARTIAL_LAW, Builder
from guardpath.law.model import Legislation, Obligation
from guardpath.law.nodes import Node, RuleRef, Scope

QUESTIONS = ("enlistment", "citizenship")


@dataclass(eq=False)
class CompiledQuestion:
    question: str
    on: date
    version: str
    root: Node
    nodes: tuple[Node, ...]  # children before parents
    obligations: tuple[Obligation, ...]
    legislation: Legislation

    evaluator: Evaluator
    questioned: tuple[Node, ...] = ()
    owed_when: dict[str, Expr] = field(default_factory=dict)
    """The obligations that concern only some people, each with its condition on the date."""
    explainers: dict[str, Explainer] = field(default_factory=dict)
    met_questions: dict[tuple[bool, ...], tuple[str, ...]] = field(default_factory=dict)
    """The open questions of an answer that is met, by which questioned rules were reached
    (applied and not failed): a person meeting the rules looks them up instead of walking."""

    def __post_init__(self) -> None:
        self.reached = reached_rules(self.questioned)

    def evaluate_values(self, facts: Facts) -> Scope:
        """Every rule's value for one person, by the generated evaluator."""
        return Scope(facts, *self.evaluator(facts))

    def explainer(self, language: str) -> Explainer:
        """The generated builder of the explanation tree in `language`, made once."""
        built = self.explainers.get(language)
        if built is None:
            statics = [static_explanation(node, language) for node in self.nodes]
            built = self.explainers[language] = generate_explainer(self.nodes, self.on, statics)
        return built

    def interpret_values(self, facts: Facts) -> Scope:
        """The same values by walking the expressions: the reference for the generated code."""
        count = len(self.nodes)
        scope = Scope(facts, [None] * count, [None] * count, [False] * count)
        for node in self.nodes:
            scope.applies[node.index] = node.applies.value(scope)
            scope.rules[node.index] = node.part.value(scope)
        for node in self.nodes:
            scope.active[node.index] = all(
                n.in_force and scope.applies[n.index] is not False for n in node.lineage
            )
        return scope


Reached = Callable[[list[bool | None], list[bool]], tuple[bool, ...]]


def reached_rules(questioned: tuple[Node, ...]) -> Reached:
    """A generated function telling, for each questioned rule, whether it applied to the person
    and was not failed (met or left open). Only the nodes' indexes are written into the source."""
    parts = "".join(f"rules[{n.index}] is not False and active[{n.index}], " for n in questioned)
    source = f"def reached(rules, active):\n    return ({parts})\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<guardpath questioned rules>", "exec"), namespace)
    reached: Reached = namespace["reached"]
    return reached


def martial_law_intervals(legislation: Legislation) -> tuple[tuple[date, date | None], ...]:
    if MARTIAL_LAW not in legislation.parameters:
        return ()
    periods = legislation.parameters[MARTIAL_LAW].periods()
    return tuple((start, end) for start, end, entry in periods if entry.value is True)


class _Compiler:
    def __init__(self, legislation: Legislation, on: date) -> None:
        self.legislation = legislation
        self.on = on
        self.intervals = martial_law_intervals(legislation)
        self.nodes: list[Node] = []

    def _builder(self) -> Builder:
        return Builder(self.on, self._value_of, self.intervals)

    def _value_of(self, name: str, on: date) -> Any:
        return self.legislation.parameters[name].value_on(on)

    def _open_questions(
        self, node: Node, branches: tuple[Branch, ...]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Open questions about this rule itself, and those where the law it would apply here
        is unknown (a parameter value of null, an exception of unknown consequence)."""
        about_rule = frozenset(
            q.id for q in self.legislation.open_questions.values() if node.rule.name in q.affects
        )
        entries = [e for e in node.parameter_entries.values() if e is not None]
        unknown = {e.open_question for e in entries if e.value is None and e.open_question}
        return about_rule, frozenset(unknown)

    @staticmethod
    def _unknown_exceptions(
        node: Node, branches: tuple[Branch, ...]
    ) -> tuple[tuple[Expr, str], ...]:
        questions = {e.name: e.open_question for e in node.rule.exceptions if e.then is None}
        return tuple(
            (b.when, question) for b in branches if (question := questions.get(b.name)) is not None
        )

    def compile(self, name: str, mode: str, parent_in_force: bool = True) -> Node:
        rule = self.legislation.rules[name]
        in_force = parent_in_force and (rule.period is None or rule.period.contains(self.on))
        builder = self._builder()
        children = tuple(
            self.compile(child, rule.combinator or "all", in_force) for child in rule.children
        )
        base: Expr
        if rule.condition is not None:
            base = builder.build(rule.condition)
        else:
            kind = "and" if rule.combinator == "all" else "or"
            base = Junction(kind, tuple(RuleRef(child) for child in children))
        branches = tuple(
            Branch(e.name, builder.build(e.when), e.then)
            for e in rule.exceptions
            if e.period is None or e.period.contains(self.on)
        )
        holds = WithExceptions(rule.name, base, branches) if branches else base
        applies: Expr = Const(in_force)
        if in_force and rule.when is not None:
            applies = builder.build(rule.when)
        if mode == "any":
            part: Expr = Junction("and", (applies, holds))
        else:
            part = Junction("or", (Not(applies), holds))
        own = [holds.facts() if rule.condition is not None else NO_FACTS, applies.facts()]
        own += [b.when.facts() for b in branches]
        own_facts = frozenset().union(*own)
        node = Node(
            index=len(self.nodes),
            rule=rule,
            in_force=in_force,
            applies=applies,
            holds=holds,
            part=part,
            children=children,
            exceptions=tuple((b.name, b.when, b.then) for b in branches),
            parameters=dict(builder.used),
            own_facts=own_facts,
            all_facts=part.facts(),
        )
        node.parameter_entries = {
            name: self.legislation.parameters[name].entry_on(self.on) for name in builder.used
        }
        node.open_questions, node.unknown_law = self._open_questions(node, branches)
        node.unknown_exceptions = self._unknown_exceptions(node, branches)
        for child in children:
            child.parent = node
        uses = sum(1 for other in self.nodes if other.rule.name == rule.name)
        node.key = rule.name if uses == 0 else f"{rule.name}#{uses + 1}"
        self.nodes.append(node)
        return node


@lru_cache(maxsize=4096)
def compile_question(legislation: Legislation, question: str, on: date) -> CompiledQuestion:
    if question not in legislation.rules:
        raise ValueError(f"question: {question!r} is not one of {', '.join(QUESTIONS)}")
    compiler = _Compiler(legislation, on)
    root = compiler.compile(question, "all")
    obligations = tuple(
        o
        for o in legislation.obligations.values()
        if o.name.startswith(f"{question}.") and o.period.contains(on)
    )
    nodes = tuple(compiler.nodes)
    builder = compiler._builder()
    owed_when = {o.name: builder.build(o.when) for o in obligations if o.when is not None}
    return CompiledQuestion(
        question,
        on,
        legislation.version,
        root,
        nodes,
        obligations,
        legislation,
        generate(nodes, on),
        tuple(
            node
            for node in nodes
            if node.open_questions or node.unknown_law or node.unknown_exceptions
        ),
        owed_when,
    )
