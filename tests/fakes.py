"""A unit of work in memory, for testing case steps without a database.

`Context(units=MemoryWork.maker(store))` makes the case steps (services/cases) work on `store`:
cases as plain objects, committed by copying, with a version check like the repository's. What
it cannot show (sealing, SQL, the chain's MACs, two connections racing) the real-database tests
in tests/cases/ and tests/reliability/ show.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any

from guardpath.adapters.audit import Entry
from guardpath.cases.model import (
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
)
from guardpath.cases.transitions import Conflict, NotFound


@dataclass
class MemoryStore:
    """What a database would hold: the cases, and the audit entries in order."""

    cases: dict[str, Case] = field(default_factory=dict)
    audit: list[Entry] = field(default_factory=list)
    commits: int = 0


class MemoryCases:
    """The case store of one unit of work: a copy of the store's cases, changed in place."""

    def __init__(self, cases: dict[str, Case]) -> None:
        self.cases = cases

    def add(self, case: Case, at: datetime, resume_code_hash: str | None = None) -> None:
        if case.id in self.cases:
            raise Conflict(f"case {case.id} exists")
        self.cases[case.id] = deepcopy(replace(case, created_at=at))

    def get(self, case_id: str) -> Case:
        if case_id not in self.cases:
            raise NotFound(f"no case {case_id}")
        return deepcopy(self.cases[case_id])

    def save(self, case: Case, expected_version: int, at: datetime) -> None:
        stored = self.cases.get(case.id)
        if stored is None or stored.version != expected_version:
            raise Conflict(f"case {case.reference} was changed by someone else")
        case.version = expected_version + 1
        kept = deepcopy(case)
        kept.history = stored.history
        kept.contract, kept.citizenship = stored.contract, stored.citizenship
        kept.service_periods = stored.service_periods
        self.cases[case.id] = kept

    def next_history_seq(self, case_id: str) -> int:
        return len(self.cases[case_id].history) + 1

    def append_history(self, case_id: str, entry: HistoryEntry) -> None:
        self.cases[case_id].history.append(deepcopy(entry))

    def save_contract(self, case_id: str, contract: Contract) -> None:
        self.cases[case_id].contract = deepcopy(contract)

    def add_service_period(self, case_id: str, period: ServicePeriod) -> None:
        self.cases[case_id].service_periods.append(deepcopy(period))

    def end_service_period(self, case_id: str, end: date) -> None:
        self.cases[case_id].service_periods[-1].end = end

    def save_citizenship(self, case_id: str, application: CitizenshipApplication) -> None:
        self.cases[case_id].citizenship = deepcopy(application)


class MemoryWork:
    """The `Work` port (services/unit_of_work.py) over a `MemoryStore`: all or nothing."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    @staticmethod
    def maker(store: MemoryStore) -> Callable[[Any], MemoryWork]:
        """For `Context(units=...)`: each unit of work on the same store."""
        return lambda _ctx: MemoryWork(store)

    @property
    def cases(self) -> MemoryCases:
        return self._cases

    def __enter__(self) -> MemoryWork:
        self._cases = MemoryCases(deepcopy(self.store.cases))
        self._entries: list[Entry] = []
        return self

    def audit(self, entry: Entry) -> None:
        self._entries.append(entry)

    def commit(self) -> None:
        self.store.cases = deepcopy(self._cases.cases)
        self.store.audit += self._entries
        self._entries = []
        self.store.commits += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._entries = []
