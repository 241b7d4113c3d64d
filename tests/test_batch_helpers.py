"""The helper columns computed from a table's data equal the formulas they stand for: ages looked
up by day of birth (the single-person rule's ages, leap days included), and the searches of one
list done in a single pass (`list.contains`'s answers, repeated items and unknown lists
included)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from guardpath.law.batch_helpers import AGE_TABLE_DAYS, looked_up_age, searched
from guardpath.law.dates import age_on
from guardpath.law.expr import Age, Contains, Fact


def _people(births: list[date | None]) -> pl.DataFrame:
    return pl.DataFrame({"birth_date": births}, schema={"birth_date": pl.Date})


@pytest.mark.parametrize("on", [date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28)])
def test_looked_up_ages_are_the_formulas_on_every_day_of_a_wide_span(on: date) -> None:
    first = date(1900, 1, 1)
    births: list[date | None] = [first + timedelta(days=d) for d in range(0, 46_000)]
    births += [None, on, on + timedelta(days=1)]
    age = Age(Fact("birth_date"), on)
    people = _people(births)
    looked_up = looked_up_age(age, people)
    assert looked_up is not None  # the span is within the table's reach
    formula = people.select(age.polars_age()).to_series()
    assert looked_up.to_list() == formula.to_list()
    expected = [None if born is None else age_on(born, on) for born in births]
    assert looked_up.to_list() == expected


def test_a_span_too_wide_for_its_rows_falls_back_to_the_formula() -> None:
    age = Age(Fact("birth_date"), date(2024, 11, 1))
    far = date(1900, 1, 1) + timedelta(days=AGE_TABLE_DAYS + 1)
    assert looked_up_age(age, _people([date(1900, 1, 1), far])) is None
    assert looked_up_age(age, _people([None, None])) is None


LISTS = [["UA", "UA", "UA"], [], None, ["RU", "UA"], ["US"], ["BY", "GB", "BY"], ["GB"] * 40]


def test_one_pass_searches_answer_as_list_contains_does() -> None:
    people = pl.DataFrame({"citizenships": LISTS}, schema={"citizenships": pl.List(pl.String)})
    items = [Contains(Fact("citizenships"), code) for code in ("UA", "RU", "BY", "GB")]
    found = searched(people, "citizenships", items)
    assert set(found) == {e.column for e in items}
    for e in items:
        expected = people["citizenships"].list.contains(e.item).to_list()
        assert found[e.column].to_list() == expected, e.item


def test_lists_too_long_for_the_counts_are_searched_item_by_item() -> None:
    items = [Contains(Fact("citizenships"), f"{chr(65 + i)}A") for i in range(8)]  # 8-bit fields
    people = pl.DataFrame({"citizenships": [["AA"] * 255]})
    found = searched(people, "citizenships", items)
    assert [found[e.column].to_list() for e in items] == [[True]] + [[False]] * 7
    people = pl.DataFrame({"citizenships": [["AA"] * 256]})
    assert searched(people, "citizenships", items) == {}
