"""Finding cases from the console: the queues of a role, and a search by name or passport.

Names are looked up through keyed blind indexes of each name part (`guardpath.adapters.
name_tokens`), folded across scripts and spellings by the screening package, so part of a name
in Latin or Cyrillic finds the person ("Журавльов" finds "Maksym Zhuravlov"), in any order and
without the birth date; a birth date, when given, narrows the candidates, checked in memory.
Passport numbers ignore spaces, dashes and case, and Cyrillic letters that look like Latin ones.
Results list only cases the searcher's role may open; every search is in the audit chain, with
how it searched and how much it found, never what it searched for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, select

from guardpath.adapters import audit
from guardpath.adapters.name_tokens import (
    missing_people,
    person_ids_with_parts,
    query_parts,
    rebuild_rows,
)
from guardpath.adapters.repository import person_context
from guardpath.adapters.tables import cases, citizenship_applications, name_tokens, persons
from guardpath.bootstrap import Context, UnitOfWork
from guardpath.cases.model import Actor, Role, State
from guardpath.cases.transitions import NotPermitted
from guardpath.services.casework import QUEUES, Queue, visible_states
from guardpath.services.staff import CASE_ROLES

QUEUE_LIMIT = 100


_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")


def passport_forms(number: str) -> list[str]:
    """A passport number as typed, and with Cyrillic look-alike letters in Latin."""
    upper = number.strip().upper()
    return list(dict.fromkeys(f for f in (upper, upper.translate(_LOOKALIKES)) if f))


# -- listing cases ---------------------------------------------------------------------------
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


@dataclass(frozen=True)
class QueueList:
    queue: Queue
    total: int
    rows: list[CaseRow]


def _queue_list(conn: Connection, queue: Queue) -> QueueList:
    where: ColumnElement[bool] = cases.c.state.in_([s.value for s in queue.states])
    query = _rows_query()
    if queue.citizenship:
        table = citizenship_applications
        query = query.join(table, table.c.case_id == cases.c.id)
        where = and_(where, table.c.state.in_([s.value for s in queue.citizenship]))
    total = conn.execute(
        select(func.count()).select_from(query.where(where).subquery())
    ).scalar_one()
    found = conn.execute(query.where(where).order_by(cases.c.updated_at).limit(QUEUE_LIMIT))
    return QueueList(queue, total, [_row(r) for r in found])


def list_queues(ctx: Context, actor: Actor) -> list[QueueList]:
    """The role's queues, longest waiting first. The lists name no one, so reading them
    is not a read of a person's record."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} has no queues of cases")
    with ctx.engine.connect() as conn:
        return [_queue_list(conn, queue) for queue in QUEUES.get(actor.role, ())]


# -- searching -------------------------------------------------------------------------------
Lookup = Callable[[UnitOfWork, str], list[str]]


@dataclass(frozen=True)
class Found:
    rows: list[CaseRow]
    forms_tried: int
    candidates: int = 0
    """People matched before the role's view is applied."""


def _visible(conn: Connection, role: Role, person_ids: set[str]) -> list[CaseRow]:
    states = [s.value for s in visible_states(role)]
    query = _rows_query().where(cases.c.person_id.in_(person_ids), cases.c.state.in_(states))
    return [_row(r) for r in conn.execute(query.order_by(cases.c.updated_at.desc()))]


class NameTooShort(ValueError):
    """A name search with no part of two letters or more."""


def _born_on(uow: UnitOfWork, person_ids: set[str], birth_date: date) -> set[str]:
    """The candidates born on that day, their sealed records opened in memory only."""
    rows = uow.conn.execute(
        select(persons.c.id, persons.c.sealed).where(persons.c.id.in_(person_ids))
    )
    keyring = uow.ctx.keyring
    return {
        row.id
        for row in rows
        if keyring.open_json(row.sealed, person_context(row.id))["birth_date"]
        == birth_date.isoformat()
    }


def find_by_name(ctx: Context, actor: Actor, name: str, birth_date: date | None = None) -> Found:
    """Cases of people with every searched word among the parts of their names (either script,
    any order, any common spelling); with a birth date, only those born that day."""
    parts = query_parts(ctx.keyring, name)
    if not parts:
        raise NameTooShort("name: give at least one part of the name, two letters or more")

    def lookup(uow: UnitOfWork, _form: str) -> list[str]:
        found = person_ids_with_parts(uow.conn, parts)
        if birth_date is not None and found:
            found = _born_on(uow, found, birth_date)
        return sorted(found)

    return _search(ctx, actor, "name", lookup, ["tokens"])


def find_by_passport(ctx: Context, actor: Actor, number: str) -> Found:
    forms = passport_forms(number)
    return _search(
        ctx, actor, "passport", lambda uow, f: uow.cases.person_ids_by_passport(f), forms
    )


def _search(ctx: Context, actor: Actor, by: str, lookup: Lookup, forms: list[str]) -> Found:
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not search for people")
    with UnitOfWork(ctx) as uow:
        person_ids = {pid for form in forms for pid in lookup(uow, form)}
        rows = _visible(uow.conn, actor.role, person_ids) if person_ids else []
        details = {"by": by, "found": len(rows)}
        uow.audit(
            audit.Entry(ctx.clock(), actor.id, actor.role.value, "search_person", "search", details)
        )
        uow.commit()
    return Found(rows, len(forms), len(person_ids))


# -- the name tokens of the people already stored -------------------------------------------
INDEX_CHUNK = 2_000


def index_names(ctx: Context, everyone: bool = False) -> int:
    """Write the name tokens of the people who have none (after the upgrade to 0009, or a bulk
    import), or of everyone anew; returns how many people were indexed."""
    done = 0
    with UnitOfWork(ctx) as uow:
        if everyone:
            uow.conn.execute(name_tokens.delete())
        tokened = select(name_tokens.c.person_id).distinct()
        untokened = select(persons.c.id).where(persons.c.id.not_in(tokened))
        ids = list(uow.conn.execute(untokened).scalars())
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = ids[start : start + INDEX_CHUNK]
            rows = uow.conn.execute(
                select(persons.c.id, persons.c.sealed).where(persons.c.id.in_(chunk))
            )
            people = [(r.id, ctx.keyring.open_json(r.sealed, person_context(r.id))) for r in rows]
            tokens = rebuild_rows(ctx.keyring, people)
            if tokens:
                uow.conn.execute(name_tokens.insert(), tokens)
            done += len(people)
        uow.commit()
    return done


def people_without_name_tokens(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return missing_people(conn)
