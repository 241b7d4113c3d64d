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

import binascii
import gzip
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, StatementError

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.migrate import current_revision, head_revision
from guardpath.adapters.tables import cases
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor
from guardpath.services.backup_file import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    TABLES,
    BackupError,
    Header,
    NotEmpty,
    Progress,
    Reader,
    Restored,
    closing_mac,
    counts,
    decode_row,
    fingerprint,
    json_line,
    key_ids,
    read_header,
    table_rows,
    utc,
)

__all__ = ["TABLES", "BackupError", "Header", "NotEmpty", "Restored", "counts", "make_backup"]
__all__ += ["restore_backup"]


# -- backup --------------------------------------------------------------------------------------
def require_head(ctx: Context) -> str:
    revision, head = current_revision(ctx.engine), head_revision()
    if revision is None:
        raise BackupError("the database has no schema yet: run `guardpath db upgrade` first")
    if revision != head:
        raise BackupError(
            f"the database is at schema revision {revision}, this guardpath at {head}: "
            "run `guardpath db upgrade` first"
        )
    return revision


def make_backup(ctx: Context, actor: Actor, path: Path, on_rows: Progress | None = None) -> Header:
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


def _snapshot(ctx: Context) -> Connection:
    conn = ctx.engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn  # SQLite: BEGIN IMMEDIATE holds the write lock, so the file is one moment


def _owner_only(path: Path) -> BinaryIO:
    """A new file only its owner can read: it holds blind indexes and sealed values."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _write(
    ctx: Context, actor: Actor, revision: str, partial: Path, on_rows: Progress | None
) -> Header:
    now = ctx.clock()
    with _snapshot(ctx) as conn, conn.begin(), _owner_only(partial) as raw:
        # Reading everyone's sealed record is itself recorded, inside the snapshot it describes.
        before = counts(conn)
        details = {"rows": sum(before.values())}
        audit.append(
            conn,
            ctx.keyring,
            audit.Entry(now, actor.id, actor.role.value, "make_backup", "database", details),
        )
        header = Header(
            schema_revision=revision,
            law_version=ctx.legislation.version,
            created_at=utc(now).isoformat(),
            tables=counts(conn),
            key_ids=key_ids(conn),
            fingerprint=fingerprint(ctx.keyring),
            engine=conn.dialect.name,
        )
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            _write_lines(conn, ctx.keyring, header, out, on_rows)
        raw.flush()
        os.fsync(raw.fileno())
    return header


def _write_lines(
    conn: Connection,
    keyring: Keyring,
    header: Header,
    out: gzip.GzipFile,
    on_rows: Progress | None,
) -> None:
    digest = hashlib.sha256()
    first = {"format": FORMAT, "format_version": FORMAT_VERSION, **header.__dict__}
    written = 0
    for data in _lines(conn, first):
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


def _lines(conn: Connection, first: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield first
    for table in TABLES:
        for row in table_rows(conn, table):
            yield {"table": table.name, "row": row}


# -- restore -------------------------------------------------------------------------------------
def check_restorable(ctx: Context, header: Header) -> None:
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
    ctx: Context, path: Path, *, force: bool = False, on_rows: Progress | None = None
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
    with ctx.engine.connect() as conn, conn.begin():
        _make_room(conn, force)
        restored = _load(conn, header, lines, reader, on_rows)
        _reset_sequences(conn)
        report = audit.verify(conn, ctx.keyring)
        if not report.ok:
            raise BackupError(f"FILE: {str(path)!r} was not restored: {_problems(report)}")
    return Restored(header, restored, report)


def _check_whole(ctx: Context, path: Path) -> None:
    """Read the whole file once, checking its lines, digest and MAC, before writing anything
    (the rows are read again to be loaded)."""
    for _ in Reader(path, ctx.keyring).lines():
        pass


def _problems(report: audit.Report) -> str:
    found = [f"audit entry {p.position}: {p.kind}" for p in report.problems]
    found += [f"{r.table} {r.row_id}: {r.kind}" for r in report.rows]
    shown = "; ".join(found[:10]) + (f"; and {len(found) - 10} more" if len(found) > 10 else "")
    return f"its audit chain or records do not verify ({shown}); nothing was restored"


def _make_room(conn: Connection, force: bool) -> None:
    held = {name: n for name, n in counts(conn).items() if n}
    if not held:
        return
    if not force:
        n_cases = held.get(cases.name, 0)
        listed = ", ".join(f"{n:,} {name}" for name, n in held.items())
        raise NotEmpty(
            f"the target database is not empty ({n_cases:,} cases; {listed}); restore into an "
            "empty database, or add --force to wipe it first"
        )
    for table in reversed(TABLES):
        conn.execute(delete(table))


def _load(
    conn: Connection,
    header: Header,
    lines: Iterator[dict[str, Any]],
    reader: Reader,
    on_rows: Progress | None,
) -> int:
    by_name = {table.name: table for table in TABLES}
    seen = dict.fromkeys(by_name, 0)
    pending: list[dict[str, Any]] = []
    current: Table | None = None
    loaded = 0
    for data in lines:
        table = by_name.get(data.get("table", ""))
        if table is None or not isinstance(data.get("row"), dict):
            raise reader.fail("a line is neither a row of a known table nor the closing line")
        if table is not current or len(pending) >= CHUNK:
            loaded += _insert(conn, current, pending, reader)
            pending, current = [], table
            if on_rows is not None:
                on_rows(loaded, header.rows)
        try:
            pending.append(decode_row(table, data["row"]))
        except (ValueError, TypeError, binascii.Error) as error:
            raise reader.fail(f"a row of {table.name} does not fit the schema ({error})") from None
        seen[table.name] += 1
    loaded += _insert(conn, current, pending, reader)
    if seen != header.tables:
        raise reader.fail(f"it holds {seen} rows, its header says {header.tables}")
    if on_rows is not None:
        on_rows(loaded, header.rows)
    return loaded


def _insert(
    conn: Connection, table: Table | None, rows: list[dict[str, Any]], reader: Reader
) -> int:
    if table is None or not rows:
        return 0
    try:
        conn.execute(table.insert(), rows)
    except (DBAPIError, StatementError) as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        raise reader.fail(f"rows of {table.name} do not fit the database ({reason})") from None
    return len(rows)


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL's sequences do not see rows inserted with their ids; move them past the rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in TABLES:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name = keys[0].name
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": name},
        ).scalar()
        if sequence is None:
            continue
        top = conn.execute(select(func.max(table.c[name]))).scalar()
        conn.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
            {"sequence": sequence, "value": top or 1, "called": top is not None},
        )
