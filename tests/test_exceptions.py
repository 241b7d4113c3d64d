"""Exceptions as the law writes them: "X, unless Y". Two that apply and disagree are an error."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardpath.law.compiled import QUESTIONS, compile_question
from guardpath.law.evaluate import decide
from guardpath.law.exceptions import ConflictingExceptions, WithExceptions
from guardpath.law.facts import (
    BASES,
    FORMATIONS,
    MEDICAL,
    PASSED,
    RANK_GROUPS,
    SEX,
    STAY_BASES,
    parse_facts,
)
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.table import conform

ON = date(2024, 3, 1)


def conflicting_law(law_tree: Any) -> Legislation:
    """'Eligible if fit, unless a woman (not), unless in the NGU (yes)': both can apply."""
    law_tree.write(
        "enlistment.yaml",
        law_tree.rule(
            condition="medical == 'fit'",
            exceptions=[
                law_tree.exception("women_excluded", when="sex == 'female'", then=False),
                law_tree.exception("ngu_admits", when="formation == 'ngu'", then=True),
            ],
        ),
    )
    return law_tree.load()


def root_holds(legislation: Legislation, on: date = ON) -> WithExceptions:
    holds = compile_question(legislation, "enlistment", on).root.holds
    assert isinstance(holds, WithExceptions)
    return holds


def test_it_raises_when_two_exceptions_apply_and_disagree_naming_both(law_tree: Any) -> None:
    legislation = conflicting_law(law_tree)
    facts = parse_facts({"medical": "fit", "sex": "female", "formation": "ngu"})
    with pytest.raises(ConflictingExceptions) as error:
        decide("enlistment", facts, ON, legislation)
    assert error.value.rule == "enlistment"
    assert error.value.names == ["women_excluded", "ngu_admits"]
    assert "women_excluded, ngu_admits" in str(error.value)


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"medical": "fit", "sex": "female", "formation": "afu"}, "ineligible"),
        ({"medical": "unfit", "sex": "male", "formation": "ngu"}, "eligible"),
        ({"medical": "unfit", "sex": "male", "formation": "afu"}, "ineligible"),
        ({"medical": "fit", "sex": "male", "formation": "afu"}, "eligible"),
    ],
)
def test_it_takes_the_consequence_of_the_one_exception_that_applies(
    law_tree: Any, facts: dict[str, str], outcome: str
) -> None:
    answer = decide("enlistment", parse_facts(facts), ON, conflicting_law(law_tree))
    assert answer.outcome == outcome


def test_it_flags_the_conflicting_row_in_the_batch_path(law_tree: Any) -> None:
    holds = root_holds(conflicting_law(law_tree))
    people = conform(
        pl.DataFrame(
            {
                "medical": ["fit", "fit", "fit", None],
                "sex": ["female", "female", "male", "female"],
                "formation": ["ngu", "afu", "ngu", None],
            }
        )
    )
    flags = people.select(holds.polars_conflicts().alias("conflict"))["conflict"].to_list()
    assert flags == [True, False, False, False]


def unknown_law(law_tree: Any) -> Legislation:
    """'Eligible if fit, unless a woman, who is not': the exception's `when` may be unknown."""
    law_tree.write(
        "enlistment.yaml",
        law_tree.rule(
            condition="medical == 'fit'",
            exceptions=[law_tree.exception("women_excluded", when="sex == 'female'", then=False)],
        ),
    )
    return law_tree.load()


def test_it_is_unknown_when_an_open_exception_would_change_the_outcome(law_tree: Any) -> None:
    answer = decide("enlistment", parse_facts({"medical": "fit"}), ON, unknown_law(law_tree))
    assert answer.outcome == "undetermined"
    assert answer.missing == ["sex"]


def test_it_is_known_when_an_open_exception_agrees_with_the_base(law_tree: Any) -> None:
    answer = decide("enlistment", parse_facts({"medical": "unfit"}), ON, unknown_law(law_tree))
    assert answer.outcome == "ineligible"
    assert answer.missing == []


def test_it_reports_an_open_exception_in_the_explanation(law_tree: Any) -> None:
    answer = decide("enlistment", parse_facts({"medical": "fit"}), ON, unknown_law(law_tree))
    assert answer.reasons[0]["exceptions"] == [
        {"name": "women_excluded", "status": "unknown", "then": False}
    ]


@pytest.mark.parametrize(
    ("medical", "sex", "expected"),
    [
        ("fit", None, None),
        ("unfit", None, False),
        ("fit", "female", False),
        ("fit", "male", True),
        (None, "female", False),
        (None, "male", None),
        (None, None, None),
    ],
)
def test_it_gives_the_same_value_in_the_batch_path(
    law_tree: Any, medical: str | None, sex: str | None, expected: bool | None
) -> None:
    holds = root_holds(unknown_law(law_tree))
    facts = parse_facts({"medical": medical, "sex": sex})
    people = conform(
        pl.DataFrame(
            {"medical": [medical], "sex": [sex]},
            schema=[("medical", pl.String), ("sex", pl.String)],
        )
    )
    assert holds.value(facts) is expected
    assert people.select(holds.polars())[0, 0] is expected


def test_it_leaves_out_an_exception_outside_its_period(law_tree: Any) -> None:
    exception = law_tree.exception(
        "women_excluded", when="sex == 'female'", then=False, period={"from": "2024-02-21"}
    )
    law_tree.write(
        "enlistment.yaml", law_tree.rule(condition="medical == 'fit'", exceptions=[exception])
    )
    legislation = law_tree.load()
    facts = parse_facts({"medical": "fit", "sex": "female"})
    assert decide("enlistment", facts, date(2024, 2, 20), legislation).outcome == "eligible"
    assert decide("enlistment", facts, date(2024, 2, 21), legislation).outcome == "ineligible"


def test_it_is_undetermined_with_the_open_question_when_the_consequence_is_unknown(
    law_tree: Any,
) -> None:
    law_tree.write("open_questions.yaml", law_tree.open_questions("exceptions_not_retrieved"))
    exception = law_tree.exception(
        "russian_citizens",
        when="'RU' in citizenships",
        then=None,
        open_question="exceptions_not_retrieved",
    )
    law_tree.write("citizenship.yaml", law_tree.rule(condition="True", exceptions=[exception]))
    legislation = law_tree.load()
    russian = decide("citizenship", parse_facts({"citizenships": ["RU"]}), ON, legislation)
    american = decide("citizenship", parse_facts({"citizenships": ["US"]}), ON, legislation)
    assert (russian.outcome, russian.missing) == ("undetermined", [])
    assert russian.open_questions == ["exceptions_not_retrieved"]
    assert american.outcome == "eligible"


def test_it_never_finds_a_russian_serviceman_eligible_while_applications_are_suspended(
    volunteer: Any,
) -> None:
    service = [{"formation": "afu", "basis": "contract", "start": "2022-03-01", "end": None}]
    russian = volunteer(citizenships=["RU"], formation="afu", service_periods=service)
    answer = decide("citizenship", russian, date(2026, 6, 1))
    assert answer.outcome == "undetermined"
    assert "russian_citizens_exceptions" in answer.open_questions
    suspension = [
        r
        for r in json.loads(json.dumps(answer.reasons))[0]["children"]
        if r["rule"] == "citizenship.suspension"
    ]
    assert suspension[0]["exceptions"][0]["status"] == "applies"


# The real legislation: no two disagreeing exceptions of a rule can both apply.

LAW = default_legislation()
RULES_WITH_EXCEPTIONS = sorted(name for name, rule in LAW.rules.items() if rule.exceptions)
DATES = sorted(
    {d for d in LAW.change_dates() if d >= date(2015, 1, 1)} | {date(2025, 6, 1), date(2030, 1, 1)}
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
periods = st.fixed_dictionaries(
    {
        "formation": st.sampled_from(FORMATIONS),
        "basis": st.sampled_from(BASES),
        "start": st.dates(min_value=date(2014, 1, 1), max_value=date(2027, 1, 1)).map(str),
        "end": st.none(),
    }
)
raw_facts = st.fixed_dictionaries(
    {
        "birth_date": maybe(days.map(str)),
        "sex": maybe(st.sampled_from(SEX)),
        "citizenships": maybe(
            st.lists(st.sampled_from(["US", "UA", "RU", "BY", "GB"]), max_size=2)
        ),
        "stay_basis": maybe(st.sampled_from(STAY_BASES)),
        "stay_valid_until": maybe(days.map(str)),
        "previously_convicted": maybe(st.booleans()),
        "medical": maybe(st.sampled_from(MEDICAL)),
        "psychological": maybe(st.sampled_from(PASSED)),
        "physical": maybe(st.sampled_from(PASSED)),
        "special_check": maybe(st.sampled_from(PASSED)),
        "formation": maybe(st.sampled_from(FORMATIONS)),
        "basis": maybe(st.sampled_from(BASES)),
        "rank_group": maybe(st.sampled_from(RANK_GROUPS)),
        "female_post_vacant": maybe(st.booleans()),
        "prior_military_service": maybe(st.booleans()),
        "service_periods": maybe(st.lists(periods, max_size=2)),
        "state_award": maybe(st.booleans()),
    }
)


def test_it_has_real_rules_with_exceptions_to_check() -> None:
    assert "enlistment.foreigners.rank_group" in RULES_WITH_EXCEPTIONS
    assert "citizenship.suspension" in RULES_WITH_EXCEPTIONS


@settings(max_examples=150, deadline=None)
@given(raw=raw_facts, on=st.sampled_from(DATES))
def test_it_never_applies_two_disagreeing_real_exceptions_at_once(
    raw: dict[str, Any], on: date
) -> None:
    facts = parse_facts(raw)
    for question in QUESTIONS:
        answer = decide(question, facts, on, LAW)  # raises ConflictingExceptions on a conflict
        assert answer.outcome in ("eligible", "ineligible", "undetermined")


def every_combination_of_exception_facts() -> pl.DataFrame:
    """Every combination of the facts the real exceptions read, unknown included."""
    people = pl.DataFrame({"rank_group": [None, *RANK_GROUPS]}, schema={"rank_group": pl.String})
    for name, values in (
        ("formation", [None, *FORMATIONS]),
        ("citizenships", [None, "[]", '["RU"]', '["RU", "UA"]', '["US"]']),
    ):
        people = people.join(pl.DataFrame({name: values}, schema={name: pl.String}), how="cross")
    return conform(people)


@pytest.mark.parametrize("on", DATES, ids=str)
def test_it_flags_no_conflict_in_the_batch_path_on_any_change_date(on: date) -> None:
    people = every_combination_of_exception_facts()
    for question in QUESTIONS:
        for node in compile_question(LAW, question, on).nodes:
            if isinstance(node.holds, WithExceptions):
                assert not people.select(node.holds.polars_conflicts()).to_series().any()
