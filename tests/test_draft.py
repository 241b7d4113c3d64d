"""Draft amendments: applied over the law in memory, checked as the law is, refused clearly."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from guardpath.cli import app
from guardpath.law.draft import DraftError, parse_draft
from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from guardpath.law.loader import default_legislation

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "examples" / "drafts"
AMERICAN = ROOT / "examples" / "american-volunteer.json"
SOURCE = {
    "title": {"en": "Draft bill (example)", "uk": "Законопроєкт (приклад)"},
    "href": "https://example.org/bill",
}


def draft(*changes: dict[str, Any], title: str = "A test draft") -> bytes:
    return yaml.safe_dump({"title": title, "source": SOURCE, "changes": list(changes)}).encode()


def american(**changes: object) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(AMERICAN.read_text())
    facts.update(changes)
    return facts


def outcome(legislation: Any, facts: dict[str, Any], on: date, question: str = "enlistment") -> str:
    return decide(question, parse_facts(facts), on, legislation).outcome


def test_it_gives_a_parameter_new_values_from_a_date_and_leaves_the_law_alone() -> None:
    law = default_legislation()
    before = law.parameters["enlistment.common.age.min"]
    applied = parse_draft((DRAFTS / "minimum-age-21.yaml").read_bytes(), "min21.yaml", law)
    young = american(birth_date="2005-03-01")  # 19 in 2024 and 2025
    assert outcome(applied.legislation, young, date(2024, 12, 31)) == "eligible"
    assert outcome(applied.legislation, young, date(2025, 1, 1)) == "ineligible"
    assert outcome(law, young, date(2025, 1, 1)) == "eligible"
    assert law.parameters["enlistment.common.age.min"] is before
    assert default_legislation() is law and law.version == applied.law.version
    assert applied.version != law.version and len(applied.version) == 16


def test_its_version_changes_with_the_draft_and_not_between_two_readings() -> None:
    law = default_legislation()
    one = parse_draft(
        draft({"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": 21}}}),
        "a.yaml",
        law,
    )
    same = parse_draft(
        draft({"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": 21}}}),
        "a.yaml",
        law,
    )
    other = parse_draft(
        draft({"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": 22}}}),
        "a.yaml",
        law,
    )
    assert one.version == same.version != other.version


def test_it_replaces_a_rule_from_a_date_as_two_dated_versions() -> None:
    law = default_legislation()
    raw = (DRAFTS / "contracts-60-plus-foreigners.yaml").read_bytes()
    applied = parse_draft(raw, "sixty.yaml", law)
    older = american(birth_date="1960-01-01")  # 65 in 2025
    assert outcome(law, older, date(2026, 3, 1)) == "ineligible"
    assert outcome(applied.legislation, older, date(2025, 8, 31)) == "ineligible"
    assert outcome(applied.legislation, older, date(2025, 9, 1)) == "eligible"
    rule = applied.legislation.rules["enlistment.common.age"]
    assert rule.children == ("enlistment.common.age.law", "enlistment.common.age.draft")
    assert "enlistment.common.age.law" not in law.rules


def test_it_repeals_a_rule_from_a_date() -> None:
    law = default_legislation()
    raw = draft({"rule": "enlistment.common.age", "repeal": "2025-01-01"})
    applied = parse_draft(raw, "repeal.yaml", law)
    old = american(birth_date="1950-01-01")
    assert outcome(applied.legislation, old, date(2024, 12, 31)) == "ineligible"
    assert outcome(applied.legislation, old, date(2025, 1, 1)) == "eligible"


def test_it_adds_a_rule_under_a_parent_from_a_date() -> None:
    law = default_legislation()
    added = {
        "rule": "enlistment.foreigners.no_prior_service",
        "under": "enlistment.foreigners",
        "from": "2025-01-01",
        "add": {
            "label": {"en": "Has served before", "uk": "Раніше проходив службу"},
            "condition": "prior_military_service == True",
        },
    }
    applied = parse_draft(draft(added), "add.yaml", law)
    novice = american(prior_military_service=False)
    assert outcome(applied.legislation, novice, date(2024, 12, 31)) == "eligible"
    assert outcome(applied.legislation, novice, date(2025, 1, 1)) == "ineligible"
    assert outcome(applied.legislation, american(), date(2025, 1, 1)) == "eligible"


def test_it_settles_an_open_question_by_giving_the_unknown_values() -> None:
    law = default_legislation()
    applied = parse_draft(draft({"settle": "law_2863_in_force", "value": True}), "s.yaml", law)
    belarusian = american(
        citizenships=["BY"],
        state_award=True,
        service_periods=[
            {"formation": "ngu", "basis": "contract", "start": "2022-03-01", "end": None}
        ],
    )
    on = date(2023, 6, 1)
    assert outcome(law, belarusian, on, "citizenship") == "undetermined"
    assert outcome(applied.legislation, belarusian, on, "citizenship") == "eligible"
    assert "law_2863_in_force" in law.open_questions
    assert "law_2863_in_force" not in applied.legislation.open_questions


BAD: list[tuple[dict[str, Any], str]] = [
    (
        {"parameter": "enlistment.common.age.mini", "values": {"2025-01-01": {"value": 21}}},
        "names no parameter",
    ),
    (
        {"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": "21"}}},
        "'21' is not a whole number",
    ),
    (
        {"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": None}}},
        "must name its open_question",
    ),
    (
        {"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"valu": 21}}},
        "missing key 'value'",
    ),
    (
        {"rule": "enlistment.common.age", "replace": {"condition": "age(birth_date) >= 'x'"}},
        "cannot compare",
    ),
    (
        {"rule": "enlistment.common.age", "replace": {"condition": "shoe_size > 40"}},
        "unknown name 'shoe_size'",
    ),
    ({"rule": "enlistment.common.age", "replace": {"all": ["nowhere"]}}, "does not exist"),
    ({"rule": "enlistment.common.agee", "repeal": "2025-01-01"}, "names no rule"),
    (
        {"rule": "enlistment.common.age", "repeal": "2025-01-01", "period": {"from": "2020-01-01"}},
        "exactly one of",
    ),
    (
        {
            "rule": "enlistment.x",
            "under": "enlistment.common.age",
            "add": {"label": {"en": "x", "uk": "x"}, "condition": "medical == 'fit'"},
        },
        "has a condition",
    ),
    ({"rule": "enlistment", "replace": {"all": ["/enlistment"]}}, "cycle"),
    ({"settle": "no_such_question"}, "names no open question"),
    ({"settle": "law_2863_in_force"}, "give them a 'value'"),
    ({"settle": "law_2863_in_force", "value": 3}, "is not true or false"),
    ({"law": "x"}, "exactly one of parameter, rule, settle"),
]


@pytest.mark.parametrize(("change", "problem"), BAD)
def test_it_refuses_a_bad_change_naming_the_file_the_change_and_the_problem(
    change: dict[str, Any], problem: str
) -> None:
    law = default_legislation()
    version = law.version
    with pytest.raises(DraftError) as raised:
        parse_draft(
            draft(
                {"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": 19}}},
                change,
            ),
            "bad.yaml",
            law,
        )
    message = str(raised.value)
    assert message.startswith("bad.yaml: ")
    assert problem in message
    assert "changes[1]" in message or "cycle" in message or "does not exist" in message
    assert (
        law.version == version
        and law.parameters["enlistment.common.age.min"].value_on(date(2026, 1, 1)) == 18
    )


def test_it_refuses_a_draft_without_title_or_source() -> None:
    with pytest.raises(DraftError, match="missing key 'title'"):
        parse_draft(
            b"source: {title: {en: a, uk: b}, href: b}\nchanges: []\n",
            "t.yaml",
            default_legislation(),
        )


def test_its_rules_cite_acts_it_defines_and_refuse_unknown_ones_or_missing_ukrainian() -> None:
    law = default_legislation()
    bill = {"title": {"en": "Bill 13137", "uk": "Законопроєкт № 13137"}}
    cited = {
        "act": "bill_13137",
        "provision": {"en": "Art. 2", "uk": "ст. 2"},
        "href": "https://example.org/bill",
        "verified": False,
    }
    change = {
        "rule": "enlistment.common.age",
        "replace": {"condition": "age(birth_date) >= 21", "citations": [cited]},
    }
    raw = {"title": "t", "source": SOURCE, "acts": {"bill_13137": bill}, "changes": [change]}
    applied = parse_draft(yaml.safe_dump(raw, allow_unicode=True).encode(), "own.yaml", law)
    citation = applied.legislation.rules["enlistment.common.age"].citations[0]
    assert citation.title("uk") == "Законопроєкт № 13137, ст. 2"
    assert applied.source.title("uk") == "Законопроєкт (приклад), t"  # provision: the title
    with pytest.raises(DraftError, match=r"no\.yaml: changes\[0\].*'bill_13137' is not in"):
        parse_draft(draft(change), "no.yaml", law)
    english = {**change, "replace": {"condition": "1 == 1", "label": {"en": "only English"}}}
    with pytest.raises(DraftError, match="has no Ukrainian text"):
        parse_draft(draft(english), "en.yaml", law)


runner = CliRunner()


def test_reform_prints_the_contract_json(tmp_path: Path) -> None:
    people = tmp_path / "people.parquet"
    assert runner.invoke(app, ["demo-population", "3000", "--out", str(people)]).exit_code == 0
    out = tmp_path / "compared.parquet"
    result = runner.invoke(
        app,
        [
            "reform",
            str(DRAFTS / "minimum-age-21.yaml"),
            "-q",
            "enlistment",
            "--on",
            "2025-06-01",
            "--people",
            str(people),
            "--json",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == [
        "question",
        "on",
        "law_version",
        "draft_version",
        "people",
        "changed",
        "transitions",
        "by_rule",
        "by",
    ]
    assert report["people"] == 3000
    assert report["changed"] == sum(report["transitions"].values()) > 0
    assert set(report["by"]) == {"citizenship", "age_band", "sex", "formation"}
    assert set(report["by"]["age_band"]["cells"]) <= {"under 18", "18-40", "unknown"}
    import polars as pl

    compared = pl.read_parquet(out)
    assert compared.height == 3000 and int(compared["changed"].sum()) == report["changed"]
    assert {"id", "outcome_law", "outcome_draft", "changed", "changed_rules"} <= set(
        compared.columns
    )


def test_reform_refuses_a_bad_draft_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(
        draft({"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": "x"}}})
    )
    people = tmp_path / "p.csv"
    people.write_text("id,birth_date\n1,1990-01-01\n")
    result = runner.invoke(app, ["reform", str(bad), "-q", "enlistment", "--people", str(people)])
    assert result.exit_code == 2
    assert "bad.yaml: changes[0] (parameter enlistment.common.age.min)" in result.stderr
    assert "'x' is not a whole number" in result.stderr


def test_check_and_timeline_with_a_draft_show_both(tmp_path: Path) -> None:
    older = tmp_path / "older.json"
    older.write_text(json.dumps(american(birth_date="1960-01-01")))
    sixty = str(DRAFTS / "contracts-60-plus-foreigners.yaml")
    result = runner.invoke(
        app, ["check", "enlistment", str(older), "--on", "2026-03-01", "--draft", sixty, "--json"]
    )
    assert result.exit_code == 0, result.output
    both = json.loads(result.stdout)
    assert (both["law"]["outcome"], both["draft"]["outcome"]) == ("ineligible", "eligible")
    assert {"rule": "enlistment.common.age", "law": "not_met", "draft": "met"} in both[
        "changed_rules"
    ]
    text = runner.invoke(
        app, ["check", "enlistment", str(older), "--on", "2026-03-01", "--draft", sixty]
    )
    assert "law in force" in text.stdout and "Rules whose status changed" in text.stdout
    result = runner.invoke(
        app, ["timeline", str(older), "-q", "enlistment", "--draft", sixty, "--json"]
    )
    assert result.exit_code == 0, result.output
    timelines = json.loads(result.stdout)
    assert timelines["law"]["periods"][-1]["outcome"] == "ineligible"
    eligible = [p for p in timelines["draft"]["periods"] if p["outcome"] == "eligible"]
    assert eligible[0]["from"] == "2025-09-01"
    assert all(p["outcome"] != "eligible" for p in timelines["law"]["periods"][-2:])


def test_a_replaced_rule_keeps_its_when_exceptions_and_period_unless_given() -> None:
    law = default_legislation()
    old = law.rules["citizenship.suspension"]
    assert old.exceptions  # the Russian citizens' exception and its open question
    raw = draft({"rule": "citizenship.suspension", "replace": {"condition": "medical == 'fit'"}})
    new = parse_draft(raw, "keep.yaml", law).legislation.rules["citizenship.suspension"]
    assert new.condition_source == "medical == 'fit'"
    assert (new.when_source, new.exceptions, new.period) == (
        old.when_source,
        old.exceptions,
        old.period,
    )
