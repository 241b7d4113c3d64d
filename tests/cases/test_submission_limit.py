"""The submissions limit counted in the submission's own transaction (one commit for both):
submissions sent at once never get past the count, every one of them is counted, and a refused
one writes its hit and nothing else. Real threads on real connections, on both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from guardpath.adapters import audit
from guardpath.adapters.tables import audit_log, rate_limits
from guardpath.bootstrap import Context
from guardpath.services import cases as services
from guardpath.services.cases import Submitted, applying
from guardpath.services.limits import Limit, TooMany

from .conftest import Cast, Snapshot, Staff

pytestmark = pytest.mark.integration

PER_HOUR = Limit("submissions", 3, timedelta(hours=1))
CLIENT = "198.51.100.23"


def submit(ctx: Context, cast: Cast, n: int) -> Callable[[], Submitted]:
    application = cast.american(passport_number=f"P{n:07d}", surname=f"Smith{n}")
    limited = (PER_HOUR, CLIENT)
    return lambda: services.submit_application(ctx, Staff.applicant, application, limited=limited)


def race(*attempts: Callable[[], Submitted]) -> list[Submitted | Exception]:
    """Start every attempt at the same moment, each on its own thread and connection."""
    start = threading.Barrier(len(attempts), timeout=30)

    def run(attempt: Callable[[], Submitted]) -> Submitted | Exception:
        start.wait()
        try:
            return attempt()
        except Exception as error:
            return error

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(run, attempts))


def hits(ctx: Context) -> list[int]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(select(rate_limits.c.hits)).scalars())


def test_it_lets_only_the_count_through_of_twelve_submissions_sent_at_once(
    ctx: Context, cast: Cast, tables: Callable[[Context], Snapshot]
) -> None:
    results = race(*[submit(ctx, cast, n) for n in range(12)])

    accepted = [r for r in results if isinstance(r, Submitted)]
    refused = [r for r in results if isinstance(r, TooMany)]
    assert len(accepted) == PER_HOUR.count, results
    assert len(refused) == 12 - PER_HOUR.count, results
    assert hits(ctx) == [12], "every submission is counted, the refused ones too"
    stored = tables(ctx)
    assert sorted(row[0] for row in stored["cases"]) == sorted(s.case.id for s in accepted)
    with ctx.engine.connect() as conn:
        entries = conn.execute(select(audit_log.c.action, audit_log.c.subject)).all()
        report = audit.verify(conn, ctx.keyring)
    assert report.ok, report.problems
    ids = {s.case.id for s in accepted}
    assert {subject for _, subject in entries} == ids, "nothing of the refused ones"
    assert sorted(e for e in entries if e[0] != "screen_applicant") == sorted(
        (action, id_) for id_ in ids for action in ("create_case", "submit_application")
    )


def test_it_writes_nothing_but_the_hit_of_a_refused_submission(
    ctx: Context, cast: Cast, tables: Callable[[Context], Snapshot]
) -> None:
    for n in range(PER_HOUR.count):
        submit(ctx, cast, n)()
    before = tables(ctx)

    with pytest.raises(TooMany) as refused:
        submit(ctx, cast, 99)()

    after = tables(ctx)
    assert refused.value.retry_after > 0
    assert hits(ctx) == [PER_HOUR.count + 1]
    del before["rate_limits"], after["rate_limits"]
    assert after == before


def test_it_refuses_a_flood_before_the_sealing_and_screening_a_submission_costs(
    ctx: Context, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(PER_HOUR.count):
        submit(ctx, cast, n)()

    def costly(*args: object, **kwargs: object) -> None:
        raise AssertionError("a submission over the limit reached the screening")

    monkeypatch.setattr(applying, "screening_of", costly)
    for n in range(3):
        with pytest.raises(TooMany):
            submit(ctx, cast, 100 + n)()
    assert hits(ctx) == [PER_HOUR.count + 3], "each refusal is counted once"
