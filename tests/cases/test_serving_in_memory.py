"""Serving steps on the unit of work in memory (tests/fakes.py): a first contract's terms come
from the legislation, and a refused contract leaves the case as it was, without a database.
Signing and serving on SQLite and PostgreSQL, sealed and chained, are in test_contracts.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from cast import APPLICATIONS
from fakes import MemoryStore, MemoryWork
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, Person, Role, State
from guardpath.cases.transitions import LawSaysNo
from guardpath.law.dates import add_months, add_years
from guardpath.law.loader import default_legislation
from guardpath.services import cases as services
from guardpath.settings import load_settings

NOW = datetime(2025, 2, 28, 10, tzinfo=UTC)
COMMANDER = Actor("commander-bohdan", Role.COMMANDER)


def approved(rank_group: str) -> MemoryStore:
    """The stateless volunteer of the cast, approved as a `rank_group`."""
    about = APPLICATIONS["stateless"]["person"]
    person = Person(
        given_names=about["given_names"],
        surname=about["surname"],
        birth_date=date.fromisoformat(about["birth_date"]),
        sex=about["sex"],
        citizenships=tuple(about["citizenships"]),
        passport_number=about["passport_number"],
        id="person-1",
    )
    facts = dict(APPLICATIONS["stateless"]["facts"]) | {"rank_group": rank_group}
    case = Case("case-1", "GP-TESTCASE01", person, "ngu", State.APPROVED, facts, version=6)
    return MemoryStore(cases={case.id: case})


def in_memory(store: MemoryStore, tmp_path: Path) -> Context:
    """No engine and no keys: a step that reached for the database would fail."""
    nothing: Any = None
    settings = load_settings(data_dir=tmp_path)
    legislation = default_legislation()
    units = MemoryWork.maker(store)
    return Context(settings, nothing, nothing, legislation, clock=lambda: NOW, units=units)


@pytest.mark.parametrize("years", [3, 4, 5])
def test_it_signs_a_sergeant_for_three_to_five_years(tmp_path: Path, years: int) -> None:
    store = approved("sergeant")
    ctx = in_memory(store, tmp_path)

    case = services.sign_contract(ctx, COMMANDER, "case-1", years=years)

    stored = store.cases["case-1"]
    assert case.contract is not None and stored.contract == case.contract
    assert (case.contract.years, case.contract.ends_on) == (years, add_years(NOW.date(), years))
    assert case.contract.probation_ends_on == add_months(NOW.date(), 2)
    assert stored.state == State.CONTRACT_SIGNED and store.commits == 1
    assert [(e.action, e.subject) for e in store.audit] == [("sign_contract", "case-1")]


def test_it_refuses_an_officer_contract_while_the_law_gives_no_term(tmp_path: Path) -> None:
    store = approved("officer")
    ctx = in_memory(store, tmp_path)

    with pytest.raises(LawSaysNo, match="no first-contract term for"):
        services.sign_contract(ctx, COMMANDER, "case-1")

    stored = store.cases["case-1"]
    assert (stored.state, stored.version, stored.contract) == (State.APPROVED, 6, None)
    assert stored.history == [] and store.audit == [] and store.commits == 0
