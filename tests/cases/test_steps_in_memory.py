"""Case steps on the unit of work in memory (tests/fakes.py): the guards, the history and the
audit entries of each step, all or nothing, without a database. The same steps on SQLite and
PostgreSQL, sealed and chained, are in test_path.py and test_guards.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from cast import APPLICATIONS
from fakes import MemoryStore, memory_context
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, Person, Role, State
from guardpath.cases.transitions import Conflict, NotPermitted, WrongState
from guardpath.services import cases as services

NOW = datetime(2025, 3, 3, 10, tzinfo=UTC)
RECRUITER = Actor("recruiter-olena", Role.RECRUITER)
COMMANDER = Actor("commander-bohdan", Role.COMMANDER)
VETTING = Actor("vetting-taras", Role.VETTING_OFFICER)


@pytest.fixture
def store() -> MemoryStore:
    """The American of the cast, submitted: what `submit_application` would have stored."""
    about = APPLICATIONS["american"]["person"]
    person = Person(
        given_names=about["given_names"],
        surname=about["surname"],
        birth_date=date.fromisoformat(about["birth_date"]),
        sex=about["sex"],
        citizenships=tuple(about["citizenships"]),
        passport_number=about["passport_number"],
        id="person-1",
    )
    facts = dict(APPLICATIONS["american"]["facts"])
    case = Case("case-1", "GP-TESTCASE01", person, "ngu", State.SUBMITTED, facts, version=1)
    return MemoryStore(cases={case.id: case})


@pytest.fixture
def ctx(store: MemoryStore, tmp_path: Path) -> Context:
    """No keys: a case step seals nothing."""
    return memory_context(store, tmp_path, lambda: NOW, keys=False)


def test_a_step_moves_the_case_and_records_its_history_and_audit_entry_at_once(
    ctx: Context, store: MemoryStore
) -> None:
    case = services.start_document_review(ctx, RECRUITER, "case-1")

    stored = store.cases["case-1"]
    assert case.state == stored.state == State.DOCUMENT_REVIEW
    assert stored.version == 2 and store.commits == 1
    [entry] = stored.history
    assert (entry.seq, entry.action, entry.from_state, entry.to_state) == (
        1,
        "start_document_review",
        State.SUBMITTED,
        State.DOCUMENT_REVIEW,
    )
    assert (entry.actor_id, entry.role, entry.at) == (RECRUITER.id, Role.RECRUITER, NOW)
    assert [(e.action, e.subject, e.actor_id) for e in store.audit] == [
        ("start_document_review", "case-1", RECRUITER.id)
    ]


def test_a_failed_document_check_rejects_the_case_with_its_reason(
    ctx: Context, store: MemoryStore
) -> None:
    services.start_document_review(ctx, RECRUITER, "case-1")

    case = services.record_document_check(
        ctx, RECRUITER, "case-1", passed=False, reason="the passport is forged"
    )

    assert case.state == store.cases["case-1"].state == State.REJECTED
    assert store.cases["case-1"].history[-1].reason == "the passport is forged"
    assert [e.action for e in store.audit][-1] == "record_document_check"


@pytest.mark.parametrize(
    ("step", "refusal"),
    [
        (lambda ctx: services.start_document_review(ctx, COMMANDER, "case-1"), NotPermitted),
        (lambda ctx: services.record_special_check(ctx, VETTING, "case-1", "passed"), WrongState),
        (lambda ctx: services.reject(ctx, RECRUITER, "case-1", "late", 7), Conflict),
    ],
    ids=["a role the step is not for", "a state the step is not for", "a stale version"],
)
def test_a_refused_step_leaves_the_case_history_and_chain_as_they_were(
    ctx: Context, store: MemoryStore, step: Any, refusal: type[Exception]
) -> None:
    before = (store.cases["case-1"].state, store.cases["case-1"].version)

    with pytest.raises(refusal):
        step(ctx)

    assert (store.cases["case-1"].state, store.cases["case-1"].version) == before
    assert store.cases["case-1"].history == [] and store.audit == [] and store.commits == 0
