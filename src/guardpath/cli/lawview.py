"""Rich views of the legislation: the rule tree, the parameters, the obligations and the open
questions, and the helpers the views of one item (law_item) and of the changes (law_changes)
share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from guardpath.cli.render import value_text
from guardpath.law.citations import Citation
from guardpath.law.loader import DEFAULT_ROOT
from guardpath.law.model import (
    Legislation,
    OpenQuestion,
    ParameterValue,
    Period,
)
from guardpath.words import CLI, CLI_UNIT, LAW_WORDS, UNIT_NAMES, UNITS, said


def lw(language: str) -> dict[str, str]:
    return said(LAW_WORDS, language, CLI)


def verified_mark(verified: bool, language: str = "en") -> Text:
    if verified:
        return Text(lw(language)["verified"], style="green")
    return Text(lw(language)["unverified"], style="bold yellow")


def citation_texts(
    citations: Iterable[Citation], with_href: bool = True, language: str = "en"
) -> list[Text]:
    lines = []
    for citation in citations:
        line = Text.assemble(
            "§ ", citation.title(language), "  ", verified_mark(citation.verified, language)
        )
        if with_href and citation.href:
            line.append(f"\n  {citation.href}", style="dim blue")
        lines.append(line)
    return lines


def period_text(period: Period | None, language: str = "en") -> str:
    w = lw(language)
    if period is None:
        return w["always"]
    end = w["to"].format(period.end) if period.end else ""
    return w["from"].format(period.start) + end


def unit_name(unit: str, language: str) -> str:
    """A parameter's unit in words (`KeyError` for a unit the law does not use)."""
    return said(UNIT_NAMES, language, CLI)[unit]


def amount(value: ParameterValue, unit: str, language: str = "en") -> str:
    if value is None:
        return lw(language)["unknown"]
    if isinstance(value, bool) or unit in ("boolean", "list", "code", ""):
        return value_text(value, language)
    if language == "en":
        plural = "" if value == 1 else "s"
        return f"{value} {unit}{plural}"
    word = said(UNITS, language, CLI_UNIT).get(unit)
    return f"{value} {word or unit}"


def source_file(relative: str) -> str:
    path = DEFAULT_ROOT / relative
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _rule_node(legislation: Legislation, name: str, language: str, tree: Tree) -> None:
    rule = legislation.rules[name]
    head = Text.assemble((name, "bold"), "  ", rule.label.get(language))
    if rule.period is not None:
        head.append(f"  ({period_text(rule.period, language)})", style="dim")
    branch = tree.add(Group(head, *citation_texts(rule.citations, False, language)))
    for child in rule.children:
        _rule_node(legislation, child, language, branch)


def rule_tree(legislation: Legislation, language: str) -> Tree:
    children = {child for rule in legislation.rules.values() for child in rule.children}
    tree = Tree(Text(lw(language)["rules"].format(len(legislation.rules)), style="bold"))
    for name in sorted(legislation.rules):
        if name not in children:
            _rule_node(legislation, name, language, tree)
    return tree


def parameter_tree(legislation: Legislation, language: str, on: date) -> Tree:
    w = lw(language)
    tree = Tree(Text(w["parameters"].format(len(legislation.parameters), on), style="bold"))
    for name, parameter in sorted(legislation.parameters.items()):
        entry = parameter.entry_on(on)
        value = amount(entry.value, parameter.unit, language) if entry else w["not_in_force"]
        head = Text.assemble(
            (name, "bold"), "  ", parameter.label.get(language), "  = ", (value, "cyan")
        )
        if len(parameter.values) > 1:
            head.append("  " + w["dated_values"].format(len(parameter.values)), style="dim")
        citations = citation_texts(entry.citations, False, language) if entry else []
        tree.add(Group(head, *citations))
    return tree


def obligation_tree(legislation: Legislation, language: str) -> Tree:
    count = len(legislation.obligations)
    tree = Tree(Text(lw(language)["obligations"].format(count), style="bold"))
    for name, obligation in sorted(legislation.obligations.items()):
        head = Text.assemble((name, "bold"), "  ", obligation.label.get(language))
        head.append(f"  ({period_text(obligation.period, language)})", style="dim")
        tree.add(Group(head, *citation_texts(obligation.citations, False, language)))
    return tree


def open_question_lines(
    questions: Iterable[OpenQuestion], language: str = "en"
) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for question in questions:
        text = question.question.get(language)
        lines.append(Text.assemble("? ", (question.id, "bold yellow"), f"  {text}"))
        affects = ", ".join(question.affects)
        lines.append(Text(f"  {lw(language)['affects']}: {affects}", style="dim"))
    return lines


def print_listing(console: Console, legislation: Legislation, language: str, on: date) -> None:
    for tree in (
        rule_tree(legislation, language),
        parameter_tree(legislation, language, on),
        obligation_tree(legislation, language),
    ):
        console.print(tree)
        console.print()
    w = lw(language)
    console.print(Text(w["open_questions"].format(len(legislation.open_questions)), style="bold"))
    for line in open_question_lines(legislation.open_questions.values(), language):
        console.print(line)
    console.print(Text(w["footer"].format(legislation.version), style="dim"))
