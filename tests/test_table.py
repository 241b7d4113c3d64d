"""People as a table: the facts contract as Polars columns; bad cells named by row and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from guardpath.law.facts import FACT_NAMES
from guardpath.law.table import TableError, conform, read_people, write_people

NGU_PERIOD = '[{"formation": "ngu", "basis": "contract", "start": "2024-03-01", "end": null}]'


def people(**columns: list[Any]) -> pl.DataFrame:
    """A table of text cells, as read from CSV; the first row of each column is sound."""
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def refusal(frame: pl.DataFrame) -> TableError:
    with pytest.raises(TableError) as error:
        conform(frame)
    return error.value


def cast() -> pl.DataFrame:
    """An American volunteer, a stateless applicant, and someone of whom nothing is known."""
    return conform(
        people(
            id=["american", "stateless", "unknown"],
            birth_date=["1990-05-01", "1964-02-29", None],
            sex=["male", "female", None],
            citizenships=['["US", "GB"]', "[]", None],
            stay_basis=["temporary_residence_permit", "refugee", None],
            stay_valid_until=["2030-01-01", None, None],
            previously_convicted=["false", "true", None],
            medical=["fit", "unfit", None],
            special_check=["passed", "failed", None],
            formation=["ngu", "afu", None],
            rank_group=["private", "officer", None],
            service_periods=[NGU_PERIOD, "[]", None],
        )
    )


def test_it_types_every_fact_of_the_contract() -> None:
    typed = cast()
    assert typed.columns == ["id", *FACT_NAMES]
    assert typed["birth_date"].to_list() == [date(1990, 5, 1), date(1964, 2, 29), None]
    assert typed["citizenships"].to_list() == [["US", "GB"], [], None]
    assert typed["previously_convicted"].to_list() == [False, True, None]
    assert typed["service_periods"][0].to_list() == [
        {"formation": "ngu", "basis": "contract", "start": date(2024, 3, 1), "end": None}
    ]
    assert typed["state_award"].to_list() == [None, None, None]


@pytest.mark.parametrize("bad", ["2023-02-29", "01/02/2024", "2024-01-01 10:00", "yesterday"])
def test_it_refuses_a_bad_date_naming_row_and_field(bad: str) -> None:
    error = refusal(people(birth_date=["1990-05-01", None, bad]))
    assert (error.row, error.field) == (3, "birth_date")
    assert str(error) == f"row 3, birth_date: {bad!r} is not a date (YYYY-MM-DD)"


def test_it_refuses_a_date_without_leading_zeros_as_the_facts_contract_does() -> None:
    error = refusal(people(stay_valid_until=["2030-01-01", "2024-2-1"]))
    assert (error.row, error.field) == (2, "stay_valid_until")


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("sex", "Male"),
        ("stay_basis", "tourist"),
        ("medical", "fit "),
        ("special_check", "pending"),
        ("formation", "navy"),
        ("basis", "conscription"),
        ("rank_group", "general"),
    ],
)
def test_it_refuses_an_unknown_enum_value_naming_row_and_field(column: str, bad: str) -> None:
    good = {"sex": "male", "stay_basis": "visa", "medical": "fit", "special_check": "passed"}
    good |= {"formation": "ngu", "basis": "contract", "rank_group": "private"}
    error = refusal(people(**{column: [good[column], bad]}))
    assert (error.row, error.field) == (2, column)
    assert f"{bad!r} is not accepted; expected one of" in str(error)


def test_it_refuses_a_boolean_that_is_not_true_or_false() -> None:
    error = refusal(people(state_award=["true", "false", "yes"]))
    assert (error.row, error.field) == (3, "state_award")


@pytest.mark.parametrize("codes", ['["XX"]', '["US", "us"]', '["USA"]', "[1]"])
def test_it_refuses_a_bad_country_code_naming_row_and_field(codes: str) -> None:
    error = refusal(people(citizenships=['["US"]', codes]))
    assert (error.row, error.field) == (2, "citizenships")
    assert "ISO 3166-1 alpha-2" in str(error)


@pytest.mark.parametrize("text", ['["US",', "US", '{"US": true}', "[{]"])
def test_it_refuses_bad_json_in_a_csv_cell_naming_row_and_field(text: str) -> None:
    error = refusal(people(citizenships=['["US"]', "[]", text]))
    assert (error.row, error.field) == (3, "citizenships")
    assert "is not a JSON list of the accepted form" in str(error)


def test_it_refuses_a_json_string_where_a_list_is_expected() -> None:
    error = refusal(people(citizenships=['["US"]', '"US"']))
    assert (error.row, error.field) == (2, "citizenships")


@pytest.mark.parametrize(
    "periods",
    [
        '[{"formation": "navy", "basis": "contract", "start": "2024-03-01"}]',
        '[{"formation": "ngu", "basis": "draft", "start": "2024-03-01"}]',
        '[{"formation": "ngu", "basis": "contract"}]',
        '[{"formation": "ngu", "basis": "contract", "start": "2024-02-30"}]',
        '[{"formation": "ngu", "basis": "contract", "start": "2024-03-01", "end": "2024-02-29"}]',
    ],
)
def test_it_refuses_a_bad_service_period_naming_row_and_field(periods: str) -> None:
    error = refusal(people(service_periods=[NGU_PERIOD, periods]))
    assert (error.row, error.field) == (2, "service_periods")


def test_it_refuses_an_unknown_key_in_a_service_period() -> None:
    extra = '[{"formation": "ngu", "basis": "contract", "start": "2024-03-01", "unit": "3rd"}]'
    error = refusal(people(service_periods=[NGU_PERIOD, extra]))
    assert (error.row, error.field) == (2, "service_periods")


def test_it_refuses_an_unknown_column_listing_the_accepted_ones() -> None:
    error = refusal(people(sex=["male"], shoe_size=["44"]))
    assert (error.row, error.field) == (None, "shoe_size")
    assert str(error).startswith("shoe_size: unknown column; accepted: id, birth_date")


def test_it_reads_empty_cells_as_unknown_facts() -> None:
    typed = conform(people(sex=[None], citizenships=[None]))
    assert typed.row(0, named=True) == dict.fromkeys(FACT_NAMES)


@pytest.mark.parametrize("name", ["people.csv", "people.parquet"])
def test_it_keeps_the_data_through_a_write_and_a_read(tmp_path: Path, name: str) -> None:
    original = cast()
    write_people(original, tmp_path / name)
    back = read_people(tmp_path / name)
    assert back.schema == original.schema
    assert back.to_dicts() == original.to_dicts()


def test_it_writes_list_facts_as_json_text_in_csv(tmp_path: Path) -> None:
    write_people(cast(), tmp_path / "people.csv")
    raw = pl.read_csv(tmp_path / "people.csv", infer_schema=False)
    assert raw["citizenships"].to_list() == ['["US", "GB"]', "[]", None]


@pytest.mark.parametrize("name", ["people.xlsx", "people.json"])
def test_it_refuses_a_file_that_is_not_parquet_or_csv(tmp_path: Path, name: str) -> None:
    with pytest.raises(TableError, match=r"expected a \.parquet or \.csv file"):
        read_people(tmp_path / name)
    with pytest.raises(TableError, match=r"expected a \.parquet or \.csv file"):
        write_people(cast(), tmp_path / name)
