"""Screening against a watch-list: a name on demand, or a case for the vetting officer.

The watch-list is read from a file into memory (see guardpath.screening.watchlist) and never
stored: it is public data, and the database keeps no trace of who was screened against whom
beyond a count in the audit chain. A list loaded with `use_watchlist` for a database is the
one `submit_application` screens every new applicant against.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from guardpath.adapters import audit
from guardpath.cases.model import Actor, Person, Role
from guardpath.cases.transitions import NotPermitted
from guardpath.screening.score import Identity
from guardpath.screening.watchlist import (
    Match,
    WatchlistError,
    WatchlistIndex,
    entries_from_text,
)
from guardpath.services.ports import Ports

FORMATS = {".csv": "csv", ".jsonl": "ftm", ".json": "ftm", ".ndjson": "ftm", ".ftm": "ftm"}
VETTING_ROLES = frozenset({Role.VETTING_OFFICER, Role.ADMIN})

_LOADED: dict[str, WatchlistIndex] = {}


def load_watchlist(path: Path) -> WatchlistIndex:
    """Read and index a watch-list file: FollowTheMoney JSON lines or CSV, by its suffix."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise WatchlistError(f"{path}: expected a .csv or a .jsonl (FollowTheMoney) file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise WatchlistError(f"{path}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise WatchlistError(f"{path}: not UTF-8 text") from None
    return WatchlistIndex.build(entries_from_text(text, path.name, kind))


def use_watchlist(ctx: Ports, index: WatchlistIndex | None) -> None:
    """Screen new applicants of this database against `index` (None: stop screening)."""
    if index is None:
        _LOADED.pop(ctx.settings.url, None)
    else:
        _LOADED[ctx.settings.url] = index


def configured_watchlist(ctx: Ports) -> WatchlistIndex | None:
    return _LOADED.get(ctx.settings.url)


def person_identity(person: Person) -> Identity:
    names: tuple[str, ...] = (f"{person.given_names} {person.surname}",)
    if person.native_name:
        names += (person.native_name,)
    return Identity(
        names,
        (person.birth_date.isoformat(),),
        (person.passport_number,),
        person.citizenships,
    )


def screen_name(index: WatchlistIndex, name: str, birth_date: date | None = None) -> list[Match]:
    births = (birth_date.isoformat(),) if birth_date else ()
    return index.screen(Identity((name,), births))


def screen_case(
    ctx: Ports, actor: Actor, case_id: str, index: WatchlistIndex | None = None
) -> list[Match]:
    """The vetting officer screens a case's person against `index` (or the loaded list)."""
    if actor.role not in VETTING_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not screen a case against a watch-list")
    index = index or configured_watchlist(ctx)
    if index is None:
        raise WatchlistError("no watch-list is loaded")
    with ctx.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        matches = index.screen(person_identity(case.person))
        details = {"entries": len(index), "matches": len(matches)}
        uow.audit(
            audit.Entry(
                ctx.clock(), actor.id, actor.role.value, "screen_watchlist", case.id, details
            )
        )
        uow.commit()
    return matches
