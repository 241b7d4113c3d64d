"""Duplicate applicants: the people already in the database who may be this one.

Names are sealed, so candidates are found through blocking keys (guardpath.screening.keys)
stored as keyed blind indexes in `screening_keys`, and through the passport index; only those
candidates are opened, in memory, and scored. Nothing is merged: the recruiter gets each
candidate's case with the score and the features that agreed or contradicted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, select

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.repository import passport_index, person_context
from guardpath.adapters.tables import cases, persons, screening_keys, screening_reviews
from guardpath.bootstrap import Context, UnitOfWork
from guardpath.cases.model import Actor, Case, Person, Role
from guardpath.cases.transitions import NotPermitted
from guardpath.screening.keys import name_keys
from guardpath.screening.score import (
    REVIEW,
    Decision,
    Identity,
    Profile,
    Reason,
    candidate,
    profile,
    reachable_births,
)
from guardpath.services.watchlist import configured_watchlist, person_identity

KEY_KIND = "screening"
DUPLICATE_ROLES = frozenset({Role.RECRUITER, Role.VETTING_OFFICER, Role.ADMIN})
REBUILD_CHUNK = 10_000
"""People whose keys are written per statement when rebuilding them all."""


@dataclass(frozen=True)
class Candidate:
    case_id: str
    reference: str
    score: float
    reasons: tuple[Reason, ...]
    decision: str = "match"
    """match or review (a person decides), `guardpath.screening.score.decide`."""
    why: tuple[str, ...] = ()


def key_hashes(keyring: Keyring, person: Profile) -> set[str]:
    """A person's blocking keys as blind indexes; token keys by the full birth date
    (`guardpath.screening.keys`), so no block grows with the register."""
    dates = person.identity.birth_dates
    return {keyring.blind_index(KEY_KIND, key) for key in name_keys(person.names, dates)}


def store_screening_keys(conn: Connection, keyring: Keyring, person: Person) -> None:
    _store(conn, keyring, person.id, person_identity(person))


def _store(conn: Connection, keyring: Keyring, person_id: str, identity: Identity) -> None:
    """Replace the person's blocking keys."""
    conn.execute(delete(screening_keys).where(screening_keys.c.person_id == person_id))
    hashes = sorted(key_hashes(keyring, profile(identity)))
    if hashes:
        conn.execute(
            screening_keys.insert(), [{"person_id": person_id, "key_hash": h} for h in hashes]
        )


def _sharing_a_key(conn: Connection, keyring: Keyring, person: Person) -> set[str]:
    hashes = key_hashes(keyring, profile(person_identity(person)))
    by_key = select(screening_keys.c.person_id).where(screening_keys.c.key_hash.in_(hashes))
    by_passport = select(persons.c.id).where(
        persons.c.passport_index == passport_index(keyring, person.passport_number)
    )
    found = set(conn.execute(by_key).scalars()) | set(conn.execute(by_passport).scalars())
    return found - {person.id}


def _identity(keyring: Keyring, row: Row[Any]) -> Identity:
    """A person's identity, opened in memory only."""
    sealed = keyring.open_json(row.sealed, person_context(row.id))
    names = (f"{sealed['given_names']} {sealed['surname']}",)
    names += (sealed["native_name"],) if sealed.get("native_name") else ()
    citizenships = tuple(c for c in row.citizenships.split(",") if c)
    born = date.fromisoformat(sealed["birth_date"]).isoformat()
    return Identity(names, (born,), (sealed["passport_number"],), citizenships)


def _opened(conn: Connection, keyring: Keyring, ids: Iterable[str]) -> dict[str, Identity]:
    rows = conn.execute(select(persons).where(persons.c.id.in_(list(ids))))
    return {row.id: _identity(keyring, row) for row in rows}


def _scored(mine: Profile, theirs: Iterable[tuple[str, Profile]]) -> dict[str, Decision]:
    """The people decided a match or for review against `mine`, by person id, with reasons."""
    found = ((person_id, candidate(mine, other)) for person_id, other in theirs)
    return {person_id: d for person_id, d in found if d is not None}


def _ranked(scored: Mapping[str, Decision], their_cases: Iterable[Row[Any]]) -> list[Candidate]:
    found = []
    for r in their_cases:
        decision = scored[r.person_id]
        comparison = decision.comparison
        found.append(
            Candidate(
                r.id, r.reference, comparison.score, comparison.reasons, decision.kind, decision.why
            )
        )
    return sorted(found, key=lambda c: (-c.score, c.reference))


def _cases_query() -> Select[tuple[str, str, str]]:
    return select(cases.c.id, cases.c.reference, cases.c.person_id)


def candidates_for(conn: Connection, keyring: Keyring, person: Person) -> list[Candidate]:
    """The existing cases whose person scores a candidate against `person`, best first."""
    mine = profile(person_identity(person))
    opened = _opened(conn, keyring, _sharing_a_key(conn, keyring, person))
    scored = _scored(mine, ((i, profile(identity)) for i, identity in opened.items()))
    if not scored:
        return []
    return _ranked(scored, conn.execute(_cases_query().where(cases.c.person_id.in_(list(scored)))))


def all_candidates(conn: Connection, keyring: Keyring) -> dict[str, list[Candidate]]:
    """What `candidates_for` gives for every person, by person id. Each table is read once and
    each identity opened and profiled once, instead of queries and openings per person."""
    everyone = _Everyone.read(conn, keyring)
    found = {}
    for person_id, mine in everyone.profiles.items():
        theirs = ((i, everyone.profiles[i]) for i in everyone.sharing(keyring, person_id))
        scored = _scored(mine, theirs)
        found[person_id] = _ranked(scored, (c for i in scored for c in everyone.cases.get(i, ())))
    return found


@dataclass(frozen=True)
class _Everyone:
    """Every person's profile, the people holding each blind index, and their cases."""

    profiles: dict[str, Profile]
    by_key: dict[str, dict[str, list[str]]]
    """Person ids by blocking key, then by birth date."""
    by_passport: dict[str, list[str]]
    cases: dict[str, list[Row[Any]]]

    @classmethod
    def read(cls, conn: Connection, keyring: Keyring) -> _Everyone:
        rows = conn.execute(select(persons)).all()
        profiles = {row.id: profile(_identity(keyring, row)) for row in rows}
        by_key: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        keys = select(screening_keys.c.key_hash, screening_keys.c.person_id)
        for key, person_id in conn.execute(keys):
            born = profiles[person_id].identity.birth_dates[0]
            by_key[key][born].append(person_id)
        by_passport: defaultdict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_passport[row.passport_index].append(row.id)
        cases_of: defaultdict[str, list[Row[Any]]] = defaultdict(list)
        for case in conn.execute(_cases_query()):
            cases_of[case.person_id].append(case)
        return cls(profiles, dict(by_key), dict(by_passport), dict(cases_of))

    def sharing(self, keyring: Keyring, person_id: str) -> set[str]:
        """The people `candidates_for` would score against this one, less those sharing only
        a blocking key and born on no date that can reach the threshold (`reachable_births`):
        the most common given names born in a year make the largest blocks."""
        mine = self.profiles[person_id]
        found = set(self.by_passport.get(passport_index(keyring, mine.identity.documents[0]), ()))
        reachable = reachable_births(mine)
        for key in key_hashes(keyring, mine):
            found.update(_born_on(self.by_key.get(key, {}), reachable))
        found.discard(person_id)
        return found


def _born_on(block: dict[str, list[str]], days: frozenset[str] | None) -> Iterator[str]:
    """The people of a block born on one of `days` (all of them, if None)."""
    if days is None:
        picked: Iterable[str] = block
    elif len(block) <= len(days):
        picked = (day for day in block if day in days)
    else:
        picked = (day for day in days if day in block)
    for day in picked:
        yield from block[day]


def find_duplicates(ctx: Context, actor: Actor, case_id: str) -> list[Candidate]:
    """The recruiter's list of possible duplicates of a case; each read is in the audit chain."""
    if actor.role not in DUPLICATE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not look for duplicate applicants")
    with UnitOfWork(ctx) as uow:
        case = uow.cases.get(case_id)
        found = [
            c for c in candidates_for(uow.conn, ctx.keyring, case.person) if c.case_id != case.id
        ]
        found = _remembered(_reviews(uow.conn), case.id, found)
        details = {"candidates": [c.case_id for c in found]}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "find_duplicates", case.id, details
            )
        )
        uow.commit()
    return found


def find_all_duplicates(ctx: Context, actor: Actor) -> dict[str, list[Candidate]]:
    """Every case's possible duplicates, by case id (a sweep after a roster import, say). One
    audit entry says how many cases were searched and how many have candidates."""
    if actor.role not in DUPLICATE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not look for duplicate applicants")
    with UnitOfWork(ctx) as uow:
        by_person = all_candidates(uow.conn, ctx.keyring)
        reviews = _reviews(uow.conn)
        found = {
            case.id: _remembered(
                reviews, case.id, [c for c in by_person[case.person_id] if c.case_id != case.id]
            )
            for case in uow.conn.execute(_cases_query())
        }
        details = {"cases": len(found), "with_candidates": sum(1 for c in found.values() if c)}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "find_all_duplicates", "cases", details
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
    """Store the keys of every person anew (after the upgrade to 0004, or a bulk import)."""
    with UnitOfWork(ctx) as uow:
        rows = uow.conn.execute(select(persons)).all()
        uow.conn.execute(delete(screening_keys))
        for start in range(0, len(rows), REBUILD_CHUNK):
            keys = [
                {"person_id": row.id, "key_hash": key}
                for row in rows[start : start + REBUILD_CHUNK]
                for key in sorted(key_hashes(ctx.keyring, profile(_identity(ctx.keyring, row))))
            ]
            if keys:
                uow.conn.execute(screening_keys.insert(), keys)
        uow.commit()
    return len(rows)


# -- the officers' decisions on review pairs ---------------------------------------------------
REVIEW_ROLES = frozenset({Role.VETTING_OFFICER, Role.ADMIN})


def _pair(case_id: str, other_case_id: str) -> tuple[str, str]:
    first, second = sorted((case_id, other_case_id))
    return first, second


def _reviews(conn: Connection) -> dict[tuple[str, str], bool]:
    rows = conn.execute(
        select(
            screening_reviews.c.case_a, screening_reviews.c.case_b, screening_reviews.c.same_person
        )
    )
    return {(a, b): same for a, b, same in rows.tuples()}


def _remembered(
    reviews: Mapping[tuple[str, str], bool], case_id: str, found: list[Candidate]
) -> list[Candidate]:
    """Candidates with the officers' decisions applied: a pair decided to be different people
    is not proposed again, a pair decided to be the same person is a match."""
    kept = []
    for candidate_ in found:
        same = reviews.get(_pair(case_id, candidate_.case_id))
        if same is None:
            kept.append(candidate_)
        elif same:
            kept.append(
                replace(candidate_, decision="match", why=("an officer decided: the same person",))
            )
    return kept


def record_review(
    ctx: Context, actor: Actor, case_id: str, other_case_id: str, *, same_person: bool
) -> None:
    """A vetting officer's decision on a pair of cases: the same person or not. Remembered (a
    later decision on the pair replaces it) and written to the audit chain, case ids only."""
    if actor.role not in REVIEW_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not decide a screening review")
    if case_id == other_case_id:
        raise ValueError("a case is not compared with itself")
    first, second = _pair(case_id, other_case_id)
    with UnitOfWork(ctx) as uow:
        uow.cases.get(first)
        uow.cases.get(second)
        uow.conn.execute(
            delete(screening_reviews).where(
                (screening_reviews.c.case_a == first) & (screening_reviews.c.case_b == second)
            )
        )
        uow.conn.execute(
            screening_reviews.insert().values(
                case_a=first,
                case_b=second,
                same_person=same_person,
                officer_id=actor.id,
                decided_at=ctx.clock(),
            )
        )
        details = {"other_case": second if first == case_id else first, "same_person": same_person}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "screening_review", case_id, details
            )
        )
        uow.commit()


@dataclass(frozen=True)
class ReviewPair:
    """A review candidate with both people, for the officer to compare side by side."""

    candidate: Candidate
    this: Person
    other: Person


def review_pairs(ctx: Context, actor: Actor, case_id: str) -> list[ReviewPair]:
    """The candidates of a case a person must decide (decision review, not yet decided), with
    both identities opened; the audit entry names the candidate case ids, never a name."""
    if actor.role not in REVIEW_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not decide a screening review")
    with UnitOfWork(ctx) as uow:
        case = uow.cases.get(case_id)
        found = [
            c for c in candidates_for(uow.conn, ctx.keyring, case.person) if c.case_id != case.id
        ]
        pending = [
            c for c in _remembered(_reviews(uow.conn), case.id, found) if c.decision == REVIEW
        ]
        pairs = [ReviewPair(c, case.person, uow.cases.get(c.case_id).person) for c in pending]
        details = {"candidates": [c.case_id for c in pending]}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "screening_reviews", case.id, details
            )
        )
        uow.commit()
    return pairs
