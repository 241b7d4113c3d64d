"""A synthetic population of volunteers, to exercise the law and the batch engine at scale.

Nothing here describes real people or real numbers (domain.md §6): the weights only make the
table look like the mix of countries, stays and services the product will meet. Every column
follows the facts contract (`guardpath.law.table.SCHEMA`), plus an `id`.

Randomness is computed as Polars expressions, with no NumPy: each stream of uniform numbers
hashes the row number with a key that SplitMix64 draws from the seed and the stream. A million
rows take a second or two, and a seed gives the same table wherever the same Polars version runs
(Polars keeps its hash stable within a version, and requirements.lock pins it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

import polars as pl

from guardpath.law.facts import FACT_NAMES
from guardpath.law.table import PERIOD, SCHEMA

# Relative weights, not statistics.
COUNTRIES: Final[Mapping[str, int]] = {
    "US": 90, "GB": 70, "GE": 60, "PL": 50, "CO": 50, "CA": 40, "BR": 35, "FR": 30, "DE": 30,
    "LT": 25, "LV": 18, "EE": 15, "IL": 15, "AU": 15, "JP": 8, "KR": 8, "NZ": 8, "SE": 12,
    "NO": 8, "FI": 10, "DK": 8, "NL": 12, "BE": 8, "IE": 8, "CZ": 12, "SK": 8, "RO": 10,
    "MD": 10, "HR": 10, "IT": 10, "ES": 10, "PT": 6, "AR": 10, "MX": 8, "CL": 6, "PE": 6,
    "IN": 6, "NP": 5, "LK": 4, "PH": 4, "ZA": 6, "NG": 4, "TR": 5, "AZ": 6, "AM": 4, "KZ": 5,
    "BY": 30, "RU": 25, "UA": 110,
}  # fmt: skip
SECOND_CITIZENSHIPS: Final[Mapping[str, int]] = {
    "UA": 30, "US": 15, "IL": 10, "PL": 10, "GB": 8, "CA": 8, "DE": 6, "RU": 5, "IE": 4,
}  # fmt: skip
CITIZENSHIP_KINDS: Final = {"single": 90, "stateless": 4, "dual": 6}
STAY_BASES: Final = {
    "temporary_residence_permit": 25, "visa_free": 20, "military_registration_document": 15,
    "visa": 10, "permanent_residence_permit": 8, "extended_stay": 5, "none": 7, "refugee": 3,
    "complementary_protection": 2,
}  # fmt: skip
FORMATIONS: Final = {"afu": 50, "ngu": 40, "dsst": 10}
RANK_GROUPS: Final = {"private": 75, "sergeant": 18, "officer": 7}
PERIOD_COUNTS: Final = {0: 50, 1: 38, 2: 12}

MISSING: Final[Mapping[str, float]] = {
    "birth_date": 0.03, "sex": 0.03, "citizenships": 0.03, "stay_basis": 0.12,
    "stay_valid_until": 0.12, "previously_convicted": 0.15, "medical": 0.18,
    "psychological": 0.18, "physical": 0.18, "special_check": 0.2, "formation": 0.1,
    "basis": 0.1, "rank_group": 0.12, "female_post_vacant": 0.15,
    "prior_military_service": 0.15, "service_periods": 0.12, "state_award": 0.15,
}  # fmt: skip
"""The share of each fact that is unknown, on top of facts that do not concern the person
(a Ukrainian citizen's stay, a man's vacant female post)."""

AGES_AT: Final = date(2025, 1, 1)
NGU_OPENS: Final = date(2024, 2, 21)
SERVICE_FROM: Final = date(2015, 1, 1)
SERVICE_TO: Final = date(2026, 6, 30)
STAY_FROM: Final = date(2016, 1, 1)
STAY_TO: Final = date(2031, 12, 31)

_MASK: Final = 2**64 - 1
_GOLDEN: Final = 0x9E3779B97F4A7C15
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


def _mix_python(z: int) -> int:
    z = (z + _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class _Random:
    """Independent streams of uniform numbers, one per call, all determined by the seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.stream = 0

    def uniform(self) -> pl.Expr:
        self.stream += 1
        key = _mix_python((self.seed * 1_000_003 + self.stream) & _MASK)
        bits = pl.int_range(pl.len(), dtype=pl.UInt64).hash(key) // pl.lit(2**11, pl.UInt64)
        return bits.cast(pl.Float64) / float(2**53)

    def integers(self, low: int, high: int) -> pl.Expr:
        """Whole numbers from `low` to `high` inclusive."""
        return (self.uniform() * (high - low + 1)).floor().cast(pl.Int64) + low

    def choice(self, weights: Mapping[str, int] | Mapping[int, int]) -> pl.Expr:
        """One of the keys, each as often as its weight says."""
        slots = [value for value, weight in weights.items() for _ in range(weight)]
        index = self.integers(0, len(slots) - 1)
        dtype = pl.String if isinstance(slots[0], str) else pl.Int64
        return index.replace_strict(dict(enumerate(slots)), return_dtype=dtype)

    def chance(self, share: float) -> pl.Expr:
        return self.uniform() < share

    def day(self, first: date, last: date) -> pl.Expr:
        return self.integers(first.toordinal(), last.toordinal()) - _EPOCH_ORDINAL


def _as_date(days: pl.Expr) -> pl.Expr:
    return days.cast(pl.Int32).cast(pl.Date)


def _days(day: date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def _ages_in_days(rnd: _Random) -> pl.Expr:
    """Mostly 18 to 60, most often in the late twenties and thirties, a few outside."""
    core = 18 + 42 * (rnd.uniform() + rnd.uniform() + rnd.uniform()) / 3 * rnd.uniform().sqrt()
    tail = pl.when(rnd.chance(0.5)).then(14 + 4 * rnd.uniform()).otherwise(60 + 15 * rnd.uniform())
    years = pl.when(rnd.chance(0.06)).then(tail).otherwise(core)
    return (years * 365.25).floor().cast(pl.Int64)


def _pick(rnd: _Random, share: float, yes: str, no: str) -> pl.Expr:
    return pl.when(rnd.chance(share)).then(pl.lit(yes)).otherwise(pl.lit(no))


def _draws(rnd: _Random) -> dict[str, pl.Expr]:
    """Every independent draw, as plain columns; the facts are built from these."""
    kind = rnd.choice(CITIZENSHIP_KINDS)
    return {
        "first": pl.when(kind != "stateless").then(rnd.choice(COUNTRIES)),
        "second": pl.when(kind == "dual").then(rnd.choice(SECOND_CITIZENSHIPS)),
        "birth_date": _as_date(pl.lit(_days(AGES_AT)) - _ages_in_days(rnd)),
        "sex": _pick(rnd, 0.88, "male", "female"),
        "stay_basis": rnd.choice(STAY_BASES),
        "stay_day": rnd.day(STAY_FROM, STAY_TO),
        "previously_convicted": rnd.chance(0.05),
        "medical": _pick(rnd, 0.85, "fit", "unfit"),
        "psychological": _pick(rnd, 0.88, "passed", "failed"),
        "physical": _pick(rnd, 0.85, "passed", "failed"),
        "special_check": _pick(rnd, 0.92, "passed", "failed"),
        "formation": rnd.choice(FORMATIONS),
        "citizen_mobilised": rnd.chance(0.6),
        "foreigner_mobilised": rnd.chance(0.01),
        "rank_group": rnd.choice(RANK_GROUPS),
        "female_post_vacant": rnd.chance(0.6),
        "prior_military_service": rnd.chance(0.3),
        "state_award": rnd.chance(0.04),
        "periods": rnd.choice(PERIOD_COUNTS),
        **_period_draws(rnd, "p1"),
        **_period_draws(rnd, "p2"),
        **{f"missing:{name}": rnd.chance(share) for name, share in MISSING.items()},
    }


def _period_draws(rnd: _Random, prefix: str) -> dict[str, pl.Expr]:
    return {
        f"{prefix}_formation": rnd.choice(FORMATIONS),
        f"{prefix}_mobilised": rnd.chance(0.6),
        f"{prefix}_start": rnd.day(SERVICE_FROM, SERVICE_TO),
        f"{prefix}_gap": rnd.integers(1, 400),
        f"{prefix}_length": rnd.integers(60, 1500),
        f"{prefix}_open": rnd.chance(0.55),
    }


def _basis(mobilised: pl.Expr) -> pl.Expr:
    return pl.when(mobilised).then(pl.lit("mobilization")).otherwise(pl.lit("contract"))


def _citizenships(draws: pl.DataFrame) -> pl.Series:
    """Sorted lists of codes; [] for a stateless person."""
    codes = pl.concat(
        [
            draws.select("id", code="first"),
            draws.select("id", code="second").drop_nulls(),
        ]
    )
    lists = (
        codes.sort("id", "code", nulls_last=True)
        .group_by("id", maintain_order=True)
        .agg(pl.col("code").drop_nulls().unique(maintain_order=True))
    )
    return lists["code"].alias("citizenships")


def _period(prefix: str, start: pl.Expr, open_ended: pl.Expr) -> pl.Expr:
    formation = pl.col(f"{prefix}_formation")
    # No foreigner served in the NGU before its regulation: record the AFU instead.
    before_ngu = start < _days(NGU_OPENS)
    formation = pl.when((formation == "ngu") & before_ngu).then(pl.lit("afu")).otherwise(formation)
    basis = _basis(pl.col("ukrainian") & pl.col(f"{prefix}_mobilised"))
    end = pl.when(open_ended).then(None).otherwise(start + pl.col(f"{prefix}_length"))
    return pl.struct(
        formation.alias("formation"),
        basis.alias("basis"),
        _as_date(start).alias("start"),
        _as_date(end).alias("end"),
    )


def _service_periods(draws: pl.DataFrame) -> pl.Series:
    """0 to 2 periods; only the last may still be running."""
    count = pl.col("periods")
    first_start = pl.col("p1_start")
    first = _period("p1", first_start, (count == 1) & pl.col("p1_open"))
    second_start = first_start + pl.col("p1_length") + pl.col("p2_gap")
    second = _period("p2", second_start, pl.col("p2_open"))
    periods = pl.concat(
        [
            draws.select("id", period=pl.when(count >= 1).then(first)),
            draws.filter(count >= 2).select("id", period=second),
        ]
    )
    lists = (
        periods.sort("id", maintain_order=True)
        .group_by("id", maintain_order=True)
        .agg(pl.col("period").drop_nulls())
    )
    return lists["period"].cast(pl.List(PERIOD)).alias("service_periods")


def _facts() -> dict[str, pl.Expr]:
    ukrainian = pl.col("ukrainian")
    female = pl.col("sex") == "female"
    stay = pl.when(~ukrainian).then(pl.col("stay_basis"))
    lasting = stay.is_in(["permanent_residence_permit", "none"])
    # Foreigners sign contracts (a few records say otherwise, as records do); citizens may be
    # mobilised.
    citizen = _basis(pl.col("citizen_mobilised"))
    foreigner = _basis(pl.col("foreigner_mobilised"))
    return {
        "stay_basis": stay,
        "stay_valid_until": pl.when(stay.is_not_null() & ~lasting).then(
            _as_date(pl.col("stay_day"))
        ),
        "basis": pl.when(ukrainian).then(citizen).otherwise(foreigner),
        "female_post_vacant": pl.when(female).then(pl.col("female_post_vacant")),
        "prior_military_service": (pl.col("service_periods").list.len() > 0)
        | pl.col("prior_military_service"),
    }


def generate(n: int, seed: int = 0) -> pl.DataFrame:
    """`n` synthetic people with an `id` (1 to n) and every fact of the contract."""
    if n < 0:
        raise ValueError(f"n: {n} is negative; expected a count of people, 0 or more")
    rnd = _Random(seed)
    ids = pl.select(pl.int_range(1, n + 1, dtype=pl.Int64).alias("id"))
    draws = ids.select("id", **_draws(rnd))
    ukrainian = (pl.col("first") == "UA") | (pl.col("second") == "UA")
    draws = draws.with_columns(ukrainian=ukrainian.fill_null(False))
    draws = draws.with_columns(_citizenships(draws), _service_periods(draws))
    draws = draws.with_columns(**_facts())
    unknown = [
        pl.when(pl.col(f"missing:{name}")).then(None).otherwise(pl.col(name)).alias(name)
        for name in FACT_NAMES
    ]
    return draws.select(pl.col("id"), *unknown).cast(pl.Schema(SCHEMA))
