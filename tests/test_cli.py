"""The command line: answers as the contract says, readable text, and bad input that exits 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner, Result

from guardpath.cli import app
from guardpath.law.facts import FACT_NAMES
from guardpath.law.table import SCHEMA, read_people, write_people

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


def test_it_answers_the_american_volunteer_in_the_contract_json() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2024-03-01")

    assert set(answer) == ANSWER_KEYS
    assert answer["question"] == "enlistment"
    assert answer["on"] == "2024-03-01"
    assert answer["outcome"] == "eligible"
    assert answer["missing"] == []
    nodes = [node for reason in answer["reasons"] for node in walk(reason)]
    assert {node["rule"] for node in nodes} >= {"enlistment", "enlistment.foreigners.lawful_stay"}
    for node in nodes:
        assert set(node) >= REASON_KEYS
        assert node["status"] in STATUSES
        for citation in node["citations"]:
            assert {"title", "href", "verified"} <= set(citation)


def test_it_answers_citizenship_with_the_route_the_earliest_date_and_obligations() -> None:
    answer = answer_json("citizenship", str(BRITON), "--on", "2025-06-01")

    assert set(answer) == ANSWER_KEYS | {"route", "earliest_date", "obligations"}
    assert answer["outcome"] == "eligible"
    assert answer["route"] == "contract_service"
    assert answer["earliest_date"] == "2025-03-10"
    assert answer["obligations"]


def test_it_explains_in_text_with_the_answer_first_the_marks_and_the_citations() -> None:
    result = run("check", "enlistment", str(AMERICAN), "--on", "2024-03-01")

    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[0] == "Enlistment on 2024-03-01: ELIGIBLE"
    assert "✓ Is in Ukraine on lawful grounds" in text
    assert "– Passed the special check" in text  # the check exists from 2024-10-30 only
    assert "enlistment.foreigners.lawful_stay" in text
    assert "Decree 84/2024, Regulation on NGU service" in text
    assert "https://www.president.gov.ua/documents/842024-49797" in text
    assert "unverified" in text
    assert "facts: date of birth: 1990-05-14" in text
    assert "law: Maximum age in a special period: 60 since 2014-01-01" in text
    assert "law version" in text


def test_it_marks_what_does_not_apply_and_what_fails() -> None:
    facts = american(previously_convicted=True)
    result = run("check", "enlistment", "-", "--on", "2024-03-01", input=facts)

    assert result.exit_code == 0
    assert "INELIGIBLE" in result.stdout
    assert "✗ Not previously convicted" in result.stdout
    assert "– A Ukrainian citizen" in result.stdout


def test_it_lists_the_missing_facts_of_the_stateless_applicant() -> None:
    result = run("check", "enlistment", str(STATELESS), "--on", "2025-01-10")

    assert result.exit_code == 0
    assert "UNDETERMINED" in result.stdout
    assert "? Passed professional-psychological selection" in result.stdout
    assert "Missing facts: previously convicted" in result.stdout
    later = "Checks that follow an application: physical fitness test, professional-psychological"
    assert later in result.stdout
    assert "these checks follow an application" in result.stdout


def test_it_marks_the_checks_that_follow_an_application_as_pending_in_the_json() -> None:
    answer = answer_json("enlistment", str(STATELESS), "--on", "2025-01-10")

    assert answer["outcome"] == "undetermined"
    assert {"physical", "previously_convicted", "psychological"} <= set(answer["missing"])
    assert {"physical", "psychological"} <= set(answer["pending"])
    checks = {"medical", "psychological", "physical", "special_check"}
    assert answer["pending"] == [fact for fact in answer["missing"] if fact in checks]


def test_it_answers_a_date_in_2014_ineligible_for_a_foreigner() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2014-01-01")

    assert answer["outcome"] == "ineligible"
    assert answer["missing"] == []


def test_it_shows_open_questions_when_the_law_itself_is_unsettled() -> None:
    facts = american(formation="dsst")  # DSST's door: Law 2863-IX, in-force date unknown
    answer = answer_json("enlistment", "-", "--on", "2023-06-01", input=facts)
    text = run("check", "enlistment", "-", "--on", "2023-06-01", input=facts).stdout

    assert answer["outcome"] == "undetermined"
    assert "law_2863_in_force" in answer["open_questions"]
    assert "Open questions of the law" in text
    assert "law_2863_in_force" in text


def test_it_renders_citizenship_with_route_earliest_date_and_obligations() -> None:
    result = run("check", "citizenship", str(BRITON), "--on", "2025-06-01")

    assert result.exit_code == 0
    assert "Citizenship on 2025-06-01: ELIGIBLE" in result.stdout
    assert "Route: Three years counted from the contract's start" in result.stdout
    assert "Earliest date: 2025-03-10" in result.stdout
    assert "Obligations:" in result.stdout


def test_it_reads_facts_from_standard_input() -> None:
    answer = answer_json("enlistment", "-", "--on", "2024-03-01", input=AMERICAN.read_text())

    assert answer["outcome"] == "eligible"


def test_it_answers_in_ukrainian_for_recruitment_staff() -> None:
    result = run("check", "enlistment", str(AMERICAN), "--on", "2024-03-01", "--lang", "uk")

    assert result.exit_code == 0
    assert "Вступ на службу станом на 2024-03-01: ВІДПОВІДАЄ УМОВАМ" in result.stdout
    assert "Джерела" in result.stdout


def test_it_exits_0_when_the_answer_is_no() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2023-01-01")

    assert answer["outcome"] == "ineligible"  # the NGU took foreigners from 2024-02-21


def test_it_answers_for_today_without_on() -> None:
    before = date.today().isoformat()
    answer = answer_json("enlistment", str(AMERICAN))

    assert before <= answer["on"] <= date.today().isoformat()


BAD_FACTS = [
    ({"nickname": "Doc"}, "nickname", "accepted facts are"),
    ({"formation": "navy"}, "formation", "one of ngu, afu, dsst"),
    ({"birth_date": "2023-02-29"}, "birth_date", "YYYY-MM-DD"),
    ({"citizenships": ["USA"]}, "citizenships[0]", "ISO 3166-1 alpha-2"),
    ({"previously_convicted": "no"}, "previously_convicted", "true or false"),
    ({"service_periods": [{"formation": "afu", "basis": "contract"}]}, "start", "required"),
]


def assert_bad_input(result: Result, field: str, accepted: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert field in result.stderr
    assert accepted in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(("facts", "field", "accepted"), BAD_FACTS)
def test_it_refuses_bad_facts_naming_the_field(
    facts: dict[str, Any], field: str, accepted: str
) -> None:
    result = run("check", "enlistment", "-", "--on", "2024-03-01", input=json.dumps(facts))

    assert_bad_input(result, field, accepted)


@pytest.mark.parametrize(
    ("args", "field", "accepted"),
    [
        (["check", "enlistment", str(AMERICAN), "--on", "2023-02-29"], "--on", "YYYY-MM-DD"),
        (["check", "enlistment", str(AMERICAN), "--on", "1 March"], "--on", "YYYY-MM-DD"),
        (["check", "enlistment", str(AMERICAN), "--on", "2013-12-31"], "--on", "2014-01-01"),
        (["check", "enlistment", "no-such-file.json"], "FACTS", "JSON file"),
        (["check", "enlistment", str(EXAMPLES)], "FACTS", "JSON file"),
        (["check", "enrolment", str(AMERICAN)], "QUESTION", "enlistment, citizenship"),
        (["check", "enlistment", str(AMERICAN), "--lang", "fr"], "--lang", "en, uk"),
        (["timeline", str(AMERICAN)], "--question", "enlistment, citizenship"),
        (["timeline", str(AMERICAN), "-q", "pension"], "--question", "enlistment, citizenship"),
        (["law", "enlistment.age"], "NAME", "enlistment.common.age"),
    ],
)
def test_it_refuses_bad_arguments_naming_them(args: list[str], field: str, accepted: str) -> None:
    assert_bad_input(run(*args), field, accepted)


def test_it_refuses_text_that_is_not_json() -> None:
    result = run("check", "enlistment", "-", input='{"sex": "male",}')

    assert_bad_input(result, "FACTS", "not valid JSON")
    assert "line 1" in result.stderr


def test_it_refuses_json_that_is_not_an_object() -> None:
    assert_bad_input(run("check", "enlistment", "-", input="[]"), "facts", "JSON object")


def test_it_lists_when_the_american_volunteers_answer_changes() -> None:
    result = run("timeline", str(AMERICAN), "--question", "enlistment", "--json")

    assert result.exit_code == 0
    periods = json.loads(result.stdout)["periods"]
    assert set(json.loads(result.stdout)) == {"periods"}
    assert periods[0]["from"] == "2014-01-01"
    door = next(p for p in periods if p["outcome"] == "eligible")
    assert door["from"] == "2024-02-21"  # Decree 84/2024 opens the NGU
    assert door["to"] == "2030-12-31"  # the residence permit's last day
    assert periods[-1]["to"] is None
    assert {"from", "to", "outcome", "because"} == set(door)


def test_it_shows_the_timeline_as_a_table() -> None:
    result = run("timeline", str(BRITON), "-q", "citizenship")

    assert result.exit_code == 0
    assert "Citizenship over time" in result.stdout
    assert "2025-03-10" in result.stdout
    assert "eligible" in result.stdout


def test_it_lists_the_law_with_citations_and_open_questions() -> None:
    result = run("law", "--on", "2025-01-01")

    assert result.exit_code == 0
    text = result.stdout
    assert "Rules (" in text and "Parameters (" in text and "Obligations (" in text
    assert "enlistment.foreigners.lawful_stay" in text
    assert "enlistment.common.age.max_special_period" in text
    assert "✓ verified" in text and "unverified" in text
    assert "Open questions (" in text
    assert "age_clause_84_2024" in text
    assert text.index("Rules (") < text.index("Open questions (")


def test_it_shows_a_parameter_with_its_dated_history() -> None:
    result = run("law", "enlistment.common.age.max_special_period")

    assert result.exit_code == 0
    text = result.stdout
    assert "Parameter enlistment.common.age.max_special_period" in text
    assert "History" in text
    assert "2014-01-01" in text and "60 years" in text
    assert "unverified" in text
    assert "age_clause_84_2024" in text
    assert "legislation/enlistment/common/age/max_special_period.yaml" in text


def test_it_shows_every_dated_value_of_a_parameter() -> None:
    text = run("law", "enlistment.foreigners.open.ngu").stdout

    assert "2014-01-01" in text and "2024-02-20" in text and "2024-02-21" in text


def test_it_shows_a_rule_with_its_condition_and_exceptions() -> None:
    result = run("law", "enlistment.foreigners.rank_group")

    assert result.exit_code == 0
    assert "Rule enlistment.foreigners.rank_group" in result.stdout
    assert "condition:" in result.stdout
    assert "unless all_rank_groups_open" in result.stdout


def test_it_writes_a_demo_population(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    result = run("demo-population", "250", "--out", str(out), "--seed", "3")

    assert result.exit_code == 0, result.output
    people = pl.read_parquet(out)
    assert people.height == 250
    assert people.columns == ["id", *FACT_NAMES]
    assert {name: people.schema[name] for name in SCHEMA} == SCHEMA
    assert read_people(out).height == 250  # the table is valid under the contract


def test_it_writes_a_demo_population_as_csv(tmp_path: Path) -> None:
    out = tmp_path / "people.csv"

    assert run("demo-population", "40", "--out", str(out)).exit_code == 0
    assert read_people(out).height == 40


def test_it_refuses_a_demo_population_file_it_cannot_write(tmp_path: Path) -> None:
    assert_bad_input(
        run("demo-population", "5", "--out", str(tmp_path / "p.xlsx")), "--out", ".csv"
    )
    assert_bad_input(run("demo-population", "5"), "--out", "required")


def test_it_evaluates_a_table_of_people(tmp_path: Path) -> None:
    people, out = tmp_path / "people.parquet", tmp_path / "out.parquet"
    assert run("demo-population", "1000", "--out", str(people)).exit_code == 0

    result = run(
        "evaluate", str(people), "-q", "enlistment", "--on", "2025-01-01", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    assert "eligible" in result.stdout and "undetermined" in result.stdout
    assert "1,000" in result.stdout
    results = pl.read_parquet(out)
    assert results.height == 1000
    assert {"id", "outcome", "missing", "rule:enlistment"} <= set(results.columns)


def test_it_evaluates_the_american_volunteer_as_check_does(tmp_path: Path) -> None:
    people, out = tmp_path / "people.csv", tmp_path / "out.parquet"
    row = {**json.loads(AMERICAN.read_text()), "id": 1}
    frame = pl.DataFrame([row]).with_columns(
        pl.col("birth_date", "stay_valid_until").str.to_date(),
        pl.col("service_periods").cast(SCHEMA["service_periods"]),
    )
    write_people(frame, people)

    result = run(
        "evaluate", str(people), "-q", "enlistment", "--on", "2024-03-01", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out)["outcome"].to_list() == ["eligible"]


def test_it_refuses_a_table_with_a_bad_value_naming_row_and_column(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,formation\n1,ngu\n2,navy\n")

    result = run("evaluate", str(people), "-q", "enlistment", "--out", str(tmp_path / "o.parquet"))

    assert_bad_input(result, "row 2, formation", "ngu, afu, dsst")


@pytest.mark.parametrize(
    ("args", "field", "accepted"),
    [
        (
            ["missing.parquet", "-q", "enlistment", "--out", "o.parquet"],
            "PEOPLE",
            ".parquet or .csv",
        ),
        ([str(AMERICAN), "-q", "enlistment", "--out", "o.parquet"], "PEOPLE", ".parquet or .csv"),
        ([str(AMERICAN), "-q", "pension", "--out", "o.parquet"], "--question", "enlistment"),
        ([str(AMERICAN), "-q", "enlistment", "--on", "2023-02-29"], "--on", "YYYY-MM-DD"),
    ],
)
def test_it_refuses_bad_evaluate_arguments(args: list[str], field: str, accepted: str) -> None:
    assert_bad_input(run("evaluate", *args), field, accepted)


def test_it_refuses_evaluate_without_out(tmp_path: Path) -> None:
    people = tmp_path / "p.parquet"
    assert run("demo-population", "3", "--out", str(people)).exit_code == 0

    assert_bad_input(run("evaluate", str(people), "-q", "enlistment"), "--out", ".parquet")


def installed_script() -> str:
    script = shutil.which("guardpath", path=str(Path(sys.executable).parent))
    assert script is not None, "the guardpath console script is not installed in this environment"
    return script


def test_it_runs_as_the_installed_guardpath_command() -> None:
    command = [installed_script(), "check", "enlistment", "-", "--on", "2024-03-01", "--json"]
    done = subprocess.run(
        command, input=AMERICAN.read_text(), capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "eligible"


def test_it_exits_2_without_a_traceback_as_the_installed_command() -> None:
    command = [installed_script(), "check", "enlistment", str(AMERICAN), "--on", "2023-02-29"]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert "--on" in done.stderr and "YYYY-MM-DD" in done.stderr
    assert "Traceback" not in done.stderr


def test_it_lists_what_changed_and_when_with_citations() -> None:
    result = run("law", "changes", "--since", "2024-10-30", "--json")

    assert result.exit_code == 0
    found = json.loads(result.stdout)["changes"]
    assert all(c["date"] >= "2024-10-30" for c in found)
    assert [c["date"] for c in found] == sorted(c["date"] for c in found)
    rank = next(c for c in found if c["name"].endswith("rank_group.all_rank_groups_open"))
    assert (rank["date"], rank["event"], rank["kind"]) == ("2024-10-30", "starts", "exception")
    assert rank["citations"][0]["act"] == "Law 4019-IX"
    ends = next(c for c in found if c["name"] == "citizenship.obligations.renunciation_declaration")
    assert (ends["date"], ends["event"]) == ("2026-07-16", "ends")


def test_it_prints_the_changes_by_date_and_refuses_since_without_changes() -> None:
    text = run("law", "changes").stdout
    assert "2015-11-12" in text and "Law 716-VIII" in text
    assert "2014-01-01" not in text  # the law as held from 2014 is the baseline, not a change
    assert_bad_input(run("law", "--since", "2024-01-01"), "--since", "law changes")
