"""Unit rosters: a bad row refuses the whole roster, with every problem reported and nothing
written, unless the bad rows are skipped on purpose."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cast import american_private, belarusian_with_award, good_rows, stateless_recruit, write_csv
from guardpath.bootstrap import Context
from guardpath.services.roster import (
    COLUMNS,
    RosterError,
    date_problem,
    import_roster,
)

from .conftest import ADMIN, cast_roster, everything, problems_of, write_xlsx

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
