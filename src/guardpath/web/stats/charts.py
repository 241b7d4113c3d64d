"""Bar charts as plain SVG geometry, drawn by the Jinja macros in templates/stats/_chart.html.

Not pygal: its SVG carries a <style> element, inline style attributes and a <script>, which the
page's Content-Security-Policy (`style-src 'self'`, `script-src 'self'`) refuses. Here every
shape is a rect, line or text with presentation attributes, and hidden counts draw no bar: a
"<5" or "x" mark stands where the bar would start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 200
ROW = 26
BAR = 18
COLUMN_HEIGHT = 220
AXIS = 48
LABEL_CHARS = 25


@dataclass(frozen=True)
class Item:
    """What a chart draws for one cell: a label, a count (None where hidden), the figure shown."""

    label: str
    count: int | None
    shown: str


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    x: float
    y: float
    width: float
    height: float
    hidden: bool


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Tick, ...] = ()
    years: tuple[Tick, ...] = ()
    left: float = 0
    baseline: float = 0
    narrow: bool = False


def nice_ticks(largest: int, steps: int = 4) -> list[int]:
    """Round gridline values from 0 past `largest`: 0, 25, 50, ... or 0, 2000, 4000, ..."""
    if largest <= 0:
        return [0]
    raw = largest / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, largest + step, step))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def horizontal(items: list[Item]) -> Chart:
    """One row per item, label on the left, bar to the right, the figure after the bar."""
    ticks = nice_ticks(max((i.count or 0 for i in items), default=0))
    scale = (WIDTH - LABEL_WIDTH - 56) / max(ticks[-1], 1)
    bars = tuple(
        Bar(
            _short(item.label),
            item.shown,
            LABEL_WIDTH,
            8 + n * ROW,
            0 if item.count is None else max(1.0, item.count * scale),
            BAR,
            item.count is None,
        )
        for n, item in enumerate(items)
    )
    height = 8 + len(items) * ROW + 24
    grid = tuple(Tick(LABEL_WIDTH + t * scale, f"{t:,}".replace(",", " ")) for t in ticks)
    return Chart(WIDTH, height, bars, grid, left=LABEL_WIDTH, baseline=height - 22)


def vertical(items: list[Item], labels: list[str], years: list[str]) -> Chart:
    """One column per item (months, in order), named by `labels` and, below, `years` ("" for
    none). Where columns are narrow, the marks of hidden counts stand on end."""
    ticks = nice_ticks(max((i.count or 0 for i in items), default=0))
    plot = WIDTH - AXIS - 8
    slot = plot / max(len(items), 1)
    scale = (COLUMN_HEIGHT - 8) / max(ticks[-1], 1)
    baseline = COLUMN_HEIGHT
    bars = []
    for n, item in enumerate(items):
        height = 0 if item.count is None else item.count * scale
        if item.count:
            height = max(1.0, height)
        x = AXIS + n * slot + slot * 0.15
        hidden = item.count is None
        bars.append(Bar(item.label, item.shown, x, baseline - height, slot * 0.7, height, hidden))
    grid = tuple(Tick(baseline - t * scale, f"{t:,}".replace(",", " ")) for t in ticks)

    def centred(names: list[str]) -> tuple[Tick, ...]:
        return tuple(Tick(AXIS + n * slot + slot / 2, name) for n, name in enumerate(names) if name)

    return Chart(
        WIDTH,
        COLUMN_HEIGHT + 44,
        tuple(bars),
        grid,
        centred(labels),
        centred(years),
        AXIS,
        baseline,
        narrow=slot < 18,
    )
