"""A population larger than one chunk, end to end, with its peak memory:
`.venv/bin/python bench/bounded_memory.py [--people 20000000] [--json OUT]`.

Writes N generated people (guardpath.population, a million at a time with their own seeds, so
the file is written without holding it in memory) to one Parquet file, then runs
`evaluate_file` on it in a process of its own and reports that process's wall time, people per
second and peak resident memory (the kernel's maximum RSS of the child). The figure to read is
that the peak stays near one chunk's worth however many people the file holds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from guardpath.law.table import write_people
from guardpath.population import generate

STEP = 1_000_000
EVALUATE = """
import sys
from datetime import date
from pathlib import Path
from guardpath.law.batch_file import evaluate_file
evaluate_file(Path(sys.argv[1]), "enlistment", date(2024, 11, 1), Path(sys.argv[2]))
"""


def write_population(count: int, path: Path) -> None:
    """`count` people in one Parquet file, generated and written a million at a time."""
    parts = []
    for index, start in enumerate(range(0, count, STEP)):
        people = generate(min(STEP, count - start), seed=index)
        people = people.with_columns(pl.col("id") + start)
        parts.append(path.parent / f"part-{index:05}.parquet")
        write_people(people, parts[-1])
    pl.scan_parquet(parts).sink_parquet(path)
    for part in parts:
        part.unlink()


def measure(count: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="guardpath-bounded-") as folder:
        source = Path(folder) / "people.parquet"
        write_population(count, source)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", EVALUATE, str(source), str(Path(folder) / "out.parquet")],
            check=True,
        )
        seconds = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows = pl.scan_parquet(Path(folder) / "out.parquet").select(pl.len()).collect().item()
    if rows != count:
        raise AssertionError(f"{rows} results for {count} people")
    return {
        "people": count,
        "seconds": seconds,
        "people_per_second": count / seconds,
        "peak_rss_mib": peak_kib / 1024,
        "load_average_at_end": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = measure(args.people)
    print(
        f"{figures['people']:,} people in {figures['seconds']:.1f} s "
        f"({figures['people_per_second']:,.0f}/s), peak memory {figures['peak_rss_mib']:.0f} MiB, "
        f"load average {figures['load_average_at_end']:.1f}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
