"""The command line beyond one answer: timelines, the law, tables of people, the installed
command and the changes of the law."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from cli_support import (
    AMERICAN,
    BRITON,
    assert_bad_input,
    run,
)
from guardpath.law.facts import FACT_NAMES
from guardpath.law.table import SCHEMA, read_people, write_people


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
