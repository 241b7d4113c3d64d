"""Rich rendering of a draft's impact: the counts, the transitions, the rules, the breakdowns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

TOP_RULES = 15


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for index, column in enumerate(columns):
        table.add_column(column, justify="right" if index else "left")
    return table


def _count(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def ordered(cells: dict[str, int | str]) -> list[tuple[str, int | str]]:
    """Largest first; hidden cells after, by key, so their place tells nothing."""
    shown = sorted(((k, v) for k, v in cells.items() if isinstance(v, int)), key=lambda kv: -kv[1])
    return shown + sorted((k, v) for k, v in cells.items() if not isinstance(v, int))


def print_impact(console: Console, draft: Any, report: dict[str, Any], out: Path | None) -> None:
    console.print(Text(draft.title, style="bold"))
    for change in draft.changes:
        console.print(Text(f"  • {change}"))
    people, changed = report["people"], report["changed"]
    console.print(
        Text.assemble(
            f"{report['question']} on {report['on']}: ",
            (_count(changed), "bold"),
            f" of {_count(people)} people change outcome",
        )
    )
    transitions = _table("Transitions", "from -> to", "people")
    for arrow, count in report["transitions"].items():
        transitions.add_row(arrow, _count(count))
    console.print(transitions)
    rules = _table("Rules whose status changed", "rule", "people")
    for rule, count in list(report["by_rule"].items())[:TOP_RULES]:
        rules.add_row(rule, _count(count))
    console.print(rules)
    for dimension, breakdown in report["by"].items():
        table = _table(f"Changed, by {dimension.replace('_', ' ')}", dimension, "people")
        if breakdown["withheld"]:
            table.add_row("(withheld: too few to show)", "")
        for key, count in ordered(breakdown["cells"]):
            table.add_row(key, _count(count))
        console.print(table)
    versions = f"law version {report['law_version']}, draft version {report['draft_version']}"
    console.print(Text(versions, style="dim"))
    if out is not None:
        console.print(Text(f"wrote {out}", style="dim"))
