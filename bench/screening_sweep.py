"""P5: the duplicates of every applicant at once (`find_all_duplicates`), among N applicants.

    .venv/bin/python bench/screening_sweep.py [--applicants N] [--sample K] [--keys-by-year]
                                             [--json OUT]

N applicants (default 100,000) in a SQLite database, 1% of them a second application of
another with the name written another way, the birth date or passport changed. Persons (sealed
under a real keyring) and cases are seeded straight into the tables; then the real services:
`rebuild_screening_keys` stores every person's blocking keys (timed, no target), and
`find_all_duplicates` finds the candidates of every case (the whole set, target ≤ 60 s at
100,000). The per-case `find_duplicates`, once per case, is timed on a sample of K and
multiplied out, for comparison. Recall: the planted pairs whose first application is among the
second one's candidates. Peak memory: the process's maximum resident set size. With
--keys-by-year, token keys carry the birth year as they did before they carried the full
date, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.repository import PERSON_FIELDS, name_index, passport_index, person_context
from guardpath.adapters.tables import cases, persons
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Person, Role
from guardpath.screening.keys import name_keys
from guardpath.screening.score import Profile
from guardpath.services import duplicates
from guardpath.services.duplicates import (
    find_all_duplicates,
    find_duplicates,
    rebuild_screening_keys,
)
from guardpath.settings import load_settings
from screening_people import Someone, someone, written_otherwise
from seeding import analyse, bulk_insert, database

SWEEP_TARGET_S = 60.0
SWEEP_APPLICANTS = 100_000
RECRUITER = Actor("bench", Role.RECRUITER)
AT = datetime(2025, 1, 10, 9, tzinfo=UTC)


def _person_row(keyring: Keyring, person_id: str, who: Someone) -> dict[str, Any]:
    person = Person(
        who.given, who.surname, who.born, "male", who.countries, who.passport, who.native
    )
    sealed = {name: getattr(person, name) for name in PERSON_FIELDS}
    sealed["birth_date"] = who.born.isoformat()
    return {
        "id": person_id,
        "sealed": keyring.seal_json(sealed, person_context(person_id)),
        "key_id": keyring.active_id,
        "passport_index": passport_index(keyring, who.passport),
        "name_index": name_index(keyring, f"{who.given} {who.surname}", who.born),
        "citizenships": ",".join(who.countries),
        "sex": "male",
        "created_at": AT,
    }


def _case_row(case_id: str, person_id: str, number: int) -> dict[str, Any]:
    return {
        "id": case_id,
        "reference": f"GP-B{number:08d}",
        "person_id": person_id,
        "formation": "ngu",
        "state": "submitted",
        "facts": {},
        "version": 1,
        "created_at": AT,
        "updated_at": AT,
        "submitted_on": AT.date(),
    }


def applicants(count: int, rng: random.Random) -> Iterator[tuple[Someone, int | None]]:
    """`count` applicants; 1% of them a second application of an earlier one (its number)."""
    made: list[Someone] = []
    for number in range(count):
        if number % 100 == 99:
            first = rng.randrange(len(made))
            again = written_otherwise(rng, made[first], number // 100 % 5)
            if rng.random() < 0.8:
                again = replace(again, passport=someone(rng).passport)
            made.append(again)
            yield again, first
        else:
            made.append(someone(rng))
            yield made[-1], None


def seed_applicants(ctx: Context, count: int, seed: int = 2) -> list[tuple[str, str]]:
    """Persons and their cases straight into the tables; returns the planted (first, second)
    pairs of case ids."""
    rng = random.Random(seed)
    case_ids: list[str] = []
    planted: list[tuple[str, str]] = []
    people, their_cases = [], []
    for number, (who, first) in enumerate(applicants(count, rng)):
        person_id, case_id = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.uuid4())
        people.append(_person_row(ctx.keyring, person_id, who))
        their_cases.append(_case_row(case_id, person_id, number))
        case_ids.append(case_id)
        if first is not None:
            planted.append((case_ids[first], case_id))
    bulk_insert(ctx.engine, [(persons, people), (cases, their_cases)])
    analyse(ctx.engine)
    return planted


@dataclass(frozen=True)
class Sweep:
    applicants: int
    keys_s: float
    sweep_s: float
    sweep_cpu_s: float
    """The process's CPU time in the sweep: what a shared machine's load does not inflate."""
    per_case_ms: float
    sample: int
    planted: int
    planted_found: int
    other_pairs: int

    def as_json(self) -> dict[str, Any]:
        return {
            "applicants": self.applicants,
            "rebuild_screening_keys_seconds": self.keys_s,
            "find_all_duplicates_seconds": self.sweep_s,
            "find_all_duplicates_cpu_seconds": self.sweep_cpu_s,
            "find_duplicates_per_case_ms": self.per_case_ms,
            "find_duplicates_sample": self.sample,
            "find_duplicates_for_every_case_seconds": self.per_case_ms * self.applicants / 1000,
            "planted": self.planted,
            "planted_found": self.planted_found,
            "recall": self.planted_found / self.planted,
            "candidate_pairs_not_planted": self.other_pairs,
        }


def _seconds(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


SQLITE_CACHE_KIB = 1_048_576
"""Above 100,000 applicants SQLite gets a 1 GiB page cache: with its default 2 MiB, every
insert into the random-keyed blind indexes rewrites pages, and seeding a million people takes
hours of writes rather than minutes (a deployment sweeping a million would set it too)."""


def _large_cache(ctx: Context) -> None:
    def pragma(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    event.listen(ctx.engine, "connect", pragma)
    ctx.engine.dispose()  # the pool's connections open again, with the cache


def _keyed_by_year(keyring: Keyring, person: Profile) -> set[str]:
    """The blocking keys as they were before token keys carried the full date: for comparison."""
    years = [d[:4] for d in person.identity.birth_dates]
    return {keyring.blind_index(duplicates.KEY_KIND, k) for k in name_keys(person.names, years)}


def measure_sweep(count: int, sample: int, by_year: bool = False) -> Sweep:
    if by_year:
        duplicates.key_hashes = _keyed_by_year
    with tempfile.TemporaryDirectory() as folder, database("sqlite", Path(folder)) as url:
        ctx = bootstrap(load_settings(data_dir=Path(folder), database_url=url))
        if count > SWEEP_APPLICANTS:
            _large_cache(ctx)
        try:
            planted = seed_applicants(ctx, count)
            keys_s, _ = _seconds(lambda: rebuild_screening_keys(ctx))
            cpu = time.process_time()
            sweep_s, found = _seconds(lambda: find_all_duplicates(ctx, RECRUITER))
            cpu = time.process_time() - cpu
            ids = random.Random(3).sample(sorted(found), sample)
            one_by_one, _ = _seconds(lambda: [find_duplicates(ctx, RECRUITER, i) for i in ids])
        finally:
            ctx.engine.dispose()
    pairs = {(case_id, c.case_id) for case_id, listed in found.items() for c in listed}
    hits = sum(1 for first, second in planted if (second, first) in pairs)
    planted_both_ways = {p for a, b in planted for p in ((a, b), (b, a))}
    return Sweep(
        count,
        keys_s,
        sweep_s,
        cpu,
        one_by_one * 1000 / sample,
        sample,
        len(planted),
        hits,
        len(pairs - planted_both_ways) // 2,
    )


def peak_memory_mib() -> float:
    """The process's largest resident set so far (Linux reports it in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=SWEEP_APPLICANTS)
    parser.add_argument("--sample", type=int, default=100, help="cases timed one by one")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--keys-by-year", action="store_true", help="token keys with the birth year, as before"
    )
    args = parser.parse_args()
    start = os.getloadavg()
    figures = measure_sweep(args.applicants, args.sample, args.keys_by_year).as_json()
    figures["token_keys_by"] = "year" if args.keys_by_year else "date"
    figures["peak_memory_mib"] = peak_memory_mib()
    figures["load_average"] = {"start": list(start), "end": list(os.getloadavg())}
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
