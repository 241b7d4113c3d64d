"""`guardpath audit verify`: walk the audit chain and report every break by position."""

from __future__ import annotations

import typer
from rich.console import Console

from guardpath.adapters import audit as chain
from guardpath.cli.runtime import failing, open_context

PROBLEM_FOUND = 1

audit = typer.Typer(
    name="audit",
    help="The audit chain: who did what, sealed with a key outside the database.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def print_report(console: Console, report: chain.Report) -> None:
    if report.ok:
        console.print(f"audit chain: {report.entries:,} entries checked, no problems")
        return
    console.print(
        f"audit chain: {report.entries:,} entries checked, {len(report.problems)} problems:"
    )
    for problem in report.problems:
        console.print(f"  position {problem.position}: {problem.kind}: {problem.message}")


@audit.command("verify", short_help="Check the audit chain; exit 1 if it is broken.")
def audit_verify() -> None:
    """Check every entry of the audit chain against its seal and its predecessor, and print
    the number of entries checked and each problem by position (changed, removed, inserted
    or reordered).

    Exits 0 when the chain is whole, 1 when it has a problem, 2 when it cannot be read.
    """
    with failing():
        ctx = open_context()
    with ctx.engine.connect() as conn:
        report = chain.verify(conn, ctx.keyring)
    print_report(Console(highlight=False), report)
    if not report.ok:
        raise typer.Exit(PROBLEM_FOUND)
