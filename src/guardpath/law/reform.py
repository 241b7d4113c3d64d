"""The impact of a draft amendment on a table of people: both answers in one pass, compared.

Each chunk of people is evaluated by the batch engine under the law and under the draft; the
two outcomes and every rule's two statuses are compared in Polars. What is counted: the people,
those whose outcome changed, the transitions between outcomes, for each rule the people whose
status changed, and the changed people by citizenship, age band, sex and formation. Counts here
are exact; the statistics' small-count suppression is applied where they are shown. Rules are
compared where both legislations have them: a rule the draft adds (or the two dated versions of
a rule it replaces from a date) shows its effect in the rule above it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from guardpath.law.batch import CHUNK_ROWS, ENGINE, evaluate_lazy
from guardpath.law.model import Legislation
from guardpath.law.table import read_people

RULE_PREFIX = "rule:"
UNKNOWN = "unknown"
STATELESS = "stateless"
AGE_BANDS: tuple[tuple[int, str], ...] = ((18, "under 18"), (41, "18-40"), (61, "41-60"))
OLDEST_BAND = "61 and over"
DIMENSIONS = ("citizenship", "age_band", "sex", "formation")


@dataclass
class Impact:
    """Exact counts of what a draft changes for a table of people on one date."""

    question: str
    on: date
    law_version: str
    draft_version: str
    people: int = 0
    changed: int = 0
    transitions: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by: dict[str, Counter[str]] = field(
        default_factory=lambda: {dimension: Counter() for dimension in DIMENSIONS}
    )

    def add(self, other: Impact) -> None:
        self.people += other.people
        self.changed += other.changed
        self.transitions.update(other.transitions)
        self.by_rule.update(other.by_rule)
        for dimension, counts in other.by.items():
            self.by[dimension].update(counts)

    def as_json(self) -> dict[str, Any]:
        """Every count exact (see guardpath.services.what_if for the suppressed form)."""
        return {
            "question": self.question,
            "on": self.on.isoformat(),
            "law_version": self.law_version,
            "draft_version": self.draft_version,
            "people": self.people,
            "changed": self.changed,
            "transitions": dict(sorted(self.transitions.items())),
            "by_rule": dict(sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by": {d: dict(sorted(c.items())) for d, c in self.by.items()},
        }


def age_band(on: date) -> pl.Expr:
    """The person's age band on `on` (whole years, as the law counts them)."""
    born = pl.col("birth_date")
    years = pl.lit(on.year) - born.dt.year()
    before_birthday = (pl.lit(on.month) < born.dt.month()) | (
        (pl.lit(on.month) == born.dt.month()) & (pl.lit(on.day) < born.dt.day())
    )
    age = years - before_birthday.cast(pl.Int32)
    band: pl.Expr = pl.lit(OLDEST_BAND)
    for limit, label in reversed(AGE_BANDS):
        band = pl.when(age < limit).then(pl.lit(label)).otherwise(band)
    return pl.when(born.is_null()).then(pl.lit(UNKNOWN)).otherwise(band).alias("age_band")


def _keys(people: pl.DataFrame, on: date) -> pl.DataFrame:
    citizenship = (
        pl.when(pl.col("citizenships").is_null())
        .then(pl.lit([UNKNOWN]))
        .when(pl.col("citizenships").list.len() == 0)
        .then(pl.lit([STATELESS]))
        .otherwise(pl.col("citizenships"))
    )
    return people.select(
        citizenship.alias("citizenship"),
        age_band(on),
        pl.col("sex").cast(pl.String).fill_null(UNKNOWN),
        pl.col("formation").cast(pl.String).fill_null(UNKNOWN),
    )


def _statuses(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(RULE_PREFIX)]


def compare_frame(
    people: pl.DataFrame, question: str, on: date, law: Legislation, draft: Legislation
) -> pl.DataFrame:
    """For each person: both outcomes, whether it changed, and the rules whose status changed."""
    before = evaluate_lazy(people.lazy(), question, on, law).collect(engine=ENGINE)
    after = evaluate_lazy(people.lazy(), question, on, draft).collect(engine=ENGINE)
    rules = sorted(set(_statuses(before)) & set(_statuses(after)))
    differs = {
        column.removeprefix(RULE_PREFIX): before[column].cast(pl.String)
        != after[column].cast(pl.String)
        for column in rules
    }
    changed_rules = pl.DataFrame(differs).select(
        pl.concat_list(
            [pl.when(pl.col(key)).then(pl.lit(key)) for key in differs]
            or [pl.lit(None, dtype=pl.String)]
        )
        .list.drop_nulls()
        .alias("changed_rules")
    )
    ids = [people["id"]] if "id" in people.columns else []
    law_outcome = before["outcome"].cast(pl.String).alias("outcome_law")
    draft_outcome = after["outcome"].cast(pl.String).alias("outcome_draft")
    return pl.DataFrame(
        [*ids, law_outcome, draft_outcome, (law_outcome != draft_outcome).alias("changed")]
    ).hstack(changed_rules)


def _counts(series: pl.Series) -> Counter[str]:
    return Counter({str(k): int(n) for k, n in series.value_counts().iter_rows() if n})


def impact_of(
    compared: pl.DataFrame,
    keys: pl.DataFrame,
    question: str,
    on: date,
    law_version: str,
    draft_version: str,
) -> Impact:
    """The counts of one compared chunk (see compare_frame), with the people's keys."""
    impact = Impact(question, on, law_version, draft_version, people=compared.height)
    moved = compared.filter(pl.col("changed"))
    impact.changed = moved.height
    arrows = moved.select(pl.format("{}->{}", "outcome_law", "outcome_draft")).to_series()
    impact.transitions = _counts(arrows)
    impact.by_rule = _counts(compared["changed_rules"].explode().drop_nulls())
    changed_keys = keys.filter(compared["changed"])
    impact.by = {
        dimension: _counts(
            changed_keys[dimension].explode()
            if dimension == "citizenship"
            else changed_keys[dimension]
        )
        for dimension in DIMENSIONS
    }
    return impact


def reform_frame(
    people: pl.DataFrame,
    question: str,
    on: date,
    law: Legislation,
    draft: Legislation,
) -> tuple[Impact, pl.DataFrame]:
    """The impact on a conformed table of people, and each person's comparison."""
    compared = compare_frame(people, question, on, law, draft)
    impact = impact_of(compared, _keys(people, on), question, on, law.version, draft.version)
    return impact, compared


def reform_file(
    source: Path,
    question: str,
    on: date,
    law: Legislation,
    draft: Legislation,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Impact:
    """Read people, compare them chunk by chunk (reporting progress), write `out` if asked."""
    people = read_people(source)
    total = Impact(question, on, law.version, draft.version)
    written: list[pl.DataFrame] = []
    for start in range(0, max(people.height, 1), CHUNK_ROWS):
        chunk = people.slice(start, CHUNK_ROWS)
        impact, compared = reform_frame(chunk, question, on, law, draft)
        total.add(impact)
        if out is not None:
            written.append(compared)
        if progress is not None:
            progress(min(start + CHUNK_ROWS, people.height), people.height)
    if out is not None:
        pl.concat(written).write_parquet(out)
    return total
