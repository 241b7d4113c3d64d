"""P3: application submissions over HTTP, durable, with validation, encryption and audit.

    .venv/bin/python bench/submissions.py [--quick] [--backend sqlite|postgresql]
        [--workers N] [--rate PER_SECOND] [--json OUT]

`--workers N` serves both sides with N uvicorn worker processes. `--rate R` makes the load an
open loop: submissions arrive at R a second whatever the answers (as users do), and each
latency runs from the moment the submission was due, so a server that falls behind shows it
in p50/p99 instead of in fewer requests.

guardpath: `guardpath serve` (the app factory under uvicorn, one worker) in a subprocess, on a
fresh database made by the migrations, with development keys; each `POST /api/v1/applications`
validates the application, seals the person, writes the case, its history, its screening keys
and two audit entries, and commits before answering 201. The peer
(`peers/bare_submissions.py`): a bare Starlette endpoint that `json.loads` the same body and
inserts a `persons` and a `cases` row of the same shape on guardpath's engine setup, over a
database made by the same migrations, served by uvicorn with the same settings.

One load generator for both, in a process of its own (server and clients then each have a core
of the two, and do not share a GIL): CLIENTS asyncio clients with an `httpx.AsyncClient` each,
submitting valid, distinct applications (names, birth dates, passports) back to back. Each
server first answers four submissions a worker, untimed (its imports done); the first seconds
of the load are a warm-up; then every response that ends within the measured window is counted,
and each acknowledged one (2xx) gives its latency. Requests still open when the window closes
are cancelled and not counted. Each server starts on a fresh copy of one migrated template, so
every run begins on an empty database; within each round the two sides alternate which goes
first, and the ratio guardpath / bare is taken round by round. Also reported: each server's CPU
seconds per acknowledged submission (psutil), which shows what a submission costs apart from
waiting.

The clients send back to back, with no pause: a closed loop, where the mean latency is the
number of clients over the throughput (Little's law). A p99 of 50 ms at 50 clients therefore
needs more than 1,000 submissions a second, each a durable commit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from measure import Row, Spread, ratios
from submissions_load import CLIENTS, PATH, Load, application, generate_load
from submissions_servers import Databases, serving

MIN_RATIO = 0.7
"""Issue 16: guardpath at least 0.7 times the bare endpoint's acknowledged submissions a second."""
P99_MAX_MS = 50.0
SIDES = ("guardpath", "bare")


@dataclass(frozen=True)
class Plan:
    mode: str
    rounds: int
    warmup: float
    seconds: float


FULL = Plan("full", 3, 2.0, 10.0)
QUICK = Plan("quick", 2, 1.0, 4.0)


# -- the measurement --------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """One server under load: what the clients saw, and the server's CPU seconds meanwhile."""

    load: Load
    server_cpu_s: float

    @property
    def cpu_ms_per_submission(self) -> float:
        """Server CPU per acknowledged submission, warm-up included (requests cut off at the
        end cost a little and count nothing, so this leans high)."""
        return self.server_cpu_s / max(self.load.acknowledged_total, 1) * 1e3


@dataclass(frozen=True)
class Side:
    """One side's figures: medians over rounds of each run's rate, percentiles and cost."""

    rate: Spread
    p50_ms: Spread
    p99_ms: Spread
    cpu_ms: Spread
    refused: int
    failed: int
    client_cpu_max: float

    @classmethod
    def of(cls, runs: list[Run]) -> Side:
        loads = [run.load for run in runs]
        return cls(
            Spread.of([load.rate for load in loads]),
            Spread.of([load.percentile(50) for load in loads]),
            Spread.of([load.percentile(99) for load in loads]),
            Spread.of([run.cpu_ms_per_submission for run in runs]),
            sum(load.refused for load in loads),
            sum(load.failed for load in loads),
            max(load.client_cpu for load in loads),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "requests_per_s": self.rate.as_json(),
            "p50_ms": self.p50_ms.as_json(),
            "p99_ms": self.p99_ms.as_json(),
            "server_cpu_ms_per_submission": self.cpu_ms.as_json(),
            "refused": self.refused,
            "failed": self.failed,
            "load_generator_cpu_max": self.client_cpu_max,
        }


@dataclass(frozen=True)
class Submissions:
    backend: str
    plan: Plan
    guardpath: Side
    bare: Side
    ratio: Spread
    """guardpath's acknowledged requests per second over the bare endpoint's, round by round."""
    load_average: tuple[float, float]
    """The one-minute load average at the start and at the end."""

    @property
    def ratio_met(self) -> bool:
        return self.ratio.median >= MIN_RATIO

    @property
    def p99_met(self) -> bool:
        return self.guardpath.p99_ms.median <= P99_MAX_MS

    def as_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "mode": self.plan.mode,
            "clients": CLIENTS,
            "rounds": self.plan.rounds,
            "warmup_s": self.plan.warmup,
            "window_s": self.plan.seconds,
            "guardpath": self.guardpath.as_json(),
            "bare": self.bare.as_json(),
            "ratio_guardpath_over_bare": self.ratio.as_json(),
            "load_average": list(self.load_average),
            "targets": {
                "ratio": {
                    "value": self.ratio.median,
                    "target": f"≥ {MIN_RATIO:g}×",
                    "met": self.ratio_met,
                },
                "p99_ms": {
                    "value": self.guardpath.p99_ms.median,
                    "target": f"≤ {P99_MAX_MS:g} ms",
                    "met": self.p99_met,
                },
            },
        }

    def rows(self) -> list[Row]:
        """(benchmark, figure, target, met) for the report's table."""
        where = f"{self.backend}, {CLIENTS} clients"
        ours, bare = self.guardpath, self.bare
        ratio_target, p99_target = f"≥ {MIN_RATIO:g}×", f"≤ {P99_MAX_MS:g} ms"
        return [
            (f"P3 guardpath submissions ({where}), /s", _shown(ours.rate, "{:,.0f}"), "", None),
            (f"P3 bare Starlette insert ({where}), /s", _shown(bare.rate, "{:,.0f}"), "", None),
            (
                "P3 guardpath / bare",
                _shown(self.ratio, "{:.2f}×"),
                ratio_target,
                self.ratio_met,
            ),
            ("P3 guardpath p50, ms", _shown(ours.p50_ms, "{:,.1f}"), "", None),
            (
                "P3 guardpath p99, ms",
                _shown(ours.p99_ms, "{:,.1f}"),
                p99_target,
                self.p99_met,
            ),
            ("P3 bare p50, ms", _shown(bare.p50_ms, "{:,.1f}"), "", None),
            ("P3 bare p99, ms", _shown(bare.p99_ms, "{:,.1f}"), "", None),
            (
                "P3 guardpath server CPU per submission, ms",
                _shown(ours.cpu_ms, "{:,.1f}"),
                "",
                None,
            ),
            ("P3 bare server CPU per submission, ms", _shown(bare.cpu_ms, "{:,.1f}"), "", None),
        ]


def _shown(spread: Spread, shown: str) -> str:
    low, high = shown.format(spread.min), shown.format(spread.max)
    return f"{shown.format(spread.median)} ({low} to {high})"


@dataclass(frozen=True)
class Shape:
    """How the servers run and the load arrives: worker processes, and an open loop's rate."""

    workers: int = 1
    rate: float | None = None


def _run(
    side: str,
    databases: Databases,
    folder: Path,
    plan: Plan,
    pool: ProcessPoolExecutor,
    shape: Shape,
) -> Run:
    log = folder.with_suffix(".log")
    with databases.fresh(folder) as env, serving(side, env, log, shape.workers) as server:
        seed = random.randrange(1 << 30)
        _warm(server.url, shape.workers)
        cpu = server.cpu_seconds()
        args = (server.url, CLIENTS, plan.warmup, plan.seconds, seed, shape.rate)
        job = pool.submit(generate_load, *args)
        load = job.result()
        run = Run(load, server.cpu_seconds() - cpu)
    # Each run's tally as it ends: a side that answered nothing in a window shows here why.
    print(
        f"{side} {folder.name}: {load.rate:,.0f}/s acknowledged, {load.refused} refused,"
        f" {load.failed} failed, CPU {run.cpu_ms_per_submission:.1f} ms a submission",
        file=sys.stderr,
    )
    return run


def _warm(url: str, workers: int) -> None:
    """A few submissions before the load, so each worker has imported what a submission uses
    (about a second of CPU for guardpath, none for the bare endpoint): otherwise an open loop
    starts with a queue that a cold start built, which its short warm-up may not drain."""
    rng = random.Random(0)
    for n in range(4 * workers):
        response = httpx.post(url + PATH, json=application(rng, 98, n), timeout=60)
        response.raise_for_status()


def measure(quick: bool, backend: str = "sqlite", shape: Shape | None = None) -> Submissions:
    """P3 on `backend`: the rounds of the plan, each running both sides in alternating order."""
    plan = QUICK if quick else FULL
    started = os.getloadavg()[0]
    runs: dict[str, list[Run]] = {side: [] for side in SIDES}
    with (
        tempfile.TemporaryDirectory(prefix="guardpath-p3-") as scratch,
        Databases.made(backend, Path(scratch)) as databases,
        ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool,
    ):
        for number in range(plan.rounds):
            order = SIDES if number % 2 == 0 else SIDES[::-1]
            for side in order:
                folder = Path(scratch) / f"{side}-{number}"
                runs[side].append(_run(side, databases, folder, plan, pool, shape or Shape()))
    rates = {side: [run.load.rate for run in runs[side]] for side in SIDES}
    return Submissions(
        backend,
        plan,
        Side.of(runs["guardpath"]),
        Side.of(runs["bare"]),
        _ratios(rates["guardpath"], rates["bare"]),
        (started, os.getloadavg()[0]),
    )


def _ratios(ours: list[float], bare: list[float]) -> Spread:
    """Round by round; a round where the bare side acknowledged nothing (a machine too busy
    for its window) gives no ratio rather than ending the run."""
    paired = [(n, d) for n, d in zip(ours, bare, strict=True) if d > 0]
    if not paired:
        return Spread(float("nan"), float("nan"), float("nan"), 0)
    return ratios([n for n, _ in paired], [d for _, d in paired])


def show(result: Submissions) -> None:
    out = Table(title=f"P3 submissions over HTTP ({result.plan.mode}; medians, min to max)")
    for column in ("benchmark", "figure", "target", ""):
        out.add_column(column, no_wrap=True)
    for name, figure, target, met in result.rows():
        out.add_row(name, figure, target, "" if met is None else ("met" if met else "missed"))
    console = Console() if Console().is_terminal else Console(width=132)
    console.print(out)
    for side in (result.guardpath, result.bare):
        if side.client_cpu_max > 0.9:
            console.print("warning: the load generator used a whole core: it may be the limit")
    start, end = result.load_average
    console.print(f"load average {start:.2f} at the start, {end:.2f} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter windows, fewer rounds")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="worker processes per server")
    parser.add_argument("--rate", type=float, help="an open loop: submissions due per second")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = measure(args.quick, args.backend, Shape(args.workers, args.rate))
    show(result)
    if args.json:
        args.json.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
