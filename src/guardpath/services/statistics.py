"""Counts of cases for analysts: by citizenship, formation, state and month of intake.

Each breakdown is one SQL `GROUP BY` (SQLAlchemy Core, the same on SQLite and PostgreSQL) over
the counters of `case_counts` (guardpath.adapters.case_counts), which every write to a case
keeps current: whole months from the month counters, the days at either end of a range from
the day counters. So a breakdown sums a few thousand counters however many cases there are.
Nothing here reads `cases`, `persons` or any personal data.

Small counts are suppressed, and the suppression is made to hold against subtraction:

1. A count from 1 to 4 is hidden and shown as "<5" (`Hidden.SMALL`). Zero rows are omitted.
2. Complementary suppression (not rounded totals): while the total, the shown counts and this
   very rule would let someone narrow a "<5" cell to fewer than all of 1, 2, 3 and 4, the
   smallest shown cell is hidden too, shown as "x" (`Hidden.COMPLEMENTARY`). One "<5" cell
   alone always takes a second cell with it; so do two "<5" cells whose sum gives them away
   (1 + 1, 4 + 4), or a second cell so small that the sum pins the first.
3. If hiding every cell still cannot protect them (a breakdown of very few cases), the
   breakdown is withheld: no cells at all, only its total.
4. Totals are exact (a total from 1 to 4 shows "<5"): one breakdown's total can be read off
   any other, so the rule assumes it known rather than rounding it in one place.

Hidden counts never leave this module: a hidden cell carries no number. Hidden cells come
after the shown ones, by key, so their order reveals nothing either.

What this does not stop: differencing between two filters (two date ranges a day apart) can
reveal a small count. Counts per cell are exact; rounding or noise would be the remedy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, or_, select

from guardpath.adapters import audit
from guardpath.adapters.case_counts import CITIZENSHIP, DAY, MONTH, NEVER_SUBMITTED, STATE
from guardpath.adapters.case_counts import STATELESS as STATELESS  # the row's key, for callers
from guardpath.adapters.tables import case_counts
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, State

SMALL = 5
"""Counts from 1 to SMALL - 1 are hidden."""
FORMATIONS = ("ngu", "afu", "dsst")


class Dimension(StrEnum):
    CITIZENSHIP = "citizenship"
    FORMATION = "formation"
    STATE = "state"
    MONTH = "month"


class Hidden(StrEnum):
    SMALL = "<5"
    COMPLEMENTARY = "x"


@dataclass(frozen=True)
class Filters:
    """Which cases to count: one formation, and an intake (submitted_on) range, both ends in."""

    formation: str | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.formation is not None and self.formation not in FORMATIONS:
            raise ValueError(f"formation must be one of {', '.join(FORMATIONS)}")
        if self.start and self.end and self.start > self.end:
            raise ValueError("the start of the range is after its end")


@dataclass(frozen=True)
class Cell:
    """One row of a breakdown: its key and count, or no count and how it is hidden."""

    key: str
    count: int | None
    hidden: Hidden | None = None

    @property
    def shown(self) -> str:
        return self.hidden.value if self.hidden else str(self.count)


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    cells: tuple[Cell, ...]
    total: Cell
    withheld: bool = False


@dataclass(frozen=True)
class Statistics:
    filters: Filters
    citizenship: Breakdown
    formation: Breakdown
    state: Breakdown
    month: Breakdown

    def breakdowns(self) -> tuple[Breakdown, ...]:
        return (self.citizenship, self.formation, self.state, self.month)


# -- suppression --------------------------------------------------------------------------------
def _protected(small: int, others: list[int], hidden_sum: int, ceiling: float) -> bool:
    """True when every "<5" cell could still be any of 1..4, given the sum of hidden cells.

    There are `small` "<5" cells; `others` are the complementary cells, each of which could be
    anything from SMALL up to the smallest count still shown (`ceiling`, infinite once nothing
    is shown). A "<5" cell is the hidden sum less all the others, so it can be anything in
    1..4 when the others together can be anything from the sum - 4 to the sum - 1.
    """
    rest_low = (small - 1) * 1 + SMALL * len(others)
    rest_high = (small - 1) * (SMALL - 1) + (ceiling * len(others) if others else 0)
    return hidden_sum - (SMALL - 1) >= rest_low and hidden_sum - 1 <= rest_high


def suppress(counts: Mapping[str, int]) -> tuple[dict[str, Hidden], bool]:
    """Which cells to hide and how, and whether that protects the small ones (see above)."""
    small = sorted(key for key, n in counts.items() if 0 < n < SMALL)
    if not small:
        return {}, True
    hidden = dict.fromkeys(small, Hidden.SMALL)
    shown = sorted((n, key) for key, n in counts.items() if n >= SMALL)
    others: list[int] = []
    hidden_sum = sum(counts[key] for key in small)
    while True:
        bound = shown[0][0] if shown else float("inf")
        if _protected(len(small), others, hidden_sum, bound):
            return hidden, True
        if not shown:
            return hidden, False
        count, key = shown.pop(0)
        hidden[key] = Hidden.COMPLEMENTARY
        others.append(count)
        hidden_sum += count


def _total(count: int) -> Cell:
    return Cell("total", None, Hidden.SMALL) if 0 < count < SMALL else Cell("total", count)


def breakdown(
    dimension: Dimension, counts: Mapping[str, int], total: int, order: Iterable[str] = ()
) -> Breakdown:
    """Suppressed cells from raw counts; `order` fixes the order of keys (else largest first)."""
    counts = {key: n for key, n in counts.items() if n > 0}
    hidden, protected = suppress(counts)
    if not protected:
        return Breakdown(dimension, (), _total(total), withheld=True)
    rank = {key: i for i, key in enumerate(order)}
    if rank:  # a fixed order, blind to the counts: hidden cells keep their place
        keys = sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))
    else:  # largest first; hidden cells after, by key, so their order tells nothing
        keys = sorted((k for k in counts if k not in hidden), key=lambda k: (-counts[k], k))
        keys += sorted(hidden, key=lambda k: (hidden[k] is Hidden.SMALL, k))
    cells = (Cell(k, None, hidden[k]) if k in hidden else Cell(k, counts[k]) for k in keys)
    return Breakdown(dimension, tuple(cells), _total(total))


# -- queries ------------------------------------------------------------------------------------
def _months(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(months: int) -> date:
    return date(months // 12, months % 12 + 1, 1)


def _last_of_month(day: date) -> bool:
    return day == date.max or (day + timedelta(days=1)).day == 1


def _spans(start: date | None, end: date | None) -> list[tuple[str, date, date]]:
    """The counter rows that cover an intake range, both ends in: the whole months as month
    rows, the days before the first and after the last whole month as day rows."""
    if start is None and end is None:
        return [(MONTH, date.min, date.max)]  # the never submitted too
    first = start or NEVER_SUBMITTED + timedelta(days=1)
    last = end or date.max
    whole_from = _months(first) + (first.day != 1)
    whole_to = _months(last) - (not _last_of_month(last))
    if whole_from > whole_to:
        return [(DAY, first, last)]
    spans = [(MONTH, _month_start(whole_from), _month_start(whole_to))]
    if first.day != 1:
        spans.append((DAY, first, _month_start(whole_from) - timedelta(days=1)))
    if not _last_of_month(last):
        spans.append((DAY, _month_start(whole_to + 1), last))
    return spans


def _where(filters: Filters, *dimensions: str) -> list[ColumnElement[bool]]:
    spans = _spans(filters.start, filters.end)
    conditions = [
        case_counts.c.dimension.in_(dimensions),
        or_(
            *(
                and_(case_counts.c.span == s, case_counts.c.period.between(a, b))
                for s, a, b in spans
            )
        ),
    ]
    if filters.formation is not None:
        conditions.append(case_counts.c.formation == filters.formation)
    return conditions


def _grouped(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(query)]


def _by_citizenship(conn: Connection, filters: Filters) -> Breakdown:
    # A person with two citizenships counts under each; the total, counting cases once, is
    # the sum of the state counters in the same query.
    item = case_counts.c.item
    query = (
        select(case_counts.c.dimension, item, func.sum(case_counts.c.n))
        .where(*_where(filters, CITIZENSHIP, STATE))
        .group_by(case_counts.c.dimension, item)
    )
    counts: Counter[str] = Counter()
    total = 0
    for dimension, key, n in _grouped(conn, query):
        if dimension == CITIZENSHIP:
            counts[key] += n
        else:
            total += n
    return breakdown(Dimension.CITIZENSHIP, counts, total)


def _by_column(conn: Connection, filters: Filters, dimension: Dimension) -> Breakdown:
    formation = dimension is Dimension.FORMATION
    column = case_counts.c.formation if formation else case_counts.c.item
    order = FORMATIONS if formation else tuple(State)
    query = (
        select(column, func.sum(case_counts.c.n)).where(*_where(filters, STATE)).group_by(column)
    )
    counts = {str(key): n for key, n in _grouped(conn, query)}
    return breakdown(dimension, counts, sum(counts.values()), order)


def _by_month(conn: Connection, filters: Filters) -> Breakdown:
    # Month rows and the day rows at either end of the range, folded into months here.
    period = case_counts.c.period
    query = (
        select(period, func.sum(case_counts.c.n))
        .where(period != NEVER_SUBMITTED, *_where(filters, STATE))
        .group_by(period)
    )
    counts: Counter[str] = Counter()
    for on, n in _grouped(conn, query):
        counts[f"{on.year:04d}-{on.month:02d}"] += n
    return breakdown(Dimension.MONTH, counts, sum(counts.values()), sorted(counts))


def _count(conn: Connection, dimension: Dimension, filters: Filters) -> Breakdown:
    if dimension is Dimension.CITIZENSHIP:
        return _by_citizenship(conn, filters)
    if dimension is Dimension.MONTH:
        return _by_month(conn, filters)
    return _by_column(conn, filters, dimension)


def _reading(engine: Engine) -> Connection:
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        # One snapshot for every breakdown, so no two of them can be set against each other.
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return conn


def count_cases(engine: Engine, dimension: Dimension, filters: Filters | None = None) -> Breakdown:
    """One breakdown of the cases that match `filters`, suppressed."""
    with _reading(engine) as conn:
        return _count(conn, dimension, filters or Filters())


def summarise_cases(engine: Engine, filters: Filters | None = None) -> Statistics:
    """Every breakdown, read in one transaction."""
    filters = filters or Filters()
    with _reading(engine) as conn, conn.begin():
        counted = {d: _count(conn, d, filters) for d in Dimension}
    return Statistics(
        filters,
        citizenship=counted[Dimension.CITIZENSHIP],
        formation=counted[Dimension.FORMATION],
        state=counted[Dimension.STATE],
        month=counted[Dimension.MONTH],
    )


# -- who looked ------------------------------------------------------------------------------------
def log_statistics_read(
    ctx: Context,
    actor: Actor,
    action: str,
    filters: Filters,
    dimension: Dimension | None = None,
) -> None:
    """An analyst's view (`view_statistics`) or export (`export_statistics`), in the audit chain
    with the filters asked for, so a series of queries aimed at one small group can be seen."""
    details: dict[str, Any] = {
        "formation": filters.formation,
        "start": filters.start.isoformat() if filters.start else None,
        "end": filters.end.isoformat() if filters.end else None,
    }
    if dimension is not None:
        details["dimension"] = dimension.value
    entry = audit.Entry(ctx.clock(), actor.id, actor.role.value, action, "statistics", details)
    with ctx.engine.begin() as conn:
        audit.append(conn, ctx.keyring, entry)
