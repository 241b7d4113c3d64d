"""A new application's rows: sealed and MACed before its transaction (`seal_submission`, which
needs the keys but no connection), then written in it with one statement per table
(`SubmissionRepository.add`), so the transaction holds its locks for the writes alone.

The rows are those the repository writes for a case step by step (`CaseRepository.add` and
`append_history`): the person sealed with the case's sensitive facts, the name tokens, the
screening keys, the case, its history and its counters; the MACs of the sealed rows go to the
transaction's next audit entry, as `row_seals.seal_row` notes them."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from guardpath.adapters import case_counts, row_seals
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.name_tokens import person_names, token_rows
from guardpath.adapters.sealing import (
    HISTORY_SEALED,
    answer_at_rest,
    person_row,
    reason_context,
    sealed_facts_of,
    split_facts,
)
from guardpath.adapters.tables import case_history, cases, name_tokens, persons, screening_keys
from guardpath.cases.model import Case, HistoryEntry


def history_row(keyring: Keyring, case_id: str, entry: HistoryEntry) -> dict[str, Any]:
    """The `case_history` row of `entry` (without its MAC): the reason and the answer's
    sensitive facts sealed together, the rest in clear."""
    facts = sealed_facts_of(entry.answer)
    sealed = None
    if entry.reason or facts:
        held = HISTORY_SEALED + json.dumps({"reason": entry.reason, "facts": facts}).encode()
        sealed = keyring.seal(held, reason_context(case_id, entry.seq))
    return {
        "case_id": case_id,
        "seq": entry.seq,
        "action": entry.action,
        "from_state": entry.from_state.value if entry.from_state else None,
        "to_state": entry.to_state.value,
        "actor_id": entry.actor_id,
        "role": entry.role.value,
        "at": entry.at,
        "reason_sealed": sealed,
        "key_id": keyring.active_id if sealed else None,
        "answer": answer_at_rest(entry.answer),
        "law_version": entry.law_version,
    }


@dataclass(frozen=True)
class SealedSubmission:
    """A new case's rows, sealed, with the MACs of those the audit chain records."""

    case: Case
    person: dict[str, Any]
    tokens: list[dict[str, str]]
    keys: list[dict[str, str]]
    case_row: dict[str, Any]
    history: list[dict[str, Any]]
    macs: dict[str, str]
    """By `table/id`, as `row_seals` names rows."""


def seal_submission(
    keyring: Keyring,
    case: Case,
    at: datetime,
    resume_code_hash: str,
    screening_keys_: Collection[str],
) -> SealedSubmission:
    """The rows of `case` (with its history so far) as `SubmissionRepository.add` writes them."""
    clear, hidden = split_facts(case.facts)
    person = case.person
    macs: dict[str, str] = {}

    def sealed(table: Any, row: dict[str, Any]) -> dict[str, Any]:
        mac = row_seals.row_mac(keyring, table, row)
        macs[row_seals.BY_TABLE[table.name].key(row)] = mac
        return {**row, "mac": mac}

    person_values = sealed(persons, person_row(keyring, person, at, hidden))
    names = person_names(person.given_names, person.surname, person.native_name)
    case_values = {
        "id": case.id,
        "reference": case.reference,
        "person_id": person.id,
        "formation": case.formation,
        "state": case.state.value,
        "facts": clear,
        "version": case.version,
        "created_at": at,
        "updated_at": at,
        "submitted_on": case.submitted_on,
        "resume_code_hash": resume_code_hash,
    }
    return SealedSubmission(
        case,
        person_values,
        token_rows(keyring, person.id, names),
        [{"person_id": person.id, "key_hash": h} for h in sorted(screening_keys_)],
        sealed(cases, case_values),
        [sealed(case_history, history_row(keyring, case.id, e)) for e in case.history],
        macs,
    )


class SubmissionRepository:
    """New cases on one connection, inside the unit of work's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, submission: SealedSubmission) -> None:
        """Write the rows; the counters last, since on PostgreSQL they take the audit chain's
        lock, which is then held only until the commit."""
        execute = self.conn.execute
        execute(persons.insert(), submission.person)
        if submission.tokens:
            execute(name_tokens.insert(), submission.tokens)
        if submission.keys:
            execute(screening_keys.insert(), submission.keys)
        execute(cases.insert(), submission.case_row)
        if submission.history:
            execute(case_history.insert(), submission.history)
        row_seals.note_sealed(self.conn, submission.macs)
        case_counts.count_added(self.conn, [case_counts.of_case(submission.case)])
