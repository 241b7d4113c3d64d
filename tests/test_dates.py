"""Dates at the boundaries: ages, 29 February, month ends (Civil Code Art. 254 counting)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardpath.law.dates import add_months, add_years, age_on, birthday_of_age, parse_date

LEAP_BIRTH = date(2000, 2, 29)


def test_it_is_one_year_younger_the_day_before_the_birthday() -> None:
    assert age_on(date(1990, 5, 1), date(2030, 4, 30)) == 39


def test_it_is_one_year_older_on_the_birthday() -> None:
    assert age_on(date(1990, 5, 1), date(2030, 5, 1)) == 40


def test_it_is_zero_on_the_day_of_birth_and_minus_one_the_day_before() -> None:
    assert age_on(date(1990, 5, 1), date(1990, 5, 1)) == 0
    assert age_on(date(1990, 5, 1), date(1990, 4, 30)) == -1


def test_it_ages_a_29_february_birth_on_28_february_of_a_common_year() -> None:
    assert age_on(LEAP_BIRTH, date(2001, 2, 27)) == 0
    assert age_on(LEAP_BIRTH, date(2001, 2, 28)) == 1
    assert age_on(LEAP_BIRTH, date(2001, 3, 1)) == 1


def test_it_ages_a_29_february_birth_on_29_february_of_a_leap_year() -> None:
    assert age_on(LEAP_BIRTH, date(2004, 2, 28)) == 3
    assert age_on(LEAP_BIRTH, date(2004, 2, 29)) == 4
    assert age_on(LEAP_BIRTH, date(2004, 3, 1)) == 4


def test_it_turns_a_29_february_birth_61_on_28_february_2025() -> None:
    assert birthday_of_age(date(1964, 2, 29), 61) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2024, 2, 28), 1, date(2025, 2, 28)),
        (date(2022, 3, 1), 3, date(2025, 3, 1)),
        (date(2022, 3, 1), 0, date(2022, 3, 1)),
    ],
)
def test_it_adds_years_ending_on_the_same_day_or_the_months_last(
    start: date, years: int, expected: date
) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 11, 30), 2, date(2025, 1, 30)),
        (date(2024, 12, 31), 14, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2024, 5, 31), -24, date(2022, 5, 31)),
    ],
)
def test_it_adds_months_clamped_to_the_months_last_day(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_it_parses_an_iso_date() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2023-02-29", "is not a calendar date (YYYY-MM-DD)"),
        ("2024-02-30", "is not a calendar date (YYYY-MM-DD)"),
        ("2024-13-01", "is not a calendar date (YYYY-MM-DD)"),
        ("2024-2-1", "is not a date of the form YYYY-MM-DD"),
        ("", "is not a date of the form YYYY-MM-DD"),
        ("01.02.2024", "is not a date of the form YYYY-MM-DD"),
        ("2024/02/01", "is not a date of the form YYYY-MM-DD"),
        ("20240201", "is not a date of the form YYYY-MM-DD"),
        ("2024-02-01T00:00", "is not a date of the form YYYY-MM-DD"),
    ],
)
def test_it_refuses_what_is_not_a_calendar_date_naming_the_form(text: str, says: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD") as error:
        parse_date(text)
    assert str(error.value) == f"{text!r} {says}"


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2050, 12, 31))


@given(born=births, years=st.integers(min_value=0, max_value=100))
def test_it_is_n_years_old_on_the_nth_anniversary_and_not_the_day_before(
    born: date, years: int
) -> None:
    anniversary = add_years(born, years)
    assert age_on(born, anniversary) == years
    assert age_on(born, anniversary - timedelta(days=1)) == years - 1


@given(
    born=births,
    first=st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31)),
    later_by=st.integers(min_value=0, max_value=800),
)
def test_it_never_grows_younger(born: date, first: date, later_by: int) -> None:
    second = first + timedelta(days=later_by)
    assert age_on(born, first) <= age_on(born, second)
