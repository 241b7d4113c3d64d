"""Counts of cases for analysts, on SQLite and PostgreSQL: breakdowns, filters, suppression.

Every count shown is the band of five it falls in (`band`: 5 to 9 show as 5, 10 to 14 as 10),
so each expected value below is written as band(exact): the exact count, then what is shown.
Rows go straight into the tables (`CaseRows`): persons with dummy sealed bytes and the clear
columns the statistics read. PostgreSQL is the local server (user postgres): one database per
session, created from `test` and dropped after; each test gets a fresh schema. Without a server
the PostgreSQL runs are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, event, insert

from guardpath.adapters import case_counts
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.month_counts import MonthCounts
from guardpath.adapters.tables import cases, persons
from guardpath.services.statistics import (
    SMALL,
    Breakdown,
    Dimension,
    Filters,
    band,
    count_cases,
    counted_through,
    summarise_cases,
)
from postgres_support import empty_tables, fresh_database


class CaseRows:
    """Cases written straight into the tables, with only the clear columns meaningful, and
    counted as the roster import counts them."""

    serial = count()

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        n: int = 1,
        citizenships: tuple[str, ...] = ("US",),
        formation: str = "ngu",
        state: str = "submitted",
        on: date | None = date(2025, 1, 10),
    ) -> None:
        at = datetime(2025, 1, 10, 9, tzinfo=UTC)
        people: list[dict[str, Any]] = []
        their_cases: list[dict[str, Any]] = []
        for _ in range(n):
            i = next(self.serial)
            person_id = str(uuid.uuid4())
            people.append(
                {
                    "id": person_id,
                    "sealed": b"\x00sealed",
                    "key_id": "k1",
                    "passport_index": f"p{i}",
                    "name_index": f"n{i}",
                    "citizenships": ",".join(citizenships),
                    "sex": "male",
                    "created_at": at,
                }
            )
            their_cases.append(
                {
                    "id": str(uuid.uuid4()),
                    "reference": f"GP-T{i:08d}",
                    "person_id": person_id,
                    "formation": formation,
                    "state": state,
                    "facts": {},
                    "version": 1,
                    "created_at": at,
                    "updated_at": at,
                    "submitted_on": on,
                }
            )
        with self.engine.begin() as conn:
            conn.execute(insert(persons), people)
            conn.execute(insert(cases), their_cases)
            case_counts.count_added(conn, case_counts.from_rows(their_cases, people))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The session's database on the local server, migrated once."""
    with fresh_database("guardpath_statistics") as url:
        made = create_engine(url)
        upgrade(made)
        made.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Engine]:
    """A migrated database with no rows: a copy of the SQLite template, or the session's
    PostgreSQL database emptied."""
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, tmp_path / "statistics.db")
        made = create_engine(f"sqlite:///{tmp_path / 'statistics.db'}")
    else:
        made = create_engine(request.getfixturevalue("postgres_database"))
        empty_tables(made)
    yield made
    made.dispose()


@pytest.fixture
def rows(engine: Engine) -> CaseRows:
    return CaseRows(engine)


def shown(result: Breakdown) -> dict[str, str]:
    return {cell.key: cell.shown for cell in result.cells}


# -- counts (a dual citizen and the stateless: tests/test_statistics_in_memory.py) -------------
def test_it_counts_by_formation_and_state_and_omits_zero_rows(
    engine: Engine, rows: CaseRows
) -> None:
    rows.add(8, formation="ngu", state="submitted")
    rows.add(6, formation="afu", state="in_service")
    rows.add(5, formation="afu", state="submitted")

    by_formation = count_cases(MonthCounts(engine), Dimension.FORMATION)
    by_state = count_cases(MonthCounts(engine), Dimension.STATE)

    # ngu 8 -> 5, afu 11 -> 10; submitted 13 -> 10, in service 6 -> 5
    assert [(c.key, c.shown) for c in by_formation.cells] == [("ngu", "5"), ("afu", "10")]
    assert [(c.key, c.shown) for c in by_state.cells] == [("submitted", "10"), ("in_service", "5")]
    assert "dsst" not in shown(by_formation)
    assert by_formation.total.count == by_state.total.count == 15  # 19 -> 15


def test_it_buckets_intake_by_calendar_month(engine: Engine, rows: CaseRows) -> None:
    rows.add(5, on=date(2024, 1, 1))
    rows.add(5, on=date(2024, 1, 31))
    rows.add(6, on=date(2024, 2, 29))
    rows.add(7, on=date(2024, 12, 31))
    rows.add(8, on=date(2025, 1, 1))
    rows.add(9, on=None)  # never submitted: no month of intake

    result = count_cases(MonthCounts(engine), Dimension.MONTH)

    assert [(c.key, c.shown) for c in result.cells] == [
        ("2024-01", "10"),  # 10 -> 10
        ("2024-02", "5"),  # 6 -> 5
        ("2024-12", "5"),  # 7 -> 5
        ("2025-01", "5"),  # 8 -> 5
    ]
    assert result.total.count == 30  # 31 -> 30


def test_it_filters_by_formation_and_an_inclusive_date_range(
    engine: Engine, rows: CaseRows
) -> None:
    rows.add(5, ("PL",), formation="ngu", on=date(2024, 3, 1))
    rows.add(6, ("PL",), formation="ngu", on=date(2024, 3, 31))
    rows.add(7, ("PL",), formation="ngu", on=date(2024, 4, 1))
    rows.add(8, ("PL",), formation="afu", on=date(2024, 3, 15))

    march = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))
    ngu_in_march = Filters("ngu", date(2024, 3, 1), date(2024, 3, 31))

    # 5 + 6 + 8 = 19 -> 15; ngu 5 + 6 = 11 -> 10; afu 8 -> 5; April 7 -> 5
    assert shown(count_cases(MonthCounts(engine), Dimension.CITIZENSHIP, march)) == {"PL": "15"}
    assert shown(count_cases(MonthCounts(engine), Dimension.CITIZENSHIP, ngu_in_march)) == {
        "PL": "10"
    }
    assert shown(count_cases(MonthCounts(engine), Dimension.FORMATION, march)) == {
        "ngu": "10",
        "afu": "5",
    }
    assert shown(count_cases(MonthCounts(engine), Dimension.MONTH, Filters("ngu"))) == {
        "2024-03": "10",
        "2024-04": "5",
    }
    after = Filters(start=date(2024, 4, 1))
    assert count_cases(MonthCounts(engine), Dimension.STATE, after).total.count == 5


DAYS = [date(2023, 12, 20) + timedelta(days=i) for i in range(90)]


def test_it_counts_any_range_of_whole_months_that_have_ended(
    engine: Engine, rows: CaseRows
) -> None:
    # Every range must count exactly the cases of its months, up to the last month that has
    # ended on `today`: the month in progress and the never submitted are left out.
    per_day = {day: SMALL + day.toordinal() % 3 for day in DAYS[::2]}
    for day, n in per_day.items():
        rows.add(n, on=day)
    rows.add(7, on=None)
    around = st.dates(date(2023, 11, 1), date(2024, 4, 30))

    @settings(max_examples=60, deadline=None)
    @given(st.none() | around, st.none() | around, around)
    def check(first: date | None, last: date | None, today: date) -> None:
        if first and last and first > last:
            first, last = last, first
        filters = Filters.months(None, first, last)
        through = min(filters.end or date.max, counted_through(today))
        low = filters.start or date.min
        counted = {day: n for day, n in per_day.items() if low <= day <= through}
        summary = summarise_cases(MonthCounts(engine), filters, today)
        assert summary.through == counted_through(today)
        wanted = sum(counted.values())
        assert summary.state.total.count == summary.citizenship.total.count == band(wanted)
        by_month: dict[str, int] = {}
        for day, n in counted.items():
            by_month[f"{day:%Y-%m}"] = by_month.get(f"{day:%Y-%m}", 0) + n
        assert shown(summary.month) == {k: str(band(n)) for k, n in by_month.items()}

    check()


def test_it_leaves_out_the_month_in_progress_and_cases_never_submitted(
    engine: Engine, rows: CaseRows
) -> None:
    rows.add(10, on=date(2025, 1, 31))
    rows.add(20, on=date(2025, 2, 1))
    rows.add(40, on=None)

    assert (
        count_cases(MonthCounts(engine), Dimension.STATE, today=date(2025, 2, 28)).total.count == 10
    )
    assert (
        count_cases(MonthCounts(engine), Dimension.STATE, today=date(2025, 3, 1)).total.count == 30
    )
    late = Filters(start=date(2025, 2, 1))
    assert (
        count_cases(MonthCounts(engine), Dimension.STATE, late, date(2025, 2, 28)).total.shown
        == "0"
    )


def test_it_summarises_every_breakdown_at_once(engine: Engine, rows: CaseRows) -> None:
    rows.add(12, ("UA", "US"), formation="dsst", state="probation", on=date(2025, 2, 3))

    summary = summarise_cases(MonthCounts(engine), Filters("dsst"))

    assert [b.dimension for b in summary.breakdowns()] == list(Dimension)
    # 12 -> 10 in each
    assert shown(summary.citizenship) == {"UA": "10", "US": "10"}
    assert shown(summary.state) == {"probation": "10"}
    assert shown(summary.month) == {"2025-02": "10"}


def test_it_never_reads_the_sealed_person_data(engine: Engine, rows: CaseRows) -> None:
    rows.add(5)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2].lower()))

    summarise_cases(MonthCounts(engine), Filters("ngu", date(2025, 1, 1), date(2025, 12, 31)))

    queries = [s for s in statements if "select" in s]
    assert len(queries) == 4
    assert not any("sealed" in s or "passport" in s or "name_index" in s for s in queries)


# -- suppression --------------------------------------------------------------------------------
def test_it_shows_a_count_of_three_as_less_than_five_and_hides_a_second_cell(
    engine: Engine, rows: CaseRows
) -> None:
    rows.add(40, ("US",))
    rows.add(12, ("GB",))
    rows.add(7, ("CA",))
    rows.add(3, ("BY",))

    result = count_cases(MonthCounts(engine), Dimension.CITIZENSHIP)

    assert shown(result) == {"US": "40", "GB": "10", "CA": "x", "BY": "<5"}  # GB 12 -> 10
    hidden = [c for c in result.cells if c.hidden]
    assert [(c.key, c.count) for c in hidden] == [("CA", None), ("BY", None)]
    # 62 -> 60. Even with exact counts, 62 - 40 - 12 = 10 = CA + BY: BY could be 1, 2, 3 or 4
    assert result.total.shown == "60"


def test_it_hides_counts_from_one_to_four_and_shows_five(engine: Engine, rows: CaseRows) -> None:
    for n, state in enumerate(["submitted", "medical", "interview", "approved", "probation"], 1):
        rows.add(n, state=state)
    rows.add(30, state="in_service")

    result = shown(count_cases(MonthCounts(engine), Dimension.STATE))

    assert [result[s] for s in ("submitted", "medical", "interview", "approved")] == ["<5"] * 4
    assert result["probation"] == "5"  # five is shown: only 1 to 4 are small
    assert result["in_service"] == "30"


def test_it_hides_a_total_from_one_to_four(engine: Engine, rows: CaseRows) -> None:
    rows.add(2, formation="dsst")

    result = count_cases(MonthCounts(engine), Dimension.FORMATION)

    assert result.total.shown == "<5"
    assert result.total.count is None


def test_it_withholds_a_breakdown_it_cannot_protect(engine: Engine, rows: CaseRows) -> None:
    rows.add(4, state="submitted")
    rows.add(4, state="medical")  # 8 in all: each "<5" would have to be 4

    result = count_cases(MonthCounts(engine), Dimension.STATE)

    assert result.withheld and result.cells == ()
    assert result.total.shown == "5"  # 8 -> 5


def test_it_has_nothing_to_count_in_an_empty_database(engine: Engine) -> None:
    summary = summarise_cases(MonthCounts(engine))

    assert all(b.cells == () and b.total.shown == "0" for b in summary.breakdowns())
