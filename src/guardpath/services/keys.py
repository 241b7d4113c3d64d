"""Key rotation: a new data key becomes active and every sealed value moves under it, in batches.

The key file is written (atomically) before any row refers to the new key, and the key is made
active only once the rotation is recorded, so every value stays readable with the file on disk at
every moment and a kill between any two writes leaves nothing to guess (see `_begin`). Each batch
is its own transaction and counts its rows in the key_rotation table, so an interrupted rotation
resumes with the same target key: the rows still to do are simply those not yet under it. Old
keys stay in the file, listed as retired, because backups made before the rotation still need
them. The blind-index and audit keys are not rotated: the indexes and the chain do not change.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag

from guardpath.adapters import audit
from guardpath.adapters.crypto import (
    Keyring,
    KeyringError,
    load_keyring,
    remove_unfinished_key_files,
    write_key_file,
)
from guardpath.adapters.key_rotation import (
    SEALED_COLUMNS,
    KeyRotationStore,
    SealedColumn,
    SealedValue,
)
from guardpath.cases.model import Actor
from guardpath.services.ports import Ports

__all__ = ["SEALED_COLUMNS", "KeyPorts", "Rotation", "RotationError", "SealedColumn"]
__all__ += ["pending_count", "reopen_all", "rotate_keys"]

DEFAULT_BATCH = 500
Progress = Callable[[int, int], None]
"""Called before the first batch and after each committed one with (values re-encrypted so far in
this run, values to do)."""


class KeyPorts(Ports, Protocol):
    """What a rotation needs besides the usual ports: the keyring it replaces as it goes, and
    the database's sealed values and rotation records (guardpath.adapters.key_rotation)."""

    keyring: Keyring

    def key_rotation(self) -> KeyRotationStore:
        """The sealed values and rotation records, each write its own transaction."""
        ...


class RotationError(ValueError):
    """A rotation that cannot start or go on; the message says why and what to do."""


@dataclass(frozen=True)
class Rotation:
    target_key_id: str
    previous_key_id: str | None
    resumed: bool
    rows_this_run: int
    rows_done: int
    retired: tuple[str, ...]
    seconds: float


def rotate_keys(
    ctx: KeyPorts,
    actor: Actor,
    *,
    batch_size: int = DEFAULT_BATCH,
    resume: bool = False,
    on_batch: Progress | None = None,
) -> Rotation:
    """Rotate to a new data key, or go on with an unfinished rotation (`resume` insists on one).

    `ctx.keyring` is replaced by the rotated keyring. Exceptions raised by `on_batch` stop the
    rotation after a committed batch; running it again resumes it.
    """
    if batch_size < 1:
        raise RotationError("--batch: a batch holds at least 1 value")
    if ctx.settings.keys is not None:
        raise RotationError(
            "GUARDPATH_KEYS holds the keys, and rotation must write a key file: put the keys in "
            "a file named by GUARDPATH_KEY_FILE, unset GUARDPATH_KEYS, and rotate again"
        )
    started = time.perf_counter()
    with _one_rotation_at_a_time(ctx.settings.key_path):
        target, previous, resumed = _begin(ctx, actor, resume)
        done = _reseal_all(ctx, target, batch_size, on_batch)
        rows_done, retired = _finish(ctx, actor, target)
    return Rotation(
        target, previous, resumed, done, rows_done, retired, time.perf_counter() - started
    )


@contextmanager
def _one_rotation_at_a_time(key_path: Path) -> Iterator[None]:
    """Two rotations writing one key file at once could lose a key: the second waits for none."""
    key_path.parent.mkdir(parents=True, exist_ok=True)
    with open(key_path.with_name(key_path.name + ".lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RotationError(
                f"another rotation of {key_path} is running; wait for it to end"
            ) from None
        yield


def _reseal_all(ctx: KeyPorts, target: str, batch_size: int, on_batch: Progress | None) -> int:
    total, done = pending_count(ctx, target), 0
    if on_batch is not None:
        on_batch(done, total)
    while True:
        moved = sum(_reseal_column(ctx, column, target, batch_size) for column in SEALED_COLUMNS)
        if moved == 0:
            return done
        done += moved
        total = max(total, done)
        if on_batch is not None:
            on_batch(done, total)


def pending_count(ctx: KeyPorts, target: str) -> int:
    """How many sealed values are not yet under `target`."""
    return ctx.key_rotation().pending_count(target)


def _begin(ctx: KeyPorts, actor: Actor, resume: bool) -> tuple[str, str | None, bool]:
    """The target key of the unfinished rotation, or of a new one.

    A new rotation writes in this order, so that a kill between any two steps leaves the key
    file and the database agreeing on what to do next: (1) the new key is added to the key
    file, not yet active; (2) the rotation is recorded with that key as its target, with its
    audit entry; (3) the key is made active in the key file; only then do values move. A rerun
    after (1) finds the key waiting in the file and records the rotation with it (no spare
    key); after (2) it resumes the recorded rotation and makes its key active.
    """
    remove_unfinished_key_files(ctx.settings.key_path)  # under the lock: no one else writes it
    ctx.keyring = load_keyring(ctx.settings)  # as it is now, under the lock, not at start-up
    unfinished = ctx.key_rotation().unfinished()
    if unfinished is not None:
        target = unfinished.target_key_id
        _activate(ctx, target)
        return target, unfinished.previous_key_id, True
    previous = ctx.keyring.active_id
    waiting = ctx.keyring.waiting_keys()
    if resume and not waiting:
        raise RotationError("--resume: there is no unfinished rotation to resume")
    if not waiting:
        ctx.keyring = ctx.keyring.with_new_key()
        write_key_file(ctx.keyring, ctx.settings.key_path)  # (1), before anything refers to it
        waiting = ctx.keyring.waiting_keys()
    target = waiting[-1]
    details = {"from": previous, "to": target}
    role = actor.role.value
    entry = audit.Entry(ctx.clock(), actor.id, role, "start_key_rotation", "keys", details)
    ctx.key_rotation().record_start(target, previous, ctx.keyring, entry)  # (2)
    _activate(ctx, target)  # (3), before any value moves under it
    return target, previous, False


def _activate(ctx: KeyPorts, target: str) -> None:
    if target not in ctx.keyring.data_keys:
        raise RotationError(
            f"an unfinished rotation moves values to key {target}, which is not in the key file "
            f"{ctx.settings.key_path}; put back the key file written when the rotation started"
        )
    if ctx.keyring.active_id != target:
        ctx.keyring = replace(ctx.keyring, active_id=target)
        write_key_file(ctx.keyring, ctx.settings.key_path)


def _reseal_column(ctx: KeyPorts, column: SealedColumn, target: str, batch_size: int) -> int:
    """Re-encrypt one batch of one column under the active key, in one transaction."""
    keyring = ctx.keyring
    return ctx.key_rotation().reseal_batch(
        column, target, batch_size, lambda value: _reseal(keyring, value)
    )


def _reseal(keyring: Keyring, value: SealedValue) -> bytes:
    try:
        plaintext = keyring.open(value.sealed, value.context)
    except KeyringError as error:
        raise RotationError(
            f"{value.where}: {error}; the rotation stopped before this batch"
        ) from None
    except InvalidTag:
        raise RotationError(
            f"{value.where} does not open: it was changed or damaged; the rotation stopped before "
            "this batch"
        ) from None
    return keyring.seal(plaintext, value.context)


def _finish(ctx: KeyPorts, actor: Actor, target: str) -> tuple[int, tuple[str, ...]]:
    """List the old keys as retired (kept for old backups), then mark the rotation finished."""
    keyring = ctx.keyring
    retired = sorted(set(keyring.retired) | (set(keyring.data_keys) - {target}))
    ctx.keyring = replace(keyring, retired=retired)
    write_key_file(ctx.keyring, ctx.settings.key_path)
    role = actor.role.value

    def entry(done: int) -> audit.Entry:
        details = {"key": target, "values": done, "retired": len(retired)}
        return audit.Entry(now, actor.id, role, "finish_key_rotation", "keys", details)

    now = ctx.clock()
    done = ctx.key_rotation().record_finish(target, now, ctx.keyring, entry)
    return done, tuple(retired)


def reopen_all(ctx: KeyPorts) -> int:
    """Open every sealed value with the current keyring (a check); returns how many opened."""
    opened = 0
    for value in ctx.key_rotation().sealed_values():
        ctx.keyring.open(value.sealed, value.context)
        opened += 1
    return opened
