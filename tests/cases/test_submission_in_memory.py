"""A submission on the unit of work in memory (tests/fakes.py): the case stored once, as
submitted, with its history entry, both audit entries and, for an applicant like one already
there, the screening's counts; the same on SQLite and PostgreSQL, sealed and chained, is in
test_path.py and tests/screening/test_duplicates.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cast import APPLICATIONS
from fakes import MemoryStore, memory_context
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role, State
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn

NOW = datetime(2025, 3, 3, 10, tzinfo=UTC)
APPLICANT = Actor("applicant", Role.APPLICANT)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ctx(store: MemoryStore, tmp_path: Path) -> Context:
    return memory_context(store, tmp_path, lambda: NOW)


def _american(passport: str) -> ApplicationIn:
    application = APPLICATIONS["american"]
    person = {**application["person"], "passport_number": passport}
    return ApplicationIn.model_validate({**application, "person": person})


def test_a_submission_is_stored_once_as_submitted_with_its_history_and_audit_entries(
    ctx: Context, store: MemoryStore
) -> None:
    submitted = services.submit_application(ctx, APPLICANT, _american("US1234567"))

    stored = store.cases[submitted.case.id]
    assert (stored.state, stored.version, stored.submitted_on) == (State.SUBMITTED, 1, NOW.date())
    [entry] = stored.history
    assert (entry.seq, entry.action, entry.from_state, entry.to_state, entry.at) == (
        1,
        "submit_application",
        State.DRAFT,
        State.SUBMITTED,
        NOW,
    )
    assert [(e.action, e.subject, e.details) for e in store.audit] == [
        ("create_case", stored.id, {}),
        ("submit_application", stored.id, {"from": "draft", "to": "submitted"}),
    ]
    assert store.commits == 1 and store.keys[stored.person.id]


def test_a_second_application_of_the_same_person_is_screened_and_counted_in_the_chain(
    ctx: Context, store: MemoryStore
) -> None:
    first = services.submit_application(ctx, APPLICANT, _american("US1234567"))
    second = services.submit_application(ctx, APPLICANT, _american("US7654321"))

    screened = [e for e in store.audit if e.action == "screen_applicant"]
    assert [(e.subject, e.details) for e in screened] == [
        (second.case.id, {"duplicate_candidates": 1, "watchlist_matches": None})
    ]
    assert first.case.id != second.case.id and store.commits == 2
