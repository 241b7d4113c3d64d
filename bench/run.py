"""guardpath's benchmarks in one command: `.venv/bin/python bench/run.py [--quick] [--json OUT]`.

Runs the self-check (the OpenFisca peer and guardpath agree on complete facts) before any
timing, then P1 (one decision with its explanation), P2 (a population end to end, with its peers
in the same rounds) and the scaling of P2, the CLI's start (`guardpath check` and `--help` as
whole processes), P3 (application submissions over HTTP against a bare Starlette endpoint, on
SQLite and on PostgreSQL), P4 (the statistics queries on SQLite and PostgreSQL) and P5
(screening and the duplicate search). Prints a table with the targets beside the figures and
writes every figure, with the machine, as JSON, with the ratios under stable top-level keys
(STABLE_KEYS).
docs/performance.md says what each one means.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import agreement
import case_statistics
import cli_start
import profiling
import report
import screening
import single
import submissions
import throughput
from measure import Row
from peers.openfisca_enlistment import tax_benefit_system
from people import population_files

RESULTS = Path(__file__).parent / "results" / "latest.json"


@dataclass(frozen=True)
class Plan:
    mode: str
    people: int
    loop_people: int
    scaling: list[int]
    p1_rounds: int
    p2_rounds: int
    scaling_rounds: int
    cli_rounds: int


FULL = Plan("full", 1_000_000, 20_000, [1_000, 10_000, 100_000, 1_000_000], 15, 5, 5, 15)
QUICK = Plan("quick", 100_000, 20_000, [1_000, 10_000, 100_000], 7, 3, 3, 7)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 people, fewer rounds")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--people", type=int, help="P2 population (default 1,000,000)")
    parser.add_argument("--peer-people", type=int, help="OpenFisca's P2 population")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of P1 and P2")
    parser.add_argument(
        "--skip",
        action="append",
        choices=SERVICES,
        default=[],
        help="leave out P3 (SQLite), P3 on PostgreSQL, P4 or P5 (repeatable); P1, P2 and the "
        "CLI start always run",
    )
    return parser.parse_args()


SERVICES = ("p3", "p3-postgresql", "p4", "p5")
STABLE_KEYS = (
    "p1_ratio",
    "p2_ratio",
    "p3_ratio_sqlite",
    "p3_ratio_postgresql",
    "cli_check_s",
    "cli_help_s",
)
"""Top-level keys of the JSON that keep their name and meaning from run to run (null when the
benchmark was skipped): compare a run with the next by these."""


def _postgresql(quick: bool) -> submissions.Submissions:
    return submissions.measure(quick, "postgresql")


def services(quick: bool, skipped: list[str], figures: dict[str, object]) -> list[Row]:
    """P3 to P5, each printed as it ends (they take minutes), as rows for the table."""
    measures = {
        "p3": ("P3: application submissions over HTTP (SQLite) …", submissions.measure),
        "p3-postgresql": ("P3: application submissions over HTTP (PostgreSQL) …", _postgresql),
        "p4": ("P4: the statistics queries …", case_statistics.measure),
        "p5": ("P5: screening and the duplicate search …", screening.measure),
    }
    rows: list[Row] = []
    for name, (title, measure) in measures.items():
        if name in skipped:
            continue
        print(title, flush=True)
        try:
            result = measure(quick)
        except Exception as error:  # one failed service (a server that never answered) is
            print(f"{name} failed: {error!r}", flush=True)  # reported, the others still run
            figures[name] = {"error": repr(error)}
            continue
        figures[name] = result.as_json()
        rows += result.rows()
        if isinstance(result, submissions.Submissions):
            figures[f"p3_ratio_{result.backend}"] = result.ratio.median
    return rows


def main() -> None:
    args = arguments()
    plan = QUICK if args.quick else FULL
    people = args.people or plan.people
    machine = report.machine()
    figures: dict[str, object] = {"mode": plan.mode, "started": report.started()}
    figures.update(dict.fromkeys(STABLE_KEYS))
    figures["machine"] = machine
    system = tax_benefit_system()
    print("self-check: the OpenFisca peer against guardpath on complete facts …", flush=True)
    agreed = agreement.check(system)
    figures["self_check"] = agreed.as_json()
    print("P1: one decision …", flush=True)
    p1 = single.measure(system, plan.p1_rounds)
    figures["p1"] = p1.as_json()
    with tempfile.TemporaryDirectory(prefix="guardpath-bench-") as folder:
        wanted = args.peer_people or people
        sizes = sorted({people, plan.loop_people, wanted, *plan.scaling})
        print(f"writing populations of {', '.join(f'{s:,}' for s in sizes)} …", flush=True)
        files = population_files(sizes, Path(folder))
        peer_n = throughput.peer_size(system, files, wanted, Path(folder))
        print(f"P2: {people:,} people, OpenFisca on {peer_n:,} …", flush=True)
        p2 = throughput.measure(system, files, (people, peer_n, plan.loop_people), plan.p2_rounds)
        figures["p2"] = p2.as_json()
        figures["p2_stages"] = profiling.stages(
            files[people], throughput.ON, Path(folder) / "stages.parquet"
        )
        print("scaling …", flush=True)
        scale = throughput.scaling(files, plan.scaling, plan.scaling_rounds)
        figures["scaling"] = scale.as_json()
        if args.profile:
            print(profiling.profile(files[people], throughput.ON, Path(folder) / "p.parquet"))
    print("CLI start: guardpath check and --help as whole processes …", flush=True)
    cli = cli_start.measure(plan.cli_rounds)
    figures["cli_start"] = cli.as_json()
    figures["cli_check_s"] = cli.seconds["check"].median
    figures["cli_help_s"] = cli.seconds["help"].median
    figures["p1_ratio"] = p1.ratio.median
    figures["p2_ratio"] = p2.ratio_openfisca.median
    rows = cli.rows() + services(plan.mode == "quick", args.skip, figures)
    figures["targets"] = report.targets(p1, p2)
    machine["load_average_at_end"] = list(os.getloadavg())
    table = report.table(agreed, p1, p2, scale, plan.mode)
    if rows:
        report.add_rows(table, rows)
    report.show(table)
    busy = report.busy(machine)
    if busy:
        print(busy)
    report.write_json(args.json, figures)
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
