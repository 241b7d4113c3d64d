"""`guardpath demo-population N --out FILE`: a synthetic table of people to try things on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.errors import BadInput, reported
from guardpath.law.table import write_people
from guardpath.population import generate

SUFFIXES = (".parquet", ".csv")


def demo_population(
    n: Annotated[int, typer.Argument(metavar="N", help="How many people.", min=0)],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Where to write them: a .parquet or .csv path (required)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="The same seed gives the same people.")] = 0,
) -> None:
    """Write N synthetic people: many citizenships (some stateless, some dual, some
    Ukrainian), every kind of stay, realistic ages, and 10-20% of each fact unknown.

    No real person is in it. In CSV, citizenships and service_periods are JSON texts.
    """
    with reported():
        if out is None:
            raise BadInput("--out", "is required; expected a path ending in .parquet or .csv")
        if out.suffix.lower() not in SUFFIXES:
            raise BadInput("--out", f"{out.name!r}: expected a path ending in .parquet or .csv")
        if not out.parent.is_dir():
            raise BadInput("--out", f"no folder {str(out.parent)!r} to write {out.name!r} into")
        write_people(generate(n, seed), out)
    Console().print(f"wrote {n:,} people to {out}")
