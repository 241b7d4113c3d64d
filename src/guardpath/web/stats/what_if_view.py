"""What the what-if page shows: a draft's suppressed impact as named rows and bar charts, in
the page's language. Everything here reads the suppressed report only (services.what_if)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guardpath import words
from guardpath.services.what_if import OLDEST_BAND, STATELESS, UNKNOWN
from guardpath.web import i18n
from guardpath.web.stats.charts import Chart, Item, horizontal

CHART_ROWS = 15
QUESTIONS = {"enlistment": "Enlistment", "citizenship": "Citizenship"}
POPULATIONS = {"cases": "The cases", "demo": "The demo population"}
TITLES = {
    "citizenship": "Changed, by citizenship",
    "age_band": "Changed, by age band",
    "sex": "Changed, by sex",
    "formation": "Changed, by formation",
}
AGE_BANDS = {"under 18": "Under 18", "18-40": "18 to 40", "41-60": "41 to 60"}


def _(message: str) -> str:
    return i18n.gettext_(message)


def label(dimension: str, key: str) -> str:
    """A row's name in the page's language."""
    if key == UNKNOWN:
        return _("Not known")
    if dimension == "citizenship":
        return _("Stateless") if key == STATELESS else i18n.country_name(key)
    if dimension == "age_band":
        return _("61 and over") if key == OLDEST_BAND else _(AGE_BANDS.get(key, key))
    if dimension == "sex":
        return _(words.SEXES.get(key, key))
    if dimension == "formation":
        return _(words.FORMATIONS.get(key, key))
    if dimension == "transition":
        before, _arrow, after = key.partition("->")
        return f"{_(words.OUTCOMES[before])} → {_(words.OUTCOMES[after])}"
    return key


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    shown: str
    hidden: bool


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: tuple[Row, ...]
    withheld: bool
    chart: Chart | None


@dataclass(frozen=True)
class Result:
    population: str
    title: str
    people: str
    changed: str
    transitions: Table
    by_rule: Table
    by: tuple[Table, ...]


def _shown(value: int | str) -> str:
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def _table(key: str, title: str, cells: dict[str, Any], withheld: bool, drawn: bool) -> Table:
    counted = sorted(
        ((k, v) for k, v in cells.items() if isinstance(v, int)), key=lambda kv: -kv[1]
    )
    hidden = sorted((k, v) for k, v in cells.items() if not isinstance(v, int))
    rows = tuple(
        Row(k, label(key, k), _shown(v), not isinstance(v, int)) for k, v in counted + hidden
    )
    items = [Item(r.label, v, r.shown) for r, (_k, v) in zip(rows, counted, strict=False)]
    chart = horizontal(items[:CHART_ROWS]) if drawn and items else None
    return Table(key, title, rows, withheld, chart)


def _cells(part: Any) -> tuple[dict[str, Any], bool]:
    """Exact counts (a dict) or a suppressed breakdown ({"cells", "withheld"})."""
    if isinstance(part, dict) and set(part) == {"cells", "withheld"}:
        return part["cells"], bool(part["withheld"])
    return dict(part), False


def result(population: str, report: dict[str, Any]) -> Result:
    transitions, withheld = _cells(report["transitions"])
    rules, rules_withheld = _cells(report["by_rule"])
    by = tuple(_table(d, _(TITLES[d]), *_cells(report["by"][d]), drawn=True) for d in TITLES)
    return Result(
        population,
        _(POPULATIONS[population]),
        _shown(report["people"]),
        _shown(report["changed"]),
        _table("transition", _("Transitions between outcomes"), transitions, withheld, True),
        _table("rule", _("Rules whose status changed"), rules, rules_withheld, False),
        by,
    )


def csv_rows(result: Result) -> list[tuple[str, str, str, str]]:
    rows = [("total", "people", _("People"), result.people.replace("\u202f", ""))]
    rows.append(("total", "changed", _("Changed outcome"), result.changed.replace("\u202f", "")))
    for table in (result.transitions, result.by_rule, *result.by):
        for row in table.rows:
            rows.append((table.key, row.key, row.label, row.shown.replace("\u202f", "")))
        if table.withheld:
            rows.append((table.key, "", _("Withheld: too few to show"), ""))
    return rows
