"""P1: one enlistment decision with the full explanation, in process.

guardpath: `decide("enlistment", parse_facts(raw), on).reasons`, from the facts object to the
answer with its explanation tree, read (an Answer builds its explanation when it is first read,
so the read is timed too). Also timed: the same without reading the explanation (what a caller
that needs only the outcome, the missing facts and the open questions pays), and `decide` alone on
facts parsed once. The peer: OpenFisca building the simulation for one person from its
situation JSON and calculating the outcome (no explanation: OpenFisca has none to give).
Each round times both back to back; the ratio is taken per round. timeit switches the garbage
collector off while it times, for both alike.
"""

from __future__ import annotations

import timeit
from dataclasses import dataclass
from datetime import date
from typing import Any

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from measure import Spread, ratios
from peers import openfisca_enlistment as peer
from people import AMERICAN_VOLUNTEER

ON = date(2024, 11, 1)
OURS_CALLS = 2000
PEER_CALLS = 50


@dataclass(frozen=True)
class Decision:
    """Microseconds per decision."""

    guardpath: Spread
    decide_only: Spread
    peer: Spread
    ratio: Spread
    """OpenFisca's time over guardpath's, round by round: how many times faster guardpath is."""
    unread: Spread
    """parse + decide with the explanation left unbuilt (not read)."""
    ratio_unread: Spread

    def as_json(self) -> dict[str, Any]:
        return {
            "on": ON.isoformat(),
            "person": "american_volunteer (legislation/cast.cases.yaml), facts complete",
            "guardpath_us": self.guardpath.as_json(),
            "guardpath_decide_only_us": self.decide_only.as_json(),
            "openfisca_us": self.peer.as_json(),
            "ratio_openfisca_over_guardpath": self.ratio.as_json(),
            "guardpath_explanation_not_read_us": self.unread.as_json(),
            "ratio_openfisca_over_guardpath_explanation_not_read": self.ratio_unread.as_json(),
            "calls_per_round": {"guardpath": OURS_CALLS, "openfisca": PEER_CALLS},
        }


def _microseconds(action: Any, calls: int) -> float:
    return timeit.timeit(action, number=calls) / calls * 1e6


def measure(system: TaxBenefitSystem, rounds: int) -> Decision:
    raw = AMERICAN_VOLUNTEER
    facts = parse_facts(raw)
    answer = decide("enlistment", facts, ON)
    if answer.outcome != "eligible" or not answer.reasons or not peer.decide_one(system, raw, ON):
        raise AssertionError("P1: the American volunteer should be eligible on both sides")

    def ours() -> object:
        return decide("enlistment", parse_facts(raw), ON).reasons

    def ours_unread() -> object:
        return decide("enlistment", parse_facts(raw), ON)

    def ours_decide_only() -> object:
        return decide("enlistment", facts, ON)

    def theirs() -> object:
        return peer.decide_one(system, raw, ON)

    full, only, other, unread = [], [], [], []
    for _ in range(rounds):
        full.append(_microseconds(ours, OURS_CALLS))
        unread.append(_microseconds(ours_unread, OURS_CALLS))
        only.append(_microseconds(ours_decide_only, OURS_CALLS))
        other.append(_microseconds(theirs, PEER_CALLS))
    return Decision(
        Spread.of(full),
        Spread.of(only),
        Spread.of(other),
        ratios(other, full),
        Spread.of(unread),
        ratios(other, unread),
    )
