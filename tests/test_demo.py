"""Demo data: believable cases in every state, run through the services, the same for a seed."""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from guardpath.adapters import audit
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import audit_log, cases
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Case, CitizenshipState, State
from guardpath.services.demo import (
    FIRST_DAY,
    STORIES,
    DemoError,
    make_demo_data,
    plans,
    story_of,
)
from guardpath.settings import load_settings

UNTIL = date(2026, 6, 30)
SPECIAL_CHECK_FROM = date(2024, 10, 30)
CYRILLIC_COUNTRIES = {"UA", "RU", "BY"}


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


def empty(folder: Path, **settings: Any) -> Context:
    ctx = bootstrap(load_settings(data_dir=folder, **settings))
    upgrade(ctx.engine)
    return ctx


def all_cases(ctx: Context) -> list[Case]:
    with ctx.engine.connect() as conn:
        repository = CaseRepository(conn, ctx.keyring)
        ids = conn.execute(select(cases.c.id)).scalars().all()
        return [repository.get(case_id) for case_id in ids]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Context, list[Case]]]:
    ctx = empty(tmp_path_factory.mktemp("demo"))
    make_demo_data(ctx, cases=len(STORIES) + 4, seed=1, until=UNTIL)
    yield ctx, all_cases(ctx)
    ctx.engine.dispose()


def test_it_shows_every_state_but_the_transient_draft(demo: tuple[Context, list[Case]]) -> None:
    _, made = demo

    states = {case.state for case in made}
    applications = {case.citizenship.state for case in made if case.citizenship}

    assert states == set(State) - {State.DRAFT}
    assert applications == set(CitizenshipState)
    assert len(made) == len(STORIES) + 4


def test_it_approves_only_what_the_law_allows(demo: tuple[Context, list[Case]]) -> None:
    _, made = demo
    entries = [entry for case in made for entry in case.history]

    approvals = [e for e in entries if e.action == "approve"]
    refusals = [
        e for e in entries if e.action == "reject" and (e.reason or "").startswith("the law")
    ]

    assert approvals and all(e.answer and e.answer["outcome"] == "eligible" for e in approvals)
    assert refusals, "a story where the law refuses at approval"
    prepared = [e for e in entries if e.action == "prepare_citizenship_application"]
    assert prepared and all(e.answer and e.answer["outcome"] == "eligible" for e in prepared)


def test_it_has_the_special_check_only_from_2024_10_30(demo: tuple[Context, list[Case]]) -> None:
    _, made = demo
    checks = [e for case in made for e in case.history if e.action == "record_document_check"]

    for check in checks:
        if check.to_state is State.REJECTED:
            continue
        expected = State.SPECIAL_CHECK if check.at.date() >= SPECIAL_CHECK_FROM else State.MEDICAL
        assert check.to_state is expected, check
    assert {check.to_state for check in checks} >= {State.SPECIAL_CHECK, State.MEDICAL}


def test_it_walks_the_clock_forward_from_2024_with_a_whole_audit_chain(
    demo: tuple[Context, list[Case]],
) -> None:
    ctx, _ = demo
    with ctx.engine.connect() as conn:
        moments = conn.execute(select(audit_log.c.at).order_by(audit_log.c.seq)).scalars().all()
        report = audit.verify(conn, ctx.keyring)

    assert moments == sorted(moments)
    assert moments[0].date() >= FIRST_DAY and moments[-1].date() <= UNTIL
    assert report.ok and report.entries == len(moments) > 200


def test_it_records_service_awards_contracts_and_discharges(
    demo: tuple[Context, list[Case]],
) -> None:
    _, made = demo
    actions = Counter(entry.action for case in made for entry in case.history)

    for action in (
        "sign_contract",
        "start_service",
        "complete_probation",
        "record_award",
        "discharge",
        "withdraw",
        "citizenship_granted",
        "citizenship_refused",
    ):
        assert actions[action] > 0, action
    assert all(case.contract for case in made if case.state is State.IN_SERVICE)


def test_it_gives_the_same_cases_for_the_same_seed(tmp_path: Path) -> None:
    def run(folder: str, seed: int) -> list[dict[str, Any]]:
        ctx = empty(tmp_path / folder)
        make_demo_data(ctx, cases=8, seed=seed, until=UNTIL)
        made = sorted((story_of(case) for case in all_cases(ctx)), key=repr)
        ctx.engine.dispose()
        return made

    assert run("a", 4) == run("b", 4)
    assert plans(4, 40, UNTIL) == plans(4, 40, UNTIL)
    assert [p.person for p in plans(4, 40, UNTIL)] != [p.person for p in plans(5, 40, UNTIL)]


def scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def test_it_names_people_as_their_countries_do() -> None:
    people = [plan.person for plan in plans(3, 400, UNTIL)]

    slavic = [p for p in people if set(p.citizenships) & CYRILLIC_COUNTRIES]
    others = [p for p in people if p.citizenships and not set(p.citizenships) & CYRILLIC_COUNTRIES]
    countries = {code for p in people for code in p.citizenships}

    assert slavic and all(p.native_name and scripts(p.native_name) == {"CYRILLIC"} for p in slavic)
    assert all(scripts(p.given_names + p.surname) == {"LATIN"} for p in people)
    assert {"GEORGIAN"} in [scripts(p.native_name) for p in others if p.native_name]
    assert any(p.citizenships == () for p in people), "a stateless applicant"
    assert len(countries) >= 30
    women = [p for p in people if p.sex == "female"]
    assert 0.04 < len(women) / len(people) < 0.2


def test_it_refuses_a_database_that_holds_cases(
    demo: tuple[Context, list[Case]],
) -> None:
    ctx, made = demo

    with pytest.raises(DemoError, match="already holds"):
        make_demo_data(ctx, cases=3, until=UNTIL)

    assert len(all_cases(ctx)) == len(made)


def test_it_refuses_production(tmp_path: Path) -> None:
    ctx = empty(tmp_path, env="production", keys=bootstrap_keys(tmp_path))

    with pytest.raises(DemoError, match="production"):
        make_demo_data(ctx, cases=3, until=UNTIL)

    assert all_cases(ctx) == []


def bootstrap_keys(folder: Path) -> str:
    bootstrap(load_settings(data_dir=folder / "keys"))
    return (folder / "keys" / "keys.json").read_text()


def test_it_refuses_an_end_day_before_the_story_can_start(tmp_path: Path) -> None:
    ctx = empty(tmp_path)

    with pytest.raises(DemoError, match="--until"):
        make_demo_data(ctx, cases=3, until=date(2024, 2, 1))
    with pytest.raises(DemoError, match="--until"):
        make_demo_data(ctx, cases=3, until=datetime.now(UTC).date().replace(year=2999))
