"""The operator's commands: db upgrade, demo-data, keys rotate, backup, restore, audit verify."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, update
from typer.testing import CliRunner, Result

from guardpath.adapters.migrate import head_revision, upgrade
from guardpath.adapters.tables import audit_log, cases, persons
from guardpath.cli import app

UNTIL = "2026-06-30"
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


def run(folder: Path, *args: str, **env: str) -> Result:
    settings = {
        "GUARDPATH_DATA_DIR": str(folder),
        **{f"GUARDPATH_{k.upper()}": v for k, v in env.items()},
    }
    return runner.invoke(app, list(args), env=settings)


def database(folder: Path) -> str:
    return f"sqlite:///{folder / 'guardpath.db'}"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert run(folder, "db", "upgrade").exit_code == 0
    made = run(folder, "demo-data", "--cases", "14", "--seed", "1", "--until", UNTIL)
    assert made.exit_code == 0, made.output
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "demo"
    shutil.copytree(demo_folder, folder)
    yield folder


# -- db upgrade --------------------------------------------------------------------------------
def test_it_upgrades_the_database_and_prints_the_revision(tmp_path: Path) -> None:
    first = run(tmp_path, "db", "upgrade")
    again = run(tmp_path, "db", "upgrade")

    head = head_revision()
    assert first.exit_code == 0 and again.exit_code == 0
    assert f"upgraded from empty to revision {head}" in first.stdout
    assert f"already at revision {head}" in again.stdout
    assert not (tmp_path / "keys.json").exists(), "a schema upgrade needs no keys"


def test_it_asks_for_db_upgrade_before_commands_that_need_the_schema(tmp_path: Path) -> None:
    commands = (
        ["audit", "verify"],
        ["keys", "rotate"],
        ["backup", str(tmp_path / "b.gz")],
        ["demo-data", "--cases", "1"],
    )
    for command in commands:
        result = run(tmp_path, *command)
        assert result.exit_code == 2, command
        assert "run `guardpath db upgrade` first" in result.stderr
        assert "Traceback" not in result.output


def test_it_names_a_database_it_cannot_open(tmp_path: Path) -> None:
    result = run(
        tmp_path, "db", "upgrade", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )

    assert result.exit_code == 2
    assert result.stderr.startswith("error: GUARDPATH_DATABASE_URL: cannot open the database")


def test_it_names_a_setting_that_is_not_valid(tmp_path: Path) -> None:
    result = run(tmp_path, "db", "upgrade", database_url="guardpath.db")

    assert result.exit_code == 2
    assert "GUARDPATH_DATABASE_URL must be a URL" in result.stderr


def test_it_refuses_production_without_keys(tmp_path: Path) -> None:
    run(tmp_path, "db", "upgrade")

    result = run(tmp_path, "audit", "verify", env="production")

    assert result.exit_code == 2
    assert "production needs real keys" in result.stderr


# -- demo-data ---------------------------------------------------------------------------------
def test_it_fills_an_empty_database_with_demo_cases(demo: Path) -> None:
    engine = create_engine(database(demo))
    with engine.connect() as conn:
        held = conn.execute(select(cases.c.state)).scalars().all()
    engine.dispose()

    assert len(held) == 14
    assert len(set(held)) >= 8


def test_it_prints_the_demo_summary(tmp_path: Path) -> None:
    run(tmp_path, "db", "upgrade")

    result = run(tmp_path, "demo-data", "--cases", "3", "--seed", "1", "--until", UNTIL)

    assert result.exit_code == 0, result.output
    assert "cases by state" in result.stdout
    assert "3 cases from" in result.stdout


def test_it_refuses_demo_data_on_a_database_with_cases(demo: Path) -> None:
    result = run(demo, "demo-data", "--cases", "2", "--until", UNTIL)

    assert result.exit_code == 2
    assert "already holds 14 cases" in result.stderr


def test_it_names_a_bad_until_date(tmp_path: Path) -> None:
    run(tmp_path, "db", "upgrade")

    for bad in ("30/06/2026", "2024-02-01"):
        result = run(tmp_path, "demo-data", "--until", bad)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --until:")


# -- audit verify ------------------------------------------------------------------------------
def test_it_verifies_the_audit_chain(demo: Path) -> None:
    result = run(demo, "audit", "verify")

    assert result.exit_code == 0
    assert "entries checked, no problems" in result.stdout


def test_it_reports_a_changed_entry_by_position_and_exits_1(demo: Path) -> None:
    engine = create_engine(database(demo))
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 5).values(actor_id="someone-else"))
    engine.dispose()

    result = run(demo, "audit", "verify")

    assert result.exit_code == 1
    assert "1 problems" in result.stdout
    assert "position 5: changed: entry 5 does not match its seal" in result.stdout


def test_it_names_a_case_edited_in_the_database_and_exits_1(demo: Path) -> None:
    engine = create_engine(database(demo))
    with engine.begin() as conn:
        case_id = conn.execute(select(cases.c.id).where(cases.c.state == "rejected")).scalar()
        conn.execute(update(cases).where(cases.c.id == case_id).values(state="approved"))
    engine.dispose()

    result = run(demo, "audit", "verify")

    assert result.exit_code == 1
    assert f"cases {case_id}: edited" in result.stdout


# -- audit checkpoint --------------------------------------------------------------------------
def test_it_finds_the_newest_entries_removed_after_a_checkpoint(demo: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    made = run(demo, "audit", "checkpoint", "--out", str(checkpoint))
    assert made.exit_code == 0, made.output
    point = json.loads(checkpoint.read_text())
    whole = run(demo, "audit", "verify", "--checkpoint", str(checkpoint))
    assert whole.exit_code == 0, whole.output
    assert f"entry {point['position']} is there, unchanged" in whole.stdout

    engine = create_engine(database(demo))
    with engine.begin() as conn:  # the last three entries, with nothing else touched
        conn.execute(audit_log.delete().where(audit_log.c.seq > point["position"] - 3))
    engine.dispose()

    result = run(demo, "audit", "verify", "--checkpoint", str(checkpoint))
    assert result.exit_code == 1
    first = point["position"] - 2
    assert f"position {first}: removed: entries {first}–{point['position']} are missing" in (
        result.stdout
    )


def test_it_refuses_a_checkpoint_whose_position_was_changed(demo: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    assert run(demo, "audit", "checkpoint", "--out", str(checkpoint)).exit_code == 0
    point = json.loads(checkpoint.read_text())
    point["position"] -= 5
    checkpoint.write_text(json.dumps(point))

    result = run(demo, "audit", "verify", "--checkpoint", str(checkpoint))

    assert result.exit_code == 2
    assert "--checkpoint" in result.stderr
    assert "signature is not the checkpoint key's" in result.stderr


def test_it_finds_a_chain_rewritten_under_a_checkpoint(demo: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    assert run(demo, "audit", "checkpoint", "--out", str(checkpoint)).exit_code == 0
    point = json.loads(checkpoint.read_text())
    engine = create_engine(database(demo))
    with engine.begin() as conn:
        conn.execute(
            update(audit_log).where(audit_log.c.seq == point["position"]).values(hash="0" * 64)
        )
    engine.dispose()

    result = run(demo, "audit", "verify", "--checkpoint", str(checkpoint))

    assert result.exit_code == 1
    assert f"position {point['position']}: rewritten" in result.stdout


def test_it_prints_a_checkpoint_and_needs_a_key_file_in_production(
    demo: Path, tmp_path: Path
) -> None:
    printed = run(demo, "audit", "checkpoint")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout)["format"] == "guardpath-checkpoint"
    assert (demo / "checkpoint-key.pem").stat().st_mode & 0o777 == 0o600

    missing = tmp_path / "elsewhere" / "checkpoint-key.pem"
    keys = tmp_path / "secrets" / "keys.json"
    keys.parent.mkdir()
    shutil.copy(demo / "keys.json", keys)
    keys.chmod(0o600)
    result = run(
        demo,
        "audit",
        "checkpoint",
        env="production",
        key_file=str(keys),
        checkpoint_key_file=str(missing),
    )
    assert result.exit_code == 2
    assert "GUARDPATH_CHECKPOINT_KEY_FILE" in result.stderr
    assert not missing.exists()


# -- keys rotate -------------------------------------------------------------------------------
def test_it_rotates_the_keys(demo: Path) -> None:
    old = json.loads((demo / "keys.json").read_text())["active"]

    result = run(demo, "keys", "rotate", "--batch", "5")

    keys = json.loads((demo / "keys.json").read_text())
    engine = create_engine(database(demo))
    with engine.connect() as conn:
        key_ids = set(conn.execute(select(persons.c.key_id)).scalars())
    engine.dispose()
    assert result.exit_code == 0, result.output
    assert f"under key {keys['active']}" in result.stdout
    assert keys["retired"] == [old] and key_ids == {keys["active"]}
    assert run(demo, "audit", "verify").exit_code == 0


def test_it_refuses_to_resume_a_rotation_that_is_not_there(demo: Path) -> None:
    result = run(demo, "keys", "rotate", "--resume")

    assert result.exit_code == 2
    assert "no unfinished rotation" in result.stderr


def test_it_refuses_a_batch_of_nothing(demo: Path) -> None:
    result = run(demo, "keys", "rotate", "--batch", "0")

    assert result.exit_code == 2
    assert "--batch" in result.output


# -- backup and restore ------------------------------------------------------------------------
def test_it_backs_up_and_restores_into_a_new_database(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "guardpath.jsonl.gz"
    target = tmp_path / "target"
    keys = str(demo / "keys.json")

    made = run(demo, "backup", str(path))
    run(target, "db", "upgrade")
    restored = run(target, "restore", str(path), key_file=keys)

    assert made.exit_code == 0, made.output
    assert "backed up" in made.stdout and "(14 cases)" in made.stdout
    assert restored.exit_code == 0, restored.output
    assert "restored" in restored.stdout and "no problems" in restored.stdout
    assert run(target, "audit", "verify", key_file=keys).exit_code == 0


def test_it_refuses_a_cut_short_backup_and_changes_nothing(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "guardpath.jsonl.gz"
    run(demo, "backup", str(path))
    whole = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(whole[: len(whole) // 2]))
    target = tmp_path / "target"
    run(target, "db", "upgrade")

    result = run(target, "restore", str(path), key_file=str(demo / "keys.json"))

    assert result.exit_code == 2
    assert "is not a whole guardpath backup" in result.stderr
    engine = create_engine(database(target))
    with engine.connect() as conn:
        assert conn.execute(select(cases.c.id)).first() is None
    engine.dispose()


def test_it_refuses_to_restore_over_cases_without_force(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "guardpath.jsonl.gz"
    run(demo, "backup", str(path))

    refused = run(demo, "restore", str(path))
    forced = run(demo, "restore", str(path), "--force")

    assert refused.exit_code == 2
    assert "14 cases" in refused.stderr and "--force" in refused.stderr
    assert forced.exit_code == 0, forced.output


def test_it_refuses_a_missing_backup_file(demo: Path, tmp_path: Path) -> None:
    result = run(demo, "restore", str(tmp_path / "nowhere.jsonl.gz"))

    assert result.exit_code == 2
    assert result.stderr.startswith("error: FILE: no file")


# -- audit seal-rows ---------------------------------------------------------------------------
def test_it_seals_the_rows_stored_before_revision_0006_once(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    engine = create_engine(database(folder))
    upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(insert(persons), [OLD_PERSON])
        conn.execute(insert(cases), [OLD_CASE])
    engine.dispose()
    assert run(folder, "db", "upgrade").exit_code == 0

    before = run(folder, "audit", "verify")
    assert before.exit_code == 1
    assert "cases c-old: inserted" in before.stdout and "persons p-old: inserted" in before.stdout

    sealed = run(folder, "audit", "seal-rows")
    assert sealed.exit_code == 0, sealed.output
    assert "1 persons, 1 cases" in sealed.stdout
    assert run(folder, "audit", "verify").exit_code == 0

    again = run(folder, "audit", "seal-rows")
    assert again.exit_code == 2
    assert "already records sealed rows" in again.stderr


OLD_PERSON = {
    "id": "p-old",
    "sealed": b"GP1",
    "key_id": "k-old",
    "passport_index": "a" * 64,
    "name_index": "b" * 64,
    "citizenships": "US",
    "sex": "male",
    "created_at": datetime(2024, 5, 1, tzinfo=UTC),
}
OLD_CASE = {
    "id": "c-old",
    "reference": "GP-OLD",
    "person_id": "p-old",
    "formation": "ngu",
    "state": "submitted",
    "facts": {},
    "version": 1,
    "created_at": datetime(2024, 5, 1, tzinfo=UTC),
    "updated_at": datetime(2024, 5, 1, tzinfo=UTC),
    "submitted_on": date(2024, 5, 1),
}
