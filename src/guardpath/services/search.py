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
from datetime import date

from guardpath.adapters import audit
from guardpath.adapters.case_lists import CaseRow as CaseRow
from guardpath.adapters.name_tokens import query_parts
from guardpath.cases.model import Actor
from guardpath.cases.transitions import NotPermitted
from guardpath.services.casework import QUEUES, Queue, visible_states
from guardpath.services.ports import Ports
from guardpath.services.staff import CASE_ROLES
from guardpath.services.unit_of_work import Work

QUEUE_LIMIT = 100


_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")


def passport_forms(number: str) -> list[str]:
    """A passport number as typed, and with Cyrillic look-alike letters in Latin."""
    upper = number.strip().upper()
    return list(dict.fromkeys(f for f in (upper, upper.translate(_LOOKALIKES)) if f))


# -- listing cases ---------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueList:
    queue: Queue
    total: int
    rows: list[CaseRow]


def list_queues(ctx: Ports, actor: Actor) -> list[QueueList]:
    """The role's queues, longest waiting first. The lists name no one, so reading them
    is not a read of a person's record."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} has no queues of cases")
    lists = []
    with ctx.reading() as uow:
        for queue in QUEUES.get(actor.role, ()):
            total, rows = uow.case_lists.waiting(queue.states, queue.citizenship, QUEUE_LIMIT)
            lists.append(QueueList(queue, total, rows))
    return lists


# -- searching -------------------------------------------------------------------------------
Lookup = Callable[[Work, str], list[str]]


@dataclass(frozen=True)
class Found:
    rows: list[CaseRow]
    forms_tried: int
    candidates: int = 0
    """People matched before the role's view is applied."""


class NameTooShort(ValueError):
    """A name search with no part of two letters or more."""


def find_by_name(ctx: Ports, actor: Actor, name: str, birth_date: date | None = None) -> Found:
    """Cases of people with every searched word among the parts of their names (either script,
    any order, any common spelling); with a birth date, only those born that day."""
    parts = query_parts(ctx.keyring, name)
    if not parts:
        raise NameTooShort("name: give at least one part of the name, two letters or more")

    def lookup(uow: Work, _form: str) -> list[str]:
        found = uow.person_search.with_name_parts(parts)
        if birth_date is not None and found:
            found = uow.person_search.born_on(found, birth_date)
        return sorted(found)

    return _search(ctx, actor, "name", lookup, ["tokens"])


def find_by_passport(ctx: Ports, actor: Actor, number: str) -> Found:
    forms = passport_forms(number)
    return _search(
        ctx, actor, "passport", lambda uow, f: uow.cases.person_ids_by_passport(f), forms
    )


def _search(ctx: Ports, actor: Actor, by: str, lookup: Lookup, forms: list[str]) -> Found:
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not search for people")
    with ctx.unit_of_work() as uow:
        person_ids = {pid for form in forms for pid in lookup(uow, form)}
        states = visible_states(actor.role)
        rows = uow.case_lists.of_people(person_ids, states) if person_ids else []
        details = {"by": by, "found": len(rows)}
        uow.audit(
            audit.Entry(ctx.clock(), actor.id, actor.role.value, "search_person", "search", details)
        )
        uow.commit()
    return Found(rows, len(forms), len(person_ids))


# -- the name tokens of the people already stored -------------------------------------------
def index_names(ctx: Ports, everyone: bool = False) -> int:
    """Write the name tokens of the people who have none (after the upgrade to 0009, or a bulk
    import), or of everyone anew; returns how many people were indexed."""
    with ctx.unit_of_work() as uow:
        done = uow.person_search.index_names(everyone)
        uow.commit()
    return done


def people_without_name_tokens(ctx: Ports) -> int:
    with ctx.reading() as uow:
        return uow.person_search.without_name_tokens()
