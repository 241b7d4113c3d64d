"""Rich views of the legislation: the rule tree, the parameters, one item in full."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from guardpath.cli.render import value_text
from guardpath.cli.words import words
from guardpath.law.changes import Change
from guardpath.law.citations import Citation
from guardpath.law.loader import DEFAULT_ROOT
from guardpath.law.model import (
    LegalException,
    Legislation,
    Obligation,
    OpenQuestion,
    Parameter,
    ParameterValue,
    Period,
    Rule,
)

VERIFIED = Text("✓ verified", style="green")


def verified_mark(verified: bool) -> Text:
    return VERIFIED.copy() if verified else Text("unverified", style="bold yellow")


def citation_texts(citations: Iterable[Citation], with_href: bool = True) -> list[Text]:
    lines = []
    for citation in citations:
        line = Text.assemble("§ ", citation.title, "  ", verified_mark(citation.verified))
        if with_href and citation.href:
            line.append(f"\n  {citation.href}", style="dim blue")
        lines.append(line)
    return lines


def period_text(period: Period | None) -> str:
    if period is None:
        return "always (within its parent)"
    end = f" to {period.end}" if period.end else ""
    return f"from {period.start}{end}"


def amount(value: ParameterValue, unit: str) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool) or unit in ("boolean", "list", ""):
        return value_text(value)
    plural = "" if value == 1 else "s"
    return f"{value} {unit}{plural}"


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
        head.append(f"  ({period_text(rule.period)})", style="dim")
    branch = tree.add(Group(head, *citation_texts(rule.citations, with_href=False)))
    for child in rule.children:
        _rule_node(legislation, child, language, branch)


def rule_tree(legislation: Legislation, language: str) -> Tree:
    children = {child for rule in legislation.rules.values() for child in rule.children}
    tree = Tree(Text(f"Rules ({len(legislation.rules)})", style="bold"))
    for name in sorted(legislation.rules):
        if name not in children:
            _rule_node(legislation, name, language, tree)
    return tree


def parameter_tree(legislation: Legislation, language: str, on: date) -> Tree:
    tree = Tree(Text(f"Parameters ({len(legislation.parameters)}), values on {on}", style="bold"))
    for name, parameter in sorted(legislation.parameters.items()):
        entry = parameter.entry_on(on)
        value = amount(entry.value, parameter.unit) if entry else "not yet in force"
        head = Text.assemble(
            (name, "bold"), "  ", parameter.label.get(language), "  = ", (value, "cyan")
        )
        if len(parameter.values) > 1:
            head.append(f"  ({len(parameter.values)} dated values)", style="dim")
        citations = citation_texts(entry.citations, with_href=False) if entry else []
        tree.add(Group(head, *citations))
    return tree


def obligation_tree(legislation: Legislation, language: str) -> Tree:
    tree = Tree(Text(f"Obligations ({len(legislation.obligations)})", style="bold"))
    for name, obligation in sorted(legislation.obligations.items()):
        head = Text.assemble((name, "bold"), "  ", obligation.label.get(language))
        head.append(f"  ({period_text(obligation.period)})", style="dim")
        tree.add(Group(head, *citation_texts(obligation.citations, with_href=False)))
    return tree


def open_question_lines(questions: Iterable[OpenQuestion]) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for question in questions:
        lines.append(Text.assemble("? ", (question.id, "bold yellow"), f"  {question.question}"))
        lines.append(Text(f"  affects: {', '.join(question.affects)}", style="dim"))
    return lines


def print_listing(console: Console, legislation: Legislation, language: str, on: date) -> None:
    for tree in (
        rule_tree(legislation, language),
        parameter_tree(legislation, language, on),
        obligation_tree(legislation, language),
    ):
        console.print(tree)
        console.print()
    console.print(Text(f"Open questions ({len(legislation.open_questions)})", style="bold"))
    for line in open_question_lines(legislation.open_questions.values()):
        console.print(line)
    console.print(
        Text(
            f"law version {legislation.version}; `guardpath law NAME` shows one in full",
            style="dim",
        )
    )


def _field(name: str, value: str | Text) -> Text:
    return Text.assemble((f"{name}: ", "bold"), value)


def _affecting(legislation: Legislation, name: str) -> list[OpenQuestion]:
    return [q for q in legislation.open_questions.values() if name in q.affects]


def _exception_lines(exception: LegalException, language: str) -> list[RenderableType]:
    then = {True: "met", False: "not met", None: "unknown (the law is not settled)"}[exception.then]
    lines: list[RenderableType] = [
        Text.assemble("unless ", (exception.name, "bold"), f"  {exception.label.get(language)}"),
        Text(
            f"  when {exception.when_source}, the rule is {then}; {period_text(exception.period)}"
        ),
    ]
    if exception.open_question:
        lines.append(Text(f"  open question: {exception.open_question}", style="yellow"))
    lines += [Text.assemble("  ", line) for line in citation_texts(exception.citations)]
    return lines


def rule_view(legislation: Legislation, rule: Rule, language: str) -> list[RenderableType]:
    lines: list[RenderableType] = [
        Text.assemble(("Rule ", "bold"), (rule.name, "bold cyan")),
        _field("label", rule.label.get(language)),
        _field("in force", period_text(rule.period)),
        _field("file", source_file(rule.path)),
    ]
    if rule.description:
        lines.append(_field("description", rule.description))
    if rule.when_source:
        lines.append(_field("applies when", rule.when_source))
    if rule.condition_source:
        lines.append(_field("condition", rule.condition_source))
    if rule.children:
        kind = "all of" if rule.combinator == "all" else "any of"
        lines.append(_field(kind, ", ".join(rule.children)))
    for exception in rule.exceptions:
        lines += _exception_lines(exception, language)
    lines.append(Text.assemble(("citations ", "bold"), verified_mark(rule.verified)))
    lines += citation_texts(rule.citations)
    return lines


def history_table(parameter: Parameter) -> Table:
    table = Table(title="History", title_justify="left", title_style="bold")
    for column in ("from", "to", "value", "verified", "citations"):
        table.add_column(column, no_wrap=column in ("from", "to"))
    for start, end, entry in parameter.periods():
        notes = [c.title for c in entry.citations]
        if entry.open_question:
            notes.append(f"open question: {entry.open_question}")
        if entry.note:
            notes.append(f"note: {entry.note}")
        table.add_row(
            str(start),
            str(end) if end else "…",
            amount(entry.value, parameter.unit),
            verified_mark(entry.verified),
            "\n".join(notes),
        )
    return table


def parameter_view(parameter: Parameter, language: str) -> list[RenderableType]:
    lines: list[RenderableType] = [
        Text.assemble(("Parameter ", "bold"), (parameter.name, "bold cyan")),
        _field("label", parameter.label.get(language)),
        _field("description", parameter.description),
        _field("unit", parameter.unit),
        _field("file", source_file(parameter.path)),
        Text(),
        history_table(parameter),
        Text(),
        Text("sources", style="bold"),
        *citation_texts(dict.fromkeys(c for e in parameter.values for c in e.citations)),
    ]
    return lines


def obligation_view(obligation: Obligation, language: str) -> list[RenderableType]:
    return [
        Text.assemble(("Obligation ", "bold"), (obligation.name, "bold cyan")),
        _field("label", obligation.label.get(language)),
        _field("description", obligation.description),
        _field("in force", period_text(obligation.period)),
        _field("file", source_file(obligation.path)),
        *citation_texts(obligation.citations),
    ]


def question_view(question: OpenQuestion) -> list[RenderableType]:
    return [
        Text.assemble(("Open question ", "bold"), (question.id, "bold yellow")),
        Text(question.question),
        _field("affects", ", ".join(question.affects)),
        _field("source", question.source),
    ]


def print_item(console: Console, legislation: Legislation, name: str, language: str) -> bool:
    """Show one rule, parameter, obligation or open question in full; False if none has `name`."""
    lines: list[RenderableType]
    if name in legislation.rules:
        lines = rule_view(legislation, legislation.rules[name], language)
    elif name in legislation.parameters:
        lines = parameter_view(legislation.parameters[name], language)
    elif name in legislation.obligations:
        lines = obligation_view(legislation.obligations[name], language)
    elif name in legislation.open_questions:
        lines = question_view(legislation.open_questions[name])
    else:
        return False
    if name not in legislation.open_questions:
        affecting = _affecting(legislation, name)
        if affecting:
            lines.append(Text())
            lines.append(Text(f"{words(language)['open_questions']}:", style="bold yellow"))
            lines += open_question_lines(affecting)
    for line in lines:
        console.print(line)
    return True


CHANGE_WORDS = {
    "en": {"starts": "starts", "ends": "ends", "title": "What changed and when", "since": "since"},
    "uk": {
        "starts": "набирає чинності",
        "ends": "втрачає чинність",
        "title": "Що і коли змінилося",
        "since": "з",
    },
}


def print_changes(console: Console, found: list[Change], language: str, since: date | None) -> None:
    """By date, every provision that starts or ends, with its citations."""
    w = CHANGE_WORDS["uk" if language == "uk" else "en"]
    title = w["title"] + (f" ({w['since']} {since})" if since else "")
    console.print(Text(title, style="bold"))
    day: date | None = None
    for change in found:
        if change.day != day:
            day = change.day
            console.print()
            console.print(Text(day.isoformat(), style="bold"))
        line = Text.assemble(
            "  ",
            (w[change.event], "green" if change.event == "starts" else "red"),
            "  ",
            (change.label.get(language), "bold"),
            f"  ({change.name})",
        )
        if change.kind == "parameter":
            line.append(f" = {value_text(change.value) if change.value is not None else '?'}")
        if change.open_question:
            line.append(f"  ? {change.open_question}", style="yellow")
        console.print(line)
        for citation in citation_texts(change.citations, with_href=False):
            console.print(Text("    ").append_text(citation))
