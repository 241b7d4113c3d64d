"""Logical backups: every row of every table in a gzip'd JSON-lines file, engine-independent.

The first line is a header (format, schema revision, law version, when, row counts per table, the
data keys the sealed values need and a fingerprint of the index and audit keys); then one line per
row, tables in the order their foreign keys need; the last line closes the file with the row count,
the SHA-256 of every line before it and a MAC of that digest under the audit key (which is not in
the backup), so a truncated or altered file is refused, even one whose digest was recomputed.
Sealed values stay sealed (bytes in base64): the file reveals no one without the key file,
which is never in it.

A restore checks the whole file (digest and MAC) before it writes anything, then loads it into an
empty database at the same schema revision in one transaction, which it commits only if the
restored audit chain and every sealed row verify: all of the file or nothing.

This module writes and restores; the file's format and its checked reading are
guardpath.services.backup_file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from guardpath.adapters import audit
from guardpath.adapters.backup_store import (
    CASES,
    CHUNK,
    TABLE_NAMES,
    BackupStore,
    Loading,
    RowsRefused,
    Snapshot,
    decode_row,
)
from guardpath.adapters.crypto import Keyring
from guardpath.cases.model import Actor
from guardpath.services.backup_file import (
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    Header,
    NotEmpty,
    Progress,
    Reader,
    Restored,
    closing_mac,
    fingerprint,
    json_line,
    read_header,
)
from guardpath.services.ports import Ports

__all__ = ["BackupError", "BackupPorts", "Header", "NotEmpty", "Restored", "make_backup"]
__all__ += ["restore_backup"]


class BackupPorts(Ports, Protocol):
    """What a backup needs besides the usual ports: the whole database at once."""

    def backups(self) -> BackupStore:
        """The database's snapshot to write from and transaction to load into."""
        ...


# -- backup --------------------------------------------------------------------------------------
def require_head(ctx: BackupPorts) -> str:
    revision, head = ctx.backups().revisions()
    if revision is None:
        raise BackupError("the database has no schema yet: run `guardpath db upgrade` first")
    if revision != head:
        raise BackupError(
            f"the database is at schema revision {revision}, this guardpath at {head}: "
            "run `guardpath db upgrade` first"
        )
    return revision


def make_backup(
    ctx: BackupPorts, actor: Actor, path: Path, on_rows: Progress | None = None
) -> Header:
    """Write every row to `path` from one consistent snapshot; the file appears only when whole."""
    if path.exists():
        raise BackupError(f"FILE: {str(path)!r} exists; choose a new name (backups are kept)")
    if not path.parent.is_dir():
        raise BackupError(f"FILE: no folder {str(path.parent)!r} to write {path.name!r} into")
    revision = require_head(ctx)
    partial = path.with_name(path.name + ".partial")
    try:
        header = _write(ctx, actor, revision, partial, on_rows)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return header


def _owner_only(path: Path) -> BinaryIO:
    """A new file only its owner can read: it holds blind indexes and sealed values."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _write(
    ctx: BackupPorts, actor: Actor, revision: str, partial: Path, on_rows: Progress | None
) -> Header:
    now = ctx.clock()
    with ctx.backups().snapshot() as snapshot, _owner_only(partial) as raw:
        # Reading everyone's sealed record is itself recorded, inside the snapshot it describes.
        before = snapshot.counts()
        details = {"rows": sum(before.values())}
        snapshot.audit(
            ctx.keyring,
            audit.Entry(now, actor.id, actor.role.value, "make_backup", "database", details),
        )
        header = Header(
            schema_revision=revision,
            law_version=ctx.legislation.version,
            created_at=now.astimezone(UTC).isoformat(),
            tables=snapshot.counts(),
            key_ids=snapshot.key_ids(),
            fingerprint=fingerprint(ctx.keyring),
            engine=snapshot.engine_name,
        )
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            _write_lines(snapshot, ctx.keyring, header, out, on_rows)
        raw.flush()
        os.fsync(raw.fileno())
    return header


def _write_lines(
    snapshot: Snapshot,
    keyring: Keyring,
    header: Header,
    out: gzip.GzipFile,
    on_rows: Progress | None,
) -> None:
    digest = hashlib.sha256()
    first = {"format": FORMAT, "format_version": FORMAT_VERSION, **header.__dict__}
    written = 0
    for data in _lines(snapshot, first):
        line = json_line(data)
        digest.update(line)
        out.write(line)
        written += 1
        if on_rows is not None and written % CHUNK == 0:
            on_rows(written - 1, header.rows)
    closing = {"end": True, "rows": written - 1, "sha256": digest.hexdigest()}
    closing["mac"] = closing_mac(keyring, digest.hexdigest())
    out.write(json_line(closing))
    if on_rows is not None:
        on_rows(header.rows, header.rows)


def _lines(snapshot: Snapshot, first: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield first
    for table, row in snapshot.rows():
        yield {"table": table, "row": row}


# -- restore -------------------------------------------------------------------------------------
def check_restorable(ctx: BackupPorts, header: Header) -> None:
    """The file fits this guardpath, this database and these keys; else say what to do."""
    head = require_head(ctx)
    if header.schema_revision != head:
        raise BackupError(
            f"FILE: the backup is at schema revision {header.schema_revision}, this database at "
            f"{head}; restore it with the guardpath that made it, upgrade, and back up again"
        )
    if header.fingerprint != fingerprint(ctx.keyring):
        raise BackupError(
            "FILE: the backup was made with other index and audit keys; point GUARDPATH_KEY_FILE "
            "(or GUARDPATH_KEYS) at the key file of the database it came from"
        )
    missing = [kid for kid in header.key_ids if kid not in ctx.keyring.data_keys]
    if missing:
        raise BackupError(
            f"FILE: the key file lacks data keys {', '.join(missing)}, which sealed values in "
            "this backup; use the key file of the database it came from (retired keys included)"
        )


def restore_backup(
    ctx: BackupPorts, path: Path, *, force: bool = False, on_rows: Progress | None = None
) -> Restored:
    """Check all of `path`, then load it into the empty database in one transaction, committed
    only if the restored audit chain and every sealed row verify."""
    reader = Reader(path, ctx.keyring)
    lines = reader.lines()
    first = next(lines, None)
    if first is None:
        raise reader.fail("it is empty")
    header = read_header(first, reader)
    check_restorable(ctx, header)
    _check_whole(ctx, path)
    with ctx.backups().loading() as loading:
        _make_room(loading, force)
        restored = _load(loading, header, lines, reader, on_rows)
        loading.reset_sequences()
        report = loading.verify(ctx.keyring)
        if not report.ok:
            raise BackupError(f"FILE: {str(path)!r} was not restored: {_problems(report)}")
    return Restored(header, restored, report)


def _check_whole(ctx: BackupPorts, path: Path) -> None:
    """Read the whole file once, checking its lines, digest and MAC, before writing anything
    (the rows are read again to be loaded)."""
    for _ in Reader(path, ctx.keyring).lines():
        pass


def _problems(report: audit.Report) -> str:
    found = [f"audit entry {p.position}: {p.kind}" for p in report.problems]
    found += [f"{r.table} {r.row_id}: {r.kind}" for r in report.rows]
    shown = "; ".join(found[:10]) + (f"; and {len(found) - 10} more" if len(found) > 10 else "")
    return f"its audit chain or records do not verify ({shown}); nothing was restored"


def _make_room(loading: Loading, force: bool) -> None:
    held = {name: n for name, n in loading.counts().items() if n}
    if not held:
        return
    if not force:
        n_cases = held.get(CASES, 0)
        listed = ", ".join(f"{n:,} {name}" for name, n in held.items())
        raise NotEmpty(
            f"the target database is not empty ({n_cases:,} cases; {listed}); restore into an "
            "empty database, or add --force to wipe it first"
        )
    loading.wipe()


def _load(
    loading: Loading,
    header: Header,
    lines: Iterator[dict[str, Any]],
    reader: Reader,
    on_rows: Progress | None,
) -> int:
    seen = dict.fromkeys(TABLE_NAMES, 0)
    pending: list[dict[str, Any]] = []
    current: str | None = None
    loaded = 0
    for data in lines:
        table = data.get("table", "")
        if table not in seen or not isinstance(data.get("row"), dict):
            raise reader.fail("a line is neither a row of a known table nor the closing line")
        if table != current or len(pending) >= CHUNK:
            loaded += _insert(loading, current, pending, reader)
            pending, current = [], table
            if on_rows is not None:
                on_rows(loaded, header.rows)
        try:
            pending.append(decode_row(table, data["row"]))
        except (ValueError, TypeError) as error:
            raise reader.fail(f"a row of {table} does not fit the schema ({error})") from None
        seen[table] += 1
    loaded += _insert(loading, current, pending, reader)
    if seen != header.tables:
        raise reader.fail(f"it holds {seen} rows, its header says {header.tables}")
    if on_rows is not None:
        on_rows(loaded, header.rows)
    return loaded


def _insert(loading: Loading, table: str | None, rows: list[dict[str, Any]], reader: Reader) -> int:
    if table is None or not rows:
        return 0
    try:
        return loading.insert(table, rows)
    except RowsRefused as error:
        raise reader.fail(f"rows of {table} do not fit the database ({error})") from None
