"""A table's ages are looked up by day of birth in a table of the age formula's values: the same
ages as the formula (and as the single-person rule), whatever the span, leap days included."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from guardpath.law.batch import AGE_TABLE_DAYS, _looked_up_age
from guardpath.law.dates import age_on
from guardpath.law.expr import Age, Fact


def _people(births: list[date | None]) -> pl.DataFrame:
    return pl.DataFrame({"birth_date": births}, schema={"birth_date": pl.Date})


@pytest.mark.parametrize("on", [date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28)])
def test_looked_up_ages_are_the_formulas_on_every_day_of_a_wide_span(on: date) -> None:
    first = date(1900, 1, 1)
    births: list[date | None] = [first + timedelta(days=d) for d in range(0, 46_000)]
    births += [None, on, on + timedelta(days=1)]
    age = Age(Fact("birth_date"), on)
    people = _people(births)
    looked_up = _looked_up_age(age, people)
    assert looked_up is not None  # the span is within the table's reach
    formula = people.select(age.polars_age()).to_series()
    assert looked_up.to_list() == formula.to_list()
    expected = [None if born is None else age_on(born, on) for born in births]
    assert looked_up.to_list() == expected


def test_a_span_too_wide_for_its_rows_falls_back_to_the_formula() -> None:
    age = Age(Fact("birth_date"), date(2024, 11, 1))
    far = date(1900, 1, 1) + timedelta(days=AGE_TABLE_DAYS + 1)
    assert _looked_up_age(age, _people([date(1900, 1, 1), far])) is None
    assert _looked_up_age(age, _people([None, None])) is None
