"""Unit rosters out: every serving or discharged member, in the columns an import reads."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from guardpath.adapters import audit
from guardpath.cases.model import Actor
from guardpath.services.ports import Ports
from guardpath.services.roster.sheet import COLUMNS, EXPORTED_STATES, SUFFIXES, RosterError


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
    from openpyxl import Workbook  # type: ignore[import-untyped]
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


def export_roster(ctx: Ports, actor: Actor, path: Path) -> int:
    """Write every serving or discharged member to `path` (.csv or .xlsx), a new file readable
    by its owner only; returns how many. The export is a read of personal records: audited."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError(f"{path.name!r}: expected a file ending in .csv or .xlsx")
    if path.exists():
        raise RosterError(f"{str(path)!r} already exists; name a new file")
    if not path.parent.is_dir():
        raise RosterError(f"no folder {str(path.parent)!r} to write {path.name!r} into")
    with ctx.unit_of_work() as uow:
        rows = uow.rosters.members(EXPORTED_STATES)
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
