"""Docs are tested: the CLI reference matches --help, and the README says how to start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guardpath.cli import app
from guardpath.cli.reference import command_names, help_text, render
from guardpath.law.facts import FACT_NAMES
from guardpath.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
REGENERATE = "run `make docs` (python -m guardpath.cli.reference > docs/cli.md)"


def test_it_keeps_the_cli_reference_equal_to_the_commands_help() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == render(), f"docs/cli.md drifted: {REGENERATE}"


@pytest.mark.parametrize("command", ["check", "timeline", "law", "evaluate", "demo-population"])
def test_it_documents_every_command(command: str) -> None:
    assert command in command_names()
    assert f"## guardpath {command}\n" in REFERENCE.read_text(encoding="utf-8"), REGENERATE


@pytest.mark.parametrize("command", ["check", "timeline", "law", "evaluate", "demo-population"])
def test_it_builds_the_reference_from_what_help_prints(command: str) -> None:
    printed = CliRunner().invoke(app, [command, "--help"]).stdout
    documented = help_text(command)

    def words(text: str) -> list[str]:
        return re.findall(r"\S+", text.replace("Usage: root", "Usage: guardpath"))

    assert words(printed) == words(documented)


def test_it_documents_every_fact_of_the_contract() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for name in FACT_NAMES:
        assert f"| `{name}` |" in text


def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_it_opens_the_readme_with_what_guardpath_is_and_for_whom() -> None:
    paragraphs = [p for p in readme().split("\n\n") if p.strip()]
    first = paragraphs[1]  # after the title

    assert paragraphs[0].strip() == "# guardpath"
    for word in (
        "Ukrainian law",
        "citizenship",
        "applicants",
        "recruitment staff",
        "legal officers",
    ):
        assert word in first


def test_it_gives_exactly_the_two_setup_commands_in_the_readme() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", readme(), flags=re.S)
    setup = [line.split("#")[0].strip() for line in blocks[0].splitlines()]

    assert setup == ["make run", "make test"]


def test_it_runs_exactly_the_readmes_test_command_in_ci() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip().startswith("make")]

    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert commands == ["make test"]


def test_it_links_the_readme_to_the_cli_reference_and_the_law() -> None:
    assert "(docs/cli.md)" in readme()
    assert "src/guardpath/legislation" in readme()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_it_documents_every_setting_in_the_developers_settings_table(name: str) -> None:
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]

    assert f"| `GUARDPATH_{name.upper()}` |" in table
