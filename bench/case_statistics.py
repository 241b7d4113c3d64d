"""Time the statistics queries on N synthetic cases, on SQLite and PostgreSQL.

    .venv/bin/python bench/case_statistics.py --sizes 1000 10000 100000 1000000 \
        [--backends sqlite postgresql] [--rounds 3]

(Not `bench/statistics.py`: scripts here run with bench/ first on sys.path, where that name
would shadow the standard library's `statistics`, which bench/measure.py imports.)

Each size gets a fresh database built by the migrations: a SQLite file in a temporary folder,
or a PostgreSQL database created beside `test` on the local server and dropped afterwards.
`seed_cases` bulk-inserts persons and cases straight into the tables, with dummy sealed bytes
and realistic clear columns (citizenships, formation, state, intake dates); PostgreSQL through
COPY. Seeding is not timed with the queries; ANALYZE runs before them, as autovacuum would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import cases, persons
from guardpath.cases.model import State
from guardpath.services.statistics import Dimension, Filters, count_cases, summarise_cases

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
CHUNK = 50_000
SEALED = bytes(240)
FACTS = '{"prior_military_service": false, "stay_basis": "temporary_residence_permit", '
FACTS += '"stay_valid_until": "2030-01-01", "medical": "fit", "rank_group": "private"}'
# The order sets the weights: the first is the most common citizenship, and so on.
COUNTRIES = (  # noqa: SIM905
    "US GB PL GE BY CA DE FR LT LV EE CZ SK RO MD AZ KZ UZ KG TJ AM TR IL BR AR CO MX CL PE AU "
    "NZ IE NL BE DK SE NO FI IT ES PT HR SI RS BG HU AT CH JP KR IN NP LK PH ZA NG KE EG MA"
).split()
FORMATION_WEIGHTS = {"ngu": 50, "afu": 45, "dsst": 5}
STATE_WEIGHTS = {state.value: 1 + 10 * (state is State.IN_SERVICE) for state in State}
FIRST_DAY = date(2022, 3, 1)
DAYS = 4 * 365


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
            "submitted_on": submitted,
            "resume_code_hash": None,
        }
        yield person, case


def _chunks(count: int, seed: int) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
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


def _copy(engine: Engine, count: int, seed: int) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        for people, their_cases in _chunks(count, seed):
            for table, rows in ((persons, people), (cases, their_cases)):
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c.name] for c in table.columns])
        raw.commit()
    finally:
        raw.close()


def seed_cases(engine: Engine, count: int, seed: int = 1) -> None:
    """Insert `count` persons and as many cases, in bulk, into migrated tables."""
    if engine.dialect.name == "postgresql":
        _copy(engine, count, seed)
    else:
        for people, their_cases in _chunks(count, seed):
            with engine.begin() as conn:
                conn.execute(insert(persons), people)
                conn.execute(insert(cases), their_cases)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


@contextmanager
def database(backend: str, folder: Path) -> Iterator[Engine]:
    """A fresh, migrated database, removed afterwards."""
    if backend == "sqlite":
        engine = create_engine(f"sqlite:///{folder / 'bench.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    admin = create_engine(f"{POSTGRES}/test", isolation_level="AUTOCOMMIT")
    name = f"guardpath_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(f"{POSTGRES}/{name}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


FILTERS = {
    "all": Filters(),
    "ngu": Filters(formation="ngu"),
    "2024": Filters(start=date(2024, 1, 1), end=date(2024, 12, 31)),
    "dsst 2024": Filters(formation="dsst", start=date(2024, 1, 1), end=date(2024, 12, 31)),
}


def _median_ms(run: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(engine: Engine, rounds: int) -> dict[str, dict[str, float]]:
    """Median milliseconds per breakdown and filter, and for the whole page's summary."""
    figures: dict[str, dict[str, float]] = {}
    for label, filters in FILTERS.items():
        row = {
            d.value: _median_ms(partial(count_cases, engine, d, filters), rounds) for d in Dimension
        }
        row["page"] = _median_ms(partial(summarise_cases, engine, filters), rounds)
        figures[label] = row
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    columns = [*(d.value for d in Dimension), "page"]
    print(f"{'backend':<11}{'cases':>9}  {'filter':<10}" + "".join(f"{c:>12}" for c in columns))
    for backend in args.backends:
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as e:
                started = time.perf_counter()
                seed_cases(e, size)
                seeded = time.perf_counter() - started
                print(f"{backend:<11}{size:>9}  seeded in {seeded:.1f}s")
                for label, row in measure(e, args.rounds).items():
                    cells = "".join(f"{row[c]:>10.1f}ms" for c in columns)
                    print(f"{backend:<11}{size:>9}  {label:<10}{cells}", flush=True)


if __name__ == "__main__":
    main()
