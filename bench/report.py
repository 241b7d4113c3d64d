"""The figures as a Rich table, with the targets beside them, and as JSON."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from agreement import Agreement
from measure import Row, Spread
from single import Decision
from throughput import Population, Scaling

P1_MAX_US = 10.0
P1_MIN_RATIO = 150.0
P2_MIN_RATE = 3_000_000.0
P2_MIN_RATIO = 4.0


def machine() -> dict[str, Any]:
    """Where the figures come from: a shared machine is part of the result."""
    return {
        "cpu_count": os.cpu_count(),
        "processor": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "load_average_at_start": list(os.getloadavg()),
        "versions": {name: version(name) for name in ("polars", "numpy", "openfisca-core")},
        "guardpath_commit": _commit(),
    }


def busy(machine: dict[str, Any]) -> str | None:
    """A warning when other work competed for the CPUs during the run."""
    cpus = machine["cpu_count"] or 1
    load = max(machine["load_average_at_start"][0], machine["load_average_at_end"][0])
    machine["busy"] = load > cpus
    if not machine["busy"]:
        return None
    return (
        f"warning: load average {load:.1f} on {cpus} CPUs: other work competed with this run; "
        "absolute figures are low, ratios from the same rounds hold better"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout.strip()


def targets(p1: Decision, p2: Population) -> dict[str, dict[str, Any]]:
    us, ratio = p1.guardpath.median, p1.ratio.median
    rate, ratio2 = p2.guardpath.median, p2.ratio_openfisca.median
    return {
        "p1_median_us": _target(us, f"≤ {P1_MAX_US:g} µs", us <= P1_MAX_US),
        "p1_ratio": _target(ratio, f"≥ {P1_MIN_RATIO:g}×", ratio >= P1_MIN_RATIO),
        "p2_people_per_s": _target(rate, f"≥ {P2_MIN_RATE:,.0f}/s", rate >= P2_MIN_RATE),
        "p2_ratio": _target(ratio2, f"≥ {P2_MIN_RATIO:g}×", ratio2 >= P2_MIN_RATIO),
    }


def _target(value: float, wanted: str, met: bool) -> dict[str, Any]:
    return {"value": value, "target": wanted, "met": met}


def write_json(path: Path, figures: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


def started() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _us(value: float) -> str:
    return f"{value:,.1f}"


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def _times(value: float) -> str:
    return f"{value:,.2f}×" if value < 10 else f"{value:,.1f}×"


def _verdict(target: dict[str, Any]) -> tuple[str, str]:
    return target["target"], "[green]met[/]" if target["met"] else "[red]missed[/]"


def _row(table: Table, name: str, spread: Spread, shown: Any, *notes: str) -> None:
    wanted, status = (*notes, "", "")[:2]
    table.add_row(name, shown(spread.median), shown(spread.min), shown(spread.max), wanted, status)


def table(agreement: Agreement, p1: Decision, p2: Population, scale: Scaling, mode: str) -> Table:
    goals = targets(p1, p2)
    out = Table(title=f"guardpath benchmarks ({mode}; medians over repeated runs)")
    for column in ("benchmark", "median", "min", "max", "target", ""):
        out.add_column(column, justify="left" if column == "benchmark" else "right", no_wrap=True)
    compared = f"{agreement.outcomes_compared:,} outcomes"
    statuses = f"{agreement.rule_statuses_compared:,} rule statuses"
    out.add_row("self-check: OpenFisca agrees", compared, statuses, "", "", "[green]ok[/]")
    out.add_section()
    _row(
        out,
        "P1 guardpath parse + decide, explanation read, µs",
        p1.guardpath,
        _us,
        *_verdict(goals["p1_median_us"]),
    )
    _row(out, "P1 guardpath decide only, µs", p1.decide_only, _us)
    _row(out, "P1 OpenFisca build + calculate, µs", p1.peer, _us)
    _row(out, "P1 OpenFisca / guardpath", p1.ratio, _times, *_verdict(goals["p1_ratio"]))
    _row(out, "P1 guardpath, explanation not read, µs", p1.unread, _us)
    _row(out, "P1 OpenFisca / guardpath, explanation not read", p1.ratio_unread, _times)
    out.add_section()
    rate = _verdict(goals["p2_people_per_s"])
    _row(out, f"P2 guardpath, {p2.n:,} people, /s", p2.guardpath, _rate, *rate)
    _row(out, f"P2 OpenFisca, {p2.peer_n:,} people, /s", p2.openfisca, _rate)
    _row(out, f"P2 Python loop, {p2.loop_n:,} sampled, /s", p2.loop, _rate)
    _row(out, "P2 guardpath / OpenFisca", p2.ratio_openfisca, _times, *_verdict(goals["p2_ratio"]))
    _row(out, "P2 guardpath / Python loop", p2.ratio_loop, _times)
    out.add_section()
    for size, spread, step in zip(scale.sizes, scale.seconds, [None, *scale.growth], strict=True):
        rate_of = Spread(size / spread.median, size / spread.max, size / spread.min, spread.runs)
        grew = f"growth {step:.2f}" if step is not None else ""
        _row(out, f"scaling: {size:,} people, /s", rate_of, _rate, grew)
    fit = scale.fit
    fixed = f"{fit.fixed_seconds * 1e3:,.0f} ms + {fit.per_item_seconds * 1e9:,.0f} ns/person"
    out.add_row("scaling: fitted cost", fixed, "", "", scale.shape.split(":")[0], "")
    return out


def add_rows(out: Table, rows: list[Row]) -> None:
    """A section of rows whose figures come already shown (P3 to P5)."""
    out.add_section()
    for name, figure, wanted, met in rows:
        verdict = "" if met is None else "[green]met[/]" if met else "[red]missed[/]"
        out.add_row(name, figure, "", "", wanted, verdict)


def show(rendered: Table) -> None:
    console = Console()
    if not console.is_terminal:  # a log or a pipe: wide enough that rows stay on one line
        console = Console(width=180)
    console.print(rendered)
