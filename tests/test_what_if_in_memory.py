"""The what-if over the live cases, on the unit of work in memory (tests/fakes.py): every case's
facts go through the draft, only suppressed counts come back, and the run is audited with the
draft, never a case. The page over a real database is tests/web/test_what_if.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from cast import APPLICATIONS
from fakes import MemoryStore, MemoryWork
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, Person, Role, State
from guardpath.cases.transitions import NotPermitted
from guardpath.law.draft import Draft, parse_draft
from guardpath.law.loader import default_legislation
from guardpath.services.what_if import impact_on_cases
from guardpath.settings import load_settings

NOW = datetime(2026, 2, 2, 9, tzinfo=UTC)
DRAFT = Path(__file__).resolve().parents[1] / "examples" / "drafts"
ANALYST = Actor("analyst-iryna", Role.ANALYST)


def american(number: int) -> Case:
    about = APPLICATIONS["american"]["person"]
    person = Person(
        given_names=about["given_names"],
        surname=about["surname"],
        birth_date=date.fromisoformat(about["birth_date"]),
        sex=about["sex"],
        citizenships=tuple(about["citizenships"]),
        passport_number=f"{about['passport_number']}{number}",
        id=f"person-{number}",
    )
    facts = dict(APPLICATIONS["american"]["facts"])
    return Case(f"case-{number}", f"GP-TEST{number:06d}", person, "ngu", State.SUBMITTED, facts)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(cases={c.id: c for c in (american(n) for n in range(7))})


@pytest.fixture
def ctx(store: MemoryStore, tmp_path: Path) -> Context:
    """No engine and no keys: a step that reached for the database would fail."""
    nothing: Any = None
    settings = load_settings(data_dir=tmp_path)
    units = MemoryWork.maker(store)
    return Context(settings, nothing, nothing, default_legislation(), lambda: NOW, units=units)


@pytest.fixture
def draft(ctx: Context) -> Draft:
    raw = (DRAFT / "contracts-60-plus-foreigners.yaml").read_bytes()
    return parse_draft(raw, "contracts-60-plus-foreigners.yaml", ctx.legislation)


def test_it_counts_every_case_and_audits_the_draft_not_a_case(
    ctx: Context, store: MemoryStore, draft: Draft
) -> None:
    report = impact_on_cases(ctx, ANALYST, draft, "enlistment", date(2026, 3, 1))

    assert report["people"] == 7
    [entry] = store.audit
    assert (entry.action, entry.subject, entry.actor_id) == ("what_if_cases", "cases", ANALYST.id)
    assert entry.details["title"] == draft.title and entry.details["question"] == "enlistment"
    assert not any(case_id in str(entry.details) for case_id in store.cases)
    assert store.commits == 1


def test_it_hides_a_total_of_fewer_than_five(
    ctx: Context, store: MemoryStore, draft: Draft
) -> None:
    store.cases = {k: v for k, v in store.cases.items() if k in ("case-1", "case-2")}

    report = impact_on_cases(ctx, ANALYST, draft, "enlistment", date(2026, 3, 1))

    assert report["people"] == "<5"


def test_it_refuses_a_recruiter_and_records_nothing(
    ctx: Context, store: MemoryStore, draft: Draft
) -> None:
    with pytest.raises(NotPermitted):
        impact_on_cases(ctx, replace(ANALYST, role=Role.RECRUITER), draft, "enlistment", NOW.date())

    assert store.audit == [] and store.commits == 0
