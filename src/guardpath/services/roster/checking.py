"""Unit rosters: every cell and every row checked, each problem with its row and column."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from guardpath.adapters.crypto import normalise_passport
from guardpath.cases.model import Person
from guardpath.law.dates import age_on, days_in_month
from guardpath.law.facts import COUNTRY_CODES, FORMATIONS, RANK_GROUPS, SEX
from guardpath.services.applications import name_problem
from guardpath.services.ports import Ports
from guardpath.services.roster.sheet import (
    COLUMNS,
    CONTRACT_YEARS,
    MAX_CITIZENSHIPS,
    MIN_AGE,
    OPTIONAL,
    PROBATION,
    REQUIRED,
    XLSX_ERRORS,
    Member,
    Problem,
    Progress,
    Sheet,
    _quiet,
)


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
def _probation_on(ctx: Ports) -> Callable[[date], int | None]:
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
    ctx: Ports, sheet: Sheet, on_progress: Progress = _quiet
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
