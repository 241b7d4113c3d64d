"""Unit rosters: what a roster is (its columns, rows, members and problems) and reading one
from a CSV or XLSX file, before any check."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from guardpath.cases.model import Person, State
from guardpath.law.dates import add_months

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
