"""Evaluate a file of people into a Parquet file of results, in bounded memory.

Only the columns the question reads are read (the others are checked by name only), a chunk of
rows at a time; each chunk is checked against the facts contract, evaluated (law.batch) and, when
the file holds more than one chunk, written to a part file beside OUT; the parts are then
streamed into OUT by Polars' streaming engine. Memory so stays about one chunk's, however long
the file. A value that breaks the contract stops the run with its row (counted from the top of
the file) and column, and nothing is written: the parts are removed and OUT is not created.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Final

import polars as pl

from guardpath.law.batch import BatchSummary, evaluate_frame, facts_read
from guardpath.law.compiled import compile_question
from guardpath.law.facts import FACT_NAMES, TableError
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.table import check_columns, conform, scan_people

CHUNK_ROWS = 1_000_000
COMPRESSION: Final = "lz4"
"""LZ4 writes about a fifth faster than Polars' default (zstd) for somewhat larger files."""
STATISTICS: Final = False
"""No min/max/null-count statistics per column chunk: for the Enum status columns they took
three quarters of the write (a results file is read whole, never filtered by row group)."""


def _chunk(frame: pl.DataFrame, start: int, facts: frozenset[str]) -> pl.DataFrame:
    try:
        return conform(frame, facts)
    except TableError as error:
        row = None if error.row is None else error.row + start
        raise TableError(row, error.field, error.message) from None


def evaluate_file(
    source: Path,
    question: str,
    on: date,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    legislation: Legislation | None = None,
) -> BatchSummary:
    """Read people, evaluate them a chunk at a time (reporting progress), write one Parquet
    file: the id (if the file has one), the outcome, the missing facts, a status per rule."""
    legislation = legislation or default_legislation()
    facts = facts_read(compile_question(legislation, question, on))
    scan = scan_people(source)
    names = scan.collect_schema().names()
    check_columns(names)
    wanted = [c for c in ("id", *FACT_NAMES) if c in names and (c == "id" or c in facts)]
    if source.suffix.lower() == ".csv":  # text has no row groups: read it once
        scan = scan.select(wanted).collect().lazy()
    else:
        scan = scan.select(wanted)
    total = scan.select(pl.len()).collect().item()
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix=".guardpath-", dir=out.parent) as folder:
        parts: list[Path] = []
        for start in range(0, max(total, 1), CHUNK_ROWS):
            people = _chunk(scan.slice(start, CHUNK_ROWS).collect(), start, facts)
            result = evaluate_frame(people, question, on, legislation)
            outcomes.update(dict(result["outcome"].value_counts().iter_rows()))
            if total <= CHUNK_ROWS:
                result.write_parquet(out, compression=COMPRESSION, statistics=STATISTICS)
            else:
                parts.append(Path(folder) / f"part-{len(parts):05}.parquet")
                result.write_parquet(parts[-1], compression=COMPRESSION, statistics=STATISTICS)
            if progress is not None:
                progress(min(start + CHUNK_ROWS, total), total)
        if parts:
            pl.scan_parquet(parts).sink_parquet(out, compression=COMPRESSION, statistics=STATISTICS)
    summary = BatchSummary(total, question, on, legislation.version)
    summary.outcomes = {str(k): int(v) for k, v in outcomes.items()}
    return summary
