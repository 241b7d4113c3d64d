"""Unit rosters: the database each test imports into, good rosters to import, files to write."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from cast import roster_rows, write_csv
from guardpath.adapters.backup_store import counts
from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.cli import app
from guardpath.services.roster import (
    COLUMNS,
    Imported,
)
from guardpath.settings import load_settings
from sqlite_support import migrated_context

NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)
ADMIN = Actor("cli:test", Role.ADMIN)
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


def new_context(folder: Path) -> Context:
    ctx = bootstrap(load_settings(data_dir=folder), clock=lambda: NOW)
    upgrade(ctx.engine)
    return ctx


@pytest.fixture
def ctx(tmp_path: Path, sqlite_template: Path) -> Iterator[Context]:
    settings = load_settings(data_dir=tmp_path / "db")
    context = migrated_context(settings, sqlite_template, clock=lambda: NOW)
    yield context
    context.engine.dispose()


# -- a cast, and a generator of good rosters ----------------------------------------------------
def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def cast_roster(folder: Path) -> Path:
    return write_csv(folder / "roster.csv", roster_rows())


def everything(ctx: Context) -> dict[str, int]:
    with ctx.engine.connect() as conn:
        return counts(conn)


def problems_of(result: Imported) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in result.problems}


# -- the commands ------------------------------------------------------------------------------
def run(folder: Path, *args: str) -> Result:
    return runner.invoke(app, list(args), env={"GUARDPATH_DATA_DIR": str(folder)})


@pytest.fixture
def folder(tmp_path: Path, sqlite_template: Path) -> Path:
    """A data folder whose database is at the head revision (as `guardpath db upgrade` leaves
    it: a copy of the migrated template)."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    shutil.copyfile(sqlite_template, load_settings(data_dir=data).sqlite_path)
    return data
