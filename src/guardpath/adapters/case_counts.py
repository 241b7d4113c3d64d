"""Counters of cases for the statistics, changed in the same transaction as the cases they count.

Each case counts once under its state and once under each of its citizenships ("stateless"
when it has none), for its formation, in two rows each: one for its day of intake and one for
the month (`period` holds the month's first day). A case never submitted has no day: it counts
in a month row at NEVER_SUBMITTED, before any real date. The statistics then sum whole months
from the month rows and the days at either end of a range from the day rows, so their cost
depends on the calendar, not on how many cases there are.

Every write that adds a case or changes its state or intake day must call `count_added` or
`count_changed`: the repository (`add`, `save`) and the roster import do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from guardpath.adapters.audit import lock_chain
from guardpath.adapters.tables import case_counts, cases
from guardpath.cases.model import Case

STATE = "state"
CITIZENSHIP = "citizenship"
DAY = "day"
MONTH = "month"
STATELESS = "stateless"
"""The citizenship row of stateless persons (no ISO code is this long)."""
NEVER_SUBMITTED = date(1, 1, 1)

Key = tuple[str, str, date, str, str]
"""A counter: dimension, span, period, formation, item (a state, or a citizenship)."""
KEY_COLUMNS = ("dimension", "span", "period", "formation", "item")


@dataclass(frozen=True)
class Counted:
    """What the counters know of one case."""

    formation: str
    state: str
    submitted_on: date | None
    citizenships: tuple[str, ...]

    def counters(self) -> list[Key]:
        codes = sorted({c.strip() for c in self.citizenships if c.strip()}) or [STATELESS]
        items = [(STATE, self.state), *((CITIZENSHIP, code) for code in codes)]
        on = self.submitted_on
        periods = (
            [(MONTH, NEVER_SUBMITTED)] if on is None else [(DAY, on), (MONTH, on.replace(day=1))]
        )
        return [
            (dimension, span, period, self.formation, item)
            for dimension, item in items
            for span, period in periods
        ]


def of_case(case: Case) -> Counted:
    return Counted(case.formation, case.state.value, case.submitted_on, case.person.citizenships)


STORED = select(cases.c.formation, cases.c.state, cases.c.submitted_on).where(
    cases.c.id == bindparam("case_id"), cases.c.version == bindparam("version")
)


def stored(conn: Connection, case: Case, version: int) -> Counted | None:
    """What the counters hold for `case` as stored at `version` (None: it is not at `version`)."""
    row = conn.execute(STORED, {"case_id": case.id, "version": version}).first()
    if row is None:
        return None
    return Counted(row.formation, row.state, row.submitted_on, case.person.citizenships)


def from_rows(
    case_rows: Iterable[Mapping[str, Any]], person_rows: Iterable[Mapping[str, Any]]
) -> Iterator[Counted]:
    """The cases of rows about to be inserted in bulk (the persons' `citizenships` as stored)."""
    listed = {p["id"]: p["citizenships"].split(",") for p in person_rows}
    for row in case_rows:
        codes = tuple(listed[row["person_id"]])
        yield Counted(row["formation"], row["state"], row["submitted_on"], codes)


def count_added(conn: Connection, added: Iterable[Counted]) -> None:
    _record(conn, Counter(key for case in added for key in case.counters()))


def count_changed(conn: Connection, before: Counted, after: Counted) -> None:
    changes = Counter(after.counters())
    changes.subtract(before.counters())
    _record(conn, changes)


def _record(conn: Connection, changes: Counter[Key]) -> None:
    rows = [
        dict(zip(KEY_COLUMNS, key, strict=True), n=n) for key, n in sorted(changes.items()) if n
    ]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # Counters are shared by unrelated cases. Changing them under the audit chain's lock,
        # which every writing transaction takes anyway, keeps two transactions from ever
        # waiting on each other's counters and the chain in opposite orders.
        lock_chain(conn)
    conn.execute(_upsert(conn.dialect.name), rows)


@cache
def _upsert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """Add each row's `n` to its counter, creating the counters not there yet (built once per
    dialect: a statement built per call costs more than the row it writes)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(case_counts)
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS), set_={"n": case_counts.c.n + statement.excluded.n}
    )


def stored_cases(engine: Engine) -> int:
    """How many cases the database holds, counted row by row (not from the counters)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())
