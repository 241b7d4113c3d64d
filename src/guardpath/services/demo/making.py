"""Demo cases: the command's service, filling a database with demo cases and reporting them."""

from __future__ import annotations

import heapq
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Protocol

from guardpath.cases.model import Case
from guardpath.services.demo.people import FIRST_DAY, DemoError, Progress
from guardpath.services.demo.running import Clock, Step, Story
from guardpath.services.demo.stories import plans
from guardpath.services.ports import Ports


class DemoPorts(Ports, Protocol):
    """What writing demo data needs besides the usual ports: the same database on the demo's
    own clock, written without waiting for the disk at each commit (bootstrap's `invented`)."""

    def invented(self, clock: Callable[[], datetime]) -> AbstractContextManager[Ports]: ...


# -- the command's service -----------------------------------------------------------------------
@dataclass
class DemoReport:
    cases: int
    steps: int
    states: Counter[str] = field(default_factory=Counter)
    citizenship: Counter[str] = field(default_factory=Counter)
    countries: int = 0
    seconds: float = 0.0


def make_demo_data(
    ctx: DemoPorts,
    *,
    cases: int = 200,
    seed: int = 0,
    until: date | None = None,
    on_progress: Progress | None = None,
) -> DemoReport:
    """Write `cases` invented cases into an empty database, run through the services."""
    started = time.perf_counter()
    last = until or ctx.clock().date()
    _check(ctx, cases, last)
    clock = Clock(datetime.combine(FIRST_DAY, clock_time(0), UTC))
    with ctx.invented(clock) as demo:
        stories = [
            Story(demo, plan, f"guardpath-demo:{seed}:{index}:steps")
            for index, plan in enumerate(plans(seed, cases, last))
        ]
        steps = _run(stories, clock, last, on_progress)
    return _report(stories, steps, time.perf_counter() - started)


def _run(stories: list[Story], clock: Clock, last: date, on_progress: Progress | None) -> int:
    """Every story's steps in time order, the clock set to each step's moment; returns steps."""
    queue: list[tuple[datetime, int, int, Step]] = []
    for index, story in enumerate(stories):
        heapq.heappush(queue, (story.first()[0], index, 0, story.first()))
    end = datetime.combine(last, clock_time(23, 59), UTC)
    total_days, steps = (last - FIRST_DAY).days, 0
    while queue:
        when, index, n, step = heapq.heappop(queue)
        if when > end:
            continue
        clock.now = when
        following = stories[index].act(step)
        steps += 1
        if following is not None:
            heapq.heappush(queue, (following[0], index, n + 1, following))
        if on_progress is not None:
            on_progress((when.date() - FIRST_DAY).days, total_days)
    if on_progress is not None:
        on_progress(total_days, total_days)
    return steps


def _check(ctx: Ports, n: int, until: date) -> None:
    if ctx.settings.production:
        raise DemoError("GUARDPATH_ENV is production: demo data is never written there")
    if n < 1:
        raise DemoError("--cases: at least 1")
    if not FIRST_DAY + timedelta(days=180) <= until <= date.today():
        raise DemoError(f"--until: a day from {FIRST_DAY + timedelta(days=180)} to today")
    held = ctx.stored_cases()
    if held:
        raise DemoError(f"the database already holds {held:,} cases; demo data needs an empty one")


def _report(stories: list[Story], steps: int, seconds: float) -> DemoReport:
    report = DemoReport(cases=0, steps=steps, seconds=seconds)
    countries: set[str] = set()
    for story in stories:
        case = story.case
        if case is None:
            continue
        report.cases += 1
        report.states[case.state.value] += 1
        if case.citizenship is not None:
            report.citizenship[case.citizenship.state.value] += 1
        countries |= set(case.person.citizenships)
    report.countries = len(countries)
    return report


def story_of(case: Case) -> dict[str, Any]:
    """What a case went through, without its random ids: for comparing two runs."""
    person = case.person
    return {
        "person": [person.given_names, person.surname, person.native_name, str(person.birth_date)],
        "state": case.state.value,
        "facts": case.facts,
        "history": [(h.action, h.to_state.value, h.at.isoformat(), h.reason) for h in case.history],
        "citizenship": case.citizenship.state.value if case.citizenship else None,
    }
