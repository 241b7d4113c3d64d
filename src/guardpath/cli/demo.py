"""`guardpath demo-data`: invented cases run through the services on a fake clock, 2024 to today."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from guardpath.cli.io import parse_on
from guardpath.cli.runtime import failing, open_context, progress_bar
from guardpath.services.demo import DemoReport, make_demo_data


def demo_data(
    cases: Annotated[int, typer.Option(metavar="N", min=1, help="How many cases.")] = 200,
    seed: Annotated[int, typer.Option(metavar="S", help="The same seed gives the same cases.")] = 0,
    until: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="The last day of the story, YYYY-MM-DD. Default: today."),
    ] = None,
) -> None:
    """Fill an empty database with N invented cases in every state, from many countries, each
    run through the same services staff use, on a clock walking from January 2024 to DATE:
    applications, checks (the special check from 2024-10-30), approvals the law allows,
    contracts, service, awards, discharges, citizenship applications, rejections, withdrawals.

    No real person is in it. Refused in production and on a database that holds cases.
    """
    with failing():
        last = parse_on(until, "--until") if until is not None else None
        ctx = open_context()
        with progress_bar("simulating days") as advance:
            report = make_demo_data(ctx, cases=cases, seed=seed, until=last, on_progress=advance)
    print_summary(Console(highlight=False), report)


def print_summary(console: Console, report: DemoReport) -> None:
    table = Table("state", "cases", title="cases by state")
    for state, n in sorted(report.states.items(), key=lambda item: -item[1]):
        table.add_row(state, str(n))
    console.print(table)
    applications = ", ".join(f"{n} {state}" for state, n in sorted(report.citizenship.items()))
    console.print(f"citizenship applications: {applications or 'none'}")
    console.print(
        f"{report.cases:,} cases from {report.countries} countries, {report.steps:,} steps, "
        f"in {report.seconds:.1f} s"
    )
