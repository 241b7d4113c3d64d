"""Service that continues across a transfer: `served_continuously_in_martial_law`.

    served_continuously_in_martial_law(['afu', 'ngu', 'dsst'], 'contract', 1)

Periods in any of the formations on the basis that follow one another without a gap (each
begins no later than the day after the latest end so far: a transfer, or a contract renewed)
count as one run of service. The function holds when some run lasted `years` years
continuously within one interval of martial law, counted up to the question's date, as
`served_in_martial_law` does for one period in one formation. An ongoing period (no end) runs
up to the question's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guardpath.law.dates import ONE_DAY, add_years
from guardpath.law.expr import Expr, Strict
from guardpath.law.facts import Facts, ServicePeriod
from guardpath.law.lazy_polars import pl
from guardpath.law.logic import Truth

FUNCTION = "served_continuously_in_martial_law"


def runs(periods: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    """Periods (start, end or None while serving) merged where one follows another with no gap."""
    merged: list[tuple[date, date | None]] = []
    for start, end in sorted(periods, key=lambda p: p[0]):
        if merged:
            first, last = merged[-1]
            if last is None or start <= last + ONE_DAY:
                merged[-1] = (first, None if last is None or end is None else max(last, end))
                continue
        merged.append((start, end))
    return merged


def _element(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


@dataclass(frozen=True, eq=False)
class ServedAcross(Strict):
    periods: Expr
    formations: tuple[str, ...]
    basis: str
    years: int
    on: date
    intervals: tuple[tuple[date, date | None], ...]

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.periods,)

    def _within(self, start: date, end: date | None, low: date, high: date | None) -> bool:
        first = max(start, low)
        last = min(d for d in (end, high, self.on) if d is not None)
        return add_years(first, self.years) <= last

    def value(self, facts: Facts) -> Truth:
        periods: tuple[ServicePeriod, ...] | None = self.periods.value(facts)
        if periods is None:
            return None
        kept = [
            (p.start, p.end)
            for p in periods
            if p.formation in self.formations and p.basis == self.basis
        ]
        return any(
            self._within(start, end, low, high)
            for start, end in runs(kept)
            for low, high in self.intervals
        )

    def polars(self) -> pl.Expr:
        """The runs in Polars: the periods kept and sorted by start; a new run begins where a
        start falls after the day following the latest end so far; each period's run start is
        carried forward, and a run reaches as far as its periods' latest end."""
        kind = _element("formation").is_in(list(self.formations)) & (
            _element("basis") == self.basis
        )
        ordered = (
            self.periods.polars()
            .list.eval(pl.element().filter(kind))
            .list.eval(pl.element().sort_by(_element("start")))
        )
        ongoing = pl.lit(date.max)
        end = _element("end").fill_null(ongoing)
        reach = end.cum_max().shift(1)
        begins = reach.is_null() | (_element("start") > reach.dt.offset_by("1d"))
        run_start = pl.when(begins).then(_element("start")).forward_fill()
        windows = []
        for low, high in self.intervals:
            bound = min(d for d in (high, self.on) if d is not None)
            first = pl.max_horizontal(run_start, pl.lit(low))
            last = pl.min_horizontal(pl.max_horizontal(end, reach.fill_null(end)), pl.lit(bound))
            windows.append(first.dt.offset_by(f"{self.years}y") <= last)
        if not windows:
            return pl.when(self.periods.polars().is_null()).then(None).otherwise(pl.lit(False))
        inside = pl.any_horizontal(windows)
        return ordered.list.eval(inside).list.any()
