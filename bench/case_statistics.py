"""P4: the statistics page's queries over N synthetic cases, on SQLite and PostgreSQL.

    .venv/bin/python bench/case_statistics.py [--quick] [--json OUT]
    .venv/bin/python bench/case_statistics.py --sizes 1000 10000 --backends sqlite --rounds 3

(Not `bench/statistics.py`: scripts here run with bench/ first on sys.path, where that name
would shadow the standard library's `statistics`, which bench/measure.py imports.)

Each size gets a fresh database built by the migrations: a SQLite file in a temporary folder,
or a PostgreSQL database created beside `test` on the local server and dropped afterwards.
`seed_cases` bulk-inserts persons and cases straight into the tables, with dummy sealed bytes
and realistic clear columns (citizenships, formation, state, intake dates), and counts them
with `case_counts.count_added`, as the roster import does; PostgreSQL through COPY. Seeding is
not timed; ANALYZE runs before the queries, as autovacuum would. Timed: `count_cases` for each
breakdown and `summarise_cases` (the whole page, four queries in one snapshot) under four
filters, and `count_changed`, the counter update each change of state adds to its transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

from guardpath.adapters import case_counts
from guardpath.adapters.tables import cases, persons
from guardpath.cases.model import State
from guardpath.services.statistics import Dimension, Filters, count_cases, summarise_cases
from measure import Row, growth
from seeding import analyse, bulk_insert, database

TARGET_MS = 200.0
TARGET = "≤ 200 ms"
FLAT, LINEAR = 0.15, (0.85, 1.15)
CHUNK = 50_000
SEALED = bytes(240)
FACTS = {
    "prior_military_service": False,
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2030-01-01",
    "medical": "fit",
    "rank_group": "private",
}
# The order sets the weights: the first is the most common citizenship, and so on.
COUNTRIES = (  # noqa: SIM905
    "US GB PL GE BY CA DE FR LT LV EE CZ SK RO MD AZ KZ UZ KG TJ AM TR IL BR AR CO MX CL PE AU "
    "NZ IE NL BE DK SE NO FI IT ES PT HR SI RS BG HU AT CH JP KR IN NP LK PH ZA NG KE EG MA"
).split()
FORMATION_WEIGHTS = {"ngu": 50, "afu": 45, "dsst": 5}
STATE_WEIGHTS = {state.value: 1 + 10 * (state is State.IN_SERVICE) for state in State}
FIRST_DAY = date(2022, 3, 1)
DAYS = 4 * 365
UNSUBMITTED = 0.01
"""The share of cases with no intake day (imported from a roster)."""

FILTERS = {
    "all": Filters(),
    "ngu": Filters(formation="ngu"),
    "2024": Filters(start=date(2024, 1, 1), end=date(2024, 12, 31)),
    "dsst, Jan to Mar 2024": Filters("dsst", date(2024, 1, 1), date(2024, 3, 31)),
}
COLUMNS = [*(d.value for d in Dimension), "page"]


# -- seeding ------------------------------------------------------------------------------------
def _citizenships(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.02:
        return ""  # stateless
    first = COUNTRIES[min(int(rng.paretovariate(1.1)) - 1, len(COUNTRIES) - 1)]
    if draw < 0.05:
        second = rng.choice(COUNTRIES)
        return ",".join(sorted({first, second}))
    return first


def _rows(count: int, seed: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(seed)
    formations = rng.choices(list(FORMATION_WEIGHTS), list(FORMATION_WEIGHTS.values()), k=count)
    states = rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()), k=count)
    for i in range(count):
        person_id, case_id = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.uuid4())
        submitted = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        at = datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=UTC)
        person = {
            "id": person_id,
            "sealed": SEALED,
            "key_id": "bench",
            "passport_index": f"{i:064x}",
            "name_index": f"{rng.getrandbits(256):064x}",
            "citizenships": _citizenships(rng),
            "sex": "female" if rng.random() < 0.1 else "male",
            "created_at": at,
        }
        case = {
            "id": case_id,
            "reference": f"GP-{i:010d}",
            "person_id": person_id,
            "formation": formations[i],
            "state": states[i],
            "facts": FACTS,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "submitted_on": None if rng.random() < UNSUBMITTED else submitted,
            "resume_code_hash": None,
        }
        yield person, case


Chunk = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def _chunks(count: int, seed: int) -> Iterator[Chunk]:
    people: list[dict[str, Any]] = []
    their_cases: list[dict[str, Any]] = []
    for person, case in _rows(count, seed):
        people.append(person)
        their_cases.append(case)
        if len(people) == CHUNK:
            yield people, their_cases
            people, their_cases = [], []
    if people:
        yield people, their_cases


def seed_cases(engine: Engine, count: int, seed: int = 1) -> None:
    """Insert `count` persons and as many cases, in bulk, into migrated tables, and count them."""
    for people, their_cases in _chunks(count, seed):
        bulk_insert(engine, [(persons, people), (cases, their_cases)])
        with engine.begin() as conn:
            case_counts.count_added(conn, case_counts.from_rows(their_cases, people))
    analyse(engine)


# -- timing -------------------------------------------------------------------------------------
def _median_ms(run: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def time_queries(engine: Engine, rounds: int) -> dict[str, dict[str, float]]:
    """Median milliseconds per filter: each breakdown alone, and the whole page."""
    figures: dict[str, dict[str, float]] = {}
    for label, filters in FILTERS.items():
        row = {
            d.value: _median_ms(partial(count_cases, engine, d, filters), rounds) for d in Dimension
        }
        row["page"] = _median_ms(partial(summarise_cases, engine, filters), rounds)
        figures[label] = row
    return figures


def time_transition(engine: Engine, rounds: int) -> float:
    """Median milliseconds of the counter update one change of state adds to its transaction
    (submitted to medical), inside one transaction rolled back afterwards: the commit is the
    transition's, not the counters'."""
    before = case_counts.Counted("ngu", "submitted", date(2024, 5, 6), ("US",))
    after = case_counts.Counted("ngu", "medical", date(2024, 5, 6), ("US",))
    with engine.connect() as conn, conn.begin() as transaction:
        moved = _median_ms(partial(case_counts.count_changed, conn, before, after), rounds)
        transaction.rollback()
    return moved


@dataclass(frozen=True)
class Run:
    backend: str
    cases: int
    seeding_s: float
    ms: dict[str, dict[str, float]]
    transition_ms: float

    @property
    def slowest_query_ms(self) -> float:
        return max(v for row in self.ms.values() for k, v in row.items() if k != "page")

    @property
    def slowest_page_ms(self) -> float:
        return max(row["page"] for row in self.ms.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "cases": self.cases,
            "seeding_seconds": self.seeding_s,
            "median_ms": self.ms,
            "slowest_query_ms": self.slowest_query_ms,
            "slowest_page_ms": self.slowest_page_ms,
            "counter_update_per_transition_ms": self.transition_ms,
        }


def measure_one(backend: str, size: int, rounds: int) -> Run:
    with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as url:
        engine = create_engine(url)
        try:
            started = time.perf_counter()
            seed_cases(engine, size)
            seeded = time.perf_counter() - started
            queries = time_queries(engine, rounds)
            return Run(backend, size, seeded, queries, time_transition(engine, rounds * 10))
        finally:
            engine.dispose()


def shape(step: float) -> str:
    if step < FLAT:
        return "flat: the cost does not grow with the cases"
    if step < LINEAR[0]:
        return "sublinear"
    return "linear" if step <= LINEAR[1] else "superlinear"


@dataclass(frozen=True)
class CaseStatistics:
    runs: list[Run]
    load_average: tuple[list[float], list[float]]

    def backends(self) -> list[str]:
        return list(dict.fromkeys(r.backend for r in self.runs))

    def of(self, backend: str) -> list[Run]:
        return [r for r in self.runs if r.backend == backend]

    def growth(self, backend: str) -> list[float]:
        runs = self.of(backend)
        return growth([r.cases for r in runs], [r.slowest_page_ms for r in runs])

    def as_json(self) -> dict[str, Any]:
        return {
            "target_ms": TARGET_MS,
            "runs": [r.as_json() for r in self.runs],
            "growth_of_slowest_page": {
                b: {"steps": self.growth(b), "between_largest": shape(self.growth(b)[-1])}
                for b in self.backends()
                if len(self.of(b)) > 1
            },
            "load_average": {"start": self.load_average[0], "end": self.load_average[1]},
            "note": "growth is log(t2/t1)/log(n2/n1) of the slowest page: 1 linear, 0 flat",
        }

    def rows(self) -> list[Row]:
        """(name, figure, target, met): the slowest query and page per backend and size."""
        return [row for backend in self.backends() for row in self._rows(backend)]

    def _rows(self, backend: str) -> Iterator[Row]:
        steps = [None, *self.growth(backend)]
        for run, step in zip(self.of(backend), steps, strict=True):
            name = f"P4 statistics, {backend}, {run.cases:,} cases"
            slow, page = run.slowest_query_ms, run.slowest_page_ms
            grown = "" if step is None else f" (growth {step:.2f})"
            yield f"{name}: slowest query", f"{slow:,.1f} ms", TARGET, slow <= TARGET_MS
            yield f"{name}: slowest page", f"{page:,.1f} ms{grown}", TARGET, page <= TARGET_MS
        updated = self.of(backend)[-1].transition_ms
        yield f"P4 {backend}: counters of one transition", f"{updated:.2f} ms", "", None


def measure(
    quick: bool,
    backends: tuple[str, ...] = ("sqlite", "postgresql"),
    sizes: tuple[int, ...] | None = None,
    rounds: int | None = None,
) -> CaseStatistics:
    """Full: 1,000 to 1,000,000 cases, 5 rounds; quick: up to 100,000, 3 rounds."""
    sizes = sizes or ((1_000, 10_000, 100_000) if quick else (1_000, 10_000, 100_000, 1_000_000))
    rounds = rounds or (3 if quick else 5)
    start = list(os.getloadavg())
    runs = []
    for backend in backends:
        for size in sizes:
            runs.append(measure_one(backend, size, rounds))
            print(_line(runs[-1]), flush=True)
    return CaseStatistics(runs, (start, list(os.getloadavg())))


def _line(run: Run) -> str:
    cells = "  ".join(
        f"{label}: " + " ".join(f"{run.ms[label][c]:.1f}" for c in COLUMNS) for label in run.ms
    )
    head = f"{run.backend} {run.cases:,} cases (seeded in {run.seeding_s:.0f} s)"
    return f"{head}, ms per {', '.join(COLUMNS)}: {cells}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="up to 100,000 cases, 3 rounds")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    sizes = tuple(args.sizes) if args.sizes else None
    figures = measure(args.quick, tuple(args.backends), sizes, args.rounds)
    for name, figure, target, met in figures.rows():
        verdict = "" if met is None else "met" if met else "missed"
        print(f"{name:<62}{figure:>22}  {target:>9}  {verdict}")
    print(
        f"load average {figures.load_average[0]} at the start, {figures.load_average[1]} at the end"
    )
    if args.json:
        args.json.write_text(json.dumps(figures.as_json(), indent=2) + "\n")


if __name__ == "__main__":
    main()
