"""Commands killed half way (tests/reliability/test_interrupted_commands.py): a data folder, a
command run on it in a process of its own, and watching it until the kill."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from guardpath.adapters.backup_store import counts
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.cli import app
from guardpath.settings import load_settings

# The crash test's migrated data folder (database and keys) and its seed.

TRIALS = 10
MID_WORK_SHARE = 0.5
"""At least this share of the kills must land while the work is under way."""
FORK = multiprocessing.get_context("fork")
POLL = 0.002
DEADLINE = 300.0
"""Each wait ends when its condition holds (or the command ends), so this only catches a hang."""
ADMIN = Actor("cli:test", Role.ADMIN)
runner = CliRunner()

SEALED_ROWS = 400
"""Roster members added to the demo cases, so that a rotation has some 450 values."""
BATCH = 20
"""Values per rotation transaction: some 25 transactions for a kill to fall between or in."""
NUDGE = 0.03
"""Up to this many seconds after the chosen share has moved, so a kill may fall inside a batch."""
ROSTER_ROWS = 2_000
LONG = 0.05
"""Seconds: a write lock held this long is the import's one transaction."""


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


# -- a data folder, and a command run on it in a process of its own ----------------------------
@dataclass(frozen=True)
class Folder:
    """A copy of a data folder (database and key file) and the settings that name it."""

    data: Path

    @classmethod
    def copy_of(cls, template: Path, target: Path) -> Folder:
        shutil.copytree(template, target)
        return cls(target)

    @property
    def database(self) -> Path:
        return self.data / "guardpath.db"

    @property
    def key_file(self) -> Path:
        return self.data / "keys.json"

    def env(self) -> dict[str, str]:
        return {
            "GUARDPATH_DATA_DIR": str(self.data),
            "GUARDPATH_DATABASE_URL": f"sqlite:///{self.database}",
            "GUARDPATH_KEY_FILE": str(self.key_file),
        }

    @contextmanager
    def context(self) -> Iterator[Context]:
        """A context on the folder with the key file as it is now."""
        url = f"sqlite:///{self.database}"
        ctx = bootstrap(load_settings(data_dir=self.data, database_url=url, key_file=self.key_file))
        try:
            yield ctx
        finally:
            ctx.engine.dispose()

    def tables(self) -> dict[str, int]:
        with self.context() as ctx, ctx.engine.connect() as conn:
            return counts(conn)

    def invoke(self, *argv: str) -> Result:
        """`guardpath ARGV` in this process."""
        return runner.invoke(app, list(argv), env=self.env())

    @contextmanager
    def running(self, *argv: str) -> Iterator[tuple[Command, Watch]]:
        """`guardpath ARGV` in a forked process, watched from here; killed on leaving."""
        output = self.data.with_name(self.data.name + ".out")
        process = FORK.Process(target=_guardpath, args=(list(argv), self.env(), output))
        process.start()
        command, watch = Command(process, output), Watch(self.database)
        try:
            yield command, watch
        finally:
            watch.raw.close()
            command.kill()


def _guardpath(argv: list[str], env: dict[str, str], output: Path) -> None:
    """In the forked process: `guardpath ARGV` with its settings in the environment."""
    for name in [name for name in os.environ if name.startswith("GUARDPATH_")]:
        del os.environ[name]
    os.environ.update(env)
    sys.stdout = sys.stderr = output.open("w")
    app(argv, prog_name="guardpath")


@dataclass
class Command:
    process: BaseProcess
    output: Path

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=DEADLINE)

    def wait_for(self, condition: Callable[[], bool]) -> bool:
        """Poll until `condition` holds (True), or the command has ended without (False)."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if condition():
                return True
            if not self.process.is_alive():
                return condition()
            time.sleep(POLL)
        raise AssertionError(f"the command neither got there nor ended: {self.explain()}")

    def explain(self) -> str:
        return f"exit {self.process.exitcode}: {self.output.read_text()}"


class Watch:
    """The database as another process sees it while the command runs."""

    def __init__(self, database: Path) -> None:
        self.raw = sqlite3.connect(database, timeout=0, isolation_level=None)
        self.held_since: float | None = None

    def write_lock_held(self) -> bool:
        """Whether some process holds the write lock, which every transaction of guardpath
        takes first (BEGIN IMMEDIATE), so that ours fails at once; ours, if it gets the lock,
        is rolled back straight away."""
        try:
            self.raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                return True
            raise
        self.raw.execute("ROLLBACK")
        return False

    def in_a_long_transaction(self) -> bool:
        """Whether the write lock has been held at every look for LONG seconds: longer than
        the short reads before the work take it."""
        if not self.write_lock_held():
            self.held_since = None
            return False
        now = time.monotonic()
        self.held_since = self.held_since or now
        return now - self.held_since >= LONG

    def values_moved(self) -> int | None:
        """The rotation's count of values moved, None before it has started."""
        row = self.raw.execute("SELECT rows_done FROM key_rotation").fetchone()
        return None if row is None else int(row[0])


def assert_whole(folder: Folder) -> None:
    """The database passes SQLite's integrity check and `guardpath audit verify`."""
    raw = sqlite3.connect(folder.database)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()
    verified = folder.invoke("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "no problems" in verified.output
