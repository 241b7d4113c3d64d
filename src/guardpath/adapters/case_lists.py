"""Cases as the console lists them, and a case at a glance: nothing that names the person, so
reading them is not a read of a person's record."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, select

from guardpath.adapters.tables import cases, citizenship_applications, persons
from guardpath.cases.model import CitizenshipState, State


@dataclass(frozen=True)
class CaseRow:
    """A case in a list: nothing that names the person."""

    id: str
    reference: str
    state: State
    formation: str
    citizenships: tuple[str, ...]
    submitted_on: date | None
    updated_at: datetime


@dataclass(frozen=True)
class Glance:
    """A case's reference, stage and version, read without opening anything."""

    reference: str
    state: State
    version: int
    citizenship: CitizenshipState | None


def _rows_query() -> Select[Any]:
    return select(
        cases.c.id,
        cases.c.reference,
        cases.c.state,
        cases.c.formation,
        persons.c.citizenships,
        cases.c.submitted_on,
        cases.c.updated_at,
    ).join(persons, persons.c.id == cases.c.person_id)


def _row(r: Any) -> CaseRow:
    codes = tuple(c for c in r.citizenships.split(",") if c)
    return CaseRow(
        r.id, r.reference, State(r.state), r.formation, codes, r.submitted_on, r.updated_at
    )


class CaseLists:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def waiting(
        self,
        states: Collection[State],
        citizenship: Collection[CitizenshipState] = (),
        limit: int = 100,
    ) -> tuple[int, list[CaseRow]]:
        """How many cases are in `states` (with a citizenship application in `citizenship`, if
        given), and the first `limit` of them, longest waiting first."""
        where: ColumnElement[bool] = cases.c.state.in_([s.value for s in states])
        query = _rows_query()
        if citizenship:
            table = citizenship_applications
            query = query.join(table, table.c.case_id == cases.c.id)
            where = and_(where, table.c.state.in_([s.value for s in citizenship]))
        total = self.conn.execute(
            select(func.count()).select_from(query.where(where).subquery())
        ).scalar_one()
        found = self.conn.execute(query.where(where).order_by(cases.c.updated_at).limit(limit))
        return int(total), [_row(r) for r in found]

    def of_people(self, person_ids: Collection[str], states: Collection[State]) -> list[CaseRow]:
        """The cases of these people in these states, the latest changed first."""
        query = _rows_query().where(
            cases.c.person_id.in_(person_ids), cases.c.state.in_([s.value for s in states])
        )
        return [_row(r) for r in self.conn.execute(query.order_by(cases.c.updated_at.desc()))]

    def glance(self, case_id: str) -> Glance | None:
        table = citizenship_applications
        query = (
            select(
                cases.c.reference,
                cases.c.state,
                cases.c.version,
                table.c.state.label("citizenship"),
            )
            .outerjoin(table, table.c.case_id == cases.c.id)
            .where(cases.c.id == case_id)
        )
        row = self.conn.execute(query).first()
        if row is None:
            return None
        citizenship = CitizenshipState(row.citizenship) if row.citizenship else None
        return Glance(str(row.reference), State(row.state), int(row.version), citizenship)
