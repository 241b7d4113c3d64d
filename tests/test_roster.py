"""Unit rosters: every row checked, all or nothing, sealed like applications, and round trips."""

from __future__ import annotations

import csv
import os
import random
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from typer.testing import CliRunner, Result

from guardpath.adapters import audit
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import case_history, cases, persons
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role, State
from guardpath.cli import app
from guardpath.services.backup import counts
from guardpath.services.roster import (
    COLUMNS,
    Imported,
    RosterError,
    date_problem,
    export_roster,
    import_roster,
)
from guardpath.settings import load_settings
from postgres_support import fresh_database

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
def ctx(tmp_path: Path) -> Iterator[Context]:
    context = new_context(tmp_path / "db")
    yield context
    context.engine.dispose()


# -- a cast, and a generator of good rosters ----------------------------------------------------
def american_private(**overrides: Any) -> dict[str, Any]:
    """A serving American private, past probation."""
    row = {
        "given_names": "James Michael",
        "surname": "Smith",
        "native_name": "",
        "birth_date": "1990-05-01",
        "sex": "male",
        "citizenships": "US",
        "passport_number": "A1234567",
        "formation": "ngu",
        "rank_group": "private",
        "contract_start": "2024-03-01",
        "contract_years": "3",
        "service_start": "2024-03-05",
        "service_end": "",
        "state_award": "false",
    }
    return {**row, **overrides}


def belarusian_with_award(**overrides: Any) -> dict[str, Any]:
    """A Belarusian sergeant with a state award, discharged, native name in Cyrillic."""
    return american_private(
        **{
            "given_names": "Aliaksandr",
            "surname": "Kavaliou",
            "native_name": "Аляксандр Кавалёў",
            "citizenships": "BY",
            "passport_number": "MP7654321",
            "formation": "afu",
            "rank_group": "sergeant",
            "contract_start": "2022-04-01",
            "contract_years": "5",
            "service_start": "2022-04-01",
            "service_end": "2025-12-31",
            "state_award": "true",
            **overrides,
        }
    )


def stateless_recruit(**overrides: Any) -> dict[str, Any]:
    """A stateless woman who signed a month ago: still on probation."""
    return american_private(
        **{
            "given_names": "Nino",
            "surname": "Beridze",
            "sex": "female",
            "citizenships": "",
            "passport_number": "TD-000111",
            "contract_start": "2026-06-01",
            "service_start": "2026-06-02",
            "state_award": "",
            **overrides,
        }
    )


NAMES = ("James", "Oliver", "Giorgi", "Piotr", "Juan Carlos", "Lukas", "Tomas", "Erik", "Nino")
SURNAMES = ("Smith", "Brown", "Beridze", "Kowalski", "Rodríguez", "Müller", "Tamm", "Nielsen")
COUNTRIES = ("US", "GB", "CA", "GE", "PL", "CO", "BR", "FR", "DE", "LT", "US;GB", "", "BY")


def good_rows(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` plausible members: every formation and rank, some discharged, some on probation."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
        start = date(2016, 7, 1) + timedelta(days=rng.randrange(0, 3600))
        start = max(start, date(born.year + 19, 1, 1))
        served_from = start + timedelta(days=rng.randrange(0, 10))
        end = served_from + timedelta(days=rng.randrange(30, 2000))
        rank = rng.choice(("private", "sergeant", "officer"))
        rows.append(
            {
                "given_names": rng.choice(NAMES),
                "surname": rng.choice(SURNAMES),
                "native_name": "",
                "birth_date": born.isoformat(),
                "sex": rng.choice(("male", "male", "female")),
                "citizenships": rng.choice(COUNTRIES),
                "passport_number": f"P{seed:02d}{i:07d}",
                "formation": rng.choice(("ngu", "afu", "dsst")),
                "rank_group": rank,
                "contract_start": start.isoformat(),
                "contract_years": str(rng.choice((3, 5)) if rank == "sergeant" else 3),
                "service_start": served_from.isoformat(),
                "service_end": end.isoformat() if end < NOW.date() and rng.random() < 0.3 else "",
                "state_award": rng.choice(("true", "false", "")),
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


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
    rows = [american_private(), belarusian_with_award(), stateless_recruit()]
    return write_csv(folder / "roster.csv", rows)


def everything(ctx: Context) -> dict[str, int]:
    with ctx.engine.connect() as conn:
        return counts(conn)


def problems_of(result: Imported) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in result.problems}


# -- good rosters ------------------------------------------------------------------------------
def test_it_imports_the_cast_in_the_states_their_dates_give(ctx: Context, tmp_path: Path) -> None:
    result = import_roster(ctx, ADMIN, cast_roster(tmp_path))

    assert result.problems == [] and result.imported == 3
    assert result.states == {"in_service": 1, "discharged": 1, "probation": 1}
    with ctx.engine.connect() as conn:
        repository = CaseRepository(conn, ctx.keyring)
        [person_id] = repository.person_ids_by_passport("MP 7654321")  # normalised like others
        [case_id] = repository.case_ids_of_person(person_id)
        case = repository.get(case_id)
        assert repository.person_ids_by_name("Kavaliou Aliaksandr", date(1990, 5, 1)) == [person_id]
    assert case.state is State.DISCHARGED
    assert case.person.native_name == "Аляксандр Кавалёў"
    assert case.person.citizenships == ("BY",)
    assert case.facts == {"rank_group": "sergeant", "state_award": True}
    assert case.contract is not None and case.contract.years == 5
    assert case.contract.ends_on == date(2027, 4, 1)
    assert case.contract.probation_ends_on == date(2022, 6, 1)
    assert [(p.start, p.end) for p in case.service_periods] == [
        (date(2022, 4, 1), date(2025, 12, 31))
    ]
    assert [(h.action, h.from_state, h.to_state) for h in case.history] == [
        ("imported", None, State.DISCHARGED)
    ]


def test_it_keeps_identities_sealed_and_the_audit_chain_whole(ctx: Context, tmp_path: Path) -> None:
    import_roster(ctx, ADMIN, cast_roster(tmp_path))

    with ctx.engine.connect() as conn:
        sealed = b"".join(conn.execute(select(persons.c.sealed)).scalars())
        actions = [e.action for e in conn.execute(select(audit.audit_log)).all()]
        report = audit.verify(conn, ctx.keyring)
    assert b"Kavaliou" not in sealed and b"A1234567" not in sealed and b"1990-05-01" not in sealed
    assert actions == ["imported"] * 3 + ["import_roster"]
    assert report.ok, report.problems


def test_it_imports_a_10000_row_roster_quickly(ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", good_rows(10_000, seed=3))
    phases: dict[str, int] = {}

    began = time.perf_counter()
    result = import_roster(
        ctx, ADMIN, path, on_progress=lambda phase, done, total: phases.update({phase: done})
    )
    seconds = time.perf_counter() - began

    print(
        f"\n10,000 rows: checked in {result.checking_seconds:.2f} s, "
        f"written in {result.importing_seconds:.2f} s, {seconds:.2f} s in all"
    )
    assert result.problems == [] and result.imported == 10_000
    assert phases == {"checking rows": 10_000, "importing": 10_000}
    tables = everything(ctx)
    assert tables["persons"] == tables["cases"] == tables["contracts"] == 10_000
    assert tables["service_periods"] == tables["case_history"] == 10_000
    assert tables["audit_log"] == 10_001
    assert seconds < 60


def test_it_reads_a_csv_with_a_bom_and_an_xlsx_with_date_cells(
    ctx: Context, tmp_path: Path
) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + cast_roster(tmp_path).read_bytes())
    xlsx = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            [
                *("Erik", "Nilsson", None, datetime(1988, 2, 29), "male", "SE", 12345678),
                *("dsst", "officer", datetime(2025, 1, 10), 3, date(2025, 1, 10), None, False),
            ]
        ],
    )

    assert import_roster(ctx, ADMIN, bom).imported == 3
    result = import_roster(ctx, ADMIN, xlsx)

    assert result.problems == [] and result.states == {"in_service": 1}
    with ctx.engine.connect() as conn:
        repository = CaseRepository(conn, ctx.keyring)
        [person_id] = repository.person_ids_by_passport("12345678")
        case = repository.get(repository.case_ids_of_person(person_id)[0])
    assert case.person.birth_date == date(1988, 2, 29)


# -- broken rosters: refused with the report, nothing written ---------------------------------
BROKEN_ROWS = {
    "an impossible date": (
        {"birth_date": "2023-02-29"},
        "birth_date",
        "2023-02-29 is not a calendar date: February 2023 has 28 days",
    ),
    "a date in another form": ({"contract_start": "01.03.2024"}, "contract_start", "YYYY-MM-DD"),
    "a birth date in the future": (
        {"birth_date": "2030-01-01"},
        "birth_date",
        "2030-01-01 is in the future",
    ),
    "an unknown country": (
        {"citizenships": "US;XX"},
        "citizenships",
        "'XX': not ISO 3166-1 alpha-2",
    ),
    "an unknown formation": ({"formation": "navy"}, "formation", "'navy' is not one of ngu"),
    "an unknown rank group": ({"rank_group": "general"}, "rank_group", "'general' is not one"),
    "an empty required cell": ({"surname": " "}, "surname", "is empty; it is required"),
    "service ending before it starts": (
        {"service_end": "2024-01-01"},
        "service_end",
        "2024-01-01 is before the service start 2024-03-05",
    ),
    "a minor": ({"birth_date": "2010-01-01"}, "contract_start", "the person was 14"),
    "contract years out of range": ({"contract_years": "30"}, "contract_years", "from 1 to 10"),
    "not a flag": ({"state_award": "maybe"}, "state_award", "not true or false"),
}


@pytest.mark.parametrize("case", BROKEN_ROWS, ids=list(BROKEN_ROWS))
def test_it_refuses_a_roster_with_a_bad_row_and_writes_nothing(
    ctx: Context, tmp_path: Path, case: str
) -> None:
    change, column, words = BROKEN_ROWS[case]
    rows = [belarusian_with_award(), american_private(**change), stateless_recruit()]
    before = everything(ctx)

    result = import_roster(ctx, ADMIN, write_csv(tmp_path / "roster.csv", rows))

    assert result.refused and result.imported == 0
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, column)
    assert words in problem.message
    assert everything(ctx) == before


def test_it_reports_every_bad_row_not_just_the_first(ctx: Context, tmp_path: Path) -> None:
    rows = good_rows(50)
    rows[4]["birth_date"] = "1990-13-01"
    rows[9]["citizenships"] = "ZZ"
    rows[9]["sex"] = "m"
    rows[49]["service_start"] = "2015-01-01"

    result = import_roster(ctx, ADMIN, write_csv(tmp_path / "roster.csv", rows))

    assert problems_of(result) == {
        (6, "birth_date"),
        (11, "sex"),
        (11, "citizenships"),
        (51, "service_start"),
    }
    assert "there is no month 13" in result.problems[0].message


def test_it_names_a_missing_column_once(ctx: Context, tmp_path: Path) -> None:
    columns = tuple(c for c in COLUMNS if c != "passport_number")
    path = write_csv(tmp_path / "roster.csv", good_rows(20), columns)
    before = everything(ctx)

    result = import_roster(ctx, ADMIN, path, skip_bad=True)

    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "passport_number", "the column is missing from the header")
    ]
    assert result.refused and everything(ctx) == before


def test_it_refuses_an_unknown_column(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(cast_roster(tmp_path).read_text().replace("state_award", "award", 1))

    result = import_roster(ctx, ADMIN, path)

    assert [(p.row, p.column) for p in result.problems] == [(1, "award")]
    assert "unknown column" in result.problems[0].message


def test_it_says_a_cp1251_file_is_not_utf8_and_where(ctx: Context, tmp_path: Path) -> None:
    text = cast_roster(tmp_path).read_text(encoding="utf-8")
    path = tmp_path / "cp1251.csv"
    path.write_bytes(text.encode("cp1251"))  # the Cyrillic native name on row 3
    before = everything(ctx)

    result = import_roster(ctx, ADMIN, path, skip_bad=True)

    [problem] = result.problems
    assert problem.whole_file and problem.row == 3
    assert "not UTF-8" in problem.message and "byte 0xc0" in problem.message
    assert "Windows-1251" in problem.message
    assert everything(ctx) == before


def test_it_refuses_an_xlsx_with_a_bad_cell(ctx: Context, tmp_path: Path) -> None:
    good = ["Erik", "Nilsson", None, "1980-01-01", "male", "SE", "S1", "ngu", "private"]
    dates = [date(2024, 3, 1), 3, date(2024, 3, 1), None, None]
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            good + dates,
            ["Mads", "Nielsen", None, "2024-02-30", "male", "DK", "D1", "ngu", "private", *dates],
            ["Ole", "Berg", None, 29221, "male", "NO", "N1", "ngu", "private", *dates],
            ["Ida", "Hansen", None, "=1/0", "female", "DK", "D2", "ngu", "private", *dates],
        ],
    )
    before = everything(ctx)

    result = import_roster(ctx, ADMIN, path)

    assert problems_of(result) == {(3, "birth_date"), (4, "birth_date"), (5, "birth_date")}
    messages = [p.message for p in result.problems]
    assert "February 2024 has 29 days" in messages[0]
    assert "29221 is not a date" in messages[1]
    assert everything(ctx) == before


def test_it_refuses_a_passport_twice_in_the_file_or_already_here(
    ctx: Context, tmp_path: Path
) -> None:
    import_roster(ctx, ADMIN, write_csv(tmp_path / "first.csv", [american_private()]))
    rows = [
        american_private(passport_number="a 123-4567"),  # the same passport, written otherwise
        belarusian_with_award(),
        stateless_recruit(passport_number="MP7654321"),
    ]
    before = everything(ctx)

    result = import_roster(ctx, ADMIN, write_csv(tmp_path / "again.csv", rows))

    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (2, "passport_number", "a person with this passport is already here"),
        (3, "passport_number", "the same passport is on row 4"),
        (4, "passport_number", "the same passport is on row 3"),
    ]
    assert everything(ctx) == before


def test_it_imports_the_good_rows_with_skip_bad(ctx: Context, tmp_path: Path) -> None:
    rows = [american_private(birth_date="2023-02-29"), belarusian_with_award(), stateless_recruit()]

    result = import_roster(ctx, ADMIN, write_csv(tmp_path / "roster.csv", rows), skip_bad=True)

    assert not result.refused and result.imported == 2 and result.bad_rows == 1
    assert everything(ctx)["cases"] == 2


def test_it_says_why_a_date_is_not_a_date() -> None:
    assert date_problem("2024-02-29") is None
    assert date_problem("2023-02-29") == (
        "2023-02-29 is not a calendar date: February 2023 has 28 days"
    )
    assert date_problem("2024-04-31") == "2024-04-31 is not a calendar date: April 2024 has 30 days"
    assert date_problem("2024-00-10") == "2024-00-10 is not a calendar date: there is no month 0"
    assert date_problem("2024/01/01") == "'2024/01/01' is not a date of the form YYYY-MM-DD"


def test_it_refuses_files_that_are_not_rosters(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(RosterError, match=r"expected a file ending in \.csv or \.xlsx"):
        import_roster(ctx, ADMIN, tmp_path / "roster.ods")
    with pytest.raises(RosterError, match="no file"):
        import_roster(ctx, ADMIN, tmp_path / "missing.csv")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("given_names,surname\n")
    assert "not a readable XLSX workbook" in import_roster(ctx, ADMIN, fake).problems[0].message


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


# -- the commands ------------------------------------------------------------------------------
def run(folder: Path, *args: str) -> Result:
    return runner.invoke(app, list(args), env={"GUARDPATH_DATA_DIR": str(folder)})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert run(data, "db", "upgrade").exit_code == 0
    return data


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
