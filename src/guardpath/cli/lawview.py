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
from guardpath.law.text import Text as Words

LAW_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "verified": "✓ verified",
        "unverified": "unverified",
        "always": "always (within its parent)",
        "from": "from {}",
        "to": " to {}",
        "unknown": "unknown",
        "rules": "Rules ({})",
        "parameters": "Parameters ({}), values on {}",
        "not_in_force": "not yet in force",
        "dated_values": "({} dated values)",
        "obligations": "Obligations ({})",
        "affects": "affects",
        "open_questions": "Open questions ({})",
        "footer": "law version {}; `guardpath law NAME` shows one in full",
        "label": "label",
        "in_force": "in force",
        "file": "file",
        "description": "description",
        "applies_when": "applies when",
        "condition": "condition",
        "all": "all of",
        "any": "any of",
        "unless": "unless",
        "exception_when": "  when {}, the rule is {}; {}",
        "met": "met",
        "not_met": "not met",
        "unsettled": "unknown (the law is not settled)",
        "open_question": "open question",
        "note": "note",
        "citations": "citations",
        "history": "History",
        "value": "value",
        "sources": "sources",
        "unit": "unit",
        "source": "source",
        "rule": "Rule",
        "parameter": "Parameter",
        "obligation": "Obligation",
        "question": "Open question",
    },
    "uk": {
        "verified": "✓ перевірено",
        "unverified": "не перевірено",
        "always": "завжди (у межах вищого правила)",
        "from": "з {}",
        "to": " по {}",
        "unknown": "невідомо",
        "rules": "Правила ({})",
        "parameters": "Параметри ({}), значення на {}",
        "not_in_force": "ще не чинний",
        "dated_values": "(датованих значень: {})",
        "obligations": "Обов'язки ({})",
        "affects": "стосується",
        "open_questions": "Відкриті питання ({})",
        "footer": "версія законодавства {}",
        "label": "назва",
        "in_force": "чинне",
        "file": "файл",
        "description": "опис",
        "applies_when": "застосовується, коли",
        "condition": "умова",
        "all": "усі з",
        "any": "будь-яке з",
        "unless": "крім випадку",
        "exception_when": "  коли виконується умова винятку, правило {1}; {2}",
        "met": "виконано",
        "not_met": "не виконано",
        "unsettled": "невідомо (право не визначене)",
        "open_question": "відкрите питання",
        "note": "примітка",
        "citations": "джерела",
        "history": "Історія",
        "value": "значення",
        "sources": "джерела",
        "unit": "одиниця",
        "source": "джерело",
        "rule": "Правило",
        "parameter": "Параметр",
        "obligation": "Обов'язок",
        "question": "Відкрите питання",
    },
}


def lw(language: str) -> dict[str, str]:
    return LAW_WORDS.get(language, LAW_WORDS["en"])


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


UNITS = {"year": Words("year", "р."), "month": Words("month", "міс.")}
UNIT_NAMES = {
    "year": Words("year", "рік"),
    "month": Words("month", "місяць"),
    "boolean": Words("boolean", "так або ні"),
    "list": Words("list", "перелік"),
    "code": Words("code", "код"),
}


def amount(value: ParameterValue, unit: str, language: str = "en") -> str:
    if value is None:
        return lw(language)["unknown"]
    if isinstance(value, bool) or unit in ("boolean", "list", "code", ""):
        return value_text(value, language)
    if language == "en":
        plural = "" if value == 1 else "s"
        return f"{value} {unit}{plural}"
    word = UNITS.get(unit)
    return f"{value} {word.get(language) if word else unit}"


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


def _field(name: str, value: str | Text) -> Text:
    return Text.assemble((f"{name}: ", "bold"), value)


def _affecting(legislation: Legislation, name: str) -> list[OpenQuestion]:
    return [q for q in legislation.open_questions.values() if name in q.affects]


def _exception_lines(exception: LegalException, language: str) -> list[RenderableType]:
    w = lw(language)
    then = {True: w["met"], False: w["not_met"], None: w["unsettled"]}[exception.then]
    period = period_text(exception.period, language)
    lines: list[RenderableType] = [
        Text.assemble(
            f"{w['unless']} ", (exception.name, "bold"), f"  {exception.label.get(language)}"
        ),
        Text(w["exception_when"].format(exception.when_source, then, period)),
    ]
    if exception.open_question:
        question = f"  {w['open_question']}: {exception.open_question}"
        lines.append(Text(question, style="yellow"))
    lines += [
        Text.assemble("  ", line) for line in citation_texts(exception.citations, True, language)
    ]
    return lines


def rule_view(legislation: Legislation, rule: Rule, language: str) -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['rule']} ", "bold"), (rule.name, "bold cyan")),
        _field(w["label"], rule.label.get(language)),
        _field(w["in_force"], period_text(rule.period, language)),
        _field(w["file"], source_file(rule.path)),
    ]
    if rule.description:
        lines.append(_field(w["description"], rule.description.get(language)))
    if rule.when_source:
        lines.append(_field(w["applies_when"], rule.when_source))
    if rule.condition_source:
        lines.append(_field(w["condition"], rule.condition_source))
    if rule.children:
        kind = w["all"] if rule.combinator == "all" else w["any"]
        lines.append(_field(kind, ", ".join(rule.children)))
    for exception in rule.exceptions:
        lines += _exception_lines(exception, language)
    lines.append(
        Text.assemble((f"{w['citations']} ", "bold"), verified_mark(rule.verified, language))
    )
    lines += citation_texts(rule.citations, True, language)
    return lines


def history_table(parameter: Parameter, language: str = "en") -> Table:
    w, cli = lw(language), words(language)
    table = Table(title=w["history"], title_justify="left", title_style="bold")
    columns = (cli["from"], cli["to"], w["value"], w["verified"].lstrip("✓ "), w["citations"])
    for index, column in enumerate(columns):
        table.add_column(column, no_wrap=index < 2)
    for start, end, entry in parameter.periods():
        notes = [c.title(language) for c in entry.citations]
        if entry.open_question:
            notes.append(f"{w['open_question']}: {entry.open_question}")
        if entry.note and language == "en":
            notes.append(f"{w['note']}: {entry.note}")
        table.add_row(
            str(start),
            str(end) if end else "…",
            amount(entry.value, parameter.unit, language),
            verified_mark(entry.verified, language),
            "\n".join(notes),
        )
    return table


def parameter_view(parameter: Parameter, language: str) -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['parameter']} ", "bold"), (parameter.name, "bold cyan")),
        _field(w["label"], parameter.label.get(language)),
        _field(w["description"], parameter.description.get(language)),
        _field(w["unit"], UNIT_NAMES[parameter.unit].get(language)),
        _field(w["file"], source_file(parameter.path)),
        Text(),
        history_table(parameter, language),
        Text(),
        Text(w["sources"], style="bold"),
        *citation_texts(
            dict.fromkeys(c for e in parameter.values for c in e.citations), True, language
        ),
    ]
    return lines


def obligation_view(obligation: Obligation, language: str) -> list[RenderableType]:
    w = lw(language)
    return [
        Text.assemble((f"{w['obligation']} ", "bold"), (obligation.name, "bold cyan")),
        _field(w["label"], obligation.label.get(language)),
        _field(w["description"], obligation.description.get(language)),
        _field(w["in_force"], period_text(obligation.period, language)),
        _field(w["file"], source_file(obligation.path)),
        *citation_texts(obligation.citations, True, language),
    ]


def question_view(question: OpenQuestion, language: str = "en") -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['question']} ", "bold"), (question.id, "bold yellow")),
        Text(question.question.get(language)),
        _field(w["affects"], ", ".join(question.affects)),
    ]
    if language == "en":  # where it was raised: the team's English brief, not a legal source
        lines.append(_field(w["source"], question.source))
    return lines


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
        lines = question_view(legislation.open_questions[name], language)
    else:
        return False
    if name not in legislation.open_questions:
        affecting = _affecting(legislation, name)
        if affecting:
            lines.append(Text())
            lines.append(Text(f"{words(language)['open_questions']}:", style="bold yellow"))
            lines += open_question_lines(affecting, language)
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


def print_changes(
    console: Console,
    found: list[Change],
    language: str,
    since: date | None,
    legislation: Legislation | None = None,
) -> None:
    """By date, every provision that starts or ends, with its citations. English output names
    each provision's handle and open question; Ukrainian output says the question instead."""
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
        )
        if language == "en":
            line.append(f"  ({change.name})")
        if change.kind == "parameter":
            value = value_text(change.value, language) if change.value is not None else "?"
            line.append(f" = {value}")
        if change.open_question:
            line.append(
                f"  ? {_question(change.open_question, language, legislation)}", style="yellow"
            )
        console.print(line)
        for citation in citation_texts(change.citations, False, language):
            console.print(Text("    ").append_text(citation))


def _question(question_id: str, language: str, legislation: Legislation | None) -> str:
    found = legislation.open_questions.get(question_id) if legislation is not None else None
    if language == "en" or found is None:
        return question_id
    return found.question.get(language)
