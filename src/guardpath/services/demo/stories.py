"""Demo cases: what happens to each volunteer, drawn from the seed as a plan of steps and waits."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Final

from guardpath.cases.model import Actor, Role, State
from guardpath.services.demo.people import (
    FIRST_DAY,
    OPENS,
    SPECIAL_CHECK_FROM,
    Someone,
    invent_person,
)

# -- what happens: the stories -------------------------------------------------------------------
APPLYING_PATH: Final = (
    State.SUBMITTED,
    State.DOCUMENT_REVIEW,
    State.SPECIAL_CHECK,
    State.MEDICAL,
    State.PSYCHOLOGICAL,
    State.PHYSICAL,
    State.INTERVIEW,
    State.APPROVED,
    State.CONTRACT_SIGNED,
    State.PROBATION,
)
# How long a case waits in each state (days) before its next step, low to high.
WAITS: Final = {
    State.SUBMITTED: (1, 6),
    State.DOCUMENT_REVIEW: (2, 12),
    State.SPECIAL_CHECK: (7, 35),
    State.MEDICAL: (3, 14),
    State.PSYCHOLOGICAL: (1, 7),
    State.PHYSICAL: (1, 7),
    State.INTERVIEW: (2, 10),
    State.APPROVED: (2, 14),
    State.CONTRACT_SIGNED: (1, 10),
}
FAILURES: Final = {
    State.DOCUMENT_REVIEW: (
        "the passport could not be confirmed with the issuing state",
        "the criminal-record certificate was not supplied in time",
        "the documents submitted are not authentic",
    ),
    State.SPECIAL_CHECK: ("the special check found grounds to refuse",),
    State.MEDICAL: ("military medical commission: unfit for service",),
    State.PSYCHOLOGICAL: ("psychological selection: not recommended",),
    State.PHYSICAL: ("physical fitness test not passed",),
    State.INTERVIEW: (
        "interview: motivation not confirmed",
        "interview: did not accept the terms of the contract",
    ),
}
# What the law refuses at approval, found once every check has passed.
LAW_TROUBLES: Final = ("too_old", "stay_expired", "convicted", "no_female_post")
WITHDRAWALS: Final = ("family circumstances", "took up another offer", None)
DISCHARGES: Final = (
    "health: military medical commission found unfit after wounds",
    "by agreement of the parties",
    "at own request during probation",
    "contract terminated for breach of discipline",
)
DISCHARGE_AFTER: Final = (20, 420)  # days of service
AWARDS: Final = (
    "Order For Courage, III class",
    "medal For Military Service to Ukraine",
    "Order of Bohdan Khmelnytskyi, III class",
)
CITIZENSHIP_REFUSALS: Final = ("migration service: the declaration was not submitted in time",)
STAFF: Final = {
    Role.RECRUITER: 5,
    Role.VETTING_OFFICER: 2,
    Role.MEDICAL_OFFICER: 3,
    Role.COMMANDER: 4,
    Role.MIGRATION_OFFICER: 2,
}
APPLICANT: Final = Actor("applicant", Role.APPLICANT)

# Each kind of story, with its weight for the cases after the first round that shows them all.
STORIES: Final = {
    **{f"waiting:{state.value}": 2 for state in APPLYING_PATH},
    **{f"rejected:{state.value}": 3 for state in FAILURES},
    "rejected:law": 6,
    "withdrawn": 6,
    "serving": 20,
    "discharged": 8,
    "citizenship:prepared": 4,
    "citizenship:submitted": 4,
    "citizenship:granted": 20,
    "citizenship:refused": 3,
    "state_award": 6,
}


@dataclass
class Plan:
    """Everything a case will do, drawn from its own random stream before it starts."""

    story: str
    person: Someone
    formation: str
    applies_at: datetime
    waits: dict[State, int]
    staff: dict[Role, Actor]
    prior_service: bool
    rank_group: str = "private"
    years: int = 3
    stay: tuple[str, int] = ("temporary_residence_permit", 720)  # basis, days valid after check
    convicted: bool = False
    female_post_vacant: bool = True
    stop_at: State | None = None
    fail_at: State | None = None
    fail_reason: str | None = None
    withdraw_at: State | None = None
    withdraw_reason: str | None = None
    award_after: int | None = None
    award: str = AWARDS[0]
    discharge_after: int | None = None
    discharge_reason: str = DISCHARGES[0]
    citizenship: str = "granted"  # none | prepared | submitted | granted | refused
    citizenship_waits: tuple[int, int, int] = (10, 15, 90)  # to prepare, submit, decide


def _office_hours(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, clock_time(rng.randint(6, 15), rng.randint(0, 59)), UTC)


def _staff(rng: random.Random) -> dict[Role, Actor]:
    names = {
        Role.RECRUITER: "recruiter",
        Role.VETTING_OFFICER: "vetting",
        Role.MEDICAL_OFFICER: "medical",
        Role.COMMANDER: "commander",
        Role.MIGRATION_OFFICER: "migration",
    }
    return {
        role: Actor(f"{names[role]}-{rng.randint(1, n):02d}", role) for role, n in STAFF.items()
    }


def make_plan(seed: int, index: int, story: str, until: date) -> Plan:
    rng = random.Random(f"guardpath-demo:{seed}:{index}")
    waits = {state: rng.randint(*span) for state, span in WAITS.items()}
    formation = rng.choices(("afu", "ngu", "dsst"), (50, 40, 10))[0]
    applies_on = _applies_on(rng, story, waits, until)
    trouble = rng.choice(LAW_TROUBLES) if story == "rejected:law" else None
    if trouble == "no_female_post":
        formation, applies_on = "ngu", max(applies_on, OPENS["ngu"])
    if applies_on < OPENS[formation]:
        formation = "afu"
    age = rng.choice((19, 20, 22, 24, 25, 27, 28, 30, 31, 33, 35, 36, 38, 41, 44, 47, 52, 56))
    plan = Plan(
        story=story,
        person=invent_person(
            rng,
            applies_on,
            61 if trouble == "too_old" else age,
            trouble == "no_female_post" or None,
        ),
        formation=formation,
        applies_at=datetime.combine(
            applies_on, clock_time(rng.randint(0, 23), rng.randint(0, 59)), UTC
        ),
        waits=waits,
        staff=_staff(rng),
        prior_service=rng.random() < 0.55,
        rank_group="sergeant" if rng.random() < 0.2 else "private",
        citizenship_waits=(rng.randint(3, 40), rng.randint(5, 30), rng.randint(60, 160)),
        award=rng.choice(AWARDS),
        discharge_reason=rng.choice(DISCHARGES),
    )
    plan.years = 3 if plan.rank_group == "private" else rng.randint(3, 5)
    plan.stay = rng.choice(
        (
            ("temporary_residence_permit", rng.randint(365, 1095)),
            ("military_registration_document", rng.randint(365, 1095)),
            ("visa_free", rng.randint(75, 89)),
            ("permanent_residence_permit", 0),
        )
    )
    _shape(plan, rng)
    if trouble == "stay_expired":
        plan.stay = ("visa_free", rng.randint(1, 2))
    plan.convicted = trouble == "convicted"
    plan.female_post_vacant = trouble != "no_female_post"
    return plan


def _applies_on(rng: random.Random, story: str, waits: dict[State, int], until: date) -> date:
    """A day on which the story can unfold by `until`."""
    if story.startswith("waiting:"):
        stop = State(story.split(":")[1])
        steps = APPLYING_PATH[: APPLYING_PATH.index(stop)]
        return until - timedelta(days=sum(waits[s] for s in steps) + rng.randint(1, 20))
    if story in ("citizenship:granted", "citizenship:refused", "state_award"):
        latest = date(2024, 12, 20)
    elif story.startswith("citizenship:"):
        latest = date(2025, 6, 30)
    elif story == "serving":
        latest = until - timedelta(days=100)
    elif story == "discharged":
        latest = until - timedelta(days=120 + DISCHARGE_AFTER[1])
    else:
        latest = until - timedelta(days=120)
    start = SPECIAL_CHECK_FROM if story == "rejected:special_check" else FIRST_DAY
    day = start + timedelta(days=rng.randint(0, max(0, (latest - start).days)))
    return _around_the_special_check(day, waits)


def _around_the_special_check(day: date, waits: dict[State, int]) -> date:
    """Keep a case's checks on one side of 2024-10-30: a case checked before it and approved after
    would have no way back to the special check (the process has no such step)."""
    checked = day + timedelta(days=waits[State.SUBMITTED] + waits[State.DOCUMENT_REVIEW])
    to_interview = sum(
        waits[s] for s in (State.MEDICAL, State.PSYCHOLOGICAL, State.PHYSICAL, State.INTERVIEW)
    )
    if checked < SPECIAL_CHECK_FROM <= checked + timedelta(days=to_interview + 1):
        return day + (SPECIAL_CHECK_FROM - checked)
    return day


def _shape(plan: Plan, rng: random.Random) -> None:
    """The story's own turns: where it stops, fails or ends."""
    kind, _, detail = plan.story.partition(":")
    ukrainian = "UA" in plan.person.citizenships
    plan.citizenship = "none" if ukrainian else rng.choice(("granted",) * 8 + ("refused", "none"))
    if kind == "waiting":
        plan.stop_at = State(detail)
        if plan.stop_at is State.APPROVED and rng.random() < 0.4:
            plan.rank_group = "officer"  # no first-contract term for officers in the law yet
    elif kind == "rejected" and detail != "law":
        plan.fail_at = State(detail)
        plan.fail_reason = rng.choice(FAILURES[plan.fail_at])
    elif kind == "withdrawn":
        plan.withdraw_at = rng.choice(
            [s for s in APPLYING_PATH[:8] if s is not State.SPECIAL_CHECK]
        )
        plan.withdraw_reason = rng.choice(WITHDRAWALS)
    elif kind == "discharged":
        plan.discharge_after = rng.randint(*DISCHARGE_AFTER)
    elif kind == "citizenship":
        plan.citizenship = "none" if ukrainian else detail
    elif kind == "state_award":
        plan.award_after = rng.randint(40, 200)
    if kind in ("serving", "citizenship") and rng.random() < 0.12:
        plan.award_after = rng.randint(60, 400)


def plans(seed: int, n: int, until: date) -> list[Plan]:
    """One round of every story first (so every state shows), then stories by weight."""
    rng = random.Random(f"guardpath-demo:{seed}")
    kinds = list(STORIES)
    chosen = kinds[:n] + rng.choices(kinds, list(STORIES.values()), k=max(0, n - len(kinds)))
    return [make_plan(seed, index, story, until) for index, story in enumerate(chosen)]
