"""P3's load generator: CLIENTS asyncio clients submitting valid, distinct applications to
one server, in a process of its own (bench/submissions.py runs it against both sides)."""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

PATH = "/api/v1/applications"
CLIENTS = 50
REQUEST_TIMEOUT = 120.0

SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]
COUNTRIES = ("US", "GB", "PL", "GE", "CA", "DE", "FR", "LT", "BR", "CO", "AU", "IE", "CZ", "JP")


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
    http: httpx.AsyncClient, client: int, window: tuple[float, float], seed: int, load: Load
) -> None:
    rng = random.Random(seed * 1000 + client)
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
    # The clients are made before the clock starts: each builds a TLS context (tens of ms of
    # CPU), and fifty of them on a busy machine took longer than a quick run's whole window.
    https = [httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) for _ in range(clients)]
    start = time.perf_counter()
    window = (start + warmup, start + warmup + seconds)
    load = Load(seconds)
    tasks = [
        asyncio.create_task(_client(http, i, window, seed, load)) for i, http in enumerate(https)
    ]
    await asyncio.sleep(warmup)
    cpu = time.process_time()
    await asyncio.sleep(window[1] - time.perf_counter())
    load.client_cpu = (time.process_time() - cpu) / seconds
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for http in https:
        await http.aclose()
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
