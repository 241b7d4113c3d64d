"""`guardpath keys rotate` and `guardpath import` killed (SIGKILL) half-way, again and again.

After each kill: `PRAGMA integrity_check` is ok, `guardpath audit verify` passes, nothing was
lost or doubled, and running the command again finishes the job exactly once. A rotation must
leave every sealed value readable with the key file as the kill left it, under the old key or
the new one, with the key file and the database agreeing on the keys and the rotation under way
(the kill may land after the rotation finished, when the share drawn is close to all of it, and
then everything is under the new key); the rerun must finish with exactly one new key. An
import must leave none of its rows or all of them, never part.

Each killed command runs in a process of its own with its settings in the environment
(GUARDPATH_DATA_DIR, GUARDPATH_DATABASE_URL, GUARDPATH_KEY_FILE), forked from the test once the
CLI is imported: a fresh interpreter spends seconds importing it, which would be most of each
trial. The reruns and `audit verify` run the same CLI in process. Kills are timed by watching
the work from outside, with a seeded random (`GUARDPATH_CRASH_SEED` changes it): a rotation is
killed once a random share of its values has moved (its counter in `key_rotation`) and up to a
few milliseconds more; an import at a random moment of its one write transaction, seen as
SQLite's write lock held for longer than the short reads before it take it, and timed by one
import left to its end. Each test counts the kills that landed while the work was under way
(the rotation unfinished; the write lock still held) and fails if fewer than half did.

The key file: a process rewriting it over and over is killed at random moments, most of them
while a new file is being written, and must leave the old key file or the new one, whole and
readable by its owner only; processes starting at once on a fresh folder must all end up with
the keys in the one key file.

The data folder and the killed process are in interrupted_support.py; the key file's own kills
and races in test_interrupted_key_file.py.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cast import good_rows, write_csv
from guardpath.adapters.tables import audit_log, key_rotation, persons
from guardpath.services.demo import make_demo_data
from guardpath.services.keys import reopen_all
from guardpath.services.roster import import_roster
from test_keys import add_uploads, sealed_key_ids

from . import test_crash_consistency as crash
from .interrupted_support import (
    ADMIN,
    BATCH,
    DEADLINE,
    MID_WORK_SHARE,
    NUDGE,
    ROSTER_ROWS,
    SEALED_ROWS,
    TRIALS,
    Folder,
    _no_guardpath_environment,  # noqa: F401 (autouse)
    assert_whole,
)

pytestmark = pytest.mark.integration

# The crash test's migrated data folder (database and keys), a fixture.
migrated_template, SEED = crash.migrated_template, crash.SEED


# -- keys rotate --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sealed_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo cases (people, reasons in the history), roster members, documents, a draft and a
    staff user's TOTP secret: every sealed column, some 450 values."""
    folder = Folder.copy_of(migrated_template, tmp_path_factory.mktemp("sealed") / "data")
    roster = write_csv(folder.data.with_name("roster.csv"), good_rows(SEALED_ROWS, seed=7))
    with folder.context() as ctx:
        make_demo_data(ctx, cases=12, seed=SEED, until=date(2026, 6, 30))
        assert import_roster(ctx, ADMIN, roster).imported == SEALED_ROWS
        add_uploads(ctx)
    return folder.data


@dataclass(frozen=True)
class Sealed:
    """What a rotation must keep: every table's rows, the sealed values under one key, and the
    keys of the key file."""

    tables: dict[str, int]
    values: int
    old_key: str
    keys: frozenset[str]

    @classmethod
    def of(cls, folder: Folder) -> Sealed:
        with folder.context() as ctx:
            sealed = sealed_key_ids(ctx)
            keys = frozenset(ctx.keyring.data_keys)
        [key] = {key for _, _, key in sealed}
        return cls(folder.tables(), len(sealed), key, keys)

    def kept_in(self, folder: Folder) -> None:
        """Every row is still there (the rotation adds only to the chain and its own table)."""
        grown = {"audit_log", "key_rotation"}
        now = folder.tables()
        assert {t: n for t, n in now.items() if t not in grown} == {
            t: n for t, n in self.tables.items() if t not in grown
        }


def kill_rotation(folder: Folder, chance: random.Random, values: int) -> int | None:
    """Start a rotation, kill it once a random share of its values has moved and a few
    milliseconds more (it may end first); the values it had moved by then."""
    share = chance.random()
    with folder.running("keys", "rotate", "--batch", str(BATCH)) as (rotation, watch):
        if rotation.wait_for(lambda: watch.values_moved() is not None):
            rotation.wait_for(lambda: (watch.values_moved() or 0) >= share * values)
            time.sleep(chance.uniform(0, NUDGE))
        rotation.kill()
        assert rotation.process.exitcode in (0, -9), rotation.explain()
        return watch.values_moved()


@dataclass(frozen=True)
class Left:
    """Where the kill left the rotation: `where` it landed, the rotation's target key as the
    database records it (None when none was recorded), and the keys it added to the key file."""

    where: str
    target: str | None
    new_keys: frozenset[str]


def rotation_left(folder: Folder, before: Sealed) -> Left:
    with folder.context() as ctx, ctx.engine.connect() as conn:
        rows = conn.execute(select(key_rotation)).all()
        new_keys = frozenset(ctx.keyring.data_keys) - before.keys
    assert len(rows) <= 1, rows  # one rotation started, never two
    if not rows:
        return Left("before it started", None, new_keys)
    [row] = rows
    where = "half-way" if row.finished_at is None else "when finished"
    return Left(where, str(row.target_key_id), new_keys)


def check_after_the_kill(folder: Folder, before: Sealed, left: Left) -> None:
    """Whole, nothing lost, every value opens with the key file as the kill left it, and the
    key file and the database agree: at most one key was added, and it is the recorded target,
    or, before the rotation was recorded, a key waiting in the file that nothing is under."""
    assert_whole(folder)
    before.kept_in(folder)
    with folder.context() as ctx:
        assert reopen_all(ctx) == before.values
        under = {key for _, _, key in sealed_key_ids(ctx)}
        keyring = ctx.keyring
    assert len(left.new_keys) <= 1, left
    if left.target is None:
        assert under == {before.old_key}
        assert keyring.active_id == before.old_key
        assert keyring.waiting_keys() == sorted(left.new_keys)
        return
    assert left.new_keys == {left.target}
    assert under <= {before.old_key, left.target}
    if left.target in under:  # made active in the key file before any value moved under it
        assert keyring.active_id == left.target
    if left.where == "when finished":
        assert under == {left.target}
        assert before.old_key in keyring.retired


def check_rotating_again(folder: Folder, before: Sealed, left: Left) -> None:
    """The rerun ends the rotation with the key the killed one had put in the key file, if it
    had put one there and not finished, so that no spare key is ever made; after a finished
    one it is a rotation of its own."""
    rerun = folder.invoke("keys", "rotate", "--batch", str(BATCH))
    assert rerun.exit_code == 0, rerun.output
    assert_whole(folder)
    before.kept_in(folder)
    with folder.context() as ctx, ctx.engine.connect() as conn:
        active = ctx.keyring.active_id
        added = set(ctx.keyring.data_keys) - before.keys
        assert reopen_all(ctx) == before.values
        assert {(kid, key) for _, kid, key in sealed_key_ids(ctx)} == {(active, active)}
        assert before.old_key in ctx.keyring.retired
        assert set(ctx.keyring.retired) == set(ctx.keyring.data_keys) - {active}
        assert ctx.key_rotation().unfinished() is None
        rotations = conn.execute(select(func.count()).select_from(key_rotation)).scalar_one()
    assert not list(folder.data.glob(".keys.json.*.tmp"))
    if left.where == "when finished":
        assert rotations == 2 and len(added) == 2 and left.target in added
        return
    assert rotations == 1 and len(added) == 1
    if left.new_keys:
        assert added == left.new_keys
    if left.where == "half-way":
        assert "resumed" in rerun.output and active == left.target


def test_a_rotation_killed_half_way_keeps_every_value_readable_and_resumes(
    sealed_template: Path, tmp_path: Path
) -> None:
    chance = random.Random(SEED)
    landed: Counter[str] = Counter()
    for trial in range(TRIALS):
        folder = Folder.copy_of(sealed_template, tmp_path / f"rotation-{trial}")
        before = Sealed.of(folder)
        moved = kill_rotation(folder, chance, before.values)
        left = rotation_left(folder, before)
        check_after_the_kill(folder, before, left)
        check_rotating_again(folder, before, left)
        landed[left.where] += 1
        print(f"rotation trial {trial}: killed {left.where}, {moved} of {before.values} moved")
    print(f"rotation: {TRIALS} kills, {dict(landed)}")
    assert landed["half-way"] >= MID_WORK_SHARE * TRIALS, landed


# -- import -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster")
    return write_csv(folder / "roster.csv", good_rows(ROSTER_ROWS, seed=11))


def added(folder: Folder, before: dict[str, int]) -> dict[str, int]:
    """The rows each table has gained since `before`."""
    return {table: n - before[table] for table, n in folder.tables().items() if n != before[table]}


@dataclass(frozen=True)
class WholeImport:
    """One import of the roster left to its end: the rows it adds to each table, and how long
    it went on holding the write lock once its transaction was seen, on this machine."""

    adds: dict[str, int]
    seconds: float


@pytest.fixture(scope="module")
def whole_import(
    migrated_template: Path, roster: Path, tmp_path_factory: pytest.TempPathFactory
) -> WholeImport:
    folder = Folder.copy_of(migrated_template, tmp_path_factory.mktemp("whole-import") / "data")
    empty = folder.tables()
    with folder.running("import", str(roster)) as (command, watch):
        assert command.wait_for(watch.in_a_long_transaction), command.explain()
        began = time.monotonic()
        command.wait_for(lambda: not watch.write_lock_held())
        seconds = time.monotonic() - began
        command.process.join(timeout=DEADLINE)
        assert command.process.exitcode == 0, command.explain()
    adds = added(folder, empty)
    assert adds["persons"] == adds["cases"] == ROSTER_ROWS
    assert adds["audit_log"] == ROSTER_ROWS + 1  # an entry per member, one for the import
    return WholeImport(adds, seconds)


def kill_import(folder: Folder, roster: Path, delay: float) -> bool:
    """Start an import and kill it `delay` seconds after its write transaction is seen;
    whether it still held the write lock then."""
    with folder.running("import", str(roster)) as (command, watch):
        if not command.wait_for(watch.in_a_long_transaction):
            return False  # it ended before its transaction was seen
        time.sleep(delay)
        return watch.write_lock_held()


def check_importing_again(
    folder: Folder, roster: Path, before: dict[str, int], whole: WholeImport
) -> None:
    """The rerun imports what the killed run did not, and nothing twice."""
    kept = added(folder, before)
    rerun = folder.invoke("import", str(roster))
    if kept:
        assert rerun.exit_code == 2, rerun.output  # every passport is already here
        assert "nothing was imported" in rerun.output
    else:
        assert rerun.exit_code == 0, rerun.output
    assert added(folder, before) == whole.adds
    assert_whole(folder)
    with folder.context() as ctx, ctx.engine.connect() as conn:
        passports = conn.execute(select(persons.c.passport_index)).scalars().all()
        imports = conn.execute(select(audit_log).where(audit_log.c.action == "import_roster"))
        assert len(imports.all()) == 1
    assert len(set(passports)) == len(passports) == ROSTER_ROWS


def test_an_import_killed_half_way_leaves_all_or_nothing_and_a_rerun_imports_once(
    migrated_template: Path, roster: Path, whole_import: WholeImport, tmp_path: Path
) -> None:
    chance = random.Random(SEED)
    landed: Counter[str] = Counter()
    seconds = whole_import.seconds
    for trial in range(TRIALS):
        folder = Folder.copy_of(migrated_template, tmp_path / f"import-{trial}")
        before = folder.tables()
        delay = chance.uniform(0, seconds)
        inside = kill_import(folder, roster, delay)
        if not inside:  # it wrote faster than when it was timed: aim earlier
            seconds = delay
        kept = added(folder, before)
        assert kept in ({}, whole_import.adds), f"trial {trial}: part of the roster: {kept}"
        assert_whole(folder)
        check_importing_again(folder, roster, before, whole_import)
        where = "in its transaction" if inside else "outside its transaction"
        landed[where] += 1
        kept_rows = "all" if kept else "none"
        print(f"import trial {trial}: killed {where} ({delay:.2f} s), {kept_rows} of it kept")
    print(f"import: {TRIALS} kills, {whole_import.seconds:.2f} s of writing, {dict(landed)}")
    assert landed["in its transaction"] >= MID_WORK_SHARE * TRIALS, landed
