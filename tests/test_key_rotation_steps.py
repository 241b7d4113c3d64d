"""A rotation stopped between any two of its writes, deterministically.

`keys rotate` writes the key file three times (the new key added; the new key made active; the
old keys retired) and the database around them (the rotation recorded with its audit entry;
batches of values; the rotation marked finished). A kill can fall between any two. The kill
test (tests/reliability/test_interrupted_commands.py) lands mostly among the batches; these
tests stop the rotation at each boundary in turn, by making the next write fail, and check
what a kill there must leave: every value opens with the key file as it is, the key file and the
database agree on the keys and the rotation under way, and a rerun finishes with exactly one
new key, never a spare one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

import test_keys
from guardpath.adapters import audit
from guardpath.adapters.tables import audit_log, key_rotation
from guardpath.bootstrap import Context, bootstrap
from guardpath.services import keys as rotation
from guardpath.services.keys import reopen_all, rotate_keys
from test_keys import ADMIN, keys_on_disk, sealed_key_ids


class Killed(Exception):
    """Stands for a SIGKILL at one point of the rotation."""


# The seeded database of tests/test_keys.py, copied for each test.
template, ctx = test_keys.template, test_keys.ctx


def key_file_write(number: int, *, after: bool = False) -> Callable[..., None]:
    """A stand-in for write_key_file that dies at its `number`th call, before writing (or,
    with `after`, once the file is written)."""
    calls = {"n": 0}
    real = rotation.write_key_file

    def write(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == number and not after:
            raise Killed(f"before key file write {number}")
        real(*args)
        if calls["n"] == number:
            raise Killed(f"after key file write {number}")

    return write


def dies(*_: Any, **__: Any) -> Any:
    raise Killed("here")


KILL_POINTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "the new key added to the key file, the rotation not yet recorded": lambda mp: mp.setattr(
        audit, "append", dies
    ),
    "the rotation recorded, its key not yet active": lambda mp: mp.setattr(
        rotation, "write_key_file", key_file_write(2)
    ),
    "its key active, no value moved yet": lambda mp: mp.setattr(rotation, "_reseal_column", dies),
    "the old keys retired in the key file, the rotation not marked finished": lambda mp: mp.setattr(
        rotation, "write_key_file", key_file_write(3, after=True)
    ),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_it_leaves_the_keys_and_the_database_agreeing_and_reruns_with_one_new_key(
    ctx: Context, point: str
) -> None:
    old = ctx.keyring.active_id
    values = len(sealed_key_ids(ctx))
    with pytest.MonkeyPatch.context() as mp:
        KILL_POINTS[point](mp)
        with pytest.raises(Killed):
            rotate_keys(ctx, ADMIN, batch_size=7)

    left = bootstrap(ctx.settings)  # a process started now, with the key file as it was left
    with left.engine.connect() as conn:
        recorded = conn.execute(select(key_rotation)).all()
        assert audit.verify(conn, left.keyring).ok
    new_keys = set(left.keyring.data_keys) - {old}
    assert reopen_all(left) == values
    assert len(new_keys) == 1  # the key file was written first, every time
    assert {key for _, _, key in sealed_key_ids(left)} <= {old, *new_keys}
    if recorded:
        assert [row.target_key_id for row in recorded] == list(new_keys)
    else:
        assert left.keyring.active_id == old  # waiting, not yet used to seal anything
        assert left.keyring.waiting_keys() == list(new_keys)

    again = rotate_keys(bootstrap(ctx.settings), ADMIN, batch_size=7)

    on_disk = keys_on_disk(ctx)
    assert set(on_disk.data_keys) == {old, *new_keys}  # no spare key
    assert on_disk.active_id == again.target_key_id == next(iter(new_keys))
    assert on_disk.retired == [old]
    assert {(kid, key) for _, kid, key in sealed_key_ids(ctx)} == {(on_disk.active_id,) * 2}
    with ctx.engine.connect() as conn:
        [row] = conn.execute(select(key_rotation)).all()
        actions = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars()
        assert audit.verify(conn, on_disk).ok
        started = [a for a in actions if a.endswith("_key_rotation")]
    assert row.finished_at is not None and row.note == old
    assert started == ["start_key_rotation", "finish_key_rotation"]


def test_it_removes_a_new_key_file_a_killed_write_left_behind(ctx: Context) -> None:
    path = ctx.settings.key_path
    leftover = path.with_name(f".{path.name}.abc123.tmp")
    leftover.write_text(path.read_text())
    leftover.chmod(0o600)

    rotate_keys(ctx, ADMIN)

    assert not leftover.exists()
    assert not list(path.parent.glob(f".{path.name}.*.tmp"))


def test_it_resumes_with_a_key_waiting_in_the_key_file(ctx: Context) -> None:
    old = ctx.keyring.active_id
    with pytest.MonkeyPatch.context() as mp:
        KILL_POINTS["the new key added to the key file, the rotation not yet recorded"](mp)
        with pytest.raises(Killed):
            rotate_keys(ctx, ADMIN)
    [waiting] = keys_on_disk(ctx).waiting_keys()

    resumed = rotate_keys(bootstrap(ctx.settings), ADMIN, resume=True)

    assert resumed.target_key_id == waiting and resumed.previous_key_id == old
