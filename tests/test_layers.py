"""The layers, read from the source: which package may import which.

The domain (the law, the cases, the name matcher) imports no framework and nothing above it; the
services reach the database only through the adapters' repositories on the unit of work and
are given their ports, so they import neither SQLAlchemy, nor the tables, nor the composition
root that wires them; the entry points (CLI and web) ask the services and never run the
single-person engine themselves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "guardpath"


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports, at any depth (TYPE_CHECKING blocks and functions too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def offences(packages: list[str], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for package in packages:
        for path in sorted((SRC / package).rglob("*.py")):
            for line, module in imports_of(path):
                if any(module == f or module.startswith(f + ".") for f in forbidden):
                    found.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    return sorted(set(found))


def test_the_services_import_no_sql_no_tables_and_not_the_root_that_wires_them() -> None:
    assert (
        offences(["services"], ("sqlalchemy", "guardpath.adapters.tables", "guardpath.bootstrap"))
        == []
    )


@pytest.mark.parametrize("package", ["law", "cases", "screening"])
def test_the_domain_imports_no_framework_and_nothing_above_it(package: str) -> None:
    forbidden = (
        "fastapi",
        "starlette",
        "sqlalchemy",
        "typer",
        "guardpath.web",
        "guardpath.cli",
        "guardpath.services",
        "guardpath.adapters",
        "guardpath.bootstrap",
    )
    assert offences([package], forbidden) == []


def evaluating_functions_of_the_timeline() -> tuple[str, ...]:
    """Every function `law/timeline.py` defines (its walk, its answers, its candidate dates):
    the entry points may read its `EPOCH` and `Period`, not evaluate with it."""
    tree = ast.parse((SRC / "law" / "timeline.py").read_text(encoding="utf-8"))
    return tuple(
        f"guardpath.law.timeline.{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    )


ENGINE = (
    "guardpath.law.evaluate",
    "guardpath.law.batch",
    "guardpath.law.batch_file",
    "guardpath.law.reform",
)
"""The engine's evaluation: one person, a table of people, a draft compared with the law."""


def test_the_entry_points_ask_the_services_for_a_decision() -> None:
    """The CLI and the pages read the law to show it and parse facts; evaluating is a
    service's (`services/checks.py`, `services/population.py`, `services/what_if.py`)."""
    timeline = evaluating_functions_of_the_timeline()
    assert "guardpath.law.timeline.answer" in timeline
    assert "guardpath.law.timeline.timeline" in timeline
    assert offences(["cli", "web"], ENGINE + timeline) == []


def test_the_entry_point_check_finds_the_engine(tmp_path: Path) -> None:
    """A table evaluated in a function, or the timeline's answer imported, is an offence;
    the timeline's EPOCH is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from guardpath.law.timeline import EPOCH\n"
        "def f():\n    from guardpath.law.batch_file import evaluate_file\n"
        "def g():\n    from guardpath.law.timeline import answer\n"
    )
    forbidden = ENGINE + evaluating_functions_of_the_timeline()
    found = [
        module
        for _, module in imports_of(sample)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    ]
    assert found == [
        "guardpath.law.batch_file",
        "guardpath.law.batch_file.evaluate_file",
        "guardpath.law.timeline.answer",
    ]


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    """The walk sees imports inside functions and TYPE_CHECKING blocks, not only at the top."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from guardpath.bootstrap import Context\n"
        "def f():\n    import sqlalchemy\n"
    )
    assert [module for _, module in imports_of(sample)] == [
        "typing",
        "typing.TYPE_CHECKING",
        "guardpath.bootstrap",
        "guardpath.bootstrap.Context",
        "sqlalchemy",
    ]
