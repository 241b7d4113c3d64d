"""What the statistics page and its CSV show: names in the page's language, rows and charts.

The words are English message ids, translated with `_()` at render time (stats.po holds the
Ukrainian). Everything here reads the suppressed breakdowns only: a hidden cell has no count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from babel.dates import format_date

from guardpath.services.statistics import STATELESS, Breakdown, Dimension, Filters, Hidden
from guardpath.web import i18n
from guardpath.web.stats.charts import Chart, Item, horizontal, vertical
from guardpath.words import FORMATIONS, STATES

CHART_ROWS = 15
TITLES = {
    Dimension.CITIZENSHIP: "Cases by citizenship",
    Dimension.FORMATION: "Cases by formation",
    Dimension.STATE: "Cases by state",
    Dimension.MONTH: "Cases by month of intake",
}
KEY_HEADINGS = {
    Dimension.CITIZENSHIP: "Citizenship",
    Dimension.FORMATION: "Formation",
    Dimension.STATE: "State",
    Dimension.MONTH: "Month",
}


def _(message: str) -> str:
    return i18n.gettext_(message)


def _month(key: str, pattern: str = "LLLL y") -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), pattern, locale=i18n.current_language.get())


def month_name(day: date) -> str:
    """A month and its year in the page's language, e.g. "November 2024"."""
    return _month(f"{day:%Y-%m}")


def label(dimension: Dimension, key: str) -> str:
    """A cell's name in the page's language."""
    if dimension is Dimension.CITIZENSHIP:
        return _("Stateless") if key == STATELESS else i18n.country_name(key)
    if dimension is Dimension.FORMATION:
        return _(FORMATIONS.get(key, key))
    if dimension is Dimension.STATE:
        return _(STATES.get(key, key))
    return _month(key)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    shown: str
    hidden: Hidden | None


@dataclass(frozen=True)
class Section:
    dimension: Dimension
    title: str
    heading: str
    rows: tuple[Row, ...]
    total: str
    withheld: bool
    chart: Chart | None
    chart_is_partial: bool
    csv_query: str


def rows(breakdown: Breakdown) -> tuple[Row, ...]:
    """The table's rows. Citizenships: hidden ones by name in the page's language, as the
    service orders them by code (either order is blind to their counts)."""
    named = [
        Row(c.key, label(breakdown.dimension, c.key), c.shown, c.hidden) for c in breakdown.cells
    ]
    if breakdown.dimension is Dimension.CITIZENSHIP:
        shown = [r for r in named if r.hidden is None]
        hidden = [r for r in named if r.hidden is not None]
        named = shown + sorted(hidden, key=lambda r: (r.hidden is Hidden.SMALL, r.label))
    return tuple(named)


def _months_between(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    keys = []
    while f"{year:04d}-{month:02d}" <= last:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _month_chart(breakdown: Breakdown) -> Chart:
    by_key = {c.key: c for c in breakdown.cells}
    keys = _months_between(breakdown.cells[0].key, breakdown.cells[-1].key)
    items = [
        Item(_month(k), by_key[k].count, by_key[k].shown) if k in by_key else Item(_month(k), 0, "")
        for k in keys
    ]
    # Every month's name up to a year's worth, else the quarters' first months; the year
    # under the first column and under each January.
    every = 1 if len(keys) <= 12 else 3 if len(keys) <= 36 else 0
    names = [_month(k, "LLL") if every and (int(k[5:]) - 1) % every == 0 else "" for k in keys]
    years = [k[:4] if n == 0 or k.endswith("-01") else "" for n, k in enumerate(keys)]
    return vertical(items, names, years)


def chart(breakdown: Breakdown, shown_rows: tuple[Row, ...]) -> tuple[Chart | None, bool]:
    """The chart of a breakdown, and whether it leaves rows out (the table has them all)."""
    if breakdown.withheld or not breakdown.cells:
        return None, False
    if breakdown.dimension is Dimension.MONTH:
        return _month_chart(breakdown), False
    cells = list(zip(breakdown.cells, shown_rows, strict=True))
    if breakdown.dimension is Dimension.CITIZENSHIP:
        cells = [pair for pair in cells if pair[0].count is not None][:CHART_ROWS]
    items = [Item(row.label, cell.count, row.shown) for cell, row in cells]
    return horizontal(items), len(items) < len(breakdown.cells)


def query_string(filters: Filters, **extra: str) -> str:
    values = {
        "formation": filters.formation or "",
        "start": f"{filters.start:%Y-%m}" if filters.start else "",
        "end": f"{filters.end:%Y-%m}" if filters.end else "",
    }
    return urlencode({**extra, **{k: v for k, v in values.items() if v}})


def section(breakdown: Breakdown, filters: Filters) -> Section:
    table = rows(breakdown)
    drawn, partial = chart(breakdown, table)
    return Section(
        breakdown.dimension,
        _(TITLES[breakdown.dimension]),
        _(KEY_HEADINGS[breakdown.dimension]),
        table,
        breakdown.total.shown,
        breakdown.withheld,
        drawn,
        partial,
        query_string(filters, dimension=breakdown.dimension.value),
    )
