"""People as a table: the facts contract as Polars columns, read from Parquet or CSV.

In CSV, `citizenships` and `service_periods` are JSON texts (`["US","GB"]`, `[]` for a stateless
person); an empty cell is an unknown fact, as a missing key is in JSON. A value that is not of the
accepted form is reported by row number (counting data rows from 1) and field, never coerced.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Final

import polars as pl

from guardpath.law.facts import BOOL_FACTS, COUNTRY_CODES, DATE_FACTS, ENUM_FACTS, FACT_NAMES
from guardpath.law.facts import TableError as TableError

PERIOD: Final = pl.Struct(
    {"formation": pl.String, "basis": pl.String, "start": pl.Date, "end": pl.Date}
)
SCHEMA: Final[dict[str, pl.DataType]] = {
    **{name: pl.Date() for name in DATE_FACTS},
    **{name: pl.Enum(values) for name, values in ENUM_FACTS.items()},
    **{name: pl.Boolean() for name in BOOL_FACTS},
    "citizenships": pl.List(pl.String),
    "service_periods": pl.List(PERIOD),
}
JSON_COLUMNS: Final = ("citizenships", "service_periods")


def _first_bad(frame: pl.DataFrame, good: pl.Expr, column: str) -> int | None:
    bad = frame.select((pl.col(column).is_not_null() & ~good.fill_null(False)).arg_true())
    series = bad.to_series()
    return None if series.is_empty() else int(series[0]) + 1


def _cast_checked(frame: pl.DataFrame, column: str, dtype: pl.DataType, accepted: str) -> pl.Series:
    source = frame[column]
    if source.dtype == pl.String and dtype == pl.Date:
        well_formed = source.str.contains(r"^\d{4}-\d{2}-\d{2}$")
        dates = source.str.to_date("%Y-%m-%d", strict=False)
        cast: pl.Series = pl.select(pl.when(well_formed).then(dates)).to_series()
    elif source.dtype == pl.String and dtype == pl.Boolean:
        cast = source.str.to_lowercase().replace_strict(
            {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
        )
    else:
        cast = source.cast(dtype, strict=False)
    broken = (frame[column].is_not_null() & cast.is_null()).arg_true()
    if not broken.is_empty():
        row = int(broken[0])
        raise TableError(row + 1, column, f"{frame[column][row]!r} is not {accepted}")
    return cast


PERIOD_KEYS: Final = ("formation", "basis", "start", "end")


def _json_shape(texts: pl.Series, column: str) -> None:
    """JSON decoding would coerce a bare value into a list and drop unknown keys: refuse both."""
    not_list = texts.is_not_null() & ~texts.str.contains(r"^\s*\[")
    if not_list.any():
        row = int(not_list.arg_true()[0])
        raise TableError(row + 1, column, f"{texts[row]!r} is not a JSON list of the accepted form")
    if column != "service_periods":
        return
    keys = texts.str.extract_all(r'"([^"]*)"\s*:').list.eval(pl.element().str.strip_chars('" :\t'))
    unknown = keys.list.eval(~pl.element().is_in(list(PERIOD_KEYS))).list.any()
    if unknown.any():
        row = int(unknown.arg_true()[0])
        raise TableError(
            row + 1, column, f"a period has an unknown key; accepted: {', '.join(PERIOD_KEYS)}"
        )


def _from_json(frame: pl.DataFrame, column: str) -> pl.Series:
    dtype = SCHEMA[column]
    texts = frame[column].cast(pl.String)
    _json_shape(texts, column)
    try:
        return texts.str.json_decode(dtype)
    except pl.exceptions.PolarsError:
        pass
    for row, text in enumerate(texts):  # find the row to blame
        if text is None:
            continue
        try:
            pl.Series([text]).str.json_decode(dtype)
        except pl.exceptions.PolarsError:
            raise TableError(
                row + 1, column, f"{text!r} is not a JSON list of the accepted form"
            ) from None
    raise TableError(None, column, "not a JSON list of the accepted form")


def check_columns(names: Iterable[str]) -> None:
    """Refuse a column that is not a fact of the contract (nor the id)."""
    unknown = [c for c in names if c not in FACT_NAMES and c != "id"]
    if unknown:
        raise TableError(None, unknown[0], "unknown column; accepted: id, " + ", ".join(FACT_NAMES))


def conform(frame: pl.DataFrame, facts: Collection[str] = FACT_NAMES) -> pl.DataFrame:
    """Check every column against the facts contract and return the typed table of `facts`
    (every fact by default; a question's own facts where only they are read)."""
    check_columns(frame.columns)
    columns: dict[str, pl.Series] = {}
    for name in (n for n in FACT_NAMES if n in facts):
        if name not in frame.columns:
            columns[name] = pl.Series(name, [None] * frame.height, dtype=SCHEMA[name])
            continue
        series = frame[name]
        if name in DATE_FACTS and series.dtype != pl.Date:
            series = _cast_checked(frame, name, pl.Date(), "a date (YYYY-MM-DD)")
        elif name in BOOL_FACTS and series.dtype != pl.Boolean:
            series = _cast_checked(frame, name, pl.Boolean(), "true or false")
        elif name in JSON_COLUMNS and series.dtype == pl.String:
            series = _from_json(frame, name)
        elif name in ENUM_FACTS:
            series = _enum(frame, name)
        columns[name] = series.alias(name)
    typed = pl.DataFrame(columns)
    if "id" in frame.columns:
        typed = typed.insert_column(0, frame["id"])
    _check_values(typed)
    return typed


def _enum(frame: pl.DataFrame, name: str) -> pl.Series:
    """An enumerated fact as a Polars Enum (compared as integers), refusing other values."""
    accepted = ENUM_FACTS[name]
    if frame[name].dtype == pl.Enum(accepted):
        return frame[name]  # already typed (a Parquet file we wrote): every value is accepted
    texts = frame[name].cast(pl.String)
    row = _first_bad(frame.with_columns(texts), pl.col(name).is_in(list(accepted)), name)
    if row is not None:
        value = texts[row - 1]
        expected = ", ".join(accepted)
        raise TableError(row, name, f"{value!r} is not accepted; expected one of {expected}")
    return texts.cast(pl.Enum(accepted))


def _check_values(frame: pl.DataFrame) -> None:
    if "citizenships" in frame.columns:
        codes = list(COUNTRY_CODES)
        good = pl.col("citizenships").list.eval(pl.element().is_in(codes)).list.all()
        row = _first_bad(frame, good, "citizenships")
        if row is not None:
            raise TableError(row, "citizenships", "holds a code that is not ISO 3166-1 alpha-2")
    if "service_periods" not in frame.columns:
        return
    e = pl.element().struct
    sound = (
        e.field("formation").is_in(list(ENUM_FACTS["formation"]))
        & e.field("basis").is_in(list(ENUM_FACTS["basis"]))
        & e.field("start").is_not_null()
        & (e.field("end").is_null() | (e.field("end") >= e.field("start")))
    )
    row = _first_bad(
        frame, pl.col("service_periods").list.eval(sound).list.all(), "service_periods"
    )
    if row is not None:
        raise TableError(
            row,
            "service_periods",
            "a period needs a known formation and basis, a start, and no end before it",
        )


def read_people(path: Path) -> pl.DataFrame:
    """Read a Parquet or CSV file of people and check it against the contract."""
    return conform(scan_people(path).collect())


def scan_people(path: Path) -> pl.LazyFrame:
    """A Parquet or CSV file of people, not yet read (the CSV's columns as text)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.scan_parquet(path)
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False)
    raise TableError(None, "file", f"{path.name}: expected a .parquet or .csv file")


def write_people(frame: pl.DataFrame, path: Path) -> None:
    """Write a table of people as Parquet, or as CSV with JSON texts for the list columns."""
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
        return
    if path.suffix.lower() != ".csv":
        raise TableError(None, "file", f"{path.name}: expected a .parquet or .csv file")
    texts = frame.with_columns(
        pl.col(name).map_elements(_json_text, return_dtype=pl.String)
        for name in JSON_COLUMNS
        if name in frame.columns
    )
    texts.write_csv(path)


def _json_text(value: object) -> str:
    import json

    def default(item: object) -> str:
        return str(item)

    return json.dumps(value.to_list() if isinstance(value, pl.Series) else value, default=default)
