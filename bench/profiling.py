"""Where guardpath's time goes: P2 split into the stages of evaluate_file (medians over a few
runs), and on request a cProfile of P1 and P2 (`bench/run.py --profile`)."""

from __future__ import annotations

import cProfile
import io
import pstats
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from guardpath.law.batch import ENGINE, evaluate_frame, evaluate_lazy, facts_read
from guardpath.law.batch_file import CHUNK_ROWS, COMPRESSION, STATISTICS, evaluate_file
from guardpath.law.compiled import compile_question
from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from guardpath.law.loader import default_legislation
from guardpath.law.table import conform
from measure import Spread, seconds, timed
from people import AMERICAN_VOLUNTEER

STAGES = {
    "read_parquet": "pl.read_parquet of the columns the question reads",
    "conform": "table.conform: check those columns against the facts contract",
    "rules": "evaluate_lazy(...).collect() per chunk: plan, exception check, rules and statuses",
    "missing_names": "the rest of evaluate_frame: each rule's missing facts, the names",
    "concat_and_write": "pl.concat of the chunks and write_parquet (LZ4, no statistics)",
}


def stages(source: Path, on: date, out: Path, rounds: int = 3) -> dict[str, Any]:
    """Seconds per stage of evaluate_file on `source`."""
    samples: dict[str, list[float]] = {name: [] for name in STAGES}
    facts = facts_read(compile_question(default_legislation(), "enlistment", on))
    names = pl.read_parquet_schema(source)
    wanted = [c for c in names if c == "id" or c in facts]
    for _ in range(rounds):
        spent, frame = timed(partial(pl.read_parquet, source, columns=wanted))
        samples["read_parquet"].append(spent)
        spent, people = timed(partial(conform, frame, facts))
        samples["conform"].append(spent)
        rules = whole = 0.0
        results = []
        for start in range(0, people.height, CHUNK_ROWS):
            chunk = people.slice(start, CHUNK_ROWS)
            rules += seconds(partial(_rules, chunk, on))
            spent, result = timed(partial(evaluate_frame, chunk, "enlistment", on))
            whole += spent
            results.append(result)
        samples["rules"].append(rules)
        samples["missing_names"].append(max(whole - rules, 0.0))
        samples["concat_and_write"].append(seconds(partial(_write, results, out)))
    return {
        name: {"what": STAGES[name], "seconds": Spread.of(found).as_json()}
        for name, found in samples.items()
    }


def _rules(chunk: pl.DataFrame, on: date) -> pl.DataFrame:
    return evaluate_lazy(chunk.lazy(), "enlistment", on).collect(engine=ENGINE)


def _write(results: list[pl.DataFrame], out: Path) -> None:
    pl.concat(results).write_parquet(out, compression=COMPRESSION, statistics=STATISTICS)


def profile(source: Path, on: date, out: Path, top: int = 20) -> str:
    """cProfile listings, by own time, of 2,000 P1 decisions and one P2 evaluate_file, warm."""
    text = io.StringIO()
    for title, action in (
        ("P1: 2,000 × decide(parse_facts(raw)) with the explanation", lambda: _decisions(on)),
        (f"P2: evaluate_file({source.name})", lambda: evaluate_file(source, "enlistment", on, out)),
    ):
        action()  # warm: load the legislation and compile the question outside the profile
        profiler = cProfile.Profile()
        profiler.runcall(action)
        print(f"\n== {title}", file=text)
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


def _decisions(on: date) -> None:
    for _ in range(2000):
        decide("enlistment", parse_facts(AMERICAN_VOLUNTEER), on)
