"""The people the benchmarks run on: the synthetic population of guardpath.population, as
Parquet files, and a sample of foreigners with every enlistment fact known for the self-check."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from guardpath.law.dates import add_years
from guardpath.law.facts import BOOL_FACTS, ENUM_FACTS
from guardpath.law.table import write_people
from guardpath.population import generate

SEED = 20241101

AMERICAN_VOLUNTEER: dict[str, Any] = {
    "birth_date": "1990-05-10",
    "sex": "male",
    "citizenships": ["US"],
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2027-12-31",
    "previously_convicted": False,
    "medical": "fit",
    "psychological": "passed",
    "physical": "passed",
    "special_check": "passed",
    "formation": "ngu",
    "basis": "contract",
    "rank_group": "private",
    "prior_military_service": True,
    "service_periods": [],
    "state_award": False,
}
"""The cast's American volunteer (legislation/cast.cases.yaml): complete, NGU, a private."""


def population_files(sizes: list[int], folder: Path) -> dict[int, Path]:
    """One Parquet file per size, each the first rows of one population (generation untimed)."""
    people = generate(max(sizes), SEED)
    files = {}
    for size in sorted(sizes):
        files[size] = folder / f"people-{size}.parquet"
        write_people(people.head(size), files[size])
    return files


def complete_foreigners(count: int, seed: int = SEED) -> pl.DataFrame:
    """`count` generated foreigners whose unknown enlistment facts are filled by random draws,
    so every fact guardpath's enlistment rules read is present."""
    people = generate(4 * count, seed)
    foreign = pl.col("citizenships").is_not_null() & ~pl.col("citizenships").list.contains("UA")
    people = people.filter(foreign).head(count)
    if people.height < count:
        raise ValueError(f"only {people.height} foreigners among {4 * count} generated people")
    rng = np.random.default_rng(seed)
    filled = [_fill(people[name], rng, list(values)) for name, values in ENUM_FACTS.items()]
    filled += [_fill(people[name], rng, [True, False]) for name in BOOL_FACTS]
    filled.append(_fill_dates(people["birth_date"], rng, date(1950, 1, 1), date(2010, 12, 31)))
    filled.append(
        _fill_dates(people["stay_valid_until"], rng, date(2014, 1, 1), date(2031, 12, 31))
    )
    return people.with_columns(filled)


def _fill(column: pl.Series, rng: np.random.Generator, values: list[Any]) -> pl.Series:
    picks = rng.integers(0, len(values), column.len())
    draws = pl.Series(column.name, [values[int(i)] for i in picks]).cast(column.dtype)
    return column.fill_null(draws)


def _fill_dates(column: pl.Series, rng: np.random.Generator, first: date, last: date) -> pl.Series:
    days = rng.integers(first.toordinal(), last.toordinal() + 1, column.len())
    draws = pl.Series(column.name, [date.fromordinal(int(d)) for d in days], dtype=pl.Date)
    return column.fill_null(draws)


def with_age_boundaries(people: pl.DataFrame, on: date) -> pl.DataFrame:
    """The sample with its first birth dates moved onto the age limits of `on` (a day either
    side of 18, 41 and 61) and onto 29 February, where off-by-one readings would show."""
    births = [add_years(on, -years) for years in (18, 41, 61)]
    births = [b for birth in births for b in (birth, date.fromordinal(birth.toordinal() + 1))]
    births += [date(1980, 2, 29), date(1996, 2, 29), date(2000, 2, 29), date(1964, 2, 29)]
    column = people["birth_date"].to_list()
    column[: len(births)] = births
    return people.with_columns(pl.Series("birth_date", column, dtype=pl.Date))


def facts_json(row: dict[str, Any]) -> dict[str, Any]:
    """A table row as a facts object of the contract (dates as text, no id)."""
    raw = {name: value for name, value in row.items() if name != "id"}
    for name in ("birth_date", "stay_valid_until"):
        if isinstance(raw.get(name), date):
            raw[name] = raw[name].isoformat()
    raw["service_periods"] = [
        {key: v.isoformat() if isinstance(v, date) else v for key, v in period.items()}
        for period in raw.get("service_periods") or []
    ]
    return raw
