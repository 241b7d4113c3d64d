"""An append-only audit trail, hash-chained and keyed.

Each entry's MAC covers its position, content and the previous entry's MAC, under the audit key
that lives outside the database. `verify` walks the chain and reports, by position, any entry
that was changed, removed, inserted or reordered. Entries hold no personal data: subjects are
ids, details are codes and counts.

An entry also carries the MACs of the rows its transaction wrote (`rows`, see
guardpath.adapters.row_seals), so `verify` checks every case, history entry, contract and staff
account against the chain too: a row edited, inserted or deleted outside the application is
reported by table and id.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, text

from guardpath.adapters import row_seals
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.tables import audit_log

GENESIS = "0" * 64
CHAIN_LOCK = 7_417_001  # a PostgreSQL advisory lock id serialising appends


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_id: str
    role: str
    action: str
    subject: str
    details: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)
    """The MACs of the rows written with this entry, by `table/id` (row_seals.DELETED if gone)."""


def _utc(moment: datetime) -> datetime:
    # Entries read back are UTC already (types.UtcDateTime); one written may come in any zone.
    return moment.astimezone(UTC)


def _canonical(seq: int, entry: Entry, prev_hash: str) -> bytes:
    body = {
        "seq": seq,
        "at": _utc(entry.at).isoformat(),
        "actor_id": entry.actor_id,
        "role": entry.role,
        "action": entry.action,
        "subject": entry.subject,
        "details": entry.details,
        "prev": prev_hash,
    }
    if entry.rows:  # entries written before rows were sealed keep their MACs
        body["rows"] = entry.rows
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


_LOCKED: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
"""The transactions holding the chain's lock already (it is held until they end)."""


def lock_chain(conn: Connection) -> None:
    """On PostgreSQL, take the chain's advisory lock for the rest of the transaction, once."""
    if conn.dialect.name != "postgresql":
        return
    transaction = conn.get_transaction()
    if transaction is not None and _LOCKED.get(transaction):
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": CHAIN_LOCK})
    if transaction is not None:
        _LOCKED[transaction] = True


LAST_ENTRY = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
"""Built once: the statements of every transaction are built and cached once, not per call."""


def with_pending_rows(conn: Connection, entry: Entry) -> Entry:
    """The entry, carrying the MACs of the rows sealed in this transaction since its last
    entry (which are then no longer pending)."""
    written = row_seals.take_pending(conn)
    if not written:
        return entry
    return Entry(
        entry.at,
        entry.actor_id,
        entry.role,
        entry.action,
        entry.subject,
        entry.details,
        {**entry.rows, **written},
    )


def append(conn: Connection, keyring: Keyring, entry: Entry) -> int:
    """Append one entry inside the caller's transaction; returns its position. The entry
    carries the MACs of the rows sealed in this transaction since its last entry."""
    entry = with_pending_rows(conn, entry)
    lock_chain(conn)
    last = conn.execute(LAST_ENTRY).first()
    seq, prev = (1, GENESIS) if last is None else (last.seq + 1, last.hash)
    conn.execute(
        audit_log.insert(),
        {
            "seq": seq,
            "at": entry.at,  # stored as the instant the MAC covers (types.UtcDateTime)
            "actor_id": entry.actor_id,
            "role": entry.role,
            "action": entry.action,
            "subject": entry.subject,
            "details": entry.details,
            "prev_hash": prev,
            "rows": entry.rows or None,
            "hash": keyring.chain_mac(_canonical(seq, entry, prev)),
        },
    )
    return seq


@dataclass(frozen=True)
class Problem:
    position: int
    kind: str  # changed | removed | inserted_or_reordered
    message: str


@dataclass
class Report:
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: list[row_seals.RowProblem] = field(default_factory=list)
    head: tuple[int, str] | None = None
    """The last entry's position and MAC."""

    @property
    def ok(self) -> bool:
        return not self.problems and not self.rows


def append_many(conn: Connection, keyring: Keyring, entries: list[Entry]) -> None:
    """`append` for many entries at once: the same chain and MACs (`verify` checks them), one
    executemany instead of a read and a write per entry (a roster's thousands of rows)."""
    if not entries:
        return
    lock_chain(conn)
    last = conn.execute(LAST_ENTRY).first()
    seq, prev = (0, GENESIS) if last is None else (last.seq, last.hash)
    rows = []
    for entry in entries:
        seq += 1
        mac = keyring.chain_mac(_canonical(seq, entry, prev))
        rows.append(
            {
                "seq": seq,
                "at": entry.at,
                "actor_id": entry.actor_id,
                "role": entry.role,
                "action": entry.action,
                "subject": entry.subject,
                "details": entry.details,
                "prev_hash": prev,
                "rows": entry.rows or None,
                "hash": mac,
            }
        )
        prev = mac
    conn.execute(audit_log.insert(), rows)


def _row_entry(row: Any) -> Entry:
    return Entry(
        row.at, row.actor_id, row.role, row.action, row.subject, row.details, row.rows or {}
    )


def last_entry_verifies(conn: Connection, keyring: Keyring) -> bool:
    """Whether the newest entry matches its seal under these keys (an empty chain does): the
    cheap check of a readiness probe, not a walk of the chain."""
    row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).first()
    if row is None:
        return True
    sealed: str = row.hash
    return keyring.chain_mac(_canonical(row.seq, _row_entry(row), row.prev_hash)) == sealed


def verify(conn: Connection, keyring: Keyring) -> Report:
    """Walk the chain in order and report every break by position, then every sealed row
    that does not match its MAC or what the chain recorded for it, by table and id."""
    report = Report()
    expected_seq, prev = 1, GENESIS
    recorded: dict[str, str] = {}
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq))
    for row in rows:
        report.entries += 1
        report.head = (row.seq, row.hash)
        if row.rows:
            recorded.update(row.rows)
        if row.seq != expected_seq:
            report.problems.append(
                Problem(
                    expected_seq,
                    "removed",
                    f"entries {expected_seq}–{row.seq - 1} are missing",
                )
            )
        own = keyring.chain_mac(_canonical(row.seq, _row_entry(row), row.prev_hash))
        if own != row.hash:
            report.problems.append(
                Problem(row.seq, "changed", f"entry {row.seq} does not match its seal")
            )
        elif row.prev_hash != prev and row.seq == expected_seq:
            report.problems.append(
                Problem(
                    row.seq,
                    "inserted_or_reordered",
                    f"entry {row.seq} does not follow entry {row.seq - 1}",
                )
            )
        expected_seq, prev = row.seq + 1, row.hash
    report.rows = row_seals.verify_rows(conn, keyring, recorded)
    return report
