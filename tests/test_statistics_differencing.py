"""The differencing attack of issue 12, replayed against the statistics.

Two cumulative queries a day apart used to reveal one Belarusian's application, which the
one-day query hid as "<5". The method now counts whole months that have ended, and shows each
count as the band of five it falls in (guardpath.services.statistics): these tests replay the
attack and work out, by enumeration, what an analyst can still learn from what is published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.month_counts import MonthCounts
from guardpath.services.statistics import (
    SMALL,
    Breakdown,
    Dimension,
    Filters,
    band,
    count_cases,
    summarise_cases,
)
from test_statistics_service import CaseRows

LIMIT = 130
"""Counts enumerated: above every count the tests publish, plus a band."""
Publish = Callable[[int], str | None]
FEBRUARY = Filters(start=date(2025, 2, 1), end=date(2025, 2, 28))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = create_engine(f"sqlite:///{tmp_path / 'statistics.db'}")
    upgrade(made)
    yield made
    made.dispose()


def published(count: int) -> str | None:
    """What the statistics show of an exact count: nothing for zero, "<5", or its band."""
    if count == 0:
        return None
    return "<5" if count < SMALL else str(band(count))


def published_exactly(count: int) -> str | None:
    """What the statistics showed before: small counts hidden, the others exact."""
    return None if count == 0 else "<5" if count < SMALL else str(count)


def cell(result: Breakdown, key: str) -> str | None:
    return next((c.shown for c in result.cells if c.key == key), None)


def possible(
    before: str | None, after: str | None, alone: str | None, publish: Publish = published
) -> set[int]:
    """Every count of the later part consistent with the earlier cumulative count, the later
    one and the later part published alone."""
    return {
        part
        for part in range(0, LIMIT)
        for earlier in range(0, LIMIT)
        if publish(part) == alone
        and publish(earlier) == before
        and publish(earlier + part) == after
    }


def test_two_cumulative_queries_a_day_apart_no_longer_reveal_one_application(
    engine: Engine,
) -> None:
    rows = CaseRows(engine)
    rows.add(30, ("US",), on=date(2025, 1, 6))
    rows.add(7, ("BY",), on=date(2025, 1, 8))
    rows.add(20, ("US",), on=date(2025, 2, 3))

    # The attack: everything up to 10 February, then up to 11 February, when one Belarusian
    # applies. Before, these showed BY 7 then 8. Now a range cannot end on a day...
    with pytest.raises(ValueError, match="last day of a month"):
        Filters(end=date(2025, 2, 10))
    # ... and the month in progress is not counted, so the two days read the same.
    before = summarise_cases(MonthCounts(engine), Filters(), today=date(2025, 2, 10))
    rows.add(1, ("BY",), on=date(2025, 2, 11))
    after = summarise_cases(MonthCounts(engine), Filters(), today=date(2025, 2, 11))
    assert before == after
    assert cell(after.citizenship, "US") == "30"  # February's 20 are not counted in February
    assert cell(after.citizenship, "BY") == "5"  # January's 7, in the band 5 to 9

    # Once February has ended: up to January, up to February, and February alone.
    march = date(2025, 3, 1)
    to_january = count_cases(
        MonthCounts(engine), Dimension.CITIZENSHIP, Filters(end=date(2025, 1, 31)), march
    )
    to_february = count_cases(MonthCounts(engine), Dimension.CITIZENSHIP, Filters(), march)
    february = count_cases(MonthCounts(engine), Dimension.CITIZENSHIP, FEBRUARY, march)
    shown = [cell(b, "BY") for b in (to_january, to_february, february)]
    assert shown == ["5", "5", "<5"]  # 7 -> 5, 8 -> 5, and February's 1 hidden
    assert possible(*shown) == {1, 2, 3, 4}  # the suppressed cell is still any of 1 to 4


def test_no_pair_of_cumulative_counts_pins_a_hidden_month() -> None:
    # Over every earlier count and every later month of 1 to 4: the two cumulative counts and
    # the month alone leave at least three values open, all four unless both show "<5".
    for earlier in range(0, 120):
        for part in range(1, SMALL):
            before, after = published(earlier), published(earlier + part)
            left = possible(before, after, "<5")
            assert part in left
            assert left == ({1, 2, 3} if before == after == "<5" else {1, 2, 3, 4})


def test_the_same_queries_pin_the_hidden_month_with_exact_counts() -> None:
    # The control: published exactly, as before, the same three cells give February's
    # Belarusian away, and so would nearly every other pair of cumulative counts.
    shown = [published_exactly(n) for n in (7, 8, 1)]
    assert shown == ["7", "8", "<5"]
    assert possible(*shown, publish=published_exactly) == {1}
    pinned = [
        (earlier, part)
        for earlier in range(SMALL, 60)
        for part in range(1, SMALL)
        if len(
            possible(
                published_exactly(earlier),
                published_exactly(earlier + part),
                "<5",
                published_exactly,
            )
        )
        == 1
    ]
    assert len(pinned) == (60 - SMALL) * (SMALL - 1)
