"""Counts of cases for analysts: by citizenship, formation, state and month of intake.

Each breakdown is one SQL `GROUP BY` (SQLAlchemy Core, the same on SQLite and PostgreSQL) over
the month counters of `case_counts` (guardpath.adapters.case_counts), which every write to a
case keeps current. So a breakdown sums a few hundred counters however many cases there are.
Nothing here reads `cases`, `persons` or any personal data.

The method, made so that two queries cannot be set against each other to reveal one person:

1. **Whole months that have ended.** A range is whole calendar months (`Filters` refuses a
   start that is not the first of a month or an end that is not the last), and only months
   before the current one are counted: the month in progress and cases never submitted are
   left out. So two queries a day apart read the same counters, and a range can never be one
   day longer than another.
2. **Small cells hidden.** A count from 1 to 4 is hidden and shown as "<5" (`Hidden.SMALL`).
   Zero rows are omitted.
3. **Complementary suppression.** While the exact total, the exact shown counts and this very
   rule would let someone narrow a "<5" cell to fewer than all of 1, 2, 3 and 4, the smallest
   shown cell is hidden too, shown as "x" (`Hidden.COMPLEMENTARY`). If hiding every cell still
   cannot protect them, the breakdown is withheld: no cells, only its total.
4. **Rounded down to base 5.** Every count shown, totals included, is shown as the band of
   five it falls in, by the band's first number: 5 to 9 show as "5", 10 to 14 as "10", and so
   on; a total from 1 to 4 shows "<5". Shown cells are ordered by their bands, then by key, so
   the order tells no more than the bands do.

Exact counts never leave this module: a hidden cell carries no number, a shown one its rounded
number. Hidden cells come after the shown ones, by key, so their order reveals nothing either.

What this guarantees: one published table never narrows a "<5" cell (rule 3, checked against
exact counts, so rounding only widens it); the difference between two ranges is a difference
of whole months, each of which is itself published under the same rules; and when two
published counts differ by a count from 1 to 4 (a later range with one more month), the
pair never pins it: it stays any of 1 to 4, or any of 1 to 3 when both show "<5".
What it does not: counters of months that have ended still change when a case changes state
or a roster import adds cases with an earlier intake day, so the state breakdown of a past
month can move between two days (by a rounded step); and many overlapping queries can still
narrow a count (each view and export is audited with its filters, so such a series can be
seen). Rounding and suppression hide small numbers; they are not differential privacy.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from guardpath.adapters import audit
from guardpath.adapters.case_counts import CITIZENSHIP, NEVER_SUBMITTED, STATE
from guardpath.adapters.case_counts import STATELESS as STATELESS  # the row's key, for callers
from guardpath.cases.model import Actor, State
from guardpath.services.ports import Ports

SMALL = 5
"""Counts from 1 to SMALL - 1 are hidden."""
BASE = 5
"""Counts shown are rounded down to a multiple of BASE."""
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
    """Which cases to count: one formation, and an intake (submitted_on) range of whole
    months, both ends in: `start` the first day of a month, `end` the last day of one."""

    formation: str | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.formation is not None and self.formation not in FORMATIONS:
            raise ValueError(f"formation must be one of {', '.join(FORMATIONS)}")
        if self.start and self.start.day != 1:
            raise ValueError("start must be the first day of a month (whole months only)")
        if self.end and not _last_of_month(self.end):
            raise ValueError("end must be the last day of a month (whole months only)")
        if self.start and self.end and self.start > self.end:
            raise ValueError("the start of the range is after its end")

    @classmethod
    def months(cls, formation: str | None, first: date | None, last: date | None) -> Filters:
        """From the first month to the last, both whole (any day of each month names it)."""
        end = None if last is None else last.replace(day=monthrange(last.year, last.month)[1])
        return cls(formation, first.replace(day=1) if first else None, end)


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
    through: date
    """The last day counted: the end of the last month that had ended (`counted_through`)."""
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


def band(count: int) -> int:
    """The first number of the band of five a count falls in: what is shown of it."""
    return count // BASE * BASE


def _total(count: int) -> Cell:
    return Cell("total", None, Hidden.SMALL) if 0 < count < SMALL else Cell("total", band(count))


def breakdown(
    dimension: Dimension, counts: Mapping[str, int], total: int, order: Iterable[str] = ()
) -> Breakdown:
    """Suppressed, banded cells from exact counts; `order` fixes the order of keys (else the
    largest band first)."""
    counts = {key: n for key, n in counts.items() if n > 0}
    hidden, protected = suppress(counts)
    if not protected:
        return Breakdown(dimension, (), _total(total), withheld=True)
    rank = {key: i for i, key in enumerate(order)}
    if rank:  # a fixed order, blind to the counts: hidden cells keep their place
        keys = sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))
    else:  # largest first; hidden cells after, by key, so their order tells nothing
        keys = sorted((k for k in counts if k not in hidden), key=lambda k: (-band(counts[k]), k))
        keys += sorted(hidden, key=lambda k: (hidden[k] is Hidden.SMALL, k))
    cells = (Cell(k, None, hidden[k]) if k in hidden else Cell(k, band(counts[k])) for k in keys)
    return Breakdown(dimension, tuple(cells), _total(total))


# -- queries ------------------------------------------------------------------------------------
def _last_of_month(day: date) -> bool:
    return day.day == monthrange(day.year, day.month)[1]


def counted_through(today: date) -> date:
    """The last day the statistics count on `today`: the end of the month before this one."""
    return today.replace(day=1) - timedelta(days=1)


class Counts(Protocol):
    """Where the statistics read: the month counters (adapters/month_counts.py's `MonthCounts`;
    `ctx.case_counts()` gives the database's)."""

    def reading(self, *, one_transaction: bool = False) -> AbstractContextManager[Reader]: ...


class Reader(Protocol):
    def sums(
        self, dimensions: tuple[str, ...], first: date, last: date, formation: str | None, by: str
    ) -> list[tuple[str, Any, int]]: ...


def _sums(
    reader: Reader, filters: Filters, through: date, by: str, *dimensions: str
) -> list[tuple[str, Any, int]]:
    """The month counters of the range, up to the last month that has ended. Never-submitted
    cases (NEVER_SUBMITTED, before any month) and the month in progress are left out."""
    first = filters.start or NEVER_SUBMITTED + timedelta(days=1)
    last = min(filters.end or through, through).replace(day=1)
    return reader.sums(dimensions, first, last, filters.formation, by)


def _by_citizenship(reader: Reader, filters: Filters, through: date) -> Breakdown:
    # A person with two citizenships counts under each; the total, counting cases once, is
    # the sum of the state counters in the same query.
    counts: Counter[str] = Counter()
    total = 0
    for dimension, key, n in _sums(reader, filters, through, "item", CITIZENSHIP, STATE):
        if dimension == CITIZENSHIP:
            counts[key] += n
        else:
            total += n
    return breakdown(Dimension.CITIZENSHIP, counts, total)


def _by_column(reader: Reader, filters: Filters, through: date, dimension: Dimension) -> Breakdown:
    formation = dimension is Dimension.FORMATION
    order = FORMATIONS if formation else tuple(State)
    by = "formation" if formation else "item"
    counts = {str(key): n for _, key, n in _sums(reader, filters, through, by, STATE)}
    return breakdown(dimension, counts, sum(counts.values()), order)


def _by_month(reader: Reader, filters: Filters, through: date) -> Breakdown:
    counts: Counter[str] = Counter()
    for _, on, n in _sums(reader, filters, through, "period", STATE):
        counts[f"{on.year:04d}-{on.month:02d}"] += n
    return breakdown(Dimension.MONTH, counts, sum(counts.values()), sorted(counts))


def _count(reader: Reader, dimension: Dimension, filters: Filters, through: date) -> Breakdown:
    if dimension is Dimension.CITIZENSHIP:
        return _by_citizenship(reader, filters, through)
    if dimension is Dimension.MONTH:
        return _by_month(reader, filters, through)
    return _by_column(reader, filters, through, dimension)


def _today(today: date | None) -> date:
    return today if today is not None else datetime.now(UTC).date()


def count_cases(
    counts: Counts,
    dimension: Dimension,
    filters: Filters | None = None,
    today: date | None = None,
) -> Breakdown:
    """One breakdown of the cases that match `filters`, in the months that had ended by
    `today` (the application's clock; by default today in UTC), suppressed and banded."""
    through = counted_through(_today(today))
    with counts.reading() as reader:
        return _count(reader, dimension, filters or Filters(), through)


def summarise_cases(
    counts: Counts, filters: Filters | None = None, today: date | None = None
) -> Statistics:
    """Every breakdown, read in one transaction (see `count_cases`)."""
    filters = filters or Filters()
    through = counted_through(_today(today))
    with counts.reading(one_transaction=True) as reader:
        counted = {d: _count(reader, d, filters, through) for d in Dimension}
    return Statistics(
        filters,
        through,
        citizenship=counted[Dimension.CITIZENSHIP],
        formation=counted[Dimension.FORMATION],
        state=counted[Dimension.STATE],
        month=counted[Dimension.MONTH],
    )


# -- who looked ------------------------------------------------------------------------------------
def log_statistics_read(
    ctx: Ports,
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
    with ctx.unit_of_work() as uow:
        uow.audit(entry)
        uow.commit()
