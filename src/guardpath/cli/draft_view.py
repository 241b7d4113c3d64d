"""One person under the law and under a draft: both answers side by side, what changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from guardpath.cli.render import OUTCOME_STYLES


def statuses(reasons: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each rule's status in an explanation tree (a rule met twice is `name#2`)."""
    found: dict[str, str] = {}

    def walk(nodes: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
        for node in nodes:
            yield node["rule"], node["status"]
            yield from walk(node.get("children", []))

    for rule, status in walk(reasons):
        key, n = rule, 1
        while key in found:
            n += 1
            key = f"{rule}#{n}"
        found[key] = status
    return found


def compared(law: Mapping[str, Any], draft: Mapping[str, Any]) -> list[dict[str, str]]:
    before, after = statuses(law["reasons"]), statuses(draft["reasons"])
    return [
        {"rule": rule, "law": before.get(rule, "absent"), "draft": after.get(rule, "absent")}
        for rule in [*before, *(r for r in after if r not in before)]
        if before.get(rule) != after.get(rule)
        and not _structural(before.get(rule), after.get(rule))
    ]


def _structural(before: str | None, after: str | None) -> bool:
    """A dated version the draft made, not in force on the day: no change to report."""
    return {before, after} == {None, "not_applicable"}


def print_side_by_side(console: Console, title: str, both: Mapping[str, Any]) -> None:
    law, draft = both["law"], both["draft"]
    table = Table(
        title=f"{law['question']} on {law['on']}", title_justify="left", title_style="bold"
    )
    table.add_column("")
    table.add_column("law in force")
    table.add_column(f"draft: {title}")
    table.add_row(
        "outcome",
        Text(law["outcome"], style=OUTCOME_STYLES[law["outcome"]]),
        Text(draft["outcome"], style=OUTCOME_STYLES[draft["outcome"]]),
    )
    table.add_row("missing", ", ".join(law["missing"]) or "–", ", ".join(draft["missing"]) or "–")
    if law["question"] == "citizenship":
        table.add_row("route", law.get("route") or "–", draft.get("route") or "–")
        table.add_row(
            "earliest date", law.get("earliest_date") or "–", draft.get("earliest_date") or "–"
        )
    table.add_row("version", law["law_version"], draft["law_version"])
    console.print(table)
    changes = Table(title="Rules whose status changed", title_justify="left", title_style="bold")
    for column in ("rule", "law in force", "draft"):
        changes.add_column(column)
    for row in both["changed_rules"]:
        changes.add_row(row["rule"], row["law"].replace("_", " "), row["draft"].replace("_", " "))
    if not both["changed_rules"]:
        changes.add_row("(none)", "", "")
    console.print(changes)


def print_timelines(console: Console, title: str, both: Mapping[str, Any]) -> None:
    for name, label in (("law", "law in force"), ("draft", f"draft: {title}")):
        table = Table(title=label, title_justify="left", title_style="bold")
        for column in ("from", "to", "outcome", "because"):
            table.add_column(column)
        for period in both[name]["periods"]:
            outcome = period["outcome"]
            table.add_row(
                period["from"],
                period["to"] or "…",
                Text(outcome, style=OUTCOME_STYLES[outcome]),
                period["because"],
            )
        console.print(table)
