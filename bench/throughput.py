"""P2: a population end to end, from a Parquet file of people to a Parquet file of results, and
how guardpath's batch scales with the number of people.

guardpath: `evaluate_file` (read and validate the table, evaluate in chunks of 250,000 rows, a
status column per rule, the outcome and the missing facts, write Parquet). Peers, in the same
rounds: OpenFisca on the same rules (read Parquet, NumPy arrays, build_default_simulation,
set_input per variable, calculate every condition, write Parquet: no validation, no unknowns), and
a plain Python loop over guardpath's single-person path (`decide(..., explain_tree=False)`, which
gives the outcome and missing facts but no per-rule statuses) on a sample, extrapolated as
people per second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from guardpath.law.batch_file import evaluate_file
from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from measure import LinearFit, Spread, growth, per_second, ratios, seconds
from peers import openfisca_enlistment as peer

ON = date(2024, 11, 1)
PEER_BUDGET_SECONDS = 60.0
"""Above this per run, OpenFisca runs on a smaller population (and the report says so)."""
LINEAR = (0.85, 1.15)


def python_loop(source: Path, on: date, out: Path) -> int:
    """The single-person path row by row: parse the facts, decide without the tree, write."""
    people = pl.read_parquet(source)
    outcomes, missing = [], []
    for row in people.to_dicts():
        row.pop("id", None)
        answer = decide("enlistment", parse_facts(row), on, explain_tree=False)
        outcomes.append(answer.outcome)
        missing.append(answer.missing)
    results = {"id": people["id"], "outcome": outcomes, "missing": missing}
    pl.DataFrame(results, schema_overrides={"missing": pl.List(pl.String)}).write_parquet(out)
    return people.height


def peer_size(system: TaxBenefitSystem, files: dict[int, Path], wanted: int, folder: Path) -> int:
    """The largest population OpenFisca gets through within the budget, by a trial run."""
    trial = max(size for size in files if size <= min(wanted, 100_000))
    spent = seconds(partial(peer.evaluate_file, system, files[trial], ON, folder / "trial.parquet"))
    fitting = [s for s in files if s <= wanted and spent * s / trial <= PEER_BUDGET_SECONDS]
    return max(fitting, default=trial)


@dataclass(frozen=True)
class Population:
    n: int
    peer_n: int
    loop_n: int
    guardpath: Spread
    openfisca: Spread
    loop: Spread
    ratio_openfisca: Spread
    ratio_loop: Spread

    def as_json(self) -> dict[str, Any]:
        return {
            "on": ON.isoformat(),
            "people": self.n,
            "guardpath_people_per_s": self.guardpath.as_json(),
            "guardpath_seconds_median": self.n / self.guardpath.median,
            "openfisca_people": self.peer_n,
            "openfisca_people_per_s": self.openfisca.as_json(),
            "python_loop_people": self.loop_n,
            "python_loop_people_per_s": self.loop.as_json(),
            "ratio_guardpath_over_openfisca": self.ratio_openfisca.as_json(),
            "ratio_guardpath_over_python_loop": self.ratio_loop.as_json(),
            "note": (
                "people per second, end to end (Parquet in, Parquet out); OpenFisca on "
                f"{self.peer_n:,} people and the Python loop on a sample of {self.loop_n:,}, "
                "extrapolated as a rate"
            ),
        }


def measure(
    system: TaxBenefitSystem, files: dict[int, Path], sizes: tuple[int, int, int], rounds: int
) -> Population:
    n, peer_n, loop_n = sizes
    folder = files[n].parent
    ours, theirs, loop = [], [], []
    for _ in range(rounds):
        ours.append(
            seconds(partial(evaluate_file, files[n], "enlistment", ON, folder / "gp.parquet"))
        )
        theirs.append(
            seconds(partial(peer.evaluate_file, system, files[peer_n], ON, folder / "of.parquet"))
        )
        loop.append(seconds(partial(python_loop, files[loop_n], ON, folder / "loop.parquet")))
    rate = [n / s for s in ours]
    return Population(
        n=n,
        peer_n=peer_n,
        loop_n=loop_n,
        guardpath=per_second(n, ours),
        openfisca=per_second(peer_n, theirs),
        loop=per_second(loop_n, loop),
        ratio_openfisca=ratios(rate, [peer_n / s for s in theirs]),
        ratio_loop=ratios(rate, [loop_n / s for s in loop]),
    )


@dataclass(frozen=True)
class Scaling:
    sizes: list[int]
    seconds: list[Spread]
    fit: LinearFit
    growth: list[float]

    @property
    def shape(self) -> str:
        """How cost grows between the two largest sizes."""
        step = self.growth[-1]
        if step < LINEAR[0]:
            return "sublinear: a fixed cost still weighs"
        return "linear" if step <= LINEAR[1] else "superlinear"

    def as_json(self) -> dict[str, Any]:
        return {
            "sizes": [
                {
                    "people": size,
                    "seconds": spread.as_json(),
                    "people_per_s_median": size / spread.median,
                }
                for size, spread in zip(self.sizes, self.seconds, strict=True)
            ],
            "growth_between_sizes": self.growth,
            "growth_between_largest": self.shape,
            "linear_fit": self.fit.as_json(),
            "note": "growth is log(t2/t1)/log(n2/n1): 1 is linear, below 1 a fixed cost weighs",
        }


def scaling(files: dict[int, Path], sizes: list[int], rounds: int) -> Scaling:
    """guardpath's evaluate_file at each size, the sizes interleaved within each round."""
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            out = files[size].parent / f"scaling-{size}.parquet"
            samples[size].append(
                seconds(partial(evaluate_file, files[size], "enlistment", ON, out))
            )
    medians = [Spread.of(samples[size]).median for size in sizes]
    return Scaling(
        sizes=sizes,
        seconds=[Spread.of(samples[size]) for size in sizes],
        fit=LinearFit.of(sizes, medians),
        growth=growth(sizes, medians),
    )
