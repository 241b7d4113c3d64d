"""Legal tests as data: every `*.cases.yaml` beside the rules is a list of cases, one test each.

A case names a member of the cast (`cast.cases.yaml`), overrides some of its facts (a null
override makes the fact unknown), asks a question on a date and states what the law answers.
The files are strict: an unknown key is refused with the file and the key named.

    cases:
    - name: a 61-year-old is past the special-period limit of Art. 22
      question: enlistment
      on: 2024-09-10
      cast: american_volunteer
      facts: {birth_date: 1963-09-10}
      expect:
        outcome: ineligible
        rules: {enlistment.common.age: not_met}

`expect` holds `outcome` and optionally `missing` (exact; required when undetermined), `rules`
(rule name to status), `open_questions`, and for citizenship `route`, `earliest_date` and
`obligations`. `xfail: "reason"` marks a case where the engine disagrees with the law as written:
it must keep failing until the engine is fixed (a strict xfail).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from guardpath.law.compiled import compile_question
from guardpath.law.evaluate import Answer, decide, open_questions_for, open_questions_walked
from guardpath.law.facts import FACT_NAMES, FactError, Facts, parse_facts
from guardpath.law.loader import CASES_SUFFIX, DEFAULT_ROOT, default_legislation
from guardpath.law.timeline import answer

CAST_FILE = "cast" + CASES_SUFFIX
MIN_CASES = 130
QUESTIONS = ("enlistment", "citizenship")
OUTCOMES = ("eligible", "ineligible", "undetermined")
STATUSES = ("met", "not_met", "unknown", "not_applicable")
CASE_REQUIRED = frozenset({"name", "question", "on", "cast", "expect"})
CASE_OPTIONAL = frozenset({"facts", "xfail"})
EXPECT_REQUIRED = frozenset({"outcome"})
EXPECT_OPTIONAL = frozenset(
    {"missing", "rules", "open_questions", "route", "earliest_date", "obligations"}
)
CITIZENSHIP_ONLY = frozenset({"route", "earliest_date", "obligations"})
MEMBER_KEYS = frozenset({"story", "facts"})


class CaseLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML where only true and false are booleans, so the key `on` stays a string."""


CaseLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CaseLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


class CaseFileError(ValueError):
    """A case file that breaks the case format; the message names the file and the key."""


@dataclass(frozen=True)
class LegalCase:
    file: str
    name: str
    question: str
    on: date
    facts: Facts
    expect: dict[str, Any]
    xfail: str | None


def _keys(where: str, data: object, required: frozenset[str], optional: frozenset[str]) -> None:
    if not isinstance(data, dict):
        raise CaseFileError(f"{where}: expected a mapping with keys {sorted(required | optional)}")
    unknown = sorted(set(data) - required - optional)
    if unknown:
        accepted = ", ".join(sorted(required | optional))
        raise CaseFileError(f"{where}: unknown key {unknown[0]!r}; accepted keys are {accepted}")
    absent = sorted(required - set(data))
    if absent:
        raise CaseFileError(f"{where}: missing key {absent[0]!r}")


def _read(path: Path, root: Path, top: str) -> Any:
    relative = path.relative_to(root).as_posix()
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=CaseLoader)
    _keys(relative, data, frozenset({top}), frozenset())
    return data[top]


def load_cast(root: Path) -> dict[str, dict[str, Any]]:
    """The named base profiles: member name to raw facts."""
    members = _read(root / CAST_FILE, root, "cast")
    if not isinstance(members, dict):
        raise CaseFileError(f"{CAST_FILE}: 'cast' must map names to members")
    cast: dict[str, dict[str, Any]] = {}
    for name, member in members.items():
        where = f"{CAST_FILE}: {name}"
        _keys(where, member, MEMBER_KEYS, frozenset())
        _facts(where, member["facts"])
        cast[name] = dict(member["facts"])
    return cast


def _facts(where: str, raw: dict[str, Any]) -> Facts:
    try:
        return parse_facts(raw)
    except FactError as error:
        raise CaseFileError(f"{where}: facts.{error.field}: {error.message}") from None


def _check_expect(where: str, question: str, expect: dict[str, Any]) -> None:
    _keys(f"{where}: expect", expect, EXPECT_REQUIRED, EXPECT_OPTIONAL)
    if expect["outcome"] not in OUTCOMES:
        raise CaseFileError(f"{where}: expect.outcome must be one of {', '.join(OUTCOMES)}")
    if expect["outcome"] == "undetermined" and "missing" not in expect:
        raise CaseFileError(f"{where}: an undetermined case must state expect.missing")
    if question != "citizenship" and CITIZENSHIP_ONLY & set(expect):
        key = sorted(CITIZENSHIP_ONLY & set(expect))[0]
        raise CaseFileError(f"{where}: expect.{key} applies to citizenship questions only")
    rules = default_legislation().rules
    for rule, status in (expect.get("rules") or {}).items():
        if rule not in rules:
            raise CaseFileError(f"{where}: expect.rules names the unknown rule {rule!r}")
        if status not in STATUSES:
            raise CaseFileError(f"{where}: expect.rules.{rule} must be one of {STATUSES}")


def _case(relative: str, raw: object, cast: dict[str, dict[str, Any]]) -> LegalCase:
    name = raw.get("name", "?") if isinstance(raw, dict) else "?"
    where = f"{relative}: case {name!r}"
    _keys(where, raw, CASE_REQUIRED, CASE_OPTIONAL)
    assert isinstance(raw, dict)
    if not isinstance(name, str):
        raise CaseFileError(f"{where}: name must be a text stating the legal conclusion")
    if raw["question"] not in QUESTIONS:
        raise CaseFileError(f"{where}: question must be one of {', '.join(QUESTIONS)}")
    if not isinstance(raw["on"], date):
        raise CaseFileError(f"{where}: on must be a date YYYY-MM-DD")
    if raw["cast"] not in cast:
        raise CaseFileError(f"{where}: cast names no member of {CAST_FILE}: {raw['cast']!r}")
    overrides = raw.get("facts") or {}
    if not isinstance(overrides, dict):
        raise CaseFileError(f"{where}: facts must map fact names to values (null: unknown)")
    unknown = sorted(set(overrides) - set(FACT_NAMES))
    if unknown:
        raise CaseFileError(f"{where}: facts: unknown fact {unknown[0]!r}")
    merged = {**cast[raw["cast"]], **overrides}
    _check_expect(where, raw["question"], raw["expect"])
    return LegalCase(
        file=relative,
        name=name,
        question=raw["question"],
        on=raw["on"],
        facts=_facts(where, {k: v for k, v in merged.items() if v is not None}),
        expect=raw["expect"],
        xfail=raw.get("xfail"),
    )


def load_cases(root: Path = DEFAULT_ROOT) -> list[LegalCase]:
    """Every case of every case file under `root`, refusing duplicate names."""
    cast = load_cast(root)
    cases: list[LegalCase] = []
    seen: dict[str, str] = {}
    for path in sorted(root.rglob("*" + CASES_SUFFIX)):
        relative = path.relative_to(root).as_posix()
        if relative == CAST_FILE:
            continue
        raws = _read(path, root, "cases")
        if not isinstance(raws, list):
            raise CaseFileError(f"{relative}: 'cases' must be a list")
        for raw in raws:
            case = _case(relative, raw, cast)
            if case.name in seen:
                raise CaseFileError(f"{relative}: case {case.name!r} also in {seen[case.name]}")
            seen[case.name] = relative
            cases.append(case)
    return cases


def _walk(reasons: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for reason in reasons:
        yield reason["rule"], reason["status"]
        yield from _walk(reason["children"])


def rule_statuses(reasons: list[dict[str, Any]]) -> dict[str, str]:
    """Each rule's status in the explanation. A rule evaluated in several places (the age limits
    serve foreigners and citizens) has its status where it applies; if those disagree, all of
    them joined by '/', which no expectation matches."""
    found: dict[str, set[str]] = {}
    for rule, status in _walk(reasons):
        found.setdefault(rule, set()).add(status)
    return {
        rule: "/".join(sorted(seen - {"not_applicable"} or seen)) for rule, seen in found.items()
    }


def actual(case: LegalCase, result: Answer) -> dict[str, Any]:
    """The answer's values for the keys the case expects, in the case's terms."""
    statuses = rule_statuses(result.reasons)
    values: dict[str, Any] = {
        "outcome": result.outcome,
        "missing": result.missing,
        "open_questions": sorted(result.open_questions),
        "route": result.route,
        "earliest_date": result.earliest_date,
        "obligations": sorted(o["name"] for o in result.obligations),
        "rules": {rule: statuses.get(rule, "absent") for rule in case.expect.get("rules", {})},
    }
    return {key: values[key] for key in case.expect}


def _normalised(expect: dict[str, Any]) -> dict[str, Any]:
    out = dict(expect)
    for key in ("open_questions", "obligations"):
        if key in out:
            out[key] = sorted(out[key] or [])
    if "missing" in out:
        out["missing"] = list(out["missing"] or [])
    return out


def _tree(reasons: list[dict[str, Any]], depth: int = 1) -> list[str]:
    lines = []
    for reason in reasons:
        lines.append(f"{'  ' * depth}{reason['rule']}: {reason['status']}")
        lines.extend(_tree(reason["children"], depth + 1))
    return lines


def diff(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in expected.items():
        if key == "rules":
            lines += [
                f"  rules.{rule}: expected {status!r}, got {got['rules'][rule]!r}"
                for rule, status in value.items()
                if got["rules"][rule] != status
            ]
        elif got[key] != value:
            lines.append(f"  {key}: expected {value!r}, got {got[key]!r}")
    return lines


def _answer(case: LegalCase) -> Answer:
    """The engine's answer; `earliest_date` needs a whole timeline, so only where it is asked."""
    if "earliest_date" in case.expect:
        return answer(case.question, case.facts, case.on)
    return decide(case.question, case.facts, case.on)


CASES = load_cases()


def _param(case: LegalCase) -> Any:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_legal_case(case: LegalCase) -> None:
    result = _answer(case)
    expected = _normalised(case.expect)
    problems = diff(expected, actual(case, result))
    if problems:
        header = f"{case.file}: {case.name!r} ({case.question} on {case.on})"
        explanation = ["explanation:", *_tree(result.reasons)]
        pytest.fail("\n".join([header, *problems, *explanation]), pytrace=False)


def test_it_has_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} legal cases; at least {MIN_CASES} expected"


def test_it_has_a_case_for_every_rule() -> None:
    named = {rule for case in CASES for rule in case.expect.get("rules", {})}
    files = {case.file for case in CASES}
    uncovered = [
        rule.name
        for rule in default_legislation().rules.values()
        if rule.name not in named and rule.path.removesuffix(".yaml") + CASES_SUFFIX not in files
    ]
    assert not uncovered, f"rules without a legal case: {uncovered}"


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


CAST_TEXT = "cast:\n  someone:\n    story: x\n    facts: {sex: male}\n"
CASE_TEXT = (
    "cases:\n- name: a case\n  question: enlistment\n  on: 2024-03-01\n"
    "  cast: someone\n  expect: {outcome: eligible%s}\n%s"
)


@pytest.mark.parametrize(
    ("expect_extra", "case_extra", "key"),
    [
        ("", "  verdict: yes\n", "verdict"),
        (", rout: null", "", "rout"),
        ("", "  facts: {age: 30}\n", "age"),
    ],
)
def test_it_refuses_unknown_keys_naming_file_and_key(
    tmp_path: Path, expect_extra: str, case_extra: str, key: str
) -> None:
    _write(tmp_path, CAST_FILE, CAST_TEXT)
    _write(tmp_path, "bad" + CASES_SUFFIX, CASE_TEXT % (expect_extra, case_extra))
    with pytest.raises(CaseFileError, match=rf"bad\.cases\.yaml.*'{key}'"):
        load_cases(tmp_path)


def test_it_refuses_an_unknown_key_in_the_cast(tmp_path: Path) -> None:
    _write(tmp_path, CAST_FILE, CAST_TEXT.replace("story", "tale"))
    with pytest.raises(CaseFileError, match=r"cast\.cases\.yaml: someone: unknown key 'tale'"):
        load_cases(tmp_path)


def test_it_marks_a_disagreement_with_the_law_as_a_strict_xfail() -> None:
    case = LegalCase("x.cases.yaml", "a case", "enlistment", date(2024, 3, 1), {}, {}, "why")
    (mark,) = _param(case).marks
    assert (mark.name, mark.kwargs) == ("xfail", {"reason": "why", "strict": True})


def test_it_looks_up_the_open_questions_of_met_rules_as_it_walks_them() -> None:
    """Where the rules are met, the open questions are looked up by which questioned rules were
    reached; on every case they are the ones the walk over the rules finds."""
    legislation = default_legislation()
    met = 0
    for case in CASES:
        compiled = compile_question(legislation, case.question, case.on)
        scope = compiled.evaluate_values(case.facts)
        met += scope.rules[compiled.root.index] is True
        looked_up = open_questions_for(compiled, scope)
        assert looked_up == open_questions_walked(compiled, scope), case.name
    assert met >= 20
