"""Duplicate applicants: the people already in the database who may be this one.

Names are sealed, so candidates are found through blocking keys (guardpath.screening.keys)
stored as keyed blind indexes in `screening_keys`, and through the passport index; only those
candidates are opened, in memory, and scored. Nothing is merged: the recruiter gets each
candidate's case with the score and the features that agreed or contradicted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, select

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.repository import passport_index, person_context
from guardpath.adapters.tables import cases, persons, screening_keys
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, Person, Role
from guardpath.cases.transitions import NotPermitted
from guardpath.screening.keys import name_keys
from guardpath.screening.score import Identity, Reason, cannot_reach, compare, profile
from guardpath.services.unit_of_work import UnitOfWork
from guardpath.services.watchlist import configured_watchlist, person_identity

KEY_KIND = "screening"
DUPLICATE_ROLES = frozenset({Role.RECRUITER, Role.VETTING_OFFICER, Role.ADMIN})


@dataclass(frozen=True)
class Candidate:
    case_id: str
    reference: str
    score: float
    reasons: tuple[Reason, ...]


def key_hashes(keyring: Keyring, identity: Identity) -> set[str]:
    names = profile(identity).names
    years = [d[:4] for d in identity.birth_dates]
    return {keyring.blind_index(KEY_KIND, key) for key in name_keys(names, years)}


def store_screening_keys(conn: Connection, keyring: Keyring, person: Person) -> None:
    _store(conn, keyring, person.id, person_identity(person))


def _store(conn: Connection, keyring: Keyring, person_id: str, identity: Identity) -> None:
    """Replace the person's blocking keys."""
    conn.execute(delete(screening_keys).where(screening_keys.c.person_id == person_id))
    hashes = sorted(key_hashes(keyring, identity))
    if hashes:
        conn.execute(
            screening_keys.insert(), [{"person_id": person_id, "key_hash": h} for h in hashes]
        )


def _sharing_a_key(conn: Connection, keyring: Keyring, person: Person) -> set[str]:
    hashes = key_hashes(keyring, person_identity(person))
    by_key = select(screening_keys.c.person_id).where(screening_keys.c.key_hash.in_(hashes))
    by_passport = select(persons.c.id).where(
        persons.c.passport_index == passport_index(keyring, person.passport_number)
    )
    found = set(conn.execute(by_key).scalars()) | set(conn.execute(by_passport).scalars())
    return found - {person.id}


def _opened(conn: Connection, keyring: Keyring, ids: Iterable[str]) -> dict[str, Identity]:
    """The candidates' identities, opened in memory only."""
    opened = {}
    for row in conn.execute(select(persons).where(persons.c.id.in_(list(ids)))):
        sealed = keyring.open_json(row.sealed, person_context(row.id))
        names = (f"{sealed['given_names']} {sealed['surname']}",)
        names += (sealed["native_name"],) if sealed.get("native_name") else ()
        citizenships = tuple(c for c in row.citizenships.split(",") if c)
        born = date.fromisoformat(sealed["birth_date"]).isoformat()
        opened[row.id] = Identity(names, (born,), (sealed["passport_number"],), citizenships)
    return opened


def candidates_for(conn: Connection, keyring: Keyring, person: Person) -> list[Candidate]:
    """The existing cases whose person scores a candidate against `person`, best first."""
    mine = profile(person_identity(person))
    scored = {}
    for person_id, identity in _opened(
        conn, keyring, _sharing_a_key(conn, keyring, person)
    ).items():
        theirs = profile(identity)
        if cannot_reach(mine, theirs):
            continue
        comparison = compare(mine, theirs)
        if comparison.is_candidate:
            scored[person_id] = comparison
    if not scored:
        return []
    rows = conn.execute(
        select(cases.c.id, cases.c.reference, cases.c.person_id).where(
            cases.c.person_id.in_(list(scored))
        )
    )
    found = [
        Candidate(r.id, r.reference, scored[r.person_id].score, scored[r.person_id].reasons)
        for r in rows
    ]
    return sorted(found, key=lambda c: (-c.score, c.reference))


def find_duplicates(ctx: Context, actor: Actor, case_id: str) -> list[Candidate]:
    """The recruiter's list of possible duplicates of a case; each read is in the audit chain."""
    if actor.role not in DUPLICATE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not look for duplicate applicants")
    with UnitOfWork(ctx) as uow:
        case = uow.cases.get(case_id)
        found = [
            c for c in candidates_for(uow.conn, ctx.keyring, case.person) if c.case_id != case.id
        ]
        details = {"candidates": [c.case_id for c in found]}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "find_duplicates", case.id, details
            )
        )
        uow.commit()
    return found


def screen_new_applicant(uow: UnitOfWork, ctx: Context, actor: Actor, case: Case) -> None:
    """At submission: store the person's blocking keys; when there are duplicate candidates or
    a watch-list is loaded, write their counts (only counts) to the audit chain."""
    store_screening_keys(uow.conn, ctx.keyring, case.person)
    duplicates = candidates_for(uow.conn, ctx.keyring, case.person)
    watchlist = configured_watchlist(ctx)
    if not duplicates and watchlist is None:
        return
    matches = None if watchlist is None else len(watchlist.screen(person_identity(case.person)))
    details = {"duplicate_candidates": len(duplicates), "watchlist_matches": matches}
    uow.audit(
        audit.Entry(ctx.clock(), actor.id, actor.role.value, "screen_applicant", case.id, details)
    )


def rebuild_screening_keys(ctx: Context) -> int:
    """Store the keys of every person (after the upgrade to 0004, or a bulk import)."""
    with UnitOfWork(ctx) as uow:
        ids = list(uow.conn.execute(select(persons.c.id)).scalars())
        for person_id, identity in _opened(uow.conn, ctx.keyring, ids).items():
            _store(uow.conn, ctx.keyring, person_id, identity)
        uow.commit()
    return len(ids)
