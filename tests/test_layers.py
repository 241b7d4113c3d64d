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


def test_the_entry_points_ask_the_services_for_a_decision() -> None:
    engine = (
        "guardpath.law.evaluate",
        "guardpath.law.timeline.timeline",
        "guardpath.law.timeline.answer",
    )
    assert offences(["cli", "web"], engine) == []


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
