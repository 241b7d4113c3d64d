"""Unit rosters: exports that import again, on SQLite and PostgreSQL, and the commands."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cast import american_private, belarusian_with_award, good_rows, stateless_recruit, write_csv
from guardpath.adapters import audit
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import case_history, cases
from guardpath.bootstrap import Context, bootstrap
from guardpath.services.roster import (
    RosterError,
    export_roster,
    import_roster,
)
from guardpath.settings import load_settings
from postgres_support import fresh_database

from .conftest import ADMIN, NOW, cast_roster, everything, new_context, run


# -- export and round trips --------------------------------------------------------------------
def exported_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    width = len(rows[0])  # a read-only sheet leaves trailing empty cells out
    return [
        dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True)) for row in rows[1:]
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_exports_a_roster_that_imports_into_an_empty_database(
    ctx: Context, tmp_path: Path, suffix: str
) -> None:
    rows = [american_private(), belarusian_with_award(), stateless_recruit(), *good_rows(200)]
    import_roster(ctx, ADMIN, write_csv(tmp_path / "roster.csv", rows))
    first = tmp_path / f"first{suffix}"

    assert export_roster(ctx, ADMIN, first) == 203
    empty = new_context(tmp_path / "empty")
    result = import_roster(empty, ADMIN, first)
    second = tmp_path / f"second{suffix}"
    export_roster(empty, ADMIN, second)
    empty.engine.dispose()

    assert result.problems == [] and result.imported == 203
    assert exported_rows(first) == exported_rows(second)
    assert (first.stat().st_mode & 0o777) == 0o600
    by_passport = {r["passport_number"]: r for r in exported_rows(first)}
    assert by_passport["MP7654321"]["native_name"] == "Аляксандр Кавалёў"


def test_it_audits_an_export_and_never_overwrites(ctx: Context, tmp_path: Path) -> None:
    import_roster(ctx, ADMIN, cast_roster(tmp_path))
    path = tmp_path / "out.csv"
    export_roster(ctx, ADMIN, path)

    with pytest.raises(RosterError, match="already exists"):
        export_roster(ctx, ADMIN, path)
    with ctx.engine.connect() as conn:
        last = conn.execute(select(audit.audit_log).order_by(audit.audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "export_roster"
    assert last.details == {"cases": 3, "format": ".csv"}


def test_it_exports_demo_cases_that_import_cleanly(tmp_path: Path) -> None:
    from guardpath.services.demo import make_demo_data

    source = new_context(tmp_path / "demo")
    make_demo_data(source, cases=40, seed=2, until=date(2026, 6, 30))
    with source.engine.connect() as conn:
        serving = conn.execute(
            select(cases.c.id).where(cases.c.state.in_(["probation", "in_service", "discharged"]))
        ).all()
    path = tmp_path / "demo.xlsx"
    exported = export_roster(source, ADMIN, path)
    source.engine.dispose()
    target = new_context(tmp_path / "target")

    result = import_roster(target, ADMIN, path)

    assert exported == len(serving) > 0
    assert result.problems == [] and result.imported == exported
    with target.engine.connect() as conn:
        assert conn.execute(select(case_history.c.action).distinct()).scalars().all() == [
            "imported"
        ]
    target.engine.dispose()


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Context]:
    """An upgraded, empty PostgreSQL database; skipped without a server (but not in CI)."""
    with fresh_database("guardpath_roster") as url:
        settings = load_settings(data_dir=tmp_path / "pg", database_url=url)
        ctx = bootstrap(settings, clock=lambda: NOW)
        upgrade(ctx.engine)
        yield ctx
        ctx.engine.dispose()


def test_it_imports_and_exports_on_postgresql(postgres: Context, tmp_path: Path) -> None:
    rows = [american_private(), belarusian_with_award(), stateless_recruit(), *good_rows(1500)]
    bad = [*rows[:10], american_private(passport_number="X1", birth_date="2023-02-29")]

    refused = import_roster(postgres, ADMIN, write_csv(tmp_path / "bad.csv", bad))
    assert refused.refused and everything(postgres)["cases"] == 0
    result = import_roster(postgres, ADMIN, write_csv(tmp_path / "roster.csv", rows))
    path = tmp_path / "out.csv"

    assert result.problems == [] and result.imported == 1503
    assert export_roster(postgres, ADMIN, path) == 1503
    with postgres.engine.connect() as conn:
        assert audit.verify(conn, postgres.keyring).ok
    again = import_roster(postgres, ADMIN, path)
    assert {p.message for p in again.problems} == {"a person with this passport is already here"}
    assert len(again.problems) == 1503


def test_the_import_command_imports_and_says_how_many(folder: Path, tmp_path: Path) -> None:
    rows = [american_private(contract_start="2020-03-01", service_start="2020-03-01")]
    result = run(folder, "import", str(write_csv(tmp_path / "roster.csv", rows)))

    assert result.exit_code == 0, result.output
    assert "imported 1 members from roster.csv (1 in_service)" in result.stdout


def test_the_import_command_prints_the_report_and_exits_2(folder: Path, tmp_path: Path) -> None:
    rows = [american_private(birth_date="2023-02-29", citizenships="XX"), belarusian_with_award()]
    path = write_csv(tmp_path / "roster.csv", rows)
    report = tmp_path / "problems.csv"

    result = run(folder, "import", str(path), "--report", str(report))

    assert result.exit_code == 2
    assert "problems in the roster" in result.stdout
    assert "February 2023 has 28 days" in result.stdout and "'XX'" in result.stdout
    assert "2 problems (1 bad rows); nothing was imported" in result.stderr
    assert "--skip-bad" in result.stderr
    assert report.read_text().splitlines()[0] == "row,column,problem"
    assert len(report.read_text().splitlines()) == 3
    exported = run(folder, "export", str(tmp_path / "out.csv"))
    assert "exported 0 members" in exported.stdout


def test_the_import_command_skips_bad_rows_when_asked(folder: Path, tmp_path: Path) -> None:
    rows = [american_private(birth_date="2023-02-29"), belarusian_with_award()]
    path = write_csv(tmp_path / "roster.csv", rows)

    result = run(folder, "import", str(path), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert "February 2023 has 28 days" in result.stdout
    assert "imported 1 members from roster.csv (1 discharged); skipped 1 bad rows" in result.stdout


def test_the_import_command_refuses_a_wrong_encoding_even_skipping(
    folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes(cast_roster(tmp_path).read_text().encode("cp1251"))

    result = run(folder, "import", str(path), "--skip-bad")

    assert result.exit_code == 2
    assert "not UTF-8" in result.stdout and "the file cannot be used" in result.stderr


def test_the_commands_refuse_bad_file_names_with_exit_2(folder: Path, tmp_path: Path) -> None:
    imported = run(folder, "import", str(tmp_path / "roster.txt"))
    missing = run(folder, "import", str(tmp_path / "none.csv"))
    taken = cast_roster(tmp_path)
    exported = run(folder, "export", str(taken))

    assert imported.exit_code == missing.exit_code == exported.exit_code == 2
    assert "FILE: 'roster.txt': expected a file ending in .csv or .xlsx" in imported.stderr
    assert "FILE: no file" in missing.stderr
    assert "already exists" in exported.stderr


def test_the_export_command_writes_a_file_the_import_command_reads(
    folder: Path, tmp_path: Path
) -> None:
    assert run(folder, "import", str(cast_roster(tmp_path))).exit_code == 0
    out = tmp_path / "out.xlsx"

    exported = run(folder, "export", str(out))
    other = tmp_path / "other"
    shutil.rmtree(other, ignore_errors=True)
    assert run(other, "db", "upgrade").exit_code == 0
    again = run(other, "import", str(out))

    assert exported.exit_code == 0 and "exported 3 members to" in exported.stdout
    assert again.exit_code == 0, again.output
    assert "imported 3 members" in again.stdout
