"""When does the answer change for one person? Law changes, birthdays, a stay ending, service."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from guardpath.law.dates import ONE_DAY
from guardpath.law.timeline import Period, answer, earliest_eligible, timeline


def periods_of(periods: list[Period]) -> list[tuple[str, str | None, str]]:
    return [(p.start.isoformat(), p.end.isoformat() if p.end else None, p.outcome) for p in periods]


def afu_contract(start: str, end: str | None = None) -> list[dict[str, Any]]:
    return [{"formation": "afu", "basis": "contract", "start": start, "end": end}]


def test_it_opens_the_ngu_to_an_american_on_decree_84_and_closes_it_when_his_permit_ends(
    volunteer: Any,
) -> None:
    periods = timeline("enlistment", volunteer())
    assert periods_of(periods) == [
        ("2014-01-01", "2024-02-20", "ineligible"),
        ("2024-02-21", "2030-01-01", "eligible"),
        ("2030-01-02", None, "ineligible"),
    ]
    assert "Applying to the National Guard, which accepts foreigners" in periods[1].because
    assert "Is in Ukraine on lawful grounds on the date" in periods[2].because


def test_it_gives_periods_that_follow_each_other_without_gaps(volunteer: Any) -> None:
    periods = timeline("enlistment", volunteer(birth_date="1964-02-29", formation="afu"))
    assert periods[0].start == date(2014, 1, 1)
    assert periods[-1].end is None
    for before, after in pairwise(periods):
        assert before.end is not None and before.end + ONE_DAY == after.start
        assert before.outcome != after.outcome


def test_it_leaves_the_sixtieth_year_open_and_ends_on_a_29_february_births_61st_birthday(
    volunteer: Any,
) -> None:
    periods = timeline("enlistment", volunteer(birth_date="1964-02-29", formation="afu"))
    assert periods_of(periods) == [
        ("2014-01-01", "2015-11-11", "ineligible"),  # no act admits foreigners before Law 716-VIII
        ("2015-11-12", "2024-02-28", "eligible"),  # the special period's limit of 60
        ("2024-02-29", "2025-02-27", "undetermined"),  # aged 60: the 60th or the 61st birthday
        ("2025-02-28", None, "ineligible"),
    ]


def test_it_names_the_age_limit_once_as_the_cause(volunteer: Any) -> None:
    periods = timeline("enlistment", volunteer(birth_date="1964-02-29", formation="afu"))
    assert periods[-1].because == "Within the age limits for contract service: unknown → not met"


def test_it_answers_a_serviceman_with_route_earliest_date_and_obligations(volunteer: Any) -> None:
    serviceman = volunteer(formation="afu", service_periods=afu_contract("2022-03-01"))
    result = answer("citizenship", serviceman, date(2025, 6, 1)).as_json()
    assert result["outcome"] == "eligible"
    assert result["route"] == "contract_service"
    assert result["earliest_date"] == "2025-03-01"
    assert [o["name"] for o in result["obligations"]] == [
        "citizenship.obligations.exams_after_martial_law",
        "citizenship.obligations.renunciation_declaration",
    ]
    assert all(o["citations"] for o in result["obligations"])


def test_it_gives_a_future_earliest_date_to_a_serviceman_not_yet_eligible(volunteer: Any) -> None:
    serviceman = volunteer(formation="afu", service_periods=afu_contract("2022-03-01"))
    result = answer("citizenship", serviceman, date(2024, 1, 1))
    assert (result.outcome, result.route) == ("ineligible", None)
    assert result.earliest_date == date(2025, 3, 1)


def test_it_takes_the_one_year_martial_law_route_and_its_declaration_from_2026(
    volunteer: Any,
) -> None:
    serviceman = volunteer(
        service_periods=[{"formation": "ngu", "basis": "contract", "start": "2024-03-01"}]
    )
    result = answer("citizenship", serviceman, date(2026, 6, 1))
    assert (result.outcome, result.route) == ("eligible", "martial_law_service")
    assert result.earliest_date == date(2026, 1, 16)
    assert [o["name"] for o in result.obligations] == [
        "citizenship.obligations.citizenship_declaration",
        "citizenship.obligations.exams_after_martial_law",
        "citizenship.obligations.renunciation_declaration",  # until 2026-07-16 (Law 4502-IX)
    ]


def test_it_gives_no_route_or_earliest_date_to_someone_who_never_served(volunteer: Any) -> None:
    result = answer("citizenship", volunteer(service_periods=[]), date(2026, 6, 1))
    assert (result.outcome, result.route, result.earliest_date) == ("ineligible", None, None)


def period(start: str, end: str | None, outcome: str) -> Period:
    return Period(date.fromisoformat(start), date.fromisoformat(end) if end else None, outcome, "")


SPELLS = [
    period("2015-01-01", "2019-12-31", "ineligible"),
    period("2020-01-01", "2020-12-31", "eligible"),
    period("2021-01-01", "2022-12-31", "undetermined"),
    period("2023-01-01", None, "eligible"),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2016, 6, 1), date(2020, 1, 1)),
        (date(2020, 1, 1), date(2020, 1, 1)),
        (date(2020, 12, 31), date(2020, 1, 1)),
        (date(2021, 1, 1), date(2023, 1, 1)),
        (date(2030, 1, 1), date(2023, 1, 1)),
    ],
)
def test_it_gives_the_start_of_the_eligible_period_containing_or_following_the_date(
    on: date, expected: date
) -> None:
    assert earliest_eligible(SPELLS, on) == expected


def test_it_gives_no_earliest_date_when_eligibility_has_ended() -> None:
    ended = [*SPELLS[:3], period("2023-01-01", None, "ineligible")]
    assert earliest_eligible(ended, date(2021, 6, 1)) is None
    assert earliest_eligible(ended, date(2020, 6, 1)) == date(2020, 1, 1)


def test_it_gives_no_earliest_date_to_an_undetermined_future() -> None:
    assert earliest_eligible(SPELLS[2:3], date(2021, 6, 1)) is None
