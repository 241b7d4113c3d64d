"""evaluate_file: chunk by chunk into one file, equal to evaluating the table at once; a bad
value names its row in the whole file and leaves nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from guardpath.law import batch_file
from guardpath.law.batch import evaluate_frame
from guardpath.law.facts import TableError
from guardpath.law.table import conform, write_people
from guardpath.population import generate

ON = date(2024, 11, 1)


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.parquet"
    write_people(generate(2_500, 7), path)
    return path


@pytest.mark.parametrize("chunk_rows", [1_000_000, 1_000, 999])
def test_chunks_give_what_the_whole_table_gives(
    people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr(batch_file, "CHUNK_ROWS", chunk_rows)
    out = tmp_path / "out.parquet"

    summary = batch_file.evaluate_file(people, "enlistment", ON, out)

    whole = evaluate_frame(conform(pl.read_parquet(people)), "enlistment", ON)
    written = pl.read_parquet(out)
    assert written.equals(whole)
    assert summary.rows == 2_500
    assert summary.outcomes == dict(whole["outcome"].cast(pl.String).value_counts().iter_rows())
    assert {p.name for p in tmp_path.iterdir()} == {"people.parquet", "out.parquet"}


def test_a_bad_value_in_a_later_chunk_names_its_row_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_file, "CHUNK_ROWS", 1_000)
    frame = generate(2_500, 7).with_columns(pl.col("birth_date").cast(pl.String))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 2_345)
        .then(pl.lit("1990-13-45"))
        .otherwise(pl.col("birth_date"))
        .alias("birth_date")
    )
    source = tmp_path / "people.parquet"
    frame.write_parquet(source)
    out = tmp_path / "out.parquet"

    with pytest.raises(TableError) as raised:
        batch_file.evaluate_file(source, "enlistment", ON, out)

    assert (raised.value.row, raised.value.field) == (2_346, "birth_date")
    assert {p.name for p in tmp_path.iterdir()} == {"people.parquet"}


def test_it_reads_only_the_columns_the_question_reads_but_refuses_unknown_ones(
    people: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.parquet"
    batch_file.evaluate_file(people, "enlistment", ON, out)
    assert pl.read_parquet(out).height == 2_500

    extra = tmp_path / "extra.parquet"
    pl.read_parquet(people).with_columns(pl.lit(1).alias("shoe_size")).write_parquet(extra)
    with pytest.raises(TableError, match="shoe_size: unknown column"):
        batch_file.evaluate_file(extra, "enlistment", ON, tmp_path / "other.parquet")
    assert not (tmp_path / "other.parquet").exists()
