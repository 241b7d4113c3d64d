"""What the public status page may read of a case: its state and history, never the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import cases
from guardpath.cases.model import State


@dataclass(frozen=True)
class CaseStatus:
    state: State
    submitted_on: date | None
    resume_code_hash: str | None
    steps: tuple[tuple[datetime, State], ...]
    """(when, to which state), in order."""


def status_of(conn: Connection, keyring: Keyring, reference: str) -> CaseStatus | None:
    """The case with `reference`: its state, history and resume code's hash, the person's
    identity left sealed; None if there is no such case."""
    c = cases.c
    row = conn.execute(
        select(c.id, c.state, c.submitted_on, c.resume_code_hash).where(c.reference == reference)
    ).first()
    if row is None:
        return None
    steps = tuple((e.at, e.to_state) for e in CaseRepository(conn, keyring).history(row.id))
    return CaseStatus(State(row.state), row.submitted_on, row.resume_code_hash, steps)


class StatusRepository:
    """What the public status page reads, on one transaction's connection."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def of(self, reference: str) -> CaseStatus | None:
        return status_of(self.conn, self.keyring, reference)
