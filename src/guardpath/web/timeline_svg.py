"""A person's timeline as an inline SVG: one coloured band per period since 2014, drawn on the
server (no script, and only presentation attributes, which the content security policy allows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

WIDTH = 960
LEFT, RIGHT = 10, 10
BAND_Y, BAND_HEIGHT = 22, 40
LABEL_ROW = 16
COLOURS = {"eligible": "#1e7b34", "ineligible": "#b3261e", "undetermined": "#8a5a00"}
MIN_LABEL_GAP = 92


@dataclass(frozen=True)
class Band:
    start: date
    end: date | None
    outcome: str
    title: str


def _axis(bands: Sequence[Band], today: date) -> tuple[date, date]:
    first = bands[0].start if bands else date(2014, 1, 1)
    last = max([today, *(b.start for b in bands), *(b.end for b in bands if b.end)])
    return date(first.year, 1, 1), date(last.year + 3, 1, 1)


def _x(day: date, start: date, end: date) -> float:
    span = (end - start).days or 1
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _label_rows(xs: Sequence[float]) -> list[int]:
    """Boundary labels go on the first row where they do not overlap the previous one."""
    last_in_row: list[float] = []
    rows = []
    for x in xs:
        row = next((i for i, last in enumerate(last_in_row) if x - last >= MIN_LABEL_GAP), None)
        if row is None:
            row = len(last_in_row)
            last_in_row.append(x)
        last_in_row[row] = x
        rows.append(row)
    return rows


def render_timeline(
    bands: Sequence[Band],
    today: date,
    words: Mapping[str, str],
    title: str,
    description: str,
) -> Markup:
    """The SVG; `words` names each outcome and 'today' in the page's language."""
    start, end = _axis(bands, today)
    boundaries = [b.start for b in bands[1:]]
    xs = [_x(day, start, end) for day in boundaries]
    rows = _label_rows(xs)
    label_top = BAND_Y + BAND_HEIGHT + 16
    years_y = label_top + LABEL_ROW * (max(rows, default=-1) + 1) + 14
    height = years_y + 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="tl-title tl-desc" class="timeline" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{escape(description)}</desc>',
    ]
    parts += _bands(bands, start, end, words)
    parts += _boundaries(boundaries, xs, rows, label_top)
    parts += _years(start, end, years_y)
    parts += _today(today, start, end, words.get("today", "today"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bands(bands: Sequence[Band], start: date, end: date, words: Mapping[str, str]) -> list[str]:
    out = []
    for band in bands:
        x0 = _x(band.start, start, end)
        x1 = _x(band.end, start, end) if band.end else WIDTH - RIGHT
        width = max(x1 - x0, 1.0)
        colour = COLOURS.get(band.outcome, "#5b6470")
        out.append(
            f'<g class="band {escape(band.outcome)}" data-from="{band.start.isoformat()}" '
            f'data-to="{band.end.isoformat() if band.end else ""}">'
            f"<title>{escape(band.title)}</title>"
            f'<rect x="{x0:.1f}" y="{BAND_Y}" width="{width:.1f}" height="{BAND_HEIGHT}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
        )
        word = words.get(band.outcome, band.outcome)
        if width > len(word) * 7.5 + 12:
            out.append(
                f'<text x="{x0 + width / 2:.1f}" y="{BAND_Y + BAND_HEIGHT / 2 + 4:.1f}" '
                f'text-anchor="middle" fill="#ffffff" font-weight="600">{escape(word)}</text>'
            )
        out.append("</g>")
    return out


def _boundaries(
    boundaries: Sequence[date], xs: Sequence[float], rows: Sequence[int], label_top: float
) -> list[str]:
    out = []
    for day, x, row in zip(boundaries, xs, rows, strict=True):
        y = label_top + row * LABEL_ROW
        anchor = "end" if x > WIDTH - 60 else "start" if x < 60 else "middle"
        out.append(
            f'<line x1="{x:.1f}" y1="{BAND_Y}" x2="{x:.1f}" y2="{y - 11:.1f}" '
            f'stroke="#1b1f24" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#1b1f24">'
            f"{day.isoformat()}</text>"
        )
    return out


def _years(start: date, end: date, y: float) -> list[str]:
    span = end.year - start.year
    step = 1 if span <= 14 else 2 if span <= 28 else 5
    out = [
        f'<line x1="{LEFT}" y1="{y - 12}" x2="{WIDTH - RIGHT}" y2="{y - 12}" '
        f'stroke="#9aa4af" stroke-width="1"/>'
    ]
    for year in range(start.year, end.year + 1, step):
        x = _x(date(year, 1, 1), start, end)
        anchor = "start" if year == start.year else "end" if year == end.year else "middle"
        out.append(
            f'<line x1="{x:.1f}" y1="{y - 16}" x2="{x:.1f}" y2="{y - 8}" stroke="#9aa4af"/>'
            f'<text x="{x:.1f}" y="{y + 6}" text-anchor="{anchor}" fill="#5b6470">{year}</text>'
        )
    return out


def _today(today: date, start: date, end: date, word: str) -> list[str]:
    x = _x(today, start, end)
    anchor = "end" if x > WIDTH - 60 else "middle"
    return [
        f'<line x1="{x:.1f}" y1="{BAND_Y - 4}" x2="{x:.1f}" y2="{BAND_Y + BAND_HEIGHT + 4}" '
        f'stroke="#ffd500" stroke-width="3"/>'
        f'<text x="{x:.1f}" y="{BAND_Y - 8}" text-anchor="{anchor}" fill="#1b1f24" '
        f'font-weight="600">{escape(word)}</text>'
    ]
