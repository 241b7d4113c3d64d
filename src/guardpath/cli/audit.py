"""`guardpath audit verify` and `audit checkpoint`: the audit chain, every sealed row, and
signed checkpoints of the chain's head kept elsewhere."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from guardpath.adapters import audit as chain
from guardpath.adapters import checkpoints, row_seals
from guardpath.cli.errors import BadInput
from guardpath.cli.runtime import admin, failing, open_context

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
    found = len(report.problems) + len(report.rows)
    console.print(f"audit chain: {report.entries:,} entries checked, {found} problems:")
    for problem in report.problems:
        console.print(f"  position {problem.position}: {problem.kind}: {problem.message}")
    for row in report.rows:
        console.print(f"  {row.table} {row.row_id}: {row.kind}: {row.message}")


@audit.command("verify", short_help="Check the audit chain and every sealed row; exit 1 if broken.")
def audit_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            metavar="FILE",
            help="A checkpoint from `guardpath audit checkpoint`: also prove that nothing up "
            "to it was removed or rewritten, the newest entries included.",
        ),
    ] = None,
) -> None:
    """Check every entry of the audit chain against its seal and its predecessor, and every
    case, history entry, contract, service period, citizenship application, document, person
    and staff account against its MAC and the chain; print the number of entries checked and
    each problem, by position or by table and id (changed, removed, inserted or reordered;
    a row edited, inserted or deleted outside guardpath).

    With --checkpoint FILE, the checkpoint's signature is checked with the checkpoint key
    (GUARDPATH_CHECKPOINT_KEY_FILE) and the chain must still hold the entry it signed.

    Exits 0 when all is whole, 1 when there is a problem, 2 when it cannot be read.
    """
    with failing():
        ctx = open_context()
        point = None
        if checkpoint is not None:
            key = checkpoints.load_signing_key(ctx.settings, create=False)
            point = checkpoints.read_checkpoint(checkpoint, key.public_key())
    with ctx.engine.connect() as conn:
        report = chain.verify(conn, ctx.keyring)
        if point is not None:
            report.problems += checkpoints.verify_against(conn, point)
    console = Console(highlight=False)
    print_report(console, report)
    if point is not None and report.ok:
        console.print(f"checkpoint of {point.at}: entry {point.position} is there, unchanged")
    if not report.ok:
        raise typer.Exit(PROBLEM_FOUND)


@audit.command("checkpoint", short_help="Print or write the chain's head, signed.")
def audit_checkpoint(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="FILE", help="Write the checkpoint to FILE (a new file) instead."
        ),
    ] = None,
) -> None:
    """Sign the audit chain's head (position, MAC, time) with the checkpoint key
    (GUARDPATH_CHECKPOINT_KEY_FILE, an Ed25519 key outside the database) and print it as JSON,
    or write it to a new FILE. Keep checkpoints where the database's writers cannot reach them:
    `guardpath audit verify --checkpoint FILE` then proves that nothing up to the checkpoint
    was removed or rewritten.
    """
    with failing():
        ctx = open_context()
        if out is not None and out.exists():
            raise BadInput("--out", f"{str(out)!r} exists; checkpoints are kept, choose a new name")
        key = checkpoints.load_signing_key(ctx.settings, create=True)
        with ctx.engine.connect() as conn:
            point = checkpoints.make_checkpoint(conn, key, ctx.clock())
    text = json.dumps(point, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    with failing():
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BadInput("--out", f"{str(out)!r} exists; choose a new name") from None
        except OSError as error:
            raise BadInput("--out", f"cannot write {str(out)!r}: {error.strerror}") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    Console(highlight=False, stderr=True).print(
        f"checkpoint of position {point['position']} written to {out}"
    )


@audit.command("seal-rows", short_help="Seal the rows stored before rows had MACs (once).")
def audit_seal_rows() -> None:
    """After upgrading to schema revision 0006, give the rows stored before it their MACs and
    record them in the audit chain (one entry, "seal_rows", with the counts), so that
    `guardpath audit verify` checks them from now on. Run it once, right after the upgrade:
    it is refused as soon as the chain records any sealed row.
    """
    with failing():
        ctx = open_context()
        actor = admin()
        with ctx.engine.begin() as conn:
            try:
                done = row_seals.seal_rows_from_before(conn, ctx.keyring)
            except ValueError as error:
                raise BadInput("seal-rows", str(error)) from None
            entry = chain.Entry(ctx.clock(), actor.id, actor.role.value, "seal_rows", "database")
            chain.append(conn, ctx.keyring, chain.Entry(**{**entry.__dict__, "details": done}))
    listed = ", ".join(f"{n:,} {table}" for table, n in done.items()) or "nothing to seal"
    Console(highlight=False).print(f"sealed rows from before revision 0006: {listed}")
