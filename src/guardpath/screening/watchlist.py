"""Watch-lists: reading them strictly, and an in-memory index to screen a person against one.

Two formats. FollowTheMoney entities as JSON lines, as OpenSanctions publishes them
(https://followthemoney.tech/explorer/schemata/Person/): one entity a line, only `Person`
entities screened, their `name`, `alias`, `birthDate`, `nationality` (and `country`,
`idNumber`, `passportNumber`) read. Or a CSV with the columns `name, aliases, birth_date,
country` (and optionally `id`), several values in a cell separated by `;`. Anything else is an
error naming the line, so a half-read list never screens silently.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from guardpath.screening.keys import name_keys
from guardpath.screening.score import Comparison, Decision, Identity, Profile, candidate, profile

ENTITY_KEYS = frozenset(
    {"id", "schema", "properties", "caption", "referents", "datasets", "first_seen",
     "last_seen", "last_change", "target"}
)  # fmt: skip
CSV_COLUMNS = ("name", "aliases", "birth_date", "country")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class WatchlistError(ValueError):
    """A watch-list that cannot be read; the message names the line."""


@dataclass(frozen=True)
class WatchEntry:
    id: str
    identity: Identity
    schema: str = "Person"


def partial_date(text: str, where: str) -> str:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked; a longer timestamp keeps its date."""
    text = text.strip()[:10]
    if PARTIAL_DATE.match(text):
        padded = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
        try:
            date.fromisoformat(padded)
            return text
        except ValueError:
            pass
    raise WatchlistError(f"{where}: {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


# -- FollowTheMoney JSON lines ---------------------------------------------------------------
def _strings(properties: dict[str, Any], name: str, where: str) -> list[str]:
    values = properties.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise WatchlistError(f"{where}: properties.{name} must be a list of strings")
    return [v.strip() for v in values if v.strip()]


def _entity(line: str, where: str) -> WatchEntry | None:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise WatchlistError(f"{where}: not JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise WatchlistError(f"{where}: expected an entity object")
    unknown = sorted(set(data) - ENTITY_KEYS)
    if unknown:
        raise WatchlistError(f"{where}: unknown key {unknown[0]!r}")
    for key in ("id", "schema"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise WatchlistError(f"{where}: {key} must be a non-empty string")
    properties = data.get("properties")
    if not isinstance(properties, dict):
        raise WatchlistError(f"{where}: properties must be an object")
    for name in properties:
        _strings(properties, name, where)
    if data["schema"] != "Person":
        return None
    names = _strings(properties, "name", where)
    if not names:
        raise WatchlistError(f"{where}: a Person needs at least one name in properties.name")
    names += _strings(properties, "alias", where)
    births = [
        partial_date(d, f"{where}: birthDate") for d in _strings(properties, "birthDate", where)
    ]
    countries = _strings(properties, "nationality", where) + _strings(properties, "country", where)
    documents = _strings(properties, "passportNumber", where) + _strings(
        properties, "idNumber", where
    )
    identity = Identity(tuple(names), tuple(births), tuple(documents), tuple(countries))
    return WatchEntry(data["id"], identity)


def read_entities(lines: Iterable[str], source: str) -> list[WatchEntry]:
    entries: list[WatchEntry] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        entry = _entity(line, where)
        if entry is None:
            continue
        if entry.id in seen:
            raise WatchlistError(f"{where}: id {entry.id!r} already on line {seen[entry.id]}")
        seen[entry.id] = number
        entries.append(entry)
    return entries


# -- CSV -------------------------------------------------------------------------------------
def _cell(row: dict[str, str | None], column: str) -> list[str]:
    return [v.strip() for v in (row.get(column) or "").split(";") if v.strip()]


def read_csv(text: str, source: str) -> list[WatchEntry]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in (*CSV_COLUMNS, "id")]
    if missing or unknown:
        problem = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
        raise WatchlistError(f"{source} line 1: {problem}; expected {', '.join(CSV_COLUMNS)}")
    entries: list[WatchEntry] = []
    seen: dict[str, int] = {}
    for row in reader:
        where = f"{source} line {reader.line_num}"
        if None in row:
            raise WatchlistError(f"{where}: more cells than columns")
        names = _cell(row, "name")
        if len(names) != 1:
            raise WatchlistError(f"{where}: name must hold one name (aliases go in aliases)")
        births = tuple(partial_date(d, f"{where}: birth_date") for d in _cell(row, "birth_date"))
        identity = Identity(
            (*names, *_cell(row, "aliases")), births, (), tuple(_cell(row, "country"))
        )
        entry_id = (row.get("id") or "").strip() or f"row-{reader.line_num}"
        if entry_id in seen:
            raise WatchlistError(f"{where}: id {entry_id!r} already on line {seen[entry_id]}")
        seen[entry_id] = reader.line_num
        entries.append(WatchEntry(entry_id, identity))
    return entries


# -- the index -------------------------------------------------------------------------------
def _years(identity: Identity) -> list[str]:
    return sorted({d[:4] for d in identity.birth_dates})


@dataclass(frozen=True)
class Match:
    entry: WatchEntry
    decision: Decision

    @property
    def comparison(self) -> Comparison:
        return self.decision.comparison


@dataclass
class WatchlistIndex:
    """The entries, each profiled once, behind the same blocking keys as the applicants."""

    entries: list[WatchEntry]
    profiles: list[Profile] = field(default_factory=list)
    keys: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, entries: Iterable[WatchEntry]) -> WatchlistIndex:
        index = cls(list(entries))
        for number, entry in enumerate(index.entries):
            prepared = profile(entry.identity)
            index.profiles.append(prepared)
            for key in name_keys(prepared.names, _years(entry.identity)):
                index.keys[key].append(number)
        return index

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, person: Profile) -> set[int]:
        keys = name_keys(person.names, _years(person.identity))
        return {number for key in keys for number in self.keys.get(key, ())}

    def screen(self, identity: Identity) -> list[Match]:
        """The entries decided a match or for review against `identity`, best first."""
        person = profile(identity)
        found = ((n, candidate(person, self.profiles[n])) for n in self.candidates(person))
        matches = [Match(self.entries[n], d) for n, d in found if d is not None]
        return sorted(matches, key=lambda m: (-m.comparison.score, m.entry.id))


def entries_from_text(text: str, source: str, kind: str) -> list[WatchEntry]:
    """`kind` is `ftm` (JSON lines) or `csv`."""
    if kind == "csv":
        return read_csv(text.removeprefix("\ufeff"), source)
    return read_entities(text.splitlines(), source)
