"""Date arithmetic, defined once.

The law counts terms in years and months. Following the Civil Code of Ukraine, Art. 254, a term
in years or months ends on the same day of the final year or month; where that month has no such
day (29 February in a common year, 31 in a 30-day month), it ends on the month's last day.
So 29 February 2024 plus one year is 28 February 2025, and 31 January plus one month is
28 or 29 February. A person's age on a date is the number of whole years added to the birth
date that do not pass that date: someone born on 29 February turns one year older on
28 February in a common year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def is_leap(year: int) -> bool:
    return calendar.isleap(year)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months, clamped to the last day of the month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, days_in_month(year, month)))


def add_years(start: date, years: int) -> date:
    """`start` plus `years` calendar years; 29 February becomes 28 February in a common year."""
    return add_months(start, 12 * years)


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on `on`: the largest n with add_years(birth_date, n) <= on.

    Negative before birth: a person not yet born is -1 year old on the day before birth.
    """
    years = on.year - birth_date.year
    birthday = add_years(birth_date, years)
    return years if birthday <= on else years - 1


def birthday_of_age(birth_date: date, age: int) -> date:
    """The day a person born on `birth_date` reaches `age`."""
    return add_years(birth_date, age)


def parse_date(text: str) -> date:
    """Parse an ISO `YYYY-MM-DD` date strictly; raises ValueError naming what is accepted."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date (YYYY-MM-DD)") from None
