"""A case's facts in the engine's contract, so the law can decide the steps it decides."""

from __future__ import annotations

from typing import Any

from guardpath.cases.model import Case

CASE_FACTS = (
    "stay_basis",
    "stay_valid_until",
    "previously_convicted",
    "medical",
    "psychological",
    "physical",
    "special_check",
    "rank_group",
    "female_post_vacant",
    "prior_military_service",
    "state_award",
)


SEALED_FACTS = frozenset(
    {
        "stay_basis",
        "stay_valid_until",
        "previously_convicted",
        "medical",
        "psychological",
        "physical",
        "special_check",
    }
)
"""Facts sealed like personal data: with citizenship and dates they would re-identify people in
small groups (health, convictions, the special check, the basis of stay)."""


def engine_facts(case: Case) -> dict[str, Any]:
    """The facts contract for this case: identity facts from the person, the rest recorded."""
    person = case.person
    facts: dict[str, Any] = {
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "citizenships": list(person.citizenships),
        "formation": case.formation,
        "basis": "contract",
        "service_periods": [
            {
                "formation": p.formation,
                "basis": p.basis,
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
            }
            for p in case.service_periods
        ],
    }
    for name in CASE_FACTS:
        value = case.facts.get(name)
        if value is not None:
            facts[name] = value
    return facts
