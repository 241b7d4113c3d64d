"""Unit rosters in and out: the service members a unit already has, as CSV or XLSX (docs/roster.md).

An import checks every row before anything is written and collects every problem with its row
and column. By default it is all or nothing: one bad row and nothing is written. With
`skip_bad` the good rows go in and the bad ones are reported; a problem with the file as a
whole (its encoding, its columns) refuses it either way. Good rows become cases in the state
their dates give (probation, in service, discharged), with the person sealed and indexed with
the same helpers as the repository, the contract, the service period, a history entry
"imported" and an audit entry each, all in one transaction, written with executemany.

An export writes the same columns from the database, opening the sealed identities in memory
only, so an export imports cleanly into an empty database.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, select, text

from guardpath.adapters import audit, case_counts, row_seals
from guardpath.adapters.crypto import Keyring, normalise_passport
from guardpath.adapters.name_tokens import person_names, token_rows
from guardpath.adapters.repository import (
    PERSON_FIELDS,
    name_index,
    passport_index,
    person_context,
)
from guardpath.adapters.row_seals import row_mac
from guardpath.adapters.tables import (
    audit_log,
    case_history,
    cases,
    contracts,
    name_tokens,
    persons,
    service_periods,
)
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Person, State
from guardpath.law.dates import add_months, add_years, age_on, days_in_month
from guardpath.law.facts import COUNTRY_CODES, FORMATIONS, RANK_GROUPS, SEX
from guardpath.services.applications import name_problem
from guardpath.services.cases import REFERENCE_ALPHABET
from guardpath.services.unit_of_work import UnitOfWork

COLUMNS: Final = (
    "given_names",
    "surname",
    "native_name",
    "birth_date",
    "sex",
    "citizenships",
    "passport_number",
    "formation",
    "rank_group",
    "contract_start",
    "contract_years",
    "service_start",
    "service_end",
    "state_award",
)
OPTIONAL: Final = frozenset({"native_name", "citizenships", "service_end", "state_award"})
"""Columns that may be left out of the file, or left empty in a row."""
REQUIRED: Final = tuple(c for c in COLUMNS if c not in OPTIONAL)
SUFFIXES: Final = (".csv", ".xlsx")
EXPORTED_STATES: Final = (State.PROBATION, State.IN_SERVICE, State.DISCHARGED)
MIN_AGE: Final = 18
MAX_CITIZENSHIPS: Final = 5
CONTRACT_YEARS: Final = (1, 10)
CHUNK: Final = 1000
PROBATION: Final = "enlistment.contract.probation_months"
ZIP_MAGIC: Final = b"PK\x03\x04"
"""The first bytes of a zip archive, which an XLSX workbook is."""
XLSX_ERRORS: Final = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_T = TypeVar("_T")
Progress = Callable[[str, int, int], None]
"""Called with (phase, done, in all): phases are "checking rows" and "importing"."""


class RosterError(ValueError):
    """The file cannot be used at all (no such file, not CSV or XLSX); nothing was changed."""


@dataclass(frozen=True)
class Problem:
    """What is wrong where: `row` counts the header as row 1, as a spreadsheet shows it;
    `row` None is the file as a whole."""

    row: int | None
    column: str | None
    message: str
    whole_file: bool = False


@dataclass(frozen=True)
class Member:
    """One good row, ready to be written."""

    row: int
    person: Person
    formation: str
    rank_group: str
    contract_start: date
    contract_years: int
    probation_months: int
    service_start: date
    service_end: date | None
    state_award: bool | None

    def state(self, today: date) -> State:
        if self.service_end is not None:
            return State.DISCHARGED
        if today < add_months(self.contract_start, self.probation_months):
            return State.PROBATION
        return State.IN_SERVICE


@dataclass
class Sheet:
    """A file's header and data rows as read, before any check."""

    header: list[str]
    rows: list[tuple[int, Sequence[Any]]]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Imported:
    rows: int
    imported: int
    problems: list[Problem]
    states: Counter[str]
    checking_seconds: float
    importing_seconds: float

    @property
    def refused(self) -> bool:
        """Nothing was written because of a problem."""
        return bool(self.problems) and self.imported == 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if not p.whole_file})


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


# -- reading ------------------------------------------------------------------------------------
def read_sheet(path: Path) -> Sheet:
    """The header and rows of a CSV (UTF-8, with or without BOM) or XLSX file (its first sheet)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError(f"{path.name!r}: expected a file ending in .csv or .xlsx")
    if not path.is_file():
        raise RosterError(f"no file {str(path)!r}")
    with path.open("rb") as handle:
        zipped = handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    if zipped != (suffix == ".xlsx"):
        return Sheet([], [], [Problem(None, None, _misnamed(suffix), whole_file=True)])
    return _read_csv(path.read_bytes()) if suffix == ".csv" else _read_xlsx(path)


def _misnamed(suffix: str) -> str:
    if suffix == ".csv":
        return "the file is named .csv but is a zip file (an XLSX workbook?); name it .xlsx"
    return (
        "not a readable XLSX workbook: the file is named .xlsx but is not a zip archive, as "
        "every workbook is; name a CSV file .csv, or save the roster as an Excel workbook"
    )


def _encoding_problem(raw: bytes, error: UnicodeDecodeError) -> Problem:
    row = raw.count(b"\n", 0, error.start) + 1
    byte = raw[error.start : error.start + 1].hex()
    hint = ""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = "; it looks like UTF-16"
    else:
        try:
            raw.decode("cp1251")
            hint = "; it may be Windows-1251 (cp1251)"
        except UnicodeDecodeError:
            pass
    message = (
        f"the file is not UTF-8: byte 0x{byte} at offset {error.start} (row {row}) "
        f"is not valid UTF-8{hint}; save it as CSV UTF-8 and import it again"
    )
    return Problem(row, None, message, whole_file=True)


def _read_csv(raw: bytes) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Sheet([], [], [_encoding_problem(raw, error)])
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(records, [])
        rows: list[tuple[int, Sequence[Any]]] = [(n, r) for n, r in enumerate(records, start=2)]
    except csv.Error as error:
        return Sheet([], [], [Problem(None, None, f"not a readable CSV file: {error}", True)])
    return Sheet(header, rows)


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        message = (
            f"not a readable XLSX workbook ({type(error).__name__}: {error}); "
            "save the roster as an Excel workbook (.xlsx) or as CSV UTF-8"
        )
        return Sheet([], [], [Problem(None, None, message, True)])
    try:
        found = book.worksheets[0].iter_rows(values_only=True)
        header = [("" if v is None else str(v)) for v in next(found, ())]
        rows = [(n, r) for n, r in enumerate(found, start=2)]
    finally:
        book.close()
    return Sheet(header, rows)


# -- checking one cell ------------------------------------------------------------------------
class _Row:
    """The cells of one row by column, and the problems found in them."""

    def __init__(self, number: int, cells: dict[str, Any], today: date) -> None:
        self.number = number
        self.cells = cells
        self.today = today
        self.problems: list[Problem] = []

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def raw(self, column: str) -> Any:
        """The cell, or None if empty; a spreadsheet error cell is reported and None."""
        value = self.cells.get(column)
        if isinstance(value, str):
            value = value.strip()
            if value in XLSX_ERRORS:
                self.fail(column, f"the cell holds the spreadsheet error {value}")
                return None
            return value or None
        return value

    def present(self, column: str) -> Any:
        """The cell's value, reporting an empty required cell (a missing column is reported
        once for the file, not here)."""
        value = self.raw(column)
        required = column not in OPTIONAL and column in self.cells
        if value is None and required and not any(p.column == column for p in self.problems):
            self.fail(column, "is empty; it is required")
        return value

    def text(self, column: str, longest: int) -> str | None:
        value = self.present(column)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool | date | datetime):
            self.fail(column, f"expected text, found {value!r}")
            return None
        text = str(value)
        problem = name_problem(text)
        if len(text) > longest:
            self.fail(column, f"is {len(text)} characters long; at most {longest}")
        elif problem:
            self.fail(column, problem)
        else:
            return text
        return None

    def day(self, column: str) -> date | None:
        value = self.present(column)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            self.fail(column, f"{value!r} is not a date; write it as YYYY-MM-DD or as a date cell")
            return None
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(column, date_problem(value) or f"{value!r} is not a date")
        return None

    def past_day(self, column: str) -> date | None:
        found = self.day(column)
        if found is not None and found > self.today:
            self.fail(column, f"{found} is in the future (today is {self.today})")
            return None
        return found

    def choice(self, column: str, accepted: tuple[str, ...]) -> str | None:
        value = self.present(column)
        if value is None:
            return None
        if not isinstance(value, str) or value.lower() not in accepted:
            self.fail(column, f"{value!r} is not one of {', '.join(accepted)}")
            return None
        return value.lower()

    def countries(self) -> tuple[str, ...] | None:
        value = self.present("citizenships")
        if value is None:
            return ()  # stateless
        codes = [c.strip().upper() for c in str(value).split(";") if c.strip()]
        unknown = [c for c in codes if c not in COUNTRY_CODES]
        if unknown:
            listed = ", ".join(repr(c) for c in unknown)
            self.fail("citizenships", f"{listed}: not ISO 3166-1 alpha-2 country codes (e.g. US)")
            return None
        if len(set(codes)) > MAX_CITIZENSHIPS:
            self.fail("citizenships", f"{len(set(codes))} citizenships; at most {MAX_CITIZENSHIPS}")
            return None
        return tuple(sorted(set(codes)))

    def whole(self, column: str, low: int, high: int) -> int | None:
        value = self.present(column)
        if value is None:
            return None
        number = _whole_number(value)
        if number is None or not low <= number <= high:
            self.fail(column, f"{value!r} is not a whole number from {low} to {high}")
            return None
        return number

    def flag(self, column: str) -> bool | None:
        value = self.raw(column)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        self.fail(column, f"{value!r} is not true or false (or empty if unknown)")
        return None


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def date_problem(text: str) -> str | None:
    """Why `text` is not a YYYY-MM-DD calendar date, or None if it is one."""
    shaped = len(text) == 10 and text[4] == "-" and text[7] == "-"
    parts = text.split("-")
    if not shaped or not all(p.isdigit() for p in parts):
        return f"{text!r} is not a date of the form YYYY-MM-DD"
    year, month, day = (int(p) for p in parts)
    if not 1 <= month <= 12:
        return f"{text} is not a calendar date: there is no month {month}"
    if not 1 <= day <= days_in_month(year, month):
        last = days_in_month(year, month)
        name = date(year, month, 1).strftime("%B")
        return f"{text} is not a calendar date: {name} {year} has {last} days"
    return None


# -- checking one row ---------------------------------------------------------------------------
def _probation_on(ctx: Context) -> Callable[[date], int | None]:
    parameter = ctx.legislation.parameters[PROBATION]

    @lru_cache(maxsize=4096)
    def months(on: date) -> int | None:
        value = parameter.value_on(on)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return months


def check_row(
    number: int, cells: dict[str, Any], today: date, probation: Callable[[date], int | None]
) -> tuple[Member | None, list[Problem]]:
    """One row: a member if every cell is good, and the problems found."""
    row = _Row(number, cells, today)
    given = row.text("given_names", 200)
    surname = row.text("surname", 200)
    native = row.text("native_name", 200)
    born = row.past_day("birth_date")
    if born is not None and born.year < 1900:
        row.fail("birth_date", f"{born} is before 1900")
        born = None
    sex = row.choice("sex", SEX)
    citizenships = row.countries()
    passport = row.text("passport_number", 64)
    if passport is not None and not normalise_passport(passport):
        row.fail("passport_number", f"{passport!r} has no letters or digits")
        passport = None
    formation = row.choice("formation", FORMATIONS)
    rank_group = row.choice("rank_group", RANK_GROUPS)
    start = row.past_day("contract_start")
    years = row.whole("contract_years", *CONTRACT_YEARS)
    served_from = row.past_day("service_start")
    served_to = row.past_day("service_end")
    award = row.flag("state_award")
    months = _check_dates(row, born, start, served_from, served_to, probation)
    if row.problems:
        return None, row.problems
    if (
        given is None
        or surname is None
        or born is None
        or sex is None
        or citizenships is None
        or passport is None
        or formation is None
        or rank_group is None
        or start is None
        or years is None
        or served_from is None
        or months is None
    ):
        return None, []  # a missing column, reported once for the file
    person = Person(
        id=str(uuid.uuid4()),
        given_names=given,
        surname=surname,
        native_name=native,
        birth_date=born,
        sex=sex,
        citizenships=citizenships,
        passport_number=passport,
    )
    member = Member(
        number, person, formation, rank_group, start, years, months, served_from, served_to, award
    )
    return member, []


def _check_dates(
    row: _Row,
    born: date | None,
    start: date | None,
    served_from: date | None,
    served_to: date | None,
    probation: Callable[[date], int | None],
) -> int | None:
    """The dates against each other; returns the probation months of the contract."""
    if born is not None and start is not None and age_on(born, start) < MIN_AGE:
        age = age_on(born, start)
        row.fail("contract_start", f"the person was {age} on {start}; at least {MIN_AGE} to serve")
    if start is not None and served_from is not None and served_from < start:
        row.fail("service_start", f"{served_from} is before the contract start {start}")
    if served_from is not None and served_to is not None and served_to < served_from:
        row.fail("service_end", f"{served_to} is before the service start {served_from}")
    if start is None:
        return None
    months = probation(start)
    if months is None:
        row.fail("contract_start", f"the legislation gives no probation period on {start}")
    return months


def _header_problems(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Each known column's position, and the problems of the header row."""
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lower().lstrip("\ufeff")
        if not name:
            continue
        if name not in COLUMNS:
            message = f"unknown column; expected {', '.join(COLUMNS)}"
            problems.append(Problem(1, raw, message, True))
        elif name in positions:
            problems.append(Problem(1, name, "appears twice in the header", True))
        else:
            positions[name] = i
    for name in REQUIRED:
        if name not in positions:
            problems.append(Problem(1, name, "the column is missing from the header", True))
    return positions, problems


def check_sheet(
    ctx: Context, sheet: Sheet, on_progress: Progress = _quiet
) -> tuple[list[Member], list[Problem]]:
    """Every row checked, in one tight loop; duplicates within the file included."""
    if sheet.problems:
        return [], list(sheet.problems)
    if not any(h.strip() for h in sheet.header):
        expected = ", ".join(COLUMNS)
        return [], [Problem(1, None, f"no header row; expected the columns {expected}", True)]
    positions, problems = _header_problems(sheet.header)
    today, probation = ctx.clock().date(), _probation_on(ctx)
    members: list[Member] = []
    total, width = len(sheet.rows), len(sheet.header)
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        if done % 500 == 0 or done == total:
            on_progress("checking rows", done, total)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # a blank line
        if len(cells) > width and any(c not in (None, "") for c in cells[width:]):
            problems.append(Problem(number, None, f"has cells beyond the {width} columns"))
            continue
        named = {name: cells[i] if i < len(cells) else None for name, i in positions.items()}
        member, found = check_row(number, named, today, probation)
        problems += found
        if member is not None:
            members.append(member)
    on_progress("checking rows", total, total)
    return _without_duplicates(members, problems)


def _without_duplicates(
    members: list[Member], problems: list[Problem]
) -> tuple[list[Member], list[Problem]]:
    """Rows sharing a passport are all bad: which of them is right is not ours to guess."""
    rows_of: dict[str, list[int]] = {}
    for member in members:
        rows_of.setdefault(normalise_passport(member.person.passport_number), []).append(member.row)
    shared = {row: rows for rows in rows_of.values() if len(rows) > 1 for row in rows}
    for row, rows in sorted(shared.items()):
        others = ", ".join(str(r) for r in rows if r != row)
        problems.append(Problem(row, "passport_number", f"the same passport is on row {others}"))
    return [m for m in members if m.row not in shared], problems


def _known_passports(conn: Connection, indexes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(indexes), 500):
        chunk = indexes[start : start + 500]
        query = select(persons.c.passport_index).where(persons.c.passport_index.in_(chunk))
        found |= set(conn.execute(query).scalars())
    return found


# -- writing ------------------------------------------------------------------------------------
def _reference() -> str:
    # As services.cases makes them; 256 is a multiple of the 32 letters, so no letter is likelier.
    return "GP-" + "".join(REFERENCE_ALPHABET[b % 32] for b in secrets.token_bytes(10))


def _person_row(keyring: Keyring, person: Person, index: str, at: datetime) -> dict[str, Any]:
    # The same sealing and indexes as CaseRepository.add_person, as one row for executemany.
    identity = {name: getattr(person, name) for name in PERSON_FIELDS}
    identity["birth_date"] = person.birth_date.isoformat()
    full_name = f"{person.given_names} {person.surname}"
    return {
        "id": person.id,
        "sealed": keyring.seal_json(identity, person_context(person.id)),
        "key_id": keyring.active_id,
        "passport_index": index,
        "name_index": name_index(keyring, full_name, person.birth_date),
        "citizenships": ",".join(person.citizenships),
        "sex": person.sex,
        "created_at": at,
    }


@dataclass
class _Batch:
    persons: list[dict[str, Any]] = field(default_factory=list)
    name_tokens: list[dict[str, str]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    audit: list[audit.Entry] = field(default_factory=list)

    def write(self, uow: UnitOfWork) -> None:
        conn = uow.conn
        for table, rows in (
            (persons, self.persons),
            (name_tokens, self.name_tokens),
            (cases, self.cases),
            (contracts, self.contracts),
            (service_periods, self.periods),
            (case_history, self.history),
        ):
            if rows:
                conn.execute(table.insert(), rows)
        case_counts.count_added(conn, case_counts.from_rows(self.cases, self.persons))
        _append_audit(conn, uow.ctx.keyring, self.audit)


def _append_audit(conn: Connection, keyring: Keyring, entries: list[audit.Entry]) -> None:
    """`audit.append` for many entries at once: the same chain and MACs (audit.verify checks
    them), one executemany instead of a read and a write per entry."""
    if not entries:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": audit.CHAIN_LOCK})
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (0, audit.GENESIS) if last is None else (last.seq, last.hash)
    rows = []
    for entry in entries:
        seq += 1
        mac = keyring.chain_mac(audit._canonical(seq, entry, prev))
        rows.append(
            {
                "seq": seq,
                "at": audit._utc(entry.at),
                "actor_id": entry.actor_id,
                "role": entry.role,
                "action": entry.action,
                "subject": entry.subject,
                "details": entry.details,
                "prev_hash": prev,
                "rows": entry.rows or None,
                "hash": mac,
            }
        )
        prev = mac
    conn.execute(audit_log.insert(), rows)


def _add(
    batch: _Batch, ctx: Context, actor: Actor, member: Member, index: str, now: datetime
) -> State:
    state = member.state(now.date())
    case_id = str(uuid.uuid4())
    batch.persons.append(_person_row(ctx.keyring, member.person, index, now))
    person = member.person
    names = person_names(person.given_names, person.surname, person.native_name)
    batch.name_tokens += token_rows(ctx.keyring, person.id, names)
    facts: dict[str, Any] = {"rank_group": member.rank_group}
    if member.state_award is not None:
        facts["state_award"] = member.state_award
    batch.cases.append(
        {
            "id": case_id,
            "reference": _reference(),
            "person_id": member.person.id,
            "formation": member.formation,
            "state": state.value,
            "facts": facts,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "submitted_on": None,
            "resume_code_hash": None,
        }
    )
    start = member.contract_start
    batch.contracts.append(
        {
            "case_id": case_id,
            "signed_on": start,
            "rank_group": member.rank_group,
            "years": member.contract_years,
            "probation_months": member.probation_months,
            "ends_on": add_years(start, member.contract_years),
            "probation_ends_on": add_months(start, member.probation_months),
            "law_version": ctx.legislation.version,
        }
    )
    batch.periods.append(
        {
            "case_id": case_id,
            "formation": member.formation,
            "basis": "contract",
            "start": member.service_start,
            "end": member.service_end,
        }
    )
    batch.history.append(
        {
            "case_id": case_id,
            "seq": 1,
            "action": "imported",
            "from_state": None,
            "to_state": state.value,
            "actor_id": actor.id,
            "role": actor.role.value,
            "at": now,
            "reason_sealed": None,
            "key_id": None,
            "answer": None,
            "law_version": None,
        }
    )
    details = {"to": state.value, "source": "roster"}
    sealed = {}
    for table, rows in (
        (persons, batch.persons),
        (cases, batch.cases),
        (contracts, batch.contracts),
        (service_periods, batch.periods),
        (case_history, batch.history),
    ):
        row = rows[-1]
        row["mac"] = row_mac(ctx.keyring, table, row)
        sealed[row_seals.BY_TABLE[table.name].key(row)] = row["mac"]
    batch.audit.append(
        audit.Entry(now, actor.id, actor.role.value, "imported", case_id, details, sealed)
    )
    return state


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_roster(
    ctx: Context,
    actor: Actor,
    path: Path,
    *,
    skip_bad: bool = False,
    on_progress: Progress = _quiet,
) -> Imported:
    """Check every row of the roster at `path`, then write the good ones in one transaction:
    all of them or, with a problem and without `skip_bad`, none."""
    began = time.perf_counter()
    sheet = read_sheet(path)
    members, problems = check_sheet(ctx, sheet, on_progress)
    checked = time.perf_counter()
    states: Counter[str] = Counter()
    with UnitOfWork(ctx) as uow:
        indexed = [(m, passport_index(ctx.keyring, m.person.passport_number)) for m in members]
        known = _known_passports(uow.conn, [i for _, i in indexed])
        problems += [
            Problem(m.row, "passport_number", "a person with this passport is already here")
            for m, i in indexed
            if i in known
        ]
        problems.sort(key=_position)
        refused = any(p.whole_file for p in problems) or (bool(problems) and not skip_bad)
        good = [] if refused else [(m, i) for m, i in indexed if i not in known]
        now = ctx.clock()
        if good:
            on_progress("importing", 0, len(good))
        for done, chunk in enumerate(_chunks(good, CHUNK), start=1):
            batch = _Batch()
            for member, index in chunk:
                states[_add(batch, ctx, actor, member, index, now).value] += 1
            batch.write(uow)
            on_progress("importing", min(done * CHUNK, len(good)), len(good))
        if good or not problems:
            skipped = len({p.row for p in problems})
            details = {"imported": len(good), "skipped_rows": skipped, "format": path.suffix}
            role = actor.role.value
            uow.audit(audit.Entry(now, actor.id, role, "import_roster", "roster", details))
            uow.commit()
    return Imported(
        rows=len(sheet.rows),
        imported=len(good),
        problems=problems,
        states=states,
        checking_seconds=checked - began,
        importing_seconds=time.perf_counter() - checked,
    )


def _position(problem: Problem) -> tuple[int, int]:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.row or 0, column)


# -- export -------------------------------------------------------------------------------------
def _members(conn: Connection, keyring: Keyring) -> list[dict[str, Any]]:
    """Every serving or discharged member with a contract, as roster rows, identities opened."""
    query = (
        select(cases, contracts.c.signed_on, contracts.c.years, contracts.c.rank_group)
        .join(contracts, contracts.c.case_id == cases.c.id)
        .where(cases.c.state.in_([s.value for s in EXPORTED_STATES]))
    )
    found = {row.id: row for row in conn.execute(query)}
    spans: dict[str, tuple[date, date | None]] = {}
    for period in conn.execute(select(service_periods).order_by(service_periods.c.start)):
        if period.case_id in found:
            first = spans.get(period.case_id, (period.start, None))[0]
            spans[period.case_id] = (first, period.end)
    people = {
        row.id: row
        for chunk in _chunks([r.person_id for r in found.values()], 500)
        for row in conn.execute(select(persons).where(persons.c.id.in_(chunk)))
    }
    rows = []
    for case_id, case in found.items():
        if case_id not in spans:
            continue  # a contract without service yet is not on a roster
        person = people[case.person_id]
        identity = keyring.open_json(person.sealed, person_context(person.id))
        start, end = spans[case_id]
        award = case.facts.get("state_award")
        rows.append(
            {
                "given_names": identity["given_names"],
                "surname": identity["surname"],
                "native_name": identity.get("native_name"),
                "birth_date": date.fromisoformat(identity["birth_date"]),
                "sex": person.sex,
                "citizenships": ";".join(c for c in person.citizenships.split(",") if c),
                "passport_number": identity["passport_number"],
                "formation": case.formation,
                "rank_group": case.rank_group,
                "contract_start": case.signed_on,
                "contract_years": case.years,
                "service_start": start,
                "service_end": end,
                "state_award": award if isinstance(award, bool) else None,
            }
        )
    return sorted(rows, key=lambda r: (r["surname"].casefold(), r["given_names"].casefold()))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv(handle: io.BufferedWriter, rows: Iterable[dict[str, Any]]) -> None:
    # With a BOM, so that a spreadsheet opens the names in any script correctly.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows([_csv_cell(row[c]) for c in COLUMNS] for row in rows)
    text.flush()
    text.detach()


def _write_xlsx(handle: io.BufferedWriter, rows: Iterable[dict[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet("roster")
    sheet.append(list(COLUMNS))
    for row in rows:
        cells = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=row[column])
            if isinstance(row[column], str):
                cell.data_type = "s"  # text stays text: a name starting with "=" is no formula
            elif isinstance(row[column], date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    book.save(handle)


def export_roster(ctx: Context, actor: Actor, path: Path) -> int:
    """Write every serving or discharged member to `path` (.csv or .xlsx), a new file readable
    by its owner only; returns how many. The export is a read of personal records: audited."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError(f"{path.name!r}: expected a file ending in .csv or .xlsx")
    if path.exists():
        raise RosterError(f"{str(path)!r} already exists; name a new file")
    if not path.parent.is_dir():
        raise RosterError(f"no folder {str(path.parent)!r} to write {path.name!r} into")
    with UnitOfWork(ctx) as uow:
        rows = _members(uow.conn, ctx.keyring)
        details = {"cases": len(rows), "format": suffix}
        entry = audit.Entry(
            ctx.clock(), actor.id, actor.role.value, "export_roster", "roster", details
        )
        uow.audit(entry)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                (_write_csv if suffix == ".csv" else _write_xlsx)(handle, rows)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        uow.commit()
    return len(rows)
