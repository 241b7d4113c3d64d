"""How long the command line takes, as whole processes: `.venv/bin/python bench/cli_start.py`.

Times `guardpath check enlistment examples/american-volunteer.json --on 2024-11-01` (one
person, the answer printed in full) and `guardpath --help`, each a new Python process from start
to exit, as a user runs them. Each round runs every command once, back to back, after one
untimed warm-up of each (which writes the byte-code and the legislation cache, as the first run
after an install does). With `--baseline REF` the same commands also run from the source of the
git revision REF (a temporary worktree, put first on the import path), in the same rounds, so
the speed-up is measured on the same machine at the same moment: guardpath's start-up before and
after a change, round by round.

Options: --rounds N (default 15), --baseline REF, --json OUT. `measure(rounds)` is what
bench/run.py calls.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from measure import Spread, ratios, seconds

ROOT = Path(__file__).resolve().parent.parent
PERSON = ROOT / "examples" / "american-volunteer.json"
COMMANDS = {
    "check": ["check", "enlistment", str(PERSON), "--on", "2024-11-01"],
    "help": ["--help"],
}
CHECK_MAX_S = 0.4
HELP_MAX_S = 0.3
RUN = "import sys; from guardpath.cli import app; sys.argv[0] = 'guardpath'; app()"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(arguments: Sequence[str], source: Path | None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process."""
    cpu = _child_cpu()
    wall = seconds(partial(_run, arguments, source))
    return wall, _child_cpu() - cpu


def _run(arguments: Sequence[str], source: Path | None) -> None:
    env = dict(os.environ, COLUMNS="100")
    if source is not None:
        env["PYTHONPATH"] = str(source)
    done = subprocess.run(
        [sys.executable, "-c", RUN, *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"guardpath {' '.join(arguments)} failed: {done.stderr.decode()}")


@dataclass(frozen=True)
class CliStart:
    """Seconds per whole process, for each command, and the baseline's where one ran."""

    seconds: dict[str, Spread]
    baseline: dict[str, Spread]
    speedup: dict[str, Spread]
    baseline_ref: str | None
    cpu: dict[str, Spread]
    """CPU seconds (user + system) of each process: what the wall time is on an idle machine."""
    baseline_cpu: dict[str, Spread]

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": {name: s.as_json() for name, s in self.seconds.items()},
            "baseline": {name: s.as_json() for name, s in self.baseline.items()},
            "speedup": {name: s.as_json() for name, s in self.speedup.items()},
            "baseline_ref": self.baseline_ref,
            "cpu_seconds": {name: s.as_json() for name, s in self.cpu.items()},
            "baseline_cpu_seconds": {name: s.as_json() for name, s in self.baseline_cpu.items()},
            "command": {name: ["guardpath", *args] for name, args in COMMANDS.items()},
        }

    def rows(self) -> list[tuple[str, str, str, bool | None]]:
        targets = {"check": CHECK_MAX_S, "help": HELP_MAX_S}
        shown: list[tuple[str, str, str, bool | None]] = []
        for name, spread in self.seconds.items():
            limit = targets[name]
            figure = f"{spread.median:.3f} s ({spread.min:.3f} to {spread.max:.3f})"
            shown.append((f"CLI guardpath {name}", figure, f"≤ {limit} s", spread.median <= limit))
            cpu = self.cpu[name]
            figure = f"{cpu.median:.3f} s ({cpu.min:.3f} to {cpu.max:.3f})"
            shown.append((f"CLI guardpath {name}, CPU", figure, "", None))
            if name in self.baseline:
                before = self.baseline[name]
                shown.append(
                    (f"CLI {name} at {self.baseline_ref}", f"{before.median:.3f} s", "", None)
                )
                before_cpu = self.baseline_cpu[name].median
                shown.append(
                    (f"CLI {name} at {self.baseline_ref}, CPU", f"{before_cpu:.3f} s", "", None)
                )
                up = self.speedup[name]
                figure = f"{up.median:.1f}× ({up.min:.1f} to {up.max:.1f})"
                shown.append((f"CLI {name} speed-up", figure, "≥ 5×", up.median >= 5))
        return shown


@contextmanager
def _worktree(ref: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="guardpath-baseline-") as folder:
        tree = Path(folder) / "tree"
        git = ["git", "-C", str(ROOT)]
        subprocess.run(
            [*git, "worktree", "add", "--detach", str(tree), ref], check=True, capture_output=True
        )
        try:
            yield tree / "src"
        finally:
            subprocess.run(
                [*git, "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
            )


Samples = dict[str, dict[str, list[float]]]
"""Per side (now, before) and command, one figure per round."""


def _rounds(rounds: int, sources: dict[str, Path | None]) -> tuple[Samples, Samples]:
    walls: Samples = {side: {n: [] for n in COMMANDS} for side in sources}
    cpus: Samples = {side: {n: [] for n in COMMANDS} for side in sources}
    for source in sources.values():
        for arguments in COMMANDS.values():
            _run(arguments, source)  # warm-up: byte-code and the legislation cache
    for _ in range(rounds):
        for side, source in sources.items():
            for name, arguments in COMMANDS.items():
                wall, cpu = _timed(arguments, source)
                walls[side][name].append(wall)
                cpus[side][name].append(cpu)
    return walls, cpus


def _spreads(samples: dict[str, list[float]]) -> dict[str, Spread]:
    return {name: Spread.of(found) for name, found in samples.items()}


def measure(rounds: int = 15, baseline: str | None = None) -> CliStart:
    if baseline is None:
        walls, cpus = _rounds(rounds, {"now": None})
        return CliStart(_spreads(walls["now"]), {}, {}, None, _spreads(cpus["now"]), {})
    with _worktree(baseline) as source:
        walls, cpus = _rounds(rounds, {"now": None, "before": source})
    now, before = walls["now"], walls["before"]
    return CliStart(
        _spreads(now),
        _spreads(before),
        {n: ratios(before[n], now[n]) for n in COMMANDS},
        baseline,
        _spreads(cpus["now"]),
        _spreads(cpus["before"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline", metavar="REF", help="also time the source at git REF")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    result = measure(args.rounds, args.baseline)
    for name, figure, target, met in result.rows():
        verdict = "" if met is None else ("met" if met else "missed")
        print(f"{name:32} {figure:28} {target:8} {verdict}")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(result.as_json(), indent=2) + "\n")


if __name__ == "__main__":
    main()
