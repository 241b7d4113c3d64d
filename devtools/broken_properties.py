"""Break each security and reliability property once, and show that its tests notice.

The committed tree (HEAD) is copied into a temporary folder, so the working tree is never
touched. The tests that guard the properties (docs/security.md names them) first run there
unmutated, each to its end, and must pass. Then each mutation breaks one property in the copy,
by replacing exact text (each old text must be found exactly once; a mutation that has to change
a pair of lines, such as sealing and opening, replaces each), and its guarding tests run again,
stopping at the first failure, with the copy's code first on the path. A mutation is *caught*
when a test fails that passed unmutated; a failure of a test that also failed unmutated proves
nothing. A table of the results follows; the exit status is 1 if a mutation was not caught or a
guarding test failed unmutated.

    .venv/bin/python devtools/broken_properties.py [--only NAME] [--list] [--dry-run]

`--only` (repeatable) runs the named mutations; `--list` names them all; `--dry-run` checks that
every mutation still applies to HEAD, without running a test.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from mutations import MUTATIONS, Mutation, write_source
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RUN_TIMEOUT = 1800.0
"""Seconds one pytest run may take; the crash test's ten trials are the slowest part."""
PYTEST = ("-m", "pytest", "-x", "-q", "-p", "no:cacheprovider")
RESULTS = "broken-properties-results.xml"
"""pytest's JUnit report, written in the copy: the counts and the first failure's message."""
EVIDENCE_CHARACTERS = 160
WIDTH = 200
"""Columns of the table when the output is not a terminal (a log file, a pipe)."""


# -- the copy --------------------------------------------------------------------------------
@contextmanager
def committed_tree() -> Iterator[Path]:
    """HEAD, extracted into a new temporary folder that is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="guardpath-broken-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def environment(tree: Path) -> dict[str, str]:
    """The copy's code first on the path, for pytest and the servers it starts."""
    return {**os.environ, "PYTHONPATH": str(tree / "src")}


def imported_from(tree: Path) -> Path:
    """Where `import guardpath` finds the package when tests run in the copy."""
    done = subprocess.run(
        [sys.executable, "-c", "import guardpath; print(guardpath.__file__)"],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


# -- running the tests -----------------------------------------------------------------------
TIMED_OUT = -1
"""The status of a run stopped at RUN_TIMEOUT."""


@dataclass(frozen=True)
class Run:
    """One pytest run: its exit status, time, counts, and each failing test with its message."""

    status: int
    seconds: float
    counts: str = ""
    failures: tuple[tuple[str, str], ...] = ()

    @property
    def first_failure(self) -> str:
        return self.failures[0][0] if self.failures else ""

    def failing(self) -> frozenset[str]:
        return frozenset(test for test, _ in self.failures)


def node_id(case: ElementTree.Element) -> str:
    """A JUnit test case as pytest's node id (module-level tests, as this project writes)."""
    module = case.get("classname", "").replace(".", "/")
    return f"{module}.py::{case.get('name', '')}"


def problems(suite: ElementTree.Element) -> Iterator[tuple[str, str]]:
    for case in suite.iter("testcase"):
        found = case.find("failure")
        found = found if found is not None else case.find("error")
        if found is not None:
            yield node_id(case), " ".join(found.get("message", "").split())


def read_results(xml: Path) -> tuple[str, tuple[tuple[str, str], ...]]:
    """From pytest's JUnit report: the counts, and the failing tests with their messages."""
    root = ElementTree.parse(xml).getroot() if xml.exists() else None
    suite = root.find("testsuite") if root is not None else None
    if suite is None:
        return "no report", ()
    number = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    bad = number["failures"] + number["errors"]
    passed = number["tests"] - bad - number["skipped"]
    return f"{passed} passed, {bad} failed, {number['skipped']} skipped", tuple(problems(suite))


def run_tests(tree: Path, tests: Sequence[str], *, stop_at_first: bool = True) -> Run:
    xml = tree / RESULTS
    xml.unlink(missing_ok=True)
    options = PYTEST if stop_at_first else tuple(o for o in PYTEST if o != "-x")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, *options, f"--junit-xml={xml}", *tests],
            cwd=tree,
            env=environment(tree),
            capture_output=True,
            check=False,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return Run(TIMED_OUT, time.perf_counter() - started, f"timed out at {RUN_TIMEOUT:.0f} s")
    return Run(done.returncode, time.perf_counter() - started, *read_results(xml))


def try_mutation(tree: Path, mutation: Mutation) -> Run:
    original = mutation.apply_to(tree)
    try:
        return run_tests(tree, mutation.tests)
    finally:
        write_source(tree / mutation.path, original)


# -- judging and reporting -------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """A mutation, its run, and the tests that already failed unmutated (which prove nothing)."""

    mutation: Mutation
    run: Run
    failing_unmutated: frozenset[str]

    @property
    def caught(self) -> bool:
        return self.run.status == 1 and self.run.first_failure not in self.failing_unmutated

    @property
    def verdict(self) -> str:
        status = self.run.status
        if self.caught:
            return "[green]caught[/green]"
        if status == 0:
            return "[bold red]NOT caught[/bold red]"
        if status == 1:
            return "[yellow]no verdict: its failing test fails unmutated too[/yellow]"
        if status == TIMED_OUT:
            return "[red]timed out[/red]"
        return f"[red]no verdict: pytest exit status {status}[/red]"

    @property
    def evidence(self) -> str:
        """The first failing test and its message, shortened; else the counts."""
        if not self.run.failures:
            return self.run.counts
        test, message = self.run.failures[0]
        return f"{test.rsplit('::', 1)[-1]}: {message}"[:EVIDENCE_CHARACTERS]


def results_table(results: Sequence[Result]) -> Table:
    table = Table(title="Each property broken once")
    for column in ("property", "mutation", "caught?", "seconds", "how"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    for result in results:
        run = result.run
        mutation = result.mutation
        table.add_row(
            mutation.claim, mutation.name, result.verdict, f"{run.seconds:.0f}", result.evidence
        )
    return table


# -- the command -----------------------------------------------------------------------------
def chosen(names: Sequence[str] | None) -> list[Mutation]:
    if not names:
        return list(MUTATIONS)
    known = {m.name: m for m in MUTATIONS}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"--only: no mutation {', '.join(unknown)}; see --list")
    return [known[name] for name in dict.fromkeys(names)]


def every_test(mutations: Sequence[Mutation]) -> list[str]:
    return list(dict.fromkeys(test for m in mutations for test in m.tests))


def check_the_copy(tree: Path, console: Console) -> None:
    package = imported_from(tree)
    console.print(f"guardpath imported from {package}")
    if not package.is_relative_to(tree):
        raise SystemExit("the tests would import guardpath from outside the copy; stopping")


def dry_run(tree: Path, mutations: Sequence[Mutation], console: Console) -> None:
    for mutation in mutations:
        write_source(tree / mutation.path, mutation.apply_to(tree))
    console.print(f"all {len(mutations)} mutations apply to HEAD")


def baseline(tree: Path, mutations: Sequence[Mutation], console: Console) -> Run:
    """Every guarding test once, unmutated and to the end: each must pass."""
    console.print("unmutated: running every guarding test once; each must pass ...")
    run = run_tests(tree, every_test(mutations), stop_at_first=False)
    console.print(f"unmutated: {run.counts} ({run.seconds:.0f} s)")
    if run.status not in (0, 1):
        raise SystemExit(f"the unmutated tests did not run (pytest exit status {run.status})")
    for test, message in run.failures:
        console.print(f"[red]fails unmutated[/red] {test}: {message[:EVIDENCE_CHARACTERS]}")
    return run


def break_each(
    tree: Path, mutations: Sequence[Mutation], unmutated: Run, console: Console
) -> list[Result]:
    results = []
    for mutation in mutations:
        result = Result(mutation, try_mutation(tree, mutation), unmutated.failing())
        console.print(
            f"{mutation.name}: {result.verdict} ({result.run.seconds:.0f} s) {result.evidence}"
        )
        results.append(result)
    return results


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--only", action="append", metavar="NAME", help="run this mutation")
    parser.add_argument("--list", action="store_true", help="name every mutation and stop")
    parser.add_argument("--dry-run", action="store_true", help="check the mutations apply")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    console = Console(width=None if sys.stdout.isatty() else WIDTH)
    mutations = chosen(arguments.only)
    if arguments.list:
        for mutation in mutations:
            console.print(f"{mutation.name:36} {mutation.claim}", soft_wrap=True)
        return 0
    started = time.perf_counter()
    with committed_tree() as tree:
        check_the_copy(tree, console)
        if arguments.dry_run:
            dry_run(tree, mutations, console)
            return 0
        unmutated = baseline(tree, mutations, console)
        results = break_each(tree, mutations, unmutated, console)
    console.print(results_table(results))
    caught = sum(result.caught for result in results)
    console.print(
        f"{caught} of {len(results)} caught; {len(unmutated.failures)} guarding tests failed "
        f"unmutated; {time.perf_counter() - started:.0f} s in all"
    )
    return 0 if caught == len(results) and unmutated.status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
