"""Rosters in bulk: thousands of serving members written with executemany, and read back for an
export. The rows are the ones the case repository writes one by one: the person through the
one sealing path (adapters/sealing.py), each row with its MAC, each member with its audit entry."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from guardpath.adapters import audit, case_counts, row_seals
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.name_tokens import person_names, token_rows
from guardpath.adapters.row_seals import row_mac
from guardpath.adapters.sealing import person_context, person_row
from guardpath.adapters.tables import (
    case_history,
    cases,
    contracts,
    name_tokens,
    persons,
    service_periods,
)
from guardpath.cases.model import Actor, Person, State

_T = TypeVar("_T")
IN_CLAUSE = 500
"""Values per IN (...) list: well under every database's limit on bound parameters."""


@dataclass(frozen=True)
class NewMember:
    """A serving member to write: who, and the contract and service the roster gives."""

    case_id: str
    reference: str
    person: Person
    passport_index: str
    formation: str
    state: State
    facts: dict[str, Any]
    rank_group: str
    contract_start: date
    contract_years: int
    contract_ends: date
    probation_months: int
    probation_ends: date
    service_start: date
    service_end: date | None


@dataclass
class MemberRows:
    """The rows of many members, written at once by `RosterRepository.write`."""

    persons: list[dict[str, Any]] = field(default_factory=list)
    name_tokens: list[dict[str, str]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    audit: list[audit.Entry] = field(default_factory=list)


def chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RosterRepository:
    """Rosters on one connection, inside the unit of work's transaction."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def known_passports(self, indexes: list[str]) -> set[str]:
        """Which of these passport indexes a person here already has."""
        found: set[str] = set()
        for chunk in chunks(indexes, IN_CLAUSE):
            query = select(persons.c.passport_index).where(persons.c.passport_index.in_(chunk))
            found |= set(self.conn.execute(query).scalars())
        return found

    def add(
        self, rows: MemberRows, member: NewMember, actor: Actor, at: datetime, law_version: str
    ) -> None:
        """Add `member`'s rows, sealed and MAC'd, and its audit entry "imported", to `rows`."""
        rows.persons.append(
            person_row(self.keyring, member.person, at, None, member.passport_index)
        )
        person = member.person
        names = person_names(person.given_names, person.surname, person.native_name)
        rows.name_tokens += token_rows(self.keyring, person.id, names)
        rows.cases.append(
            {
                "id": member.case_id,
                "reference": member.reference,
                "person_id": member.person.id,
                "formation": member.formation,
                "state": member.state.value,
                "facts": member.facts,
                "version": 1,
                "created_at": at,
                "updated_at": at,
                "submitted_on": None,
                "resume_code_hash": None,
            }
        )
        rows.contracts.append(
            {
                "case_id": member.case_id,
                "signed_on": member.contract_start,
                "rank_group": member.rank_group,
                "years": member.contract_years,
                "probation_months": member.probation_months,
                "ends_on": member.contract_ends,
                "probation_ends_on": member.probation_ends,
                "law_version": law_version,
            }
        )
        rows.periods.append(
            {
                "case_id": member.case_id,
                "formation": member.formation,
                "basis": "contract",
                "start": member.service_start,
                "end": member.service_end,
            }
        )
        rows.history.append(
            {
                "case_id": member.case_id,
                "seq": 1,
                "action": "imported",
                "from_state": None,
                "to_state": member.state.value,
                "actor_id": actor.id,
                "role": actor.role.value,
                "at": at,
                "reason_sealed": None,
                "key_id": None,
                "answer": None,
                "law_version": None,
            }
        )
        sealed = {}
        for table, written in self._tables(rows):
            row = written[-1]
            row["mac"] = row_mac(self.keyring, table, row)
            sealed[row_seals.BY_TABLE[table.name].key(row)] = row["mac"]
        details = {"to": member.state.value, "source": "roster"}
        rows.audit.append(
            audit.Entry(at, actor.id, actor.role.value, "imported", member.case_id, details, sealed)
        )

    @staticmethod
    def _tables(rows: MemberRows) -> tuple[tuple[Any, list[dict[str, Any]]], ...]:
        return (
            (persons, rows.persons),
            (cases, rows.cases),
            (contracts, rows.contracts),
            (service_periods, rows.periods),
            (case_history, rows.history),
        )

    def write(self, rows: MemberRows) -> None:
        """Write the members gathered in `rows`, the case counters and the audit entries."""
        for table, written in self._tables(rows):
            if written:
                self.conn.execute(table.insert(), written)
        if rows.name_tokens:  # blind indexes of the persons' names: no row MAC of their own
            self.conn.execute(name_tokens.insert(), rows.name_tokens)
        case_counts.count_added(self.conn, case_counts.from_rows(rows.cases, rows.persons))
        audit.append_many(self.conn, self.keyring, rows.audit)

    def members(self, states: Sequence[State]) -> list[dict[str, Any]]:
        """Every member in `states` with a contract and service, as roster rows with their
        identities opened (in memory only), sorted by surname and given names."""
        query = (
            select(cases, contracts.c.signed_on, contracts.c.years, contracts.c.rank_group)
            .join(contracts, contracts.c.case_id == cases.c.id)
            .where(cases.c.state.in_([s.value for s in states]))
        )
        found = {row.id: row for row in self.conn.execute(query)}
        spans: dict[str, tuple[date, date | None]] = {}
        for period in self.conn.execute(select(service_periods).order_by(service_periods.c.start)):
            if period.case_id in found:
                first = spans.get(period.case_id, (period.start, None))[0]
                spans[period.case_id] = (first, period.end)
        people = {
            row.id: row
            for chunk in chunks([r.person_id for r in found.values()], IN_CLAUSE)
            for row in self.conn.execute(select(persons).where(persons.c.id.in_(chunk)))
        }
        rows = []
        for case_id, case in found.items():
            if case_id not in spans:
                continue  # a contract without service yet is not on a roster
            person = people[case.person_id]
            identity = self.keyring.open_json(person.sealed, person_context(person.id))
            start, end = spans[case_id]
            award = case.facts.get("state_award")
            rows.append(
                {
                    "given_names": identity["given_names"],
                    "surname": identity["surname"],
                    "native_name": identity.get("native_name"),
                    "birth_date": date.fromisoformat(identity["birth_date"]),
                    "sex": person.sex,
                    "citizenships": ";".join(c for c in person.citizenships.split(",") if c),
                    "passport_number": identity["passport_number"],
                    "formation": case.formation,
                    "rank_group": case.rank_group,
                    "contract_start": case.signed_on,
                    "contract_years": case.years,
                    "service_start": start,
                    "service_end": end,
                    "state_award": award if isinstance(award, bool) else None,
                }
            )
        return sorted(rows, key=lambda r: (r["surname"].casefold(), r["given_names"].casefold()))
