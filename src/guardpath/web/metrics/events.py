"""Business counters from the audit entries a transaction committed: every use case already
records what happened there, as codes and counts (no personal data), so one observer sees
them all, and a rolled-back transaction counts nothing.

Each label value is checked against names from the code; anything else counts as `other`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from guardpath.adapters.audit import Entry
from guardpath.cases.model import CitizenshipState, State
from guardpath.cases.transitions import STEPS
from guardpath.services.papers import PAPERS
from guardpath.web.metrics.registry import Metrics

DECIDED = frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN})
CITIZENSHIP_DECISIONS = {f"citizenship_{s.value}": s.value for s in CitizenshipState}
LOGINS = {"login": "ok", "login_failed": "failed", "login_refused": "refused"}


def _known(value: object, names: Collection[str]) -> str:
    return value if isinstance(value, str) and value in names else "other"


def _decision(entry: Entry) -> tuple[str, str] | None:
    """(step, outcome) when the entry decides a case or its citizenship application."""
    if entry.action in CITIZENSHIP_DECISIONS:
        return entry.action, CITIZENSHIP_DECISIONS[entry.action]
    to = entry.details.get("to")
    if entry.action in STEPS and to in {s.value for s in DECIDED}:
        return entry.action, str(to)
    return None


def _screening(metrics: Metrics, entry: Entry) -> None:
    details = entry.details
    if entry.action == "screen_applicant":
        duplicates, watched = details.get("duplicate_candidates"), details.get("watchlist_matches")
    elif entry.action == "screen_watchlist":
        duplicates, watched = None, details.get("matches")
    else:
        return
    for source, found in (("duplicates", duplicates), ("watchlist", watched)):
        if isinstance(found, int) and found > 0:
            metrics.screening_matches.labels(source).inc(found)


def count_committed(metrics: Metrics, entries: Sequence[Entry]) -> None:
    for entry in entries:
        if entry.action == "submit_application":
            metrics.submissions.inc()
        decided = _decision(entry)
        if decided is not None:
            metrics.decisions.labels(*decided).inc()
        _screening(metrics, entry)
        if entry.action == "download_paper":
            metrics.papers.labels(_known(entry.details.get("paper"), PAPERS)).inc()
        if entry.action in LOGINS:
            metrics.logins.labels(LOGINS[entry.action]).inc()
