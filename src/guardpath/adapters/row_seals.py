"""Every decision bound to the audit chain: a keyed MAC on each state-changing row.

Each row of the tables below carries `mac`, an HMAC-SHA256 under the audit key (outside the
database) of the row's table, identity and the columns that hold a decision (a case's state,
facts and version; a history entry; a contract; a staff account's role and password). Whoever
writes such a row seals it with `seal_row`, which also notes the MAC for the transaction; the
next audit entry appended in that transaction carries those MACs (`audit.Entry.rows`), so the
chain records, for each row, the MAC it must have now. `verify_rows` recomputes every row's MAC
and compares the rows with the chain: a row edited outside the application (its MAC no longer
matches, or an older version was put back), inserted (the chain never recorded it) or deleted
(the chain records it, the table lacks it) is reported by table and id.

Columns that change without a decision are left out: sealed values (key rotation re-seals them;
their AES-GCM context binds them to their row already), login counters and timestamps of use.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.tables import (
    audit_log,
    case_history,
    cases,
    citizenship_applications,
    contracts,
    documents,
    persons,
    service_periods,
    staff_users,
)

DELETED = "deleted"
"""The MAC the chain records for a row the application deleted."""


@dataclass(frozen=True)
class Sealed:
    """A table whose rows carry a MAC: the columns naming a row, and those the MAC covers."""

    table: Table
    identity: tuple[str, ...]
    covered: tuple[str, ...]
    applies: Callable[[Mapping[str, Any] | RowMapping], bool] = lambda row: True

    def row_id(self, row: Mapping[str, Any] | RowMapping) -> str:
        return ":".join(str(_plain(row[name])) for name in self.identity)

    def key(self, row: Mapping[str, Any] | RowMapping) -> str:
        return f"{self.table.name}/{self.row_id(row)}"


SEALED_TABLES: tuple[Sealed, ...] = (
    Sealed(persons, ("id",), ("id", "passport_index", "name_index", "citizenships", "sex")),
    Sealed(
        cases,
        ("id",),
        ("id", "reference", "person_id", "formation", "state", "facts", "version", "submitted_on"),
    ),
    Sealed(
        case_history,
        ("case_id", "seq"),
        (
            "case_id",
            "seq",
            "action",
            "from_state",
            "to_state",
            "actor_id",
            "role",
            "at",
            "answer",
            "law_version",
        ),
    ),
    Sealed(
        contracts,
        ("case_id",),
        (
            "case_id",
            "signed_on",
            "rank_group",
            "years",
            "probation_months",
            "ends_on",
            "probation_ends_on",
            "law_version",
        ),
    ),
    # Periods have a serial id the application learns only after the insert; a case's period
    # is named by its start day instead (a case never starts two periods on one day).
    Sealed(
        service_periods,
        ("case_id", "start"),
        ("case_id", "formation", "basis", "start", "end"),
    ),
    Sealed(
        citizenship_applications,
        ("case_id",),
        (
            "case_id",
            "state",
            "route",
            "prepared_on",
            "earliest_date",
            "obligations",
            "law_version",
            "decided_on",
        ),
    ),
    # A document becomes a record when it joins a case; one still with its draft is not yet.
    Sealed(
        documents,
        ("id",),
        ("id", "case_id", "kind", "media_type", "size", "created_at"),
        applies=lambda row: row["case_id"] is not None,
    ),
    Sealed(
        staff_users,
        ("id",),
        ("id", "username", "password_hash", "role", "disabled_at", "created_at"),
    ),
)
BY_TABLE = {sealed.table.name: sealed for sealed in SEALED_TABLES}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_mac(keyring: Keyring, table: Table, row: Mapping[str, Any] | RowMapping) -> str:
    """The MAC of a row's covered columns, bound to its table."""
    sealed = BY_TABLE[table.name]
    body = {name: _plain(row[name]) for name in sealed.covered}
    message = json.dumps(
        {"table": table.name, "row": body}, sort_keys=True, separators=(",", ":"), default=str
    )
    return keyring.chain_mac(b"row\0" + message.encode())


# -- what the open transaction has written, for its next audit entry ----------------------------
_PENDING: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _noted(conn: Connection) -> dict[str, str]:
    transaction = conn.get_transaction()
    if transaction is None:
        raise RuntimeError("a sealed row is written outside a transaction")
    return _PENDING.setdefault(transaction, {})


def seal_row(
    conn: Connection, keyring: Keyring, table: Table, row: Mapping[str, Any] | RowMapping
) -> str:
    """The row's MAC, noted for the transaction's next audit entry; the caller writes it."""
    mac = row_mac(keyring, table, row)
    _noted(conn)[BY_TABLE[table.name].key(row)] = mac
    return mac


def note_sealed(conn: Connection, macs: Mapping[str, str]) -> None:
    """Note MACs computed before the transaction (by `row_mac`) for rows it now writes."""
    _noted(conn).update(macs)


def note_deleted(conn: Connection, table: Table, row: Mapping[str, Any] | RowMapping) -> None:
    _noted(conn)[BY_TABLE[table.name].key(row)] = DELETED


def take_pending(conn: Connection) -> dict[str, str]:
    """The MACs written in this transaction since its last audit entry, now carried by one."""
    transaction = conn.get_transaction()
    if transaction is None:
        return {}
    return _PENDING.pop(transaction, {})


def has_pending(conn: Connection) -> bool:
    transaction = conn.get_transaction()
    return transaction is not None and bool(_PENDING.get(transaction))


def reseal(
    conn: Connection,
    keyring: Keyring,
    table: Table,
    where: Any,
    changes: Mapping[str, Any] | RowMapping,
) -> int:
    """Update the rows `where` selects with `changes`, each with its new MAC; returns the count."""
    sealed = BY_TABLE[table.name]
    rows = conn.execute(select(table).where(where)).mappings().all()
    for row in rows:
        new = {**row, **changes}
        mac = seal_row(conn, keyring, table, new) if sealed.applies(new) else None
        match = [table.c[name] == row[name] for name in sealed.identity]
        conn.execute(table.update().where(*match).values(**changes, mac=mac))
    return len(rows)


# -- verification ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowProblem:
    table: str
    row_id: str
    kind: str  # edited | inserted | deleted
    message: str


def verify_rows(
    conn: Connection, keyring: Keyring, recorded: Mapping[str, str]
) -> list[RowProblem]:
    """Each row against its own MAC and against the MAC the chain recorded for it last."""
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for sealed in SEALED_TABLES:
        name = sealed.table.name
        for row in conn.execute(select(sealed.table)).mappings():
            key = sealed.key(row)
            expected = recorded.get(key)
            if expected is None and not sealed.applies(row):
                continue
            seen.add(key)
            row_id = sealed.row_id(row)
            own = row_mac(keyring, sealed.table, row)
            if expected is None or expected == DELETED:
                problems.append(
                    RowProblem(
                        name,
                        row_id,
                        "inserted",
                        f"{name} {row_id} was written outside the "
                        "application (the audit chain never recorded it)",
                    )
                )
            elif row["mac"] != own or own != expected:
                problems.append(
                    RowProblem(
                        name,
                        row_id,
                        "edited",
                        f"{name} {row_id} was changed outside the "
                        "application (it does not match its MAC and the audit chain)",
                    )
                )
    for key, mac in recorded.items():
        if mac != DELETED and key not in seen:
            name, row_id = key.split("/", 1)
            problems.append(
                RowProblem(
                    name,
                    row_id,
                    "deleted",
                    f"{name} {row_id} was deleted outside the "
                    "application (the audit chain records it)",
                )
            )
    return problems


def recorded_rows(entries: Iterable[Mapping[str, str] | None]) -> dict[str, str]:
    """The latest MAC the chain records for each row, from its entries in order."""
    latest: dict[str, str] = {}
    for rows in entries:
        if rows:
            latest.update(rows)
    return latest


def seal_rows_from_before(conn: Connection, keyring: Keyring) -> dict[str, int]:
    """MACs for the rows stored before rows were sealed (revision 0006), noted for the caller's
    audit entry; refused once the chain records any sealed row, so that nothing written later
    outside guardpath can be adopted this way."""
    sealed_already = conn.execute(
        select(audit_log.c.seq).where(audit_log.c.rows.is_not(None)).limit(1)
    ).first()
    if sealed_already is not None:
        raise ValueError(
            "the audit chain already records sealed rows (from entry "
            f"{sealed_already.seq}); rows without a MAC now were written outside guardpath: "
            "`guardpath audit verify` names them"
        )
    done: dict[str, int] = {}
    for sealed in SEALED_TABLES:
        rows = conn.execute(select(sealed.table).where(sealed.table.c.mac.is_(None))).mappings()
        for row in rows.all():
            if not sealed.applies(row):
                continue
            mac = seal_row(conn, keyring, sealed.table, row)
            match = [sealed.table.c[name] == row[name] for name in sealed.identity]
            conn.execute(sealed.table.update().where(*match).values(mac=mac))
            done[sealed.table.name] = done.get(sealed.table.name, 0) + 1
    return done
