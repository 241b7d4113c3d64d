"""The facts contract (version 1): every refusal names the field and what it accepts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from guardpath.law.facts import ENUM_FACTS, FACT_NAMES, FactError, ServicePeriod, parse_facts


def period(**overrides: Any) -> dict[str, Any]:
    return {
        "formation": "ngu",
        "basis": "contract",
        "start": "2024-03-01",
        "end": None,
        **overrides,
    }


def refusal(raw: object) -> FactError:
    with pytest.raises(FactError) as error:
        parse_facts(raw)
    return error.value


def test_it_parses_complete_facts_into_typed_values(volunteer: Any) -> None:
    facts = volunteer(citizenships=["US", "GB"], service_periods=[period()])
    assert facts["birth_date"] == date(1990, 5, 1)
    assert facts["stay_valid_until"] == date(2030, 1, 1)
    assert facts["citizenships"] == ("GB", "US")
    assert facts["previously_convicted"] is False
    assert facts["service_periods"] == (ServicePeriod("ngu", "contract", date(2024, 3, 1), None),)


@pytest.mark.parametrize(("field", "accepted"), sorted(ENUM_FACTS.items()))
def test_it_refuses_a_wrong_enum_value_naming_the_field_and_the_accepted_values(
    field: str, accepted: tuple[str, ...]
) -> None:
    error = refusal({field: "maybe"})
    assert error.field == field
    assert str(error).startswith(f"{field}: 'maybe' is not accepted")
    assert "one of " + ", ".join(accepted) in str(error)


@pytest.mark.parametrize("field", sorted(ENUM_FACTS))
def test_it_refuses_an_enum_value_of_the_wrong_case_or_type(field: str) -> None:
    accepted = ENUM_FACTS[field][0]
    assert refusal({field: accepted.upper()}).field == field
    assert refusal({field: 1}).field == field


@pytest.mark.parametrize("field", ["previously_convicted", "female_post_vacant", "state_award"])
@pytest.mark.parametrize("value", ["true", 1, 0, "yes"])
def test_it_refuses_a_boolean_that_is_not_true_or_false(field: str, value: object) -> None:
    error = refusal({field: value})
    assert error.field == field
    assert "expected true or false" in str(error)


@pytest.mark.parametrize("field", ["birth_date", "stay_valid_until"])
@pytest.mark.parametrize("value", ["2023-02-29", "2024-2-1", "", 20240101])
def test_it_refuses_a_date_that_is_not_yyyy_mm_dd(field: str, value: object) -> None:
    error = refusal({field: value})
    assert error.field == field
    assert "YYYY-MM-DD" in str(error)


def test_it_refuses_an_unknown_fact_listing_the_accepted_ones() -> None:
    error = refusal({"sex": "male", "shoe_size": 44})
    assert error.field == "shoe_size"
    assert "unknown fact" in str(error)
    assert all(name in str(error) for name in FACT_NAMES)


def test_it_refuses_facts_that_are_not_an_object() -> None:
    assert refusal(["sex", "male"]).field == "facts"


def test_it_reads_null_as_unknown_and_leaves_it_out() -> None:
    facts = parse_facts({name: None for name in FACT_NAMES})
    assert facts == {}


def test_it_leaves_a_missing_fact_out() -> None:
    assert parse_facts({"sex": "female"}) == {"sex": "female"}


def test_it_reads_an_empty_citizenship_list_as_a_stateless_person() -> None:
    assert parse_facts({"citizenships": []}) == {"citizenships": ()}


def test_it_refuses_an_unknown_country_code_naming_its_position() -> None:
    error = refusal({"citizenships": ["US", "XX"]})
    assert error.field == "citizenships[1]"
    assert "ISO 3166-1 alpha-2" in str(error)
    assert refusal({"citizenships": ["XX"]}).field == "citizenships[0]"


@pytest.mark.parametrize("code", ["us", "USA", "", "SU", 840])
def test_it_refuses_what_pycountry_does_not_know_as_alpha_2(code: object) -> None:
    assert refusal({"citizenships": [code]}).field == "citizenships[0]"


def test_it_refuses_citizenships_that_are_not_a_list() -> None:
    error = refusal({"citizenships": "US"})
    assert error.field == "citizenships"
    assert "list" in str(error)


def test_it_keeps_known_codes_sorted_and_once() -> None:
    facts = parse_facts({"citizenships": ["UA", "RU", "BY", "RU"]})
    assert facts["citizenships"] == ("BY", "RU", "UA")


def test_it_refuses_a_service_period_ending_before_it_starts() -> None:
    error = refusal({"service_periods": [period(start="2024-03-01", end="2024-02-29")]})
    assert error.field == "service_periods[0].end"
    assert "before the start" in str(error)


def test_it_accepts_a_service_period_of_one_day() -> None:
    facts = parse_facts({"service_periods": [period(start="2024-03-01", end="2024-03-01")]})
    assert facts["service_periods"][0].end == date(2024, 3, 1)


def test_it_refuses_an_unknown_key_in_a_service_period() -> None:
    error = refusal({"service_periods": [period(), period(unit="3rd brigade")]})
    assert error.field == "service_periods[1].unit"
    assert "unknown key" in str(error)


@pytest.mark.parametrize("key", ["start", "formation", "basis"])
def test_it_refuses_a_service_period_without_a_required_key(key: str) -> None:
    raw = period()
    del raw[key]
    error = refusal({"service_periods": [raw]})
    assert error.field == f"service_periods[0].{key}"
    assert "required" in str(error)


@pytest.mark.parametrize(
    ("key", "value"), [("formation", "navy"), ("basis", "conscription"), ("start", "2024-3-1")]
)
def test_it_refuses_a_service_period_with_a_wrong_value(key: str, value: str) -> None:
    error = refusal({"service_periods": [period(**{key: value})]})
    assert error.field == f"service_periods[0].{key}"


def test_it_refuses_a_service_period_that_is_not_an_object() -> None:
    assert refusal({"service_periods": ["ngu"]}).field == "service_periods[0]"
