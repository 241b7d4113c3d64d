"""The statistics' counters stay equal to a count of the cases, whichever path wrote them."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from cast import good_rows, write_csv
from guardpath.adapters.case_counts import Counted, Key
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import case_counts, cases, persons
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role, State
from guardpath.cases.transitions import Conflict
from guardpath.services.demo import make_demo_data
from guardpath.services.roster import import_roster
from guardpath.settings import load_settings

pytestmark = pytest.mark.integration
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)
    context = bootstrap(load_settings(data_dir=tmp_path / "db"), clock=lambda: NOW)
    upgrade(context.engine)
    yield context
    context.engine.dispose()


def held(engine: Engine) -> Counter[Key]:
    """The counters as stored, without those that went back to zero."""
    c = case_counts.c
    query = select(c.dimension, c.span, c.period, c.formation, c.item, c.n)
    with engine.connect() as conn:
        return Counter({tuple(row[:5]): row.n for row in conn.execute(query) if row.n})


def recounted(engine: Engine) -> Counter[Key]:
    """The counters a count of every stored case gives."""
    query = select(
        cases.c.formation, cases.c.state, cases.c.submitted_on, persons.c.citizenships
    ).select_from(cases.join(persons, cases.c.person_id == persons.c.id))
    with engine.connect() as conn:
        stored = [
            Counted(r.formation, r.state, r.submitted_on, tuple(r.citizenships.split(",")))
            for r in conn.execute(query)
        ]
    return Counter(key for case in stored for key in case.counters())


def test_the_counters_follow_cases_through_every_step_of_the_demo(ctx: Context) -> None:
    make_demo_data(ctx, cases=16, seed=3, until=date(2025, 6, 30))

    assert held(ctx.engine) == recounted(ctx.engine)
    assert sum(n for key, n in held(ctx.engine).items() if key[:2] == ("state", "month")) == 16


def test_the_counters_take_in_a_roster_import(ctx: Context, tmp_path: Path) -> None:
    result = import_roster(
        ctx, Actor("cli:test", Role.ADMIN), write_csv(tmp_path / "r.csv", good_rows(30))
    )

    assert result.imported == 30
    assert held(ctx.engine) == recounted(ctx.engine)


def test_a_save_that_loses_a_race_changes_no_counter(ctx: Context) -> None:
    make_demo_data(ctx, cases=4, seed=3, until=date(2024, 9, 30))
    before = held(ctx.engine)
    with ctx.engine.connect() as conn, conn.begin():
        repository = CaseRepository(conn, ctx.keyring)
        case = repository.get(conn.execute(select(cases.c.id).limit(1)).scalar_one())
        stale = case.version - 1
        case.state = State.WITHDRAWN
        with pytest.raises(Conflict):
            repository.save(case, stale, NOW)

    assert held(ctx.engine) == before == recounted(ctx.engine)
