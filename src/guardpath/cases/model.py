"""Cases, the people in them, and what happens to them. No framework, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DOCUMENT_REVIEW = "document_review"
    SPECIAL_CHECK = "special_check"
    MEDICAL = "medical"
    PSYCHOLOGICAL = "psychological"
    PHYSICAL = "physical"
    INTERVIEW = "interview"
    APPROVED = "approved"
    CONTRACT_SIGNED = "contract_signed"
    PROBATION = "probation"
    IN_SERVICE = "in_service"
    DISCHARGED = "discharged"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


CLOSED_STATES = frozenset({State.DISCHARGED, State.REJECTED, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - CLOSED_STATES
SERVING_STATES = frozenset({State.PROBATION, State.IN_SERVICE})
APPLYING_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.DOCUMENT_REVIEW,
        State.SPECIAL_CHECK,
        State.MEDICAL,
        State.PSYCHOLOGICAL,
        State.PHYSICAL,
        State.INTERVIEW,
        State.APPROVED,
    }
)


class Role(StrEnum):
    APPLICANT = "applicant"
    RECRUITER = "recruiter"
    VETTING_OFFICER = "vetting_officer"
    MEDICAL_OFFICER = "medical_officer"
    COMMANDER = "commander"
    MIGRATION_OFFICER = "migration_officer"
    ANALYST = "analyst"
    ADMIN = "admin"


class CitizenshipState(StrEnum):
    PREPARED = "prepared"
    SUBMITTED = "submitted"
    GRANTED = "granted"
    REFUSED = "refused"


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member's id and role, or the applicant of a case."""

    id: str
    role: Role


@dataclass
class Person:
    """An applicant's identity. Every field here is personal data, encrypted at rest."""

    given_names: str
    surname: str
    birth_date: date
    sex: str
    citizenships: tuple[str, ...]
    passport_number: str
    native_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    id: str = ""


@dataclass
class Contract:
    signed_on: date
    rank_group: str
    years: int
    probation_months: int
    ends_on: date
    probation_ends_on: date
    law_version: str


@dataclass
class ServicePeriod:
    formation: str
    basis: str
    start: date
    end: date | None = None


@dataclass
class CitizenshipApplication:
    state: CitizenshipState
    route: str
    prepared_on: date
    earliest_date: date | None
    obligations: tuple[str, ...]
    law_version: str
    decided_on: date | None = None


@dataclass
class HistoryEntry:
    """One transition of a case: who, when, why, and the law's answer if the law decided."""

    seq: int
    action: str
    from_state: State | None
    to_state: State
    actor_id: str
    role: Role
    at: datetime
    reason: str | None = None
    answer: dict[str, Any] | None = None
    law_version: str | None = None


@dataclass
class Case:
    """A volunteer's case. `facts` holds the engine's non-identifying facts (stay, results,
    rank group, ...); the person's identity lives in `person`."""

    id: str
    reference: str
    person: Person
    formation: str
    state: State
    facts: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    created_at: datetime | None = None
    submitted_on: date | None = None
    contract: Contract | None = None
    service_periods: list[ServicePeriod] = field(default_factory=list)
    citizenship: CitizenshipApplication | None = None
    history: list[HistoryEntry] = field(default_factory=list)
