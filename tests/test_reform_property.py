"""The impact of a draft equals evaluating the changed law directly.

For random drafts and random populations, the draft's changes are written into a copy of the
legislation files (as a legal officer would edit them), the copy is loaded as the law is, and the
people are evaluated under it with the batch engine. Every person's outcome and every rule's
status under the draft must equal that, and the impact's counts must equal those computed from
the two direct evaluations. A draft that changes nothing changes no one.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guardpath.law.batch import evaluate_frame
from guardpath.law.checks import LegislationError
from guardpath.law.draft import DRAFT_PART, LAW_PART, DraftError, parse_draft
from guardpath.law.loader import DEFAULT_ROOT, default_legislation, load
from guardpath.law.model import Legislation
from guardpath.law.reform import reform_frame
from guardpath.population import generate

SOURCE = {
    "title": {"en": "Draft bill (property test)", "uk": "Законопроєкт (тест властивостей)"},
    "href": "https://example.org/bill",
}
SOURCE_ACT = {"title": SOURCE["title"]}
SOURCE_CITATION = {
    "act": "draft",
    "href": SOURCE["href"],
    "provision": {"en": "A random draft", "uk": "A random draft"},
    "verified": False,
}
DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31))
QUESTION_DATES = [
    date(2016, 1, 28),
    date(2022, 2, 24),
    date(2024, 2, 21),
    date(2024, 10, 29),
    date(2024, 10, 30),
    date(2025, 6, 1),
    date(2026, 1, 16),
    date(2027, 6, 1),
]
CONDITIONS = [
    "medical == 'fit'",
    "18 <= age(birth_date) <= 45",
    "'RU' not in citizenships and previously_convicted == False",
    "served_in_martial_law('ngu', 'contract', 1) or served('afu', 'contract', 2)",
    "formation in ['ngu', 'afu'] and rank_group != 'officer'",
]
LAW = default_legislation()
YEAR_PARAMETERS = sorted(n for n, p in LAW.parameters.items() if p.unit == "year")
BOOL_PARAMETERS = sorted(n for n, p in LAW.parameters.items() if p.unit == "boolean")
CONDITION_RULES = sorted(n for n, r in LAW.rules.items() if r.condition is not None)
NOT_ROOTS = sorted(n for n in LAW.rules if "." in n)


@st.composite
def parameter_change(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        name = draw(st.sampled_from(YEAR_PARAMETERS))
        value: Any = draw(st.integers(min_value=14, max_value=70))
    else:
        name = draw(st.sampled_from(BOOL_PARAMETERS))
        value = draw(st.booleans())
    return {"parameter": name, "values": {draw(DATES).isoformat(): {"value": value}}}


@st.composite
def rule_change(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["replace", "replace_from", "repeal"]))
    if kind == "repeal":
        name = draw(st.sampled_from(NOT_ROOTS))
        rule = LAW.rules[name]
        low = rule.period.start + timedelta(days=1) if rule.period else date(2015, 1, 1)
        day = draw(st.dates(min_value=max(low, date(2015, 1, 1)), max_value=date(2028, 12, 31)))
        return {"rule": name, "repeal": day.isoformat()}
    change: dict[str, Any] = {
        "rule": draw(st.sampled_from(CONDITION_RULES)),
        "replace": {"condition": draw(st.sampled_from(CONDITIONS))},
    }
    if kind == "replace_from":
        change["from"] = draw(DATES).isoformat()
    return change


settle_change = st.sampled_from(
    [
        {"settle": "law_2863_in_force", "value": True},
        {"settle": "law_2863_in_force", "value": False},
    ]
)
changes = st.lists(st.one_of(parameter_change(), rule_change(), settle_change), max_size=3)


# -- the changes written into a copy of the legislation files, as a legal officer would ----------
class Tree:
    def __init__(self, root: Path, law: Legislation) -> None:
        self.root = root
        self.law = law
        self.rules = dict(law.rules)  # names and paths as they stand in the copy

    def read(self, relative: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load((self.root / relative).read_text())
        return data

    def write(self, relative: str, data: dict[str, Any]) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    def apply(self, change: dict[str, Any]) -> None:
        if "parameter" in change:
            self.parameter(change)
        elif "settle" in change:
            self.settle(change)
        elif "repeal" in change:
            self.repeal(change)
        else:
            self.replace(change)

    def parameter(self, change: dict[str, Any]) -> None:
        relative = self.law.parameters[change["parameter"]].path
        data = self.read(relative)
        new = {date.fromisoformat(d): v for d, v in change["values"].items()}
        kept = {d: v for d, v in data["values"].items() if d < min(new)}
        added = {d: {"value": v["value"], "citations": [SOURCE_CITATION]} for d, v in new.items()}
        data["values"] = {**kept, **added}
        self.write(relative, data)

    def settle(self, change: dict[str, Any]) -> None:
        question = change["settle"]
        for parameter in self.law.parameters.values():
            data = self.read(parameter.path)
            for entry in data["values"].values():
                if entry.get("open_question") == question:
                    del entry["open_question"]
                    if entry["value"] is None:
                        entry["value"] = change["value"]
                        entry["citations"] = [SOURCE_CITATION]
            self.write(parameter.path, data)
        questions = self.read("open_questions.yaml")
        questions["questions"] = [q for q in questions["questions"] if q["id"] != question]
        self.write("open_questions.yaml", questions)

    def repeal(self, change: dict[str, Any]) -> None:
        rule = self.rules[change["rule"]]
        data = self.read(rule.path)
        day = date.fromisoformat(change["repeal"]) - timedelta(days=1)
        period = data.get("period") or {"from": date.min}
        if period.get("to") is None or period["to"] > day:
            period["to"] = day
        data["period"] = period
        self.write(rule.path, data)

    def replace(self, change: dict[str, Any]) -> None:
        rule = self.rules[change["rule"]]
        data = self.read(rule.path)
        if "from" not in change:
            for key in ("condition", "all", "any"):
                data.pop(key, None)
            data["condition"] = change["replace"]["condition"]
            data["citations"] = [SOURCE_CITATION]
            self.write(rule.path, data)
            return
        start = date.fromisoformat(change["from"])
        folder = rule.name.replace(".", "/")
        body = {k: data[k] for k in ("condition", "all", "any") if k in data}
        if rule.combinator is not None:
            body = {rule.combinator: [f"/{child}" for child in rule.children]}
        label = data["label"]
        self.write(
            f"{folder}/{LAW_PART}.yaml",
            {
                "kind": "rule",
                "label": {"en": f"{label['en']} (law in force)", "uk": label["uk"]},
                "citations": data["citations"],
                "period": {"from": date.min, "to": start - timedelta(days=1)},
                **body,
            },
        )
        self.write(
            f"{folder}/{DRAFT_PART}.yaml",
            {
                "kind": "rule",
                "label": {"en": f"{label['en']} (draft)", "uk": label["uk"]},
                "citations": [SOURCE_CITATION],
                "period": {"from": start},
                "condition": change["replace"]["condition"],
            },
        )
        for key in ("condition", "all", "any"):
            data.pop(key, None)
        data["any"] = [f"/{rule.name}.{LAW_PART}", f"/{rule.name}.{DRAFT_PART}"]
        self.write(rule.path, data)
        for part in (LAW_PART, DRAFT_PART):
            self.rules[f"{rule.name}.{part}"] = rule  # a later change to them is not generated


def edited_copy(tmp: Path, drawn: list[dict[str, Any]]) -> Legislation:
    root = tmp / "legislation"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(DEFAULT_ROOT, root)
    tree = Tree(root, LAW)
    acts = tree.read("acts.yaml")
    acts["acts"]["draft"] = SOURCE_ACT  # the draft's source, as the draft names it
    tree.write("acts.yaml", acts)
    for change in drawn:
        tree.apply(change)
    return load(root)


def draft_bytes(drawn: list[dict[str, Any]]) -> bytes:
    return yaml.safe_dump({"title": "A random draft", "source": SOURCE, "changes": drawn}).encode()


def applicable(drawn: list[dict[str, Any]]) -> bool:
    """One change per thing: two changes to the same rule or question are not generated."""
    names = [c.get("parameter") or c.get("rule") or c.get("settle") for c in drawn]
    return len(names) == len(set(names))


def counts(before: pl.DataFrame, after: pl.DataFrame) -> tuple[int, Counter[str], Counter[str]]:
    moved = before["outcome"].cast(pl.String) != after["outcome"].cast(pl.String)
    arrows = Counter(
        f"{a}->{b}" for a, b, m in zip(before["outcome"], after["outcome"], moved, strict=True) if m
    )
    common = [c for c in before.columns if c.startswith("rule:") and c in after.columns]
    by_rule = Counter(
        {
            c.removeprefix("rule:"): int(
                (before[c].cast(pl.String) != after[c].cast(pl.String)).sum()
            )
            for c in common
        }
    )
    return int(moved.sum()), arrows, +by_rule


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    drawn=[
        {"rule": "enlistment.citizens.mobilisation", "replace": {"condition": "medical == 'fit'"}}
    ],
    seed=1,
    question="enlistment",
    on=date(2025, 6, 1),
)
@given(
    drawn=changes.filter(applicable),
    seed=st.integers(min_value=0, max_value=10_000),
    question=st.sampled_from(["enlistment", "citizenship"]),
    on=st.sampled_from(QUESTION_DATES),
)
def test_the_impact_of_a_draft_equals_evaluating_the_changed_law(
    tmp_path: Path, drawn: list[dict[str, Any]], seed: int, question: str, on: date
) -> None:
    people = generate(400, seed=seed)
    try:
        applied = parse_draft(draft_bytes(drawn), "random.yaml", LAW)
    except DraftError as refused:
        # A draft the law's own checks refuse (one that leaves an open question reached by no
        # rule, say) is refused for the same reason when written into the files themselves.
        with pytest.raises(LegislationError) as direct_refusal:
            edited_copy(tmp_path, drawn)
        assert str(direct_refusal.value).split(": ", 1)[1] in str(refused)
        return
    edited = edited_copy(tmp_path, drawn)
    impact, compared = reform_frame(people, question, on, LAW, applied.legislation)
    before = evaluate_frame(people, question, on, LAW)
    direct = evaluate_frame(people, question, on, edited)
    under_draft = evaluate_frame(people, question, on, applied.legislation)
    assert compared["outcome_draft"].to_list() == direct["outcome"].cast(pl.String).to_list()
    assert under_draft.drop("id").equals(direct.drop("id"))
    changed, arrows, by_rule = counts(before, direct)
    assert (impact.people, impact.changed) == (400, changed)
    assert impact.transitions == arrows
    assert impact.by_rule == by_rule


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), on=st.sampled_from(QUESTION_DATES))
def test_a_draft_that_changes_nothing_changes_no_one(seed: int, on: date) -> None:
    parameter = LAW.parameters["enlistment.common.age.max"]
    last = parameter.values[-1]
    same = {"parameter": parameter.name, "values": {last.start.isoformat(): {"value": last.value}}}
    people = generate(400, seed=seed)
    for drawn in ([], [same]):
        applied = parse_draft(draft_bytes(drawn), "nothing.yaml", LAW)
        for question in ("enlistment", "citizenship"):
            impact, compared = reform_frame(people, question, on, LAW, applied.legislation)
            assert impact.people == 400
            assert impact.changed == 0 and not impact.transitions and not impact.by_rule
            assert compared["changed_rules"].list.len().sum() == 0


def test_the_worked_examples_change_people_and_equal_the_edited_law(tmp_path: Path) -> None:
    """Not vacuous: drafts that do change outcomes, checked the same way."""
    people = generate(3_000, seed=5)
    cases = [
        ([{"settle": "law_2863_in_force", "value": True}], "citizenship", date(2024, 10, 29)),
        (
            [
                {
                    "rule": "enlistment.common.age",
                    "from": "2025-09-01",
                    "replace": {"condition": "18 <= age(birth_date) <= 70"},
                },
                {"parameter": "enlistment.common.age.min", "values": {"2025-01-01": {"value": 21}}},
            ],
            "enlistment",
            date(2026, 3, 1),
        ),
    ]
    for drawn, question, on in cases:
        applied = parse_draft(draft_bytes(drawn), "example.yaml", LAW)
        impact, _ = reform_frame(people, question, on, LAW, applied.legislation)
        before = evaluate_frame(people, question, on, LAW)
        direct = evaluate_frame(people, question, on, edited_copy(tmp_path, drawn))
        changed, arrows, by_rule = counts(before, direct)
        assert impact.changed == changed > 0
        assert (impact.transitions, impact.by_rule) == (arrows, by_rule)
