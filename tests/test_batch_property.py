"""One definition, two evaluators: the Polars batch equals the single-person path, and the
generated single-person code equals the interpretive reference, explanation included."""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardpath.law.batch import evaluate_frame, status_column
from guardpath.law.compiled import compile_question
from guardpath.law.evaluate import decide, explain, open_questions_for, open_questions_walked
from guardpath.law.explanation import status_of
from guardpath.law.facts import (
    BASES,
    BOOL_FACTS,
    ENUM_FACTS,
    FACT_NAMES,
    FORMATIONS,
    facts_as_json,
    parse_facts,
)
from guardpath.law.loader import default_legislation
from guardpath.law.table import conform

BOUNDARIES = [
    date(2014, 1, 1),
    date(2014, 3, 17),
    date(2015, 11, 11),
    date(2015, 11, 12),
    date(2016, 1, 28),
    date(2022, 2, 23),
    date(2022, 2, 24),
    date(2023, 1, 12),
    date(2024, 2, 20),
    date(2024, 2, 21),
    date(2024, 2, 29),
    date(2024, 4, 3),
    date(2024, 8, 25),
    date(2024, 10, 30),
    date(2022, 8, 31),
    date(2022, 9, 1),
    date(2025, 9, 1),
    date(2025, 10, 1),
    date(2026, 1, 16),
    date(2026, 7, 16),
    date(2027, 2, 28),
]
COUNTRIES = ["US", "GB", "UA", "RU", "BY", "GE", "PL", "CO"]

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
service_dates = st.dates(min_value=date(2014, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(service_dates)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=date(2030, 12, 31))))
    return {
        "formation": draw(st.sampled_from(FORMATIONS)),
        "basis": draw(st.sampled_from(BASES)),
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
    }


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


facts_strategy = st.fixed_dictionaries(
    {
        **{name: _maybe(st.sampled_from(values)) for name, values in ENUM_FACTS.items()},
        **{name: _maybe(st.booleans()) for name in BOOL_FACTS},
        "birth_date": _maybe(dates.map(date.isoformat)),
        "stay_valid_until": _maybe(dates.map(date.isoformat)),
        "citizenships": _maybe(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)),
        "service_periods": _maybe(st.lists(periods(), max_size=3)),  # joined, gaps, overlaps
    }
)
on_strategy = st.one_of(st.sampled_from(BOUNDARIES), st.dates(date(2014, 1, 1), date(2030, 12, 31)))


def table(people: list[dict[str, Any]]) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {}
    for name in FACT_NAMES:
        values = [p.get(name) for p in people]
        if name in ("citizenships", "service_periods"):
            values = [None if v is None else json.dumps(v) for v in values]
        columns[name] = values
    schema = {n: pl.Boolean if n in BOOL_FACTS else pl.String for n in FACT_NAMES}
    return conform(pl.DataFrame(columns, schema=schema))


@settings(
    max_examples=int(os.environ.get("GUARDPATH_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    people=st.lists(facts_strategy, min_size=1, max_size=25),
    on=on_strategy,
    question=st.sampled_from(["enlistment", "citizenship"]),
)
def test_it_evaluates_a_population_as_it_evaluates_each_person(
    people: list[dict[str, Any]], on: date, question: str
) -> None:
    legislation = default_legislation()
    compiled = compile_question(legislation, question, on)
    batch = evaluate_frame(table(people), question, on, legislation)
    for index, raw in enumerate(people):
        facts = parse_facts(raw)
        single = decide(question, facts, on, legislation, explain_tree=False)
        row = batch.row(index, named=True)
        assert (row["outcome"], row["missing"]) == (single.outcome, single.missing), raw
        scope = compiled.evaluate_values(facts)
        for node in compiled.nodes:
            assert row[status_column(node)] == status_of(node, scope), (node.key, raw)
        reference = compiled.interpret_values(facts)
        assert (scope.rules, scope.applies) == (reference.rules, reference.applies), raw
        assert open_questions_for(compiled, scope) == open_questions_walked(compiled, scope), raw
        generated = compiled.explainer("en")(scope)
        assert generated == explain(compiled.root, reference, facts_as_json(facts)), raw


def test_it_reports_every_rule_as_a_status_column() -> None:
    people = table([{"citizenships": ["US"], "formation": "ngu"}])
    result = evaluate_frame(people, "enlistment", date(2024, 3, 1))
    rule_columns = {c for c in result.columns if c.startswith("rule:")}
    assert "rule:enlistment.foreigners.formation_open" in rule_columns
    assert result["rule:enlistment.foreigners.formation_open"].to_list() == ["met"]
    assert result["outcome"].to_list() == ["undetermined"]
