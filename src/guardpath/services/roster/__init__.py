"""Unit rosters in and out: the service members a unit already has, as CSV or XLSX (docs/roster.md).

An import checks every row before anything is written and collects every problem with its row
and column. By default it is all or nothing: one bad row and nothing is written. With
`skip_bad` the good rows go in and the bad ones are reported; a problem with the file as a
whole (its encoding, its columns) refuses it either way. Good rows become cases in the state
their dates give (probation, in service, discharged), with the person sealed and indexed by
the one sealing path (adapters/sealing.py), the contract, the service period, a history entry
"imported" and an audit entry each, all in one transaction, written with executemany.

An export writes the same columns from the database, opening the sealed identities in memory
only, so an export imports cleanly into an empty database.

The package by step: `sheet` (what a roster is, and reading the file), `checking` (every cell and
row), `importing` (writing the good rows through the unit of work's roster repository,
adapters/rosters.py) and `exporting`.
"""

from __future__ import annotations

from guardpath.services.roster.checking import check_row, check_sheet, date_problem
from guardpath.services.roster.exporting import export_roster
from guardpath.services.roster.importing import import_roster
from guardpath.services.roster.sheet import (
    COLUMNS,
    Imported,
    Member,
    Problem,
    RosterError,
    Sheet,
    read_sheet,
)

__all__ = [
    "COLUMNS",
    "Imported",
    "Member",
    "Problem",
    "RosterError",
    "Sheet",
    "check_row",
    "check_sheet",
    "date_problem",
    "export_roster",
    "import_roster",
    "read_sheet",
]
