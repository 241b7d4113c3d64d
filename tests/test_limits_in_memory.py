"""The limits' arithmetic (services/limits.py) on the unit of work in memory (tests/fakes.py):
fixed windows, the longest wait of several limits, hits given back and counters forgotten. The
counters' atomic statement on SQLite and PostgreSQL is in tests/cases/test_console_repositories.py
and tests/web/test_abuse.py (forty guesses at once)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakes import Clock, MemoryStore, memory_context
from guardpath.bootstrap import Context
from guardpath.services.limits import Limit, TooMany, give_back, subject, take

PER_MINUTE = Limit("per_minute", 2, timedelta(minutes=1))
PER_HOUR = Limit("per_hour", 3, timedelta(hours=1))
START = datetime(2025, 3, 3, 10, 0, 10, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ctx(store: MemoryStore, clock: Clock, tmp_path: Path) -> Context:
    return memory_context(store, tmp_path, clock)


def test_it_refuses_past_the_count_until_the_window_turns(
    ctx: Context, clock: Clock, store: MemoryStore
) -> None:
    take(ctx, (PER_MINUTE, "client"))
    take(ctx, (PER_MINUTE, "client"))
    with pytest.raises(TooMany) as refused:
        take(ctx, (PER_MINUTE, "client"))
    assert refused.value.retry_after == 50  # the window ends at 10:01:00
    assert store.commits == 3  # the refused hit is counted too

    clock.now += timedelta(seconds=50)
    take(ctx, (PER_MINUTE, "client"))  # a new window
    # Its first hit dropped the windows that were over.
    assert [hits for hits, _ in store.limits.values()] == [1]


def test_it_counts_every_limit_and_waits_for_the_longest(ctx: Context) -> None:
    for _ in range(3):
        take(ctx, (PER_HOUR, "client"))
    with pytest.raises(TooMany) as refused:
        take(ctx, (PER_MINUTE, subject("GP-1", "client")), (PER_HOUR, "client"))
    assert refused.value.retry_after == 3600 - 10


def test_a_right_guess_gives_its_hit_back_and_forgets_the_misses_on_its_own_target(
    ctx: Context, store: MemoryStore
) -> None:
    target = subject("GP-1", "client")
    take(ctx, (PER_MINUTE, target), (PER_HOUR, "client"))  # a miss
    right = take(ctx, (PER_MINUTE, target), (PER_HOUR, "client"))
    give_back(ctx, right, forget=(PER_MINUTE,))

    counts = {rule: hits for (rule, _, _), (hits, _) in store.limits.items()}
    assert counts == {"per_hour": 1}  # the miss still counts against the client
