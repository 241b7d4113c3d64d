"""The self-check run before any timing: the OpenFisca peer and guardpath must agree, so the two
run the same rules.

On a sample of generated foreigners with every fact present, on dates either side of each change
in the law, every row guardpath decides (eligible or ineligible) must have the peer's outcome,
and every rule guardpath decides (met, not met, or not applicable, which the peer reads as met)
the peer's condition. The single-person path of the peer (its situation JSON) is checked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from guardpath.law.batch import evaluate_frame
from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from peers import openfisca_enlistment as peer
from people import AMERICAN_VOLUNTEER, complete_foreigners, facts_json, with_age_boundaries

DATES = (
    date(2015, 11, 12),  # the AFU opens (Law 716-VIII)
    date(2019, 8, 24),
    date(2019, 8, 25),  # a military registration document proves lawful stay (Law 2743-VIII)
    date(2021, 2, 28),  # 29 February birthdays in a common year
    date(2022, 2, 23),
    date(2022, 2, 24),  # martial law: the age limit becomes 60
    date(2024, 2, 20),
    date(2024, 2, 21),  # the NGU opens (Decree 84/2024)
    date(2024, 10, 29),  # the DSST is unknown in guardpath until the next day
    date(2024, 10, 30),  # special check, officer posts, the DSST (Law 4019-IX)
    date(2024, 11, 1),
)
SINGLE_ROWS = 50


class Disagreement(AssertionError):
    """The peer and guardpath decided a row differently: they do not run the same rules."""


@dataclass
class Agreement:
    rows: int
    dates: list[str]
    outcomes_compared: int = 0
    rule_statuses_compared: int = 0
    undetermined_skipped: int = 0
    single_person_compared: int = 0
    eligible_share: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check(system: TaxBenefitSystem, rows: int = 2000) -> Agreement:
    """Raise Disagreement at the first row the two decide differently."""
    sample = complete_foreigners(rows)
    report = Agreement(rows=rows, dates=[d.isoformat() for d in DATES])
    for on in DATES:
        _check_date(system, with_age_boundaries(sample, on), on, report)
    _check_single(system, sample, report)
    return report


def _check_date(
    system: TaxBenefitSystem, people: pl.DataFrame, on: date, report: Agreement
) -> None:
    ours = evaluate_frame(people, "enlistment", on)
    simulation = peer.simulate(system, peer.input_arrays(people), on)
    theirs = simulation.calculate(peer.ROOT, on.isoformat())
    outcome = ours["outcome"].cast(pl.String).to_numpy()
    decided = outcome != "undetermined"
    _same(on, "outcome", people, decided, outcome == "eligible", theirs)
    report.outcomes_compared += int(decided.sum())
    report.undetermined_skipped += int((~decided).sum())
    report.eligible_share[on.isoformat()] = float((outcome == "eligible").mean())
    if on == DATES[-1] and (ours["missing"].list.len() > 0).any():
        # Undetermined with nothing missing is the law's own open question (e.g. whether "up
        # to 60" ends on the 60th birthday); undetermined for a missing fact would be a defect.
        raise Disagreement(f"{on}: guardpath found a fact missing where every fact is known")
    for variable, rule in peer.RULES.items():
        status = ours[f"rule:{rule}"].cast(pl.String).to_numpy()
        known = status != "unknown"
        met = (status == "met") | (status == "not_applicable")
        _same(on, rule, people, known, met, simulation.calculate(variable, on.isoformat()))
        report.rule_statuses_compared += int(known.sum())


def _same(on: date, what: str, people: pl.DataFrame, where: Any, ours: Any, theirs: Any) -> None:
    differ = np.flatnonzero(where & (ours != theirs))
    if differ.size:
        row = people.row(int(differ[0]), named=True)
        raise Disagreement(
            f"{on}, {what}: guardpath {bool(ours[differ[0]])}, OpenFisca {bool(theirs[differ[0]])} "
            f"on {differ.size} rows, first {row}"
        )


def _check_single(system: TaxBenefitSystem, sample: pl.DataFrame, report: Agreement) -> None:
    on = DATES[-1]
    people = [AMERICAN_VOLUNTEER, *(facts_json(r) for r in sample.head(SINGLE_ROWS).to_dicts())]
    for raw in people:
        ours = decide("enlistment", parse_facts(raw), on, explain_tree=False).outcome
        theirs = peer.decide_one(system, raw, on)
        if (ours == "eligible") != theirs:
            raise Disagreement(f"{on}, one person: guardpath {ours}, OpenFisca {theirs}: {raw}")
        report.single_person_compared += 1


if __name__ == "__main__":
    print(check(peer.tax_benefit_system()).as_json())
