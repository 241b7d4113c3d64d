"""A whole table of people at once, for the CLI: one question for every row into Parquet
(`guardpath evaluate`), or a draft amendment compared with the law in force over the table
(`guardpath reform`). The entry points read and check the paths and show the progress; the
engine's batch evaluation runs here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from guardpath.law.batch import BatchSummary
from guardpath.law.batch_file import evaluate_file
from guardpath.law.draft import Draft
from guardpath.law.reform import reform_file
from guardpath.services.what_if import impact_report

__all__ = ["BatchSummary", "evaluate_table", "reform_table"]

Progress = Callable[[int, int], None]
"""Told (rows done, rows in all) after each chunk."""


def evaluate_table(
    people: Path, question: str, on: date, out: Path, progress: Progress | None = None
) -> BatchSummary:
    """Answer `question` on `on` for every person in `people` (Parquet or CSV) and write `out`:
    the id (if the table has one), the outcome, the missing facts, a status per rule."""
    return evaluate_file(people, question, on, out, progress)


def reform_table(
    people: Path,
    question: str,
    on: date,
    draft: Draft,
    out: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The impact of `draft` on the people of the table, as it may be shown (breakdowns by
    person suppressed); with `out`, each person's two outcomes and changed rules written."""
    impact = reform_file(people, question, on, draft.law, draft.legislation, out, progress)
    return impact_report(impact)
