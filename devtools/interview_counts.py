"""How many questions the guided self-checks ask each person of the cast, against the full form.

The cast: the example people (examples/*.json) and the legal cases' cast
(legislation/cast.cases.yaml). Each person answers from their own facts and says "I don't
know" to a fact they lack. Prints a Markdown table:

    .venv/bin/python devtools/interview_counts.py [--on YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from guardpath.law.loader import DEFAULT_ROOT, default_legislation
from guardpath.law.model import Legislation
from guardpath.services.checks import FULL_FORM, interview, verdict_of

ROOT = Path(__file__).resolve().parents[1]
ON = date(2026, 1, 1)


def _json_ready(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    return value


def cast() -> dict[str, dict[str, Any]]:
    people = {
        path.stem: json.loads(path.read_text()) for path in sorted(ROOT.glob("examples/*.json"))
    }
    named = yaml.safe_load((DEFAULT_ROOT / "cast.cases.yaml").read_text())["cast"]
    people |= {name: _json_ready(member["facts"]) for name, member in named.items()}
    return people


def asked_and_answer(
    legislation: Legislation, question: str, person: dict[str, Any], on: date
) -> str:
    """ "N (answer)": the questions asked and the answer they reached."""
    asked = interview(legislation, question, person, on)
    known = {fact: person[fact] for fact in asked if person.get(fact) is not None}
    answer = decide(question, parse_facts(known), on, legislation, explain_tree=False)
    return f"{len(asked)} ({verdict_of(answer).replace('_', ' ')})"


def table(on: date) -> str:
    legislation = default_legislation()
    rows = [
        f"| person | can I serve? (of {FULL_FORM['enlistment']}) "
        f"| citizenship (of {FULL_FORM['citizenship']}) |",
        "|---|---|---|",
    ]
    for name, facts in cast().items():
        serve = asked_and_answer(legislation, "enlistment", facts, on)
        citizen = asked_and_answer(legislation, "citizenship", facts, on)
        rows.append(f"| {name} | {serve} | {citizen} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=date.fromisoformat, default=ON, help="the date asked")
    print(table(parser.parse_args().on))


if __name__ == "__main__":
    main()
