"""The key file under kills and races: a kill while it is written leaves the old or the new one
whole, and processes starting at once on a fresh folder all keep the one key file."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from guardpath.adapters.crypto import Keyring, load_keyring, write_key_file
from guardpath.settings import Settings, load_settings

from . import test_crash_consistency as crash
from .interrupted_support import (
    DEADLINE,
    FORK,
    Command,
    _no_guardpath_environment,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.integration

# The crash test's migrated data folder (database and keys), a fixture.
migrated_template, SEED = crash.migrated_template, crash.SEED


# -- the key file -------------------------------------------------------------------------------
KEY_FILE_TRIALS = 20
KEY_FILE_WRITE = 0.01
"""Seconds: about as long as writing the key file takes, two flushes to disk."""
STARTS = 4


def _rewrite_forever(path: Path, keyrings: tuple[Keyring, Keyring]) -> None:
    while True:
        for keyring in keyrings:
            write_key_file(keyring, path)


def new_key_files(folder: Path) -> list[Path]:
    """Key files being written: made beside the key file, not yet renamed over it."""
    return list(folder.glob(".keys.json.*.tmp"))


def test_a_kill_while_the_key_file_is_written_leaves_the_old_one_or_the_new_one_whole(
    tmp_path: Path,
) -> None:
    old = Keyring.generate()
    new = old.with_new_active_key()  # as a rotation writes it
    path = tmp_path / "keys.json"
    write_key_file(old, path)
    chance = random.Random(SEED)
    mid_write = 0
    for _ in range(KEY_FILE_TRIALS):
        writer = FORK.Process(target=_rewrite_forever, args=(path, (new, old)))
        writer.start()
        writing = Command(writer, tmp_path / "writer.out")
        assert writing.wait_for(lambda: bool(new_key_files(tmp_path)))
        time.sleep(chance.uniform(0, KEY_FILE_WRITE))
        writing.kill()
        left = Keyring.from_json(json.loads(path.read_text()), str(path))
        assert left.as_json() in (old.as_json(), new.as_json())
        assert path.stat().st_mode & 0o777 == 0o600
        unfinished = new_key_files(tmp_path)
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in unfinished)
        mid_write += bool(unfinished)
        for leftover in unfinished:
            leftover.unlink()
    print(f"key file: {KEY_FILE_TRIALS} kills, {mid_write} while a new file was being written")
    # A kill while the folder is flushed, after the rename, leaves no new file to count.
    assert mid_write >= KEY_FILE_TRIALS // 4


def _start(settings: Settings, ready: Any, keys: Any) -> None:
    ready.wait()
    keys.put(load_keyring(settings).as_json())


def test_processes_starting_at_once_on_a_fresh_folder_all_keep_the_one_key_file(
    tmp_path: Path,
) -> None:
    """Each used to generate keys and write them over the others', so that what some had
    already sealed would never open again."""
    for attempt in range(5):
        settings = load_settings(data_dir=tmp_path / f"fresh-{attempt}")
        ready, keys = FORK.Barrier(STARTS), FORK.Queue()
        starts = [FORK.Process(target=_start, args=(settings, ready, keys)) for _ in range(STARTS)]
        for start in starts:
            start.start()
        found = [keys.get(timeout=DEADLINE) for _ in starts]
        for start in starts:
            start.join()
        on_disk = json.loads(settings.key_path.read_text())
        assert all(key == on_disk for key in found), f"attempt {attempt}: a key file was replaced"
