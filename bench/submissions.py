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
submitting valid, distinct applications (names, birth dates, passports) back to back. The first
seconds are a warm-up; then every response that ends within the measured window is counted, and
each acknowledged one (2xx) gives its latency. Requests still open when the window closes are
cancelled and not counted. Each server starts on a fresh copy of one migrated template, so
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
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx
import psutil
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.settings import Settings
from measure import Row, Spread, ratios

ROOT = Path(__file__).resolve().parents[1]
BARE = Path(__file__).resolve().parent / "peers" / "bare_submissions.py"
PATH = "/api/v1/applications"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
CLIENTS = 50
MIN_RATIO = 0.5
P99_MAX_MS = 50.0
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 120.0
SIDES = ("guardpath", "bare")

SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]
COUNTRIES = ("US", "GB", "PL", "GE", "CA", "DE", "FR", "LT", "BR", "CO", "AU", "IE", "CZ", "JP")


@dataclass(frozen=True)
class Plan:
    mode: str
    rounds: int
    warmup: float
    seconds: float


FULL = Plan("full", 3, 2.0, 10.0)
QUICK = Plan("quick", 2, 1.0, 4.0)


# -- the load generator (runs in its own process) ---------------------------------------------
def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def application(rng: random.Random, client: int, n: int) -> dict[str, Any]:
    """A valid application, distinct from every other of the run by its passport number."""
    given, surname = _name(rng), _name(rng)
    born = f"{rng.randint(1970, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "person": {
            "given_names": given,
            "surname": surname,
            "birth_date": born,
            "sex": "female" if rng.random() < 0.1 else "male",
            "citizenships": [rng.choice(COUNTRIES)],
            "passport_number": f"X{rng.randrange(10**4):04d}{client:02d}{n:06d}",
            "email": f"{given.lower()}.{surname.lower()}@example.org",
        },
        "facts": {"prior_military_service": rng.random() < 0.3},
        "formation": "ngu",
        "consents": {"data_processing": True, "verification": True},
    }


@dataclass
class Load:
    """What the clients saw in the measured window."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    """Of the acknowledged (2xx) responses."""
    refused: int = 0
    """Other HTTP answers (an error of the server, a validation failure)."""
    failed: int = 0
    """No answer: a refused connection, a timeout."""
    client_cpu: float = 0.0
    """The load generator's CPU seconds over the window's seconds: near 1, it is the limit."""
    acknowledged_total: int = 0
    """Acknowledged over the whole run, warm-up included."""

    def record(self, status: int | None, seconds: float, in_window: bool) -> None:
        acknowledged = status is not None and 200 <= status < 300
        self.acknowledged_total += acknowledged
        if not in_window:
            return
        if status is None:
            self.failed += 1
        elif acknowledged:
            self.latencies_ms.append(seconds * 1e3)
        else:
            self.refused += 1

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100)[p - 1]


async def _client(
    url: str, client: int, window: tuple[float, float], seed: int, load: Load
) -> None:
    rng = random.Random(seed * 1000 + client)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as http:
        for n in itertools.count():
            body = application(rng, client, n)
            sent = time.perf_counter()
            try:
                status: int | None = (await http.post(PATH, json=body)).status_code
            except httpx.HTTPError:
                status = None
            done = time.perf_counter()
            load.record(status, done - sent, window[0] <= done < window[1])


async def _load(url: str, clients: int, warmup: float, seconds: float, seed: int) -> Load:
    start = time.perf_counter()
    window = (start + warmup, start + warmup + seconds)
    load = Load(seconds)
    tasks = [asyncio.create_task(_client(url, i, window, seed, load)) for i in range(clients)]
    await asyncio.sleep(warmup)
    cpu = time.process_time()
    await asyncio.sleep(window[1] - time.perf_counter())
    load.client_cpu = (time.process_time() - cpu) / seconds
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return load


async def _open_load(url: str, rate: float, warmup: float, seconds: float, seed: int) -> Load:
    """Submissions due at a fixed rate, each sent at its time on its own task."""
    rng = random.Random(seed)
    start = time.perf_counter()
    window = (start + warmup, start + warmup + seconds)
    load = Load(seconds)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=limits) as http:

        async def one(n: int, due: float) -> None:
            try:
                status: int | None = (
                    await http.post(PATH, json=application(rng, 99, n))
                ).status_code
            except httpx.HTTPError:
                status = None
            done = time.perf_counter()
            load.record(status, done - due, window[0] <= due < window[1])

        tasks = []
        cpu = 0.0
        for n in itertools.count():
            due = start + n / rate
            if due >= window[1]:
                break
            if due <= window[0] < due + 1 / rate:
                cpu = time.process_time()
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(n, due)))
        load.client_cpu = (time.process_time() - cpu) / seconds
        await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT)
    return load


def generate_load(
    url: str, clients: int, warmup: float, seconds: float, seed: int, rate: float | None = None
) -> Load:
    """CLIENTS clients submitting back to back (or, with `rate`, submissions due at that rate)
    for warm-up + seconds; the window's tally."""
    if rate is not None:
        return asyncio.run(_open_load(url, rate, warmup, seconds, seed))
    return asyncio.run(_load(url, clients, warmup, seconds, seed))


# -- the servers and their databases ----------------------------------------------------------
def _settings(data_dir: Path, database_url: str | None) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url, key_file=None, keys=None)


@dataclass(frozen=True)
class Databases:
    """A migrated template (a data folder with development keys, and on PostgreSQL a template
    database) and fresh copies of it, one for each server run."""

    template: Path
    postgres_template: str | None = None

    @classmethod
    @contextmanager
    def made(cls, backend: str, folder: Path) -> Iterator[Databases]:
        template = folder / "template"
        if backend == "sqlite":
            ctx = bootstrap(_settings(template, None))
            upgrade(ctx.engine)
            ctx.engine.dispose()
            yield cls(template)
            return
        name = f"guardpath_p3_{uuid.uuid4().hex[:8]}"
        _postgres(f"CREATE DATABASE {name}")
        try:
            ctx = bootstrap(_settings(template, f"{POSTGRES}/{name}"))
            upgrade(ctx.engine)
            ctx.engine.dispose()
            yield cls(template, name)
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @contextmanager
    def fresh(self, folder: Path) -> Iterator[dict[str, str]]:
        """The environment of a server on a fresh copy of the template."""
        shutil.copytree(self.template, folder)
        # Every client is 127.0.0.1: the submissions limit is raised past what a run sends,
        # so its counter is still kept (and costs what it costs) but never refuses.
        env = {"GUARDPATH_DATA_DIR": str(folder), "GUARDPATH_SUBMISSIONS_PER_HOUR": str(10**9)}
        if self.postgres_template is None:
            yield env
            shutil.rmtree(folder)
            return
        name = f"{self.postgres_template}_{uuid.uuid4().hex[:6]}"
        _postgres(f"CREATE DATABASE {name} TEMPLATE {self.postgres_template}")
        try:
            yield env | {"GUARDPATH_DATABASE_URL": f"{POSTGRES}/{name}"}
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            shutil.rmtree(folder)


def _postgres(statement: str) -> None:
    engine = create_engine(f"{POSTGRES}/test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(side: str, port: int, workers: int) -> list[str]:
    if side == "guardpath":
        serve = "from guardpath.cli import app; app()"
        return [
            sys.executable,
            "-c",
            serve,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    return [sys.executable, str(BARE), str(port), str(workers)]


@dataclass(frozen=True)
class Server:
    url: str
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """The server's CPU seconds, its worker processes' included."""
        total = 0.0
        for process in (self.process, *self.process.children(recursive=True)):
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total


@contextmanager
def serving(side: str, env: dict[str, str], log: Path, workers: int = 1) -> Iterator[Server]:
    """The side's server, started and answering. Stopped on the way out."""
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUARDPATH_")}
    with log.open("wb") as output:
        process = subprocess.Popen(
            _command(side, port, workers), cwd=ROOT, env=clean | env, stdout=output, stderr=output
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(process, url, log)
            yield Server(url, psutil.Process(process.pid))
        finally:
            _stop(process)


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server died: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=1)  # any answer, even 404, means it is listening
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


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
        cpu = server.cpu_seconds()
        args = (server.url, CLIENTS, plan.warmup, plan.seconds, seed, shape.rate)
        job = pool.submit(generate_load, *args)
        load = job.result()
        return Run(load, server.cpu_seconds() - cpu)


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
        ratios(rates["guardpath"], rates["bare"]),
        (started, os.getloadavg()[0]),
    )


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
