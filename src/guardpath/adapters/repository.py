"""Cases in and out of the database, sealing and opening personal data on the way."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, select

from guardpath.adapters import case_counts
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.name_tokens import person_names, store_name_tokens
from guardpath.adapters.row_seals import reseal, seal_row
from guardpath.adapters.sealing import (
    HISTORY_SEALED,
    IDENTITY_FACTS,
    PERSON_FIELDS,
    SEALED_FACT,
    _answer_restored,
    answer_at_rest,
    document_context,
    draft_context,
    name_index,
    passport_index,
    person_context,
    person_row,
    reason_context,
    sealed_facts_of,
    sealed_person,
    split_facts,
    totp_context,
)
from guardpath.adapters.submissions import history_row
from guardpath.adapters.tables import (
    case_history,
    cases,
    citizenship_applications,
    contracts,
    persons,
    service_periods,
)
from guardpath.cases.model import (
    Case,
    CitizenshipApplication,
    CitizenshipState,
    Contract,
    HistoryEntry,
    Person,
    Role,
    ServicePeriod,
    State,
)
from guardpath.cases.transitions import Conflict, NotFound

# The sealing helpers lived here first: their names stay importable from here.
__all__ = [
    "HISTORY_SEALED",
    "IDENTITY_FACTS",
    "LAST_HISTORY_SEQ",
    "PERSON_FIELDS",
    "SAVE_CASE",
    "SEALED_FACT",
    "CaseRepository",
    "answer_at_rest",
    "document_context",
    "draft_context",
    "name_index",
    "passport_index",
    "person_context",
    "person_row",
    "reason_context",
    "sealed_facts_of",
    "sealed_person",
    "split_facts",
    "totp_context",
]

SAVE_CASE = (
    cases.update()
    .where(cases.c.id == bindparam("case_id"), cases.c.version == bindparam("expected_version"))
    .values(
        state=bindparam("new_state"),
        facts=bindparam("new_facts"),
        version=bindparam("new_version"),
        updated_at=bindparam("new_updated_at"),
        submitted_on=bindparam("new_submitted_on"),
        mac=bindparam("new_mac"),
    )
)
"""Built once, like every statement written per case: building one costs more than running it."""
LAST_HISTORY_SEQ = select(func.max(case_history.c.seq)).where(
    case_history.c.case_id == bindparam("case_id")
)


class CaseRepository:
    """One connection, inside one transaction opened by the unit of work."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    # -- people ------------------------------------------------------------------------
    def add_person(self, person: Person, at: datetime, facts: dict[str, Any] | None = None) -> None:
        self._insert(persons, person_row(self.keyring, person, at, facts))
        names = person_names(person.given_names, person.surname, person.native_name)
        store_name_tokens(self.conn, self.keyring, person.id, names)

    def _insert(self, table: Table, row: dict[str, Any]) -> None:
        """Insert one sealed row with its MAC, noted for the transaction's audit entry."""
        self.conn.execute(
            table.insert(), {**row, "mac": seal_row(self.conn, self.keyring, table, row)}
        )

    def _person(self, row: Any) -> Person:
        identity = self.keyring.open_json(row.sealed, person_context(row.id))
        return Person(
            id=row.id,
            given_names=identity["given_names"],
            surname=identity["surname"],
            native_name=identity.get("native_name"),
            birth_date=date.fromisoformat(identity["birth_date"]),
            sex=row.sex,
            citizenships=tuple(c for c in row.citizenships.split(",") if c),
            passport_number=identity["passport_number"],
            email=identity.get("email"),
            phone=identity.get("phone"),
            address=identity.get("address"),
        )

    def person_ids_by_passport(self, number: str) -> list[str]:
        found = self.conn.execute(
            select(persons.c.id).where(
                persons.c.passport_index == passport_index(self.keyring, number)
            )
        )
        return [row.id for row in found]

    def person_ids_by_name(self, name: str, birth_date: date) -> list[str]:
        found = self.conn.execute(
            select(persons.c.id).where(
                persons.c.name_index == name_index(self.keyring, name, birth_date)
            )
        )
        return [row.id for row in found]

    # -- cases -------------------------------------------------------------------------
    def add(self, case: Case, at: datetime, resume_code_hash: str | None = None) -> None:
        clear, sealed = split_facts(case.facts)
        self.add_person(case.person, at, sealed)
        self._insert(
            cases,
            {
                "id": case.id,
                "reference": case.reference,
                "person_id": case.person.id,
                "formation": case.formation,
                "state": case.state.value,
                "facts": clear,
                "version": case.version,
                "created_at": at,
                "updated_at": at,
                "submitted_on": case.submitted_on,
                "resume_code_hash": resume_code_hash,
            },
        )
        case_counts.count_added(self.conn, [case_counts.of_case(case)])

    def get(self, case_id: str) -> Case:
        row = self.conn.execute(select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            raise NotFound(f"no case {case_id}")
        return self._case(row)

    def get_by_reference(self, reference: str) -> Case:
        row = self.conn.execute(select(cases).where(cases.c.reference == reference)).first()
        if row is None:
            raise NotFound(f"no case with reference {reference}")
        return self._case(row)

    def all_case_ids(self) -> list[str]:
        """Every case, in a stable order (for aggregate impact; nothing is shown per case)."""
        return [row.id for row in self.conn.execute(select(cases.c.id).order_by(cases.c.id))]

    def case_ids_of_person(self, person_id: str) -> list[str]:
        rows = self.conn.execute(select(cases.c.id).where(cases.c.person_id == person_id))
        return [row.id for row in rows]

    def _case(self, row: Any) -> Case:
        person_row = self.conn.execute(select(persons).where(persons.c.id == row.person_id)).one()
        case = Case(
            id=row.id,
            reference=row.reference,
            person=self._person(person_row),
            formation=row.formation,
            state=State(row.state),
            facts={**dict(row.facts), **self._sealed_facts(person_row)},
            version=row.version,
            created_at=row.created_at,
            submitted_on=row.submitted_on,
        )
        case.contract = self._contract(row.id)
        case.service_periods = [
            ServicePeriod(p.formation, p.basis, p.start, p.end)
            for p in self.conn.execute(
                select(service_periods)
                .where(service_periods.c.case_id == row.id)
                .order_by(service_periods.c.start)
            )
        ]
        case.citizenship = self._citizenship(row.id)
        case.history = self.history(row.id)
        return case

    def _sealed_facts(self, person_row: Any) -> dict[str, Any]:
        identity = self.keyring.open_json(person_row.sealed, person_context(person_row.id))
        return dict(identity.get("case_facts") or {})

    def _contract(self, case_id: str) -> Contract | None:
        row = self.conn.execute(select(contracts).where(contracts.c.case_id == case_id)).first()
        if row is None:
            return None
        return Contract(
            row.signed_on,
            row.rank_group,
            row.years,
            row.probation_months,
            row.ends_on,
            row.probation_ends_on,
            row.law_version,
        )

    def _citizenship(self, case_id: str) -> CitizenshipApplication | None:
        table = citizenship_applications
        row = self.conn.execute(select(table).where(table.c.case_id == case_id)).first()
        if row is None:
            return None
        return CitizenshipApplication(
            CitizenshipState(row.state),
            row.route,
            row.prepared_on,
            row.earliest_date,
            tuple(row.obligations),
            row.law_version,
            row.decided_on,
        )

    def history(self, case_id: str) -> list[HistoryEntry]:
        rows = self.conn.execute(
            select(case_history)
            .where(case_history.c.case_id == case_id)
            .order_by(case_history.c.seq)
        )
        return [
            HistoryEntry(
                seq=r.seq,
                action=r.action,
                from_state=State(r.from_state) if r.from_state else None,
                to_state=State(r.to_state),
                actor_id=r.actor_id,
                role=Role(r.role),
                at=r.at,
                reason=opened[0],
                answer=_answer_restored(r.answer, opened[1]),
                law_version=r.law_version,
            )
            for r in rows
            for opened in [self._history_sealed(case_id, r)]
        ]

    def _history_sealed(self, case_id: str, row: Any) -> tuple[str | None, dict[str, Any]]:
        """The entry's reason and its answer's sealed facts."""
        if not row.reason_sealed:
            return None, {}
        plain = self.keyring.open(row.reason_sealed, reason_context(case_id, row.seq))
        if not plain.startswith(HISTORY_SEALED):
            return plain.decode(), {}
        held = json.loads(plain[len(HISTORY_SEALED) :])
        return held.get("reason"), dict(held.get("facts") or {})

    def save(self, case: Case, expected_version: int, at: datetime) -> None:
        """Write the case's state and facts if no one else has since `expected_version`."""
        before = case_counts.stored(self.conn, case, expected_version)
        clear, hidden = split_facts(case.facts)
        sealed = {
            "id": case.id,
            "reference": case.reference,
            "person_id": case.person.id,
            "formation": case.formation,
            "state": case.state.value,
            "facts": clear,
            "version": expected_version + 1,
            "submitted_on": case.submitted_on,
        }
        result = self.conn.execute(
            SAVE_CASE,
            {
                "case_id": case.id,
                "expected_version": expected_version,
                "new_state": case.state.value,
                "new_facts": clear,
                "new_version": expected_version + 1,
                "new_updated_at": at,
                "new_submitted_on": case.submitted_on,
                "new_mac": seal_row(self.conn, self.keyring, cases, sealed),
            },
        )
        if before is None or result.rowcount != 1:
            raise Conflict(
                f"case {case.reference} was changed by someone else; reload it and try again"
            )
        self.conn.execute(
            persons.update()
            .where(persons.c.id == case.person.id)
            .values(
                sealed=sealed_person(self.keyring, case.person, hidden),
                key_id=self.keyring.active_id,
            )
        )
        case_counts.count_changed(self.conn, before, case_counts.of_case(case))
        case.version = expected_version + 1

    def save_contract(self, case_id: str, contract: Contract) -> None:
        self._insert(
            contracts,
            {
                "case_id": case_id,
                "signed_on": contract.signed_on,
                "rank_group": contract.rank_group,
                "years": contract.years,
                "probation_months": contract.probation_months,
                "ends_on": contract.ends_on,
                "probation_ends_on": contract.probation_ends_on,
                "law_version": contract.law_version,
            },
        )

    def add_service_period(self, case_id: str, period: ServicePeriod) -> None:
        self._insert(
            service_periods,
            {
                "case_id": case_id,
                "formation": period.formation,
                "basis": period.basis,
                "start": period.start,
                "end": period.end,
            },
        )

    def end_service_period(self, case_id: str, end: date) -> None:
        open_period = (service_periods.c.case_id == case_id) & service_periods.c.end.is_(None)
        reseal(self.conn, self.keyring, service_periods, open_period, {"end": end})

    def save_citizenship(self, case_id: str, application: CitizenshipApplication) -> None:
        table = citizenship_applications
        values = {
            "state": application.state.value,
            "route": application.route,
            "prepared_on": application.prepared_on,
            "earliest_date": application.earliest_date,
            "obligations": list(application.obligations),
            "law_version": application.law_version,
            "decided_on": application.decided_on,
        }
        exists = self.conn.execute(select(table.c.case_id).where(table.c.case_id == case_id))
        if exists.first() is None:
            self._insert(table, {"case_id": case_id, **values})
        else:
            reseal(self.conn, self.keyring, table, table.c.case_id == case_id, values)

    def append_history(self, case_id: str, entry: HistoryEntry) -> None:
        self._insert(case_history, history_row(self.keyring, case_id, entry))

    def next_history_seq(self, case_id: str) -> int:
        last = self.conn.execute(LAST_HISTORY_SEQ, {"case_id": case_id}).scalar()
        return 1 if last is None else int(last) + 1
