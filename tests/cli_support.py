"""What the command-line tests share: the example people, a runner, and the checks of an answer
and of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from guardpath.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AMERICAN = EXAMPLES / "american-volunteer.json"
BRITON = EXAMPLES / "british-serviceman.json"
STATELESS = EXAMPLES / "stateless-applicant.json"
ANSWER_KEYS = {
    "question",
    "on",
    "outcome",
    "missing",
    "pending",
    "law_version",
    "reasons",
    "open_questions",
}
REASON_KEYS = {"rule", "label", "status", "citations", "children"}
STATUSES = {"met", "not_met", "unknown", "not_applicable"}

runner = CliRunner(env={"COLUMNS": "160"})  # wide enough that no line we look for wraps


def run(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def answer_json(*args: str, input: str | None = None) -> dict[str, Any]:
    result = run("check", *args, "--json", input=input)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def american(**changes: object) -> str:
    facts = json.loads(AMERICAN.read_text())
    facts.update(changes)
    return json.dumps(facts)


def walk(reason: dict[str, Any]) -> list[dict[str, Any]]:
    return [reason, *(node for child in reason["children"] for node in walk(child))]


def assert_bad_input(result: Result, field: str, accepted: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert field in result.stderr
    assert accepted in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
