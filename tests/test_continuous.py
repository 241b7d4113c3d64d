"""served_continuously_in_martial_law: a transfer without a gap continues the service; the
single-person and the table evaluators agree."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardpath.law.continuous import ServedAcross, runs
from guardpath.law.expr import Fact
from guardpath.law.facts import BASES, FORMATIONS, parse_facts
from guardpath.law.language import LanguageError, parse
from guardpath.law.table import SCHEMA

MARTIAL_LAW = ((date(2022, 2, 24), None),)
ALL = ("afu", "ngu", "dsst")


def period(formation: str, start: str, end: str | None, basis: str = "contract") -> dict[str, Any]:
    return {"formation": formation, "basis": basis, "start": start, "end": end}


def holds(periods: list[dict[str, Any]] | None, on: date, formations: tuple[str, ...] = ALL) -> Any:
    expr = ServedAcross(Fact("service_periods"), formations, "contract", 1, on, MARTIAL_LAW)
    return expr.value(parse_facts({"service_periods": periods}))


def test_it_merges_periods_that_follow_each_other_without_a_gap() -> None:
    d = date.fromisoformat
    assert runs([(d("2025-01-01"), d("2025-06-30")), (d("2025-07-01"), None)]) == [
        (d("2025-01-01"), None)
    ]
    assert runs([(d("2025-07-03"), None), (d("2025-01-01"), d("2025-07-01"))]) == [
        (d("2025-01-01"), d("2025-07-01")),
        (d("2025-07-03"), None),
    ]


def test_a_transfer_from_the_ngu_to_the_afu_continues_the_year() -> None:
    transfer = [period("ngu", "2025-01-10", "2025-06-30"), period("afu", "2025-07-01", None)]
    assert holds(transfer, date(2026, 1, 9)) is False
    assert holds(transfer, date(2026, 1, 10)) is True
    assert holds(transfer, date(2026, 1, 10), ("afu",)) is False


def test_a_gap_of_a_day_breaks_the_run() -> None:
    gap = [period("ngu", "2025-01-10", "2025-06-30"), period("afu", "2025-07-02", None)]
    assert holds(gap, date(2026, 1, 10)) is False
    assert holds(None, date(2026, 1, 10)) is None


def test_the_language_types_its_formations_list() -> None:
    parameters = {"martial_law.in_force": "bool"}
    parse("served_continuously_in_martial_law(['ngu', 'afu'], 'contract', 1)", parameters)
    # one formation is a list of one, as for the other serving functions
    parse("served_continuously_in_martial_law('ngu', 'contract', 1)", parameters)
    with pytest.raises(LanguageError, match="a formation or a list of formations"):
        parse("served_continuously_in_martial_law(['navy'], 'contract', 1)", parameters)


def typed(p: dict[str, Any]) -> dict[str, Any]:
    end = p["end"] and date.fromisoformat(p["end"])
    return {**p, "start": date.fromisoformat(p["start"]), "end": end}


days = st.dates(min_value=date(2021, 6, 1), max_value=date(2027, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(days)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=date(2028, 6, 30))))
    return period(
        draw(st.sampled_from(FORMATIONS)),
        start.isoformat(),
        end.isoformat() if end else None,
        draw(st.sampled_from(BASES)),
    )


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.one_of(st.none(), st.lists(periods(), max_size=4)), min_size=1, max_size=30),
    on=days,
    formations=st.sampled_from([ALL, ("ngu", "afu"), ("dsst",)]),
    years=st.integers(min_value=0, max_value=2),
)
def test_the_table_evaluator_equals_the_single_person_one(
    people: list[list[dict[str, Any]] | None], on: date, formations: tuple[str, ...], years: int
) -> None:
    expr = ServedAcross(Fact("service_periods"), formations, "contract", years, on, MARTIAL_LAW)
    frame = pl.DataFrame(
        {"service_periods": [None if p is None else [typed(x) for x in p] for p in people]},
        schema={"service_periods": SCHEMA["service_periods"]},
    )
    table = frame.select(expr.polars().alias("v"))["v"].to_list()
    single = [expr.value(parse_facts({"service_periods": p})) for p in people]
    assert table == single
