"""The synthetic population: deterministic, valid under the contract, varied like the real one."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from guardpath.law.facts import FACT_NAMES, STAY_BASES
from guardpath.law.table import SCHEMA, conform
from guardpath.population import AGES_AT, SERVICE_TO, generate

N = 20_000


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    return generate(N, seed=11)


def test_it_gives_the_same_people_for_the_same_seed() -> None:
    assert generate(2_000, seed=7).equals(generate(2_000, seed=7))
    assert not generate(2_000, seed=7).equals(generate(2_000, seed=8))


def test_it_has_the_contract_columns_and_an_id(people: pl.DataFrame) -> None:
    assert people.columns == ["id", *FACT_NAMES]
    assert {name: people.schema[name] for name in SCHEMA} == SCHEMA
    assert people["id"].to_list() == list(range(1, N + 1))
    assert conform(people).height == N  # every value is of an accepted form


def test_it_draws_citizens_of_many_countries(people: pl.DataFrame) -> None:
    codes = people["citizenships"].explode().drop_nulls().value_counts(sort=True)
    counts = dict(zip(codes["citizenships"], codes["count"], strict=True))

    assert len(counts) >= 40
    assert {"US", "GB", "GE", "PL", "CO", "BR", "RU", "BY", "UA", "JP", "NZ"} <= set(counts)
    foreign = [code for code in counts if code != "UA"]
    assert foreign[0] == "US"
    assert counts["RU"] < counts["US"] / 2  # some Russian citizens, not many


def test_it_includes_stateless_dual_and_ukrainian_citizens(people: pl.DataFrame) -> None:
    sizes = people["citizenships"].list.len()
    ukrainian = people["citizenships"].list.contains("UA").fill_null(False)

    assert 0.02 < (sizes == 0).sum() / N < 0.08  # [] is a stateless person
    assert 0.03 < (sizes == 2).sum() / N < 0.10
    assert 0.05 < ukrainian.sum() / N < 0.20


@pytest.mark.parametrize(
    "fact",
    [
        "previously_convicted",
        "medical",
        "psychological",
        "physical",
        "special_check",
        "formation",
        "basis",
        "rank_group",
        "prior_military_service",
        "service_periods",
        "state_award",
    ],
)
def test_it_leaves_about_a_tenth_to_a_fifth_of_each_fact_unknown(
    people: pl.DataFrame, fact: str
) -> None:
    assert 0.08 <= people[fact].null_count() / N <= 0.22


def test_it_knows_most_identities(people: pl.DataFrame) -> None:
    for fact in ("birth_date", "sex", "citizenships"):
        assert 0.01 <= people[fact].null_count() / N <= 0.06


def test_it_has_every_kind_of_stay_but_none_for_ukrainians(people: pl.DataFrame) -> None:
    assert set(people["stay_basis"].drop_nulls().unique()) == set(STAY_BASES)
    ukrainians = people.filter(pl.col("citizenships").list.contains("UA"))
    assert ukrainians["stay_basis"].null_count() == ukrainians.height
    permanent = people.filter(pl.col("stay_basis") == "permanent_residence_permit")
    assert permanent["stay_valid_until"].null_count() == permanent.height


def test_it_draws_realistic_ages(people: pl.DataFrame) -> None:
    ages = people.select(
        ((pl.lit(AGES_AT) - pl.col("birth_date")).dt.total_days() / 365.25).alias("age")
    )["age"].drop_nulls()

    assert 0.85 < ((ages >= 18) & (ages <= 60)).mean() < 0.97  # type: ignore[operator]
    assert (ages < 18).sum() > 0 and (ages > 60).sum() > 0
    assert 25 < ages.median() < 40  # type: ignore[operator]


def test_it_mobilises_only_ukrainians_apart_from_a_few_bad_records(people: pl.DataFrame) -> None:
    ukrainian = pl.col("citizenships").list.contains("UA")
    mobilised = pl.col("basis") == "mobilization"
    shares = people.select(
        citizens=mobilised.filter(ukrainian).mean(),
        foreigners=mobilised.filter(~ukrainian).mean(),
    ).row(0)

    assert shares[0] > 0.4
    assert 0 < shares[1] < 0.03


def test_it_draws_zero_to_two_service_periods_from_2015(people: pl.DataFrame) -> None:
    periods = people["service_periods"].drop_nulls()
    assert set(periods.list.len().unique()) == {0, 1, 2}
    flat = periods.explode().drop_nulls().struct.unnest()
    assert flat["start"].min() >= date(2015, 1, 1)  # type: ignore[operator]
    assert flat.filter(pl.col("start") > SERVICE_TO)["start"].count() < flat.height / 10
    assert (flat["end"].is_null() | (flat["end"] >= flat["start"])).all()
    first = periods.filter(periods.list.len() == 2).list.first().struct.field("end")
    assert first.null_count() == 0  # only the last period may still be running


def test_it_has_women_and_a_vacant_post_only_for_them(people: pl.DataFrame) -> None:
    women = people.filter(pl.col("sex") == "female")
    men = people.filter(pl.col("sex") == "male")
    assert 0.05 < women.height / N < 0.2
    assert men["female_post_vacant"].null_count() == men.height
    assert women["female_post_vacant"].drop_nulls().any()


def test_it_makes_a_million_people() -> None:
    """Speed is measured in bench/, not here: a timed test fails on a loaded machine."""
    frame = generate(1_000_000, seed=1)

    assert frame.height == 1_000_000
    assert frame["id"].n_unique() == 1_000_000


def test_it_makes_an_empty_table_and_refuses_a_negative_count() -> None:
    assert generate(0).columns == ["id", *FACT_NAMES]
    with pytest.raises(ValueError, match="n: -1"):
        generate(-1)
