"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, insert, select

from guardpath.adapters.migrate import current_revision, head_revision, upgrade
from guardpath.adapters.month_counts import MonthCounts
from guardpath.adapters.tables import case_counts, cases, metadata, persons
from guardpath.services.statistics import Filters, summarise_cases
from postgres_support import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield create_engine(f"sqlite:///{tmp_path / 'x.db'}")
        return
    with fresh_database("guardpath_migrations") as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


def test_it_migrates_an_empty_database_to_the_declared_schema(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_it_upgrades_step_by_step_as_a_deployed_database_would(engine: Engine) -> None:
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_it_counts_the_cases_already_stored_when_it_adds_the_counters(engine: Engine) -> None:
    upgrade(engine, "0004")
    with engine.begin() as conn:
        for i, (listed, formation, state, on) in enumerate(STORED):
            conn.execute(insert(persons), [person_row(f"p{i}", listed)])
            conn.execute(insert(cases), [case_row(f"c{i}", f"p{i}", formation, state, on)])

    upgrade(engine)

    # The counters, exactly (the never submitted too, in their own month row)...
    assert counted(engine, "citizenship") == {"US": 11, "GB": 5, "stateless": 5}
    assert counted(engine, "state") == {"submitted": 6, "in_service": 10}
    # ... and the statistics read from them: whole months of intake, in bands of five.
    summary = summarise_cases(MonthCounts(engine))
    assert {c.key: c.count for c in summary.month.cells} == {"2024-02": 5, "2024-03": 5}  # 5, 6
    march = summarise_cases(
        MonthCounts(engine), Filters("afu", date(2024, 3, 1), date(2024, 3, 31))
    )
    assert march.state.total.count == 5  # 6 -> 5


def counted(engine: Engine, dimension: str) -> dict[str, int]:
    """The month counters of one dimension, summed by item."""
    query = (
        select(case_counts.c.item, func.sum(case_counts.c.n))
        .where(case_counts.c.dimension == dimension, case_counts.c.span == "month")
        .group_by(case_counts.c.item)
    )
    with engine.connect() as conn:
        return {item: int(n) for item, n in conn.execute(query)}


STORED = (
    [("US", "afu", "submitted", date(2024, 3, 5))] * 6
    + [("GB,US", "ngu", "in_service", date(2024, 2, 29))] * 5
    + [("", "dsst", "in_service", None)] * 5  # stateless, never submitted
)


def person_row(person_id: str, citizenships: str) -> dict[str, Any]:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    return {
        "id": person_id,
        "sealed": b"\x00",
        "key_id": "k1",
        "passport_index": person_id,
        "name_index": person_id,
        "citizenships": citizenships,
        "sex": "male",
        "created_at": at,
    }


def case_row(
    case_id: str, person_id: str, formation: str, state: str, on: date | None
) -> dict[str, Any]:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    return {
        "id": case_id,
        "reference": f"GP-{case_id}",
        "person_id": person_id,
        "formation": formation,
        "state": state,
        "facts": {},
        "version": 1,
        "created_at": at,
        "updated_at": at,
        "submitted_on": on,
    }
