"""The operator's commands that write the blind indexes anew: `db rebuild-screening-keys` and
`db index-names`, as run once after an upgrade that changed how they are made."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, delete, func, select

from guardpath.adapters.tables import name_tokens, persons, screening_keys
from test_cli_cases import _no_environment, database, run  # noqa: F401 (an autouse fixture)


def counts(folder: Path) -> tuple[int, int, int]:
    engine = create_engine(database(folder))
    with engine.connect() as conn:
        found = tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (persons, screening_keys, name_tokens)
        )
    engine.dispose()
    return found  # type: ignore[return-value]


def wipe_indexes(folder: Path) -> None:
    engine = create_engine(database(folder))
    with engine.begin() as conn:
        conn.execute(delete(screening_keys))
        conn.execute(delete(name_tokens))
    engine.dispose()


def test_the_indexes_written_anew_equal_those_written_with_each_person(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").exit_code == 0
    made = run(tmp_path, "demo-data", "--cases", "8", "--seed", "3", "--until", "2026-06-30")
    assert made.exit_code == 0, made.output
    people, keys, tokens = counts(tmp_path)
    assert people > 0 and keys > 0 and tokens > 0

    wipe_indexes(tmp_path)
    assert counts(tmp_path) == (people, 0, 0)
    rebuilt = run(tmp_path, "db", "rebuild-screening-keys")
    indexed = run(tmp_path, "db", "index-names")

    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"screening keys stored anew for {people:,} people" in rebuilt.stdout
    assert indexed.exit_code == 0, indexed.output
    assert f"name tokens written for {people:,} people; 0 without" in indexed.stdout
    assert counts(tmp_path) == (people, keys, tokens)


def test_rebuilding_the_screening_keys_needs_the_schema(tmp_path: Path) -> None:
    result = run(tmp_path, "db", "rebuild-screening-keys")
    assert result.exit_code == 2
    assert "db upgrade" in result.output
