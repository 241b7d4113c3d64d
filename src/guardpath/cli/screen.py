"""`guardpath screen --watchlist FILE --name NAME`: is this person on a watch-list?"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from guardpath.cli.errors import BadInput, reported
from guardpath.law.dates import parse_date
from guardpath.screening.score import THRESHOLD
from guardpath.screening.watchlist import Match, WatchlistError
from guardpath.services.watchlist import load_watchlist, screen_name


def _birth_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise BadInput("--birth-date", f"{text!r} is not a date; expected YYYY-MM-DD") from None


def _as_json(match: Match) -> dict[str, Any]:
    identity = match.entry.identity
    return {
        "id": match.entry.id,
        "names": list(identity.names),
        "birth_dates": list(identity.birth_dates),
        "countries": list(identity.countries),
        "score": match.comparison.score,
        "decision": match.decision.kind,
        "why": list(match.decision.why),
        "reasons": [r.as_json() for r in match.comparison.reasons],
    }


def _print(matches: list[Match], entries: int) -> None:
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{len(matches)} match(es) among {entries} entries (threshold {THRESHOLD:.2f})")
    for match in matches:
        identity = match.entry.identity
        born = ", ".join(identity.birth_dates) or "birth date unknown"
        out.print(
            f"\n{match.decision.kind}  {match.comparison.score:.2f}  {match.entry.id}"
            f"  {identity.names[0]} ({born})"
        )
        for reason in match.comparison.reasons:
            out.print(
                f"      {reason.feature}: {reason.verdict.replace('_', ' ')}: {reason.detail}"
            )


def screen(
    watchlist: Annotated[
        Path,
        typer.Option(
            metavar="FILE",
            help="The watch-list: FollowTheMoney entities as JSON lines (.jsonl, as "
            "OpenSanctions publishes them) or a CSV (.csv) with the columns name, aliases, "
            "birth_date, country.",
            show_default=False,
        ),
    ],
    name: Annotated[
        str,
        typer.Option(metavar="NAME", help="The name, in any script and order.", show_default=False),
    ],
    birth_date: Annotated[
        str | None, typer.Option(metavar="DATE", help="The birth date, YYYY-MM-DD.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
) -> None:
    """Screen a person against a watch-list: the entries that may be them, best first, each
    with its score and the features that agreed or contradicted. A match is for a person
    to look at, never a decision. Exits 0 with or without matches, 2 on bad input (a bad
    watch-list line is named).
    """
    with reported():
        born = _birth_date(birth_date)
        if not name.strip():
            raise BadInput("--name", "empty; expected a name")
        try:
            index = load_watchlist(watchlist)
        except WatchlistError as error:
            raise BadInput("--watchlist", str(error)) from None
    matches = screen_name(index, name, born)
    if as_json:
        answer = {
            "entries": len(index),
            "threshold": THRESHOLD,
            "matches": [_as_json(m) for m in matches],
        }
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    else:
        _print(matches, len(index))
