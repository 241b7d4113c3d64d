"""The facts parser generated per set of keys accepts, returns and refuses exactly as the
general parser does."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from guardpath.law.facts import (
    BOOL_FACTS,
    DATE_FACTS,
    ENUM_FACTS,
    FACT_NAMES,
    FactError,
    _parse_general,
    parse_facts,
)

ODD: list[object] = [None, 1, 0, 1.5, "", "x", "TRUE", [], {}, ["US"], True, False]


def _values(name: str) -> st.SearchStrategy[object]:
    if name in ENUM_FACTS:
        good: st.SearchStrategy[object] = st.sampled_from(ENUM_FACTS[name])
    elif name in BOOL_FACTS:
        good = st.booleans()
    elif name in DATE_FACTS:
        good = st.one_of(
            st.dates().map(date.isoformat),
            st.dates(),
            st.sampled_from(["2024-02-30", "2024-13-01", "1990-5-10", "10/05/1990", "2024-02-29"]),
            st.just(datetime(2020, 1, 1, 12, 0)),
        )
    elif name == "citizenships":
        good = st.lists(st.sampled_from(["US", "UA", "GB", "XX", "us", 7]), max_size=3)
    else:
        period = st.fixed_dictionaries(
            {"formation": st.sampled_from(["ngu", "afu", "x"]), "basis": st.just("contract")},
            optional={"start": st.dates().map(date.isoformat), "end": st.none()},
        )
        good = st.lists(period, max_size=2)
    return st.one_of(good, st.sampled_from(ODD))


@st.composite
def raw_facts(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(FACT_NAMES), unique=True, max_size=len(FACT_NAMES)))
    raw = {name: draw(_values(name)) for name in names}
    if draw(st.integers(0, 9)) == 0:
        raw["shoe_size"] = 44
    return raw


def _outcome(parse: Any, raw: dict[str, Any]) -> object:
    try:
        return ("facts", parse(raw))
    except FactError as error:
        return ("error", str(error), error.field)


@settings(max_examples=300, deadline=None)
@given(raw=raw_facts())
def test_the_generated_parser_agrees_with_the_general_one(raw: dict[str, Any]) -> None:
    expected = _outcome(_parse_general, raw)
    assert _outcome(parse_facts, raw) == expected
    assert _outcome(parse_facts, dict(raw)) == expected  # the second time, from the cache


def test_it_still_refuses_what_is_not_an_object() -> None:
    for raw in (None, [], "facts", 3):
        assert _outcome(parse_facts, raw) == (
            "error",
            "facts: expected a JSON object of facts",
            "facts",
        )  # type: ignore[arg-type]
