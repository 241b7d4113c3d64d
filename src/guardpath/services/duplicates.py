"""Duplicate applicants: the people already in the database who may be this one.

Names are sealed, so candidates are found through blocking keys (guardpath.screening.keys)
stored as keyed blind indexes, and through the passport index; only those candidates are
opened, in memory, and scored. Nothing is merged: the recruiter gets each candidate's case with
the score and the features that agreed or contradicted. The tables are the screening
repository's (`Work.screening`, adapters/screening.py); this module decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.screening import CaseRef
from guardpath.cases.model import Actor, Case, Person, Role
from guardpath.cases.transitions import NotPermitted
from guardpath.screening.keys import name_keys
from guardpath.screening.score import (
    REVIEW,
    Decision,
    Profile,
    Reason,
    candidate,
    profile,
    reachable_births,
)
from guardpath.services.ports import Ports
from guardpath.services.unit_of_work import ScreeningStore, Work
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


def store_screening_keys(store: ScreeningStore, keyring: Keyring, person: Person) -> None:
    """Replace the person's blocking keys."""
    store.replace_keys(person.id, key_hashes(keyring, profile(person_identity(person))))


def _scored(mine: Profile, theirs: Iterable[tuple[str, Profile]]) -> dict[str, Decision]:
    """The people decided a match or for review against `mine`, by person id, with reasons."""
    found = ((person_id, candidate(mine, other)) for person_id, other in theirs)
    return {person_id: d for person_id, d in found if d is not None}


def _ranked(scored: Mapping[str, Decision], their_cases: Iterable[CaseRef]) -> list[Candidate]:
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


def candidates_for(
    store: ScreeningStore, keyring: Keyring, person: Person, mine: Profile | None = None
) -> list[Candidate]:
    """The existing cases whose person scores a candidate against `person`, best first
    (`mine`: the person's profile, when the caller has it already)."""
    mine = mine or profile(person_identity(person))
    sharing = store.sharing(key_hashes(keyring, mine), person.passport_number) - {person.id}
    opened = store.identities(sharing)
    scored = _scored(mine, ((i, profile(identity)) for i, identity in opened.items()))
    if not scored:
        return []
    return _ranked(scored, store.cases_of(scored))


def all_candidates(store: ScreeningStore, keyring: Keyring) -> dict[str, list[Candidate]]:
    """What `candidates_for` gives for every person, by person id. Each table is read once and
    each identity opened and profiled once, instead of queries and openings per person."""
    everyone = _Everyone.read(store)
    found = {}
    for person_id, mine in everyone.profiles.items():
        theirs = ((i, everyone.profiles[i]) for i in everyone.sharing(store, keyring, person_id))
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
    cases: dict[str, list[CaseRef]]

    @classmethod
    def read(cls, store: ScreeningStore) -> _Everyone:
        profiles: dict[str, Profile] = {}
        by_passport: defaultdict[str, list[str]] = defaultdict(list)
        for someone in store.everyone():  # streamed: one sealed row at a time in memory
            profiles[someone.id] = profile(someone.identity)
            by_passport[someone.passport_index].append(someone.id)
        by_key: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for key, person_id in store.all_keys():
            born = profiles[person_id].identity.birth_dates[0]
            by_key[key][born].append(person_id)
        cases_of: defaultdict[str, list[CaseRef]] = defaultdict(list)
        for case in store.all_cases():
            cases_of[case.person_id].append(case)
        return cls(profiles, dict(by_key), dict(by_passport), dict(cases_of))

    def sharing(self, store: ScreeningStore, keyring: Keyring, person_id: str) -> set[str]:
        """The people `candidates_for` would score against this one, less those sharing only
        a blocking key and born on no date that can reach the threshold (`reachable_births`):
        the most common given names born in a year make the largest blocks."""
        mine = self.profiles[person_id]
        passport = store.passport_index(mine.identity.documents[0])
        found = set(self.by_passport.get(passport, ()))
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


def find_duplicates(ctx: Ports, actor: Actor, case_id: str) -> list[Candidate]:
    """The recruiter's list of possible duplicates of a case; each read is in the audit chain."""
    if actor.role not in DUPLICATE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not look for duplicate applicants")
    with ctx.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        found = [
            c
            for c in candidates_for(uow.screening, ctx.keyring, case.person)
            if c.case_id != case.id
        ]
        found = _remembered(uow.screening.reviews(), case.id, found)
        details = {"candidates": [c.case_id for c in found]}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "find_duplicates", case.id, details
            )
        )
        uow.commit()
    return found


def find_all_duplicates(ctx: Ports, actor: Actor) -> dict[str, list[Candidate]]:
    """Every case's possible duplicates, by case id (a sweep after a roster import, say). One
    audit entry says how many cases were searched and how many have candidates."""
    if actor.role not in DUPLICATE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not look for duplicate applicants")
    with ctx.unit_of_work() as uow:
        by_person = all_candidates(uow.screening, ctx.keyring)
        reviews = uow.screening.reviews()
        found = {
            case.id: _remembered(
                reviews, case.id, [c for c in by_person[case.person_id] if c.case_id != case.id]
            )
            for case in uow.screening.all_cases()
        }
        details = {"cases": len(found), "with_candidates": sum(1 for c in found.values() if c)}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "find_all_duplicates", "cases", details
            )
        )
        uow.commit()
    return found


@dataclass(frozen=True)
class Screening:
    """A new applicant's screening, computed before the submission's transaction: the
    profile, the blocking keys to store, and the watch-list's matches (None: no list)."""

    profile: Profile
    keys: frozenset[str]
    watchlist_matches: int | None


def screening_of(ctx: Ports, person: Person) -> Screening:
    identity = person_identity(person)
    mine = profile(identity)
    watchlist = configured_watchlist(ctx)
    matches = None if watchlist is None else len(watchlist.screen(identity))
    return Screening(mine, frozenset(key_hashes(ctx.keyring, mine)), matches)


def screen_new_applicant(
    uow: Work, ctx: Ports, actor: Actor, case: Case, screening: Screening
) -> None:
    """At submission, in its transaction (the keys are written with the person): when there
    are duplicate candidates or a watch-list is loaded, write their counts (only counts) to the
    audit chain."""
    duplicates = candidates_for(uow.screening, ctx.keyring, case.person, screening.profile)
    if not duplicates and screening.watchlist_matches is None:
        return
    details = {
        "duplicate_candidates": len(duplicates),
        "watchlist_matches": screening.watchlist_matches,
    }
    uow.audit(
        audit.Entry(ctx.clock(), actor.id, actor.role.value, "screen_applicant", case.id, details)
    )


def rebuild_screening_keys(ctx: Ports) -> int:
    """Store the keys of every person anew (after the upgrade to 0004, or a bulk import)."""
    with ctx.unit_of_work() as uow:
        everyone = list(uow.screening.everyone())
        uow.screening.clear_keys()
        for start in range(0, len(everyone), REBUILD_CHUNK):
            uow.screening.insert_keys(
                (someone.id, key)
                for someone in everyone[start : start + REBUILD_CHUNK]
                for key in sorted(key_hashes(ctx.keyring, profile(someone.identity)))
            )
        uow.commit()
    return len(everyone)


# -- the officers' decisions on review pairs ---------------------------------------------------
REVIEW_ROLES = frozenset({Role.VETTING_OFFICER, Role.ADMIN})


def _pair(case_id: str, other_case_id: str) -> tuple[str, str]:
    first, second = sorted((case_id, other_case_id))
    return first, second


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
    ctx: Ports, actor: Actor, case_id: str, other_case_id: str, *, same_person: bool
) -> None:
    """A vetting officer's decision on a pair of cases: the same person or not. Remembered (a
    later decision on the pair replaces it) and written to the audit chain, case ids only."""
    if actor.role not in REVIEW_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not decide a screening review")
    if case_id == other_case_id:
        raise ValueError("a case is not compared with itself")
    first, second = _pair(case_id, other_case_id)
    with ctx.unit_of_work() as uow:
        uow.cases.get(first)
        uow.cases.get(second)
        uow.screening.record_review((first, second), same_person, actor.id, ctx.clock())
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


def review_pairs(ctx: Ports, actor: Actor, case_id: str) -> list[ReviewPair]:
    """The candidates of a case a person must decide (decision review, not yet decided), with
    both identities opened; the audit entry names the candidate case ids, never a name."""
    if actor.role not in REVIEW_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not decide a screening review")
    with ctx.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        found = [
            c
            for c in candidates_for(uow.screening, ctx.keyring, case.person)
            if c.case_id != case.id
        ]
        reviews = uow.screening.reviews()
        pending = [c for c in _remembered(reviews, case.id, found) if c.decision == REVIEW]
        pairs = [ReviewPair(c, case.person, uow.cases.get(c.case_id).person) for c in pending]
        details = {"candidates": [c.case_id for c in pending]}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "screening_reviews", case.id, details
            )
        )
        uow.commit()
    return pairs
