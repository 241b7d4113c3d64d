"""Two officers act on one case at once: one wins, the other is told of the conflict, and
nothing is lost. Real threads on real connections, on both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from guardpath.adapters import audit
from guardpath.adapters.repository import CaseRepository
from guardpath.bootstrap import Context
from guardpath.cases.model import Case, State
from guardpath.cases.transitions import Conflict
from guardpath.services import cases as services

from .conftest import Cast, FakeClock, Journey, Snapshot, Staff

pytestmark = pytest.mark.integration

Attempt = Callable[[], Case]


def race(*attempts: Attempt) -> list[Case | BaseException]:
    """Start every attempt at the same moment, each on its own thread and connection."""
    start = threading.Barrier(len(attempts), timeout=10)

    def run(attempt: Attempt) -> Case | BaseException:
        start.wait()
        try:
            return attempt()
        except Exception as error:
            return error

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(run, attempts))


def one_winner(results: list[Case | BaseException]) -> Case:
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if not isinstance(r, Case)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in losers), losers
    assert "changed by someone else" in str(losers[0])
    return winners[0]


def assert_one_transition(ctx: Context, journey: Journey, case_id: str, before: Case) -> Case:
    after = journey.load(case_id)
    assert after.version == before.version + 1
    assert len(after.history) == len(before.history) + 1
    assert after.history[:-1] == before.history
    with ctx.engine.connect() as conn:
        report = audit.verify(conn, ctx.keyring)
    assert report.ok, report.problems
    return after


def test_it_lets_one_of_an_approval_and_a_rejection_with_the_same_version_win(
    ctx: Context, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.american())
    journey.to_interview(case_id)
    before = journey.load(case_id)
    seen = before.version
    winner = one_winner(
        race(
            lambda: services.approve(
                ctx, Staff.commander, case_id, rank_group="private", expected_version=seen
            ),
            lambda: services.reject(
                ctx, Staff.recruiter, case_id, reason="no vacancy", expected_version=seen
            ),
        )
    )
    after = assert_one_transition(ctx, journey, case_id, before)
    assert after.state is winner.state
    assert (
        after.history[-1].action
        == {State.APPROVED: "approve", State.REJECTED: "reject"}[winner.state]
    )


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_it_calls_a_stale_version_a_conflict_whoever_acted_first(
    ctx: Context,
    cast: Cast,
    journey: Journey,
    tables: Callable[[Context], Snapshot],
    first: str,
) -> None:
    case_id = journey.submit(cast.american())
    seen = journey.to_interview(case_id).version
    act: dict[str, Callable[[], Case]] = {
        "approve": lambda: services.approve(
            ctx, Staff.commander, case_id, rank_group="private", expected_version=seen
        ),
        "reject": lambda: services.reject(
            ctx, Staff.recruiter, case_id, reason="no vacancy", expected_version=seen
        ),
    }
    act[first]()
    before = tables(ctx)
    second = next(a for a in act if a != first)
    with pytest.raises(Conflict):
        act[second]()
    assert tables(ctx) == before


def test_it_refuses_an_approval_on_a_version_older_than_the_case(
    ctx: Context, cast: Cast, journey: Journey, tables: Callable[[Context], Snapshot]
) -> None:
    case_id = journey.submit(cast.american())
    case = journey.to_interview(case_id)
    before = tables(ctx)
    with pytest.raises(Conflict):
        services.approve(
            ctx,
            Staff.commander,
            case_id,
            rank_group="private",
            expected_version=case.version - 1,
        )
    assert tables(ctx) == before


@contextmanager
def both_read_first() -> Iterator[None]:
    """Hold each racer after it has read the case until the other has read it too, so both
    decide on the same version and only the database can tell them apart."""
    barrier = threading.Barrier(2, timeout=10)
    original = CaseRepository.get

    def get(self: CaseRepository, case_id: str) -> Any:
        case = original(self, case_id)
        barrier.wait()
        return case

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CaseRepository, "get", get)
        yield


def test_it_stops_the_lost_update_when_both_officers_read_before_either_writes(
    postgres_ctx: Context, clock: FakeClock, cast: Cast
) -> None:
    # PostgreSQL only: SQLite takes its write lock at BEGIN IMMEDIATE, so a second writer
    # cannot even read until the first commits, and this interleaving cannot happen there.
    ctx = postgres_ctx
    journey = Journey(ctx, clock)
    case_id = journey.submit(cast.american())
    journey.to_interview(case_id)
    before = journey.load(case_id)
    with both_read_first():
        results = race(
            lambda: services.approve(ctx, Staff.commander, case_id, rank_group="private"),
            lambda: services.reject(ctx, Staff.recruiter, case_id, reason="no vacancy"),
        )
    winner = one_winner(results)
    after = assert_one_transition(ctx, journey, case_id, before)
    assert after.state is winner.state


def test_it_queues_four_writers_on_sqlite_without_a_lock_error_or_a_lost_write(
    sqlite_ctx: Context, clock: FakeClock, cast: Cast
) -> None:
    journey = Journey(sqlite_ctx, clock)
    case_id = journey.submit(cast.belarusian())
    before = journey.to_service(case_id)
    # BEGIN IMMEDIATE makes each writer wait its turn: no "database is locked", and each one
    # reads what the last one wrote (these steps carry no expected version to conflict with).
    results = race(*[lambda: services.record_award(sqlite_ctx, Staff.commander, case_id)] * 4)
    done = [r for r in results if isinstance(r, Case)]
    assert len(done) == 4, results
    assert sorted(r.version for r in done) == [before.version + n for n in (1, 2, 3, 4)]
    after = journey.load(case_id)
    assert after.version == before.version + 4
    assert [e.action for e in after.history[-4:]] == ["record_award"] * 4
