"""Ukrainian throughout: for every member of the cast, `guardpath check ... --lang uk` and the
Ukrainian self-check answer pages show no English sentence and no internal code (a fact's or
a rule's code, a country code); the English output shows no raw value code either."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from guardpath.cases.model import Role, State
from guardpath.cli import app
from guardpath.law.facts import ENUM_FACTS
from guardpath.law.loader import DEFAULT_ROOT
from web.staff_fixtures import (  # noqa: F401
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CAST_FILE = DEFAULT_ROOT / "cast.cases.yaml"
DATES = ("2014-06-01", "2023-06-01", "2025-06-01", "2026-06-01")
QUESTIONS = ("enlistment", "citizenship")
runner = CliRunner(env={"COLUMNS": "160"})
Csrf = Callable[[str], str]


# -- the detector ------------------------------------------------------------------------------
URL = re.compile(r"https?://\S+")
ALLOWED = (
    re.compile(r"\b\d+-[IVXLC]+\b"),  # an act's number: Закон № 716-VIII
    re.compile(r"\b[0-9a-f]{12,16}\b"),  # the law version, a hash
    re.compile(r"\bguardpath\b"),  # the product's name
)
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.'’-]*")


def latin_in(text: str) -> list[str]:
    """Each run of Latin script left in a Ukrainian text, with a little context: an English
    sentence, a code such as `ngu`, `temporary_residence_permit` or `CO`. Addresses, act
    numbers, the law version and the product's name are not language."""
    cleaned = URL.sub(" ", text)
    for allowed in ALLOWED:
        cleaned = allowed.sub(" ", cleaned)
    return [
        cleaned[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
        for m in LATIN.finditer(cleaned)
    ]


# The codes that are not themselves English words ("visa", "contract" are both).
VALUE_CODES = sorted(
    {code for values in ENUM_FACTS.values() for code in values if "_" in code}
    | set(ENUM_FACTS["formation"])
)
CODE = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, VALUE_CODES)) + r")(?![\w-])")


def codes_in(text: str, countries: list[str]) -> list[str]:
    """Raw value codes in an English text (rule names, `guardpath law NAME`'s handles, are
    dotted and not counted): `ngu`, `temporary_residence_permit`, a citizenship code."""
    found = [m.group(0) for m in CODE.finditer(URL.sub(" ", text))]
    for country in countries:
        found += re.findall(rf"(?<![\w.]){country}(?![\w.])", text)
    return found


def visible_text(page: str) -> str:
    main = page[page.index('<main id="main">') : page.index("</main>")]
    main = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", main)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", main))


# -- the cast ----------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def cast() -> Iterator[tuple[str, dict[str, Any]]]:
    members = yaml.safe_load(CAST_FILE.read_text(encoding="utf-8"))["cast"]
    for name, member in members.items():
        yield name, _plain(member["facts"])
    for path in sorted(EXAMPLES.glob("*.json")):
        yield path.stem, json.loads(path.read_text(encoding="utf-8"))


CAST = dict(cast())


def test_it_has_the_whole_cast_to_check() -> None:
    assert {"american_volunteer", "stateless_applicant", "russian_serviceman"} <= set(CAST)
    assert {"british-serviceman", "american-volunteer", "stateless-applicant"} <= set(CAST)


def check_text(facts: dict[str, Any], question: str, on: str, lang: str) -> str:
    args = ["check", question, "-", "--on", on, "--lang", lang]
    result = runner.invoke(app, args, input=json.dumps(facts))
    assert result.exit_code == 0, result.output
    return result.stdout


# -- the command line --------------------------------------------------------------------------
@pytest.mark.parametrize("member", sorted(CAST))
def test_it_answers_each_member_of_the_cast_in_ukrainian_only(member: str) -> None:
    for question in QUESTIONS:
        for on in DATES:
            text = check_text(CAST[member], question, on, "uk")
            assert latin_in(text) == [], f"{member}, {question} on {on}: {latin_in(text)}"


@pytest.mark.parametrize("member", sorted(CAST))
def test_it_shows_no_raw_value_code_in_english_either(member: str) -> None:
    countries = CAST[member].get("citizenships") or []
    for question in QUESTIONS:
        text = check_text(CAST[member], question, "2025-06-01", "en")
        assert codes_in(text, countries) == [], f"{member}, {question}"


def test_it_shows_the_uk_timeline_without_english() -> None:
    facts = json.dumps(CAST["british-serviceman"])
    args = ["timeline", "-", "--question", "citizenship", "--lang", "uk"]
    result = runner.invoke(app, args, input=facts)
    assert result.exit_code == 0, result.output
    assert latin_in(result.stdout) == []


@pytest.mark.parametrize(
    "name",
    [
        "enlistment.common.age.max_special_period",
        "enlistment.foreigners.rank_group",
        "citizenship.obligations.exams",
        "age_clause_84_2024",
    ],
)
def test_it_shows_the_law_itself_in_ukrainian(name: str) -> None:
    """The law view keeps its handles (names, conditions, files); its words are Ukrainian."""
    result = runner.invoke(app, ["law", name, "--lang", "uk"])
    assert result.exit_code == 0, result.output
    handles = re.compile(r"\b[a-z][a-z0-9]*(?:[./_][a-z0-9]+)+\b|'[a-z_]+'")
    lines = [
        line
        for line in result.stdout.splitlines()
        if not line.startswith(("умова:", "застосовується, коли:", "усі з:", "будь-яке з:"))
    ]
    text = handles.sub(" ", URL.sub(" ", "\n".join(lines)))
    assert latin_in(text) == [], latin_in(text)


def test_it_lists_the_changes_of_the_law_in_ukrainian(client: TestClient) -> None:
    result = runner.invoke(app, ["law", "changes", "--lang", "uk"])
    assert result.exit_code == 0, result.output
    assert "набирає чинності" in result.stdout
    assert latin_in(result.stdout) == [], latin_in(result.stdout)

    page = client.get("/law/changes", params={"lang": "uk"})
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Указ Президента України № 84/2024" in text
    assert latin_in(text) == [], latin_in(text)


def test_it_catches_a_planted_english_sentence_or_code() -> None:
    clean = check_text(CAST["american_volunteer"], "enlistment", "2025-06-01", "uk")
    assert latin_in(clean) == []

    assert latin_in(clean + "\nIs in Ukraine on lawful grounds on the date\n")
    assert latin_in(clean.replace("Національна гвардія України", "ngu"))
    assert latin_in(clean.replace("США", "US"))
    assert latin_in(clean + "\nпосвідка: temporary_residence_permit\n")
    # what is not language passes: an address, an act's number, the law version
    assert latin_in("Закон № 716-VIII https://zakon.rada.gov.ua/laws/show/2232-12") == []
    english = check_text(CAST["american_volunteer"], "enlistment", "2025-06-01", "en")
    assert codes_in(english, ["US"]) == []
    assert codes_in(english + "\nformation: ngu\n", ["US"]) == ["ngu"]
    assert codes_in(english + "\ncitizenship: US\n", ["US"]) == ["US"]


# -- the pages ---------------------------------------------------------------------------------
CHOSEN = (
    "birth_date",
    "sex",
    "stay_basis",
    "stay_valid_until",
    "medical",
    "psychological",
    "physical",
    "special_check",
    "formation",
    "basis",
    "rank_group",
)


def enlistment_form(facts: dict[str, Any], on: str) -> dict[str, Any]:
    data: dict[str, Any] = {"on": on}
    citizenships = facts.get("citizenships")
    if citizenships == []:
        data["stateless"] = "yes"
    elif citizenships:
        data["citizenship"] = [*citizenships, "", "", ""][:3]
    for name in CHOSEN:
        if facts.get(name) is not None:
            data[name] = facts[name]
    for name in ("previously_convicted", "female_post_vacant", "prior_military_service"):
        if facts.get(name) is not None:
            data[name] = "yes" if facts[name] else "no"
    return data


def citizenship_form(facts: dict[str, Any], on: str) -> dict[str, Any]:
    data = {
        key: value
        for key, value in enlistment_form(facts, on).items()
        if key in ("on", "stateless", "citizenship")
    }
    for index, period in enumerate(facts.get("service_periods") or []):
        for part in ("formation", "basis", "start", "end"):
            data[f"period_{index}_{part}"] = period.get(part) or ""
    if facts.get("state_award") is not None:
        data["state_award"] = "yes" if facts["state_award"] else "no"
    return data


def answer_page(
    client: TestClient, csrf: Csrf, path: str, data: dict[str, Any], lang: str = "uk"
) -> str:
    page = client.get(path, params={"lang": lang})
    response = client.post(path, data={"csrf": csrf(page.text), **data})
    assert response.status_code == 200, response.text
    assert 'id="answer"' in response.text
    return visible_text(response.text)


@pytest.mark.parametrize("member", sorted(CAST))
def test_it_shows_each_member_a_ukrainian_self_check_answer(
    client: TestClient, csrf: Csrf, member: str
) -> None:
    facts = CAST[member]
    for on in ("2014-06-01", "2023-06-01", "2026-06-01"):
        text = answer_page(client, csrf, "/check", enlistment_form(facts, on))
        assert latin_in(text) == [], f"{member} on {on}: {latin_in(text)}"
        text = answer_page(client, csrf, "/check/citizenship", citizenship_form(facts, on))
        assert latin_in(text) == [], f"{member}, citizenship on {on}: {latin_in(text)}"


@pytest.mark.parametrize("member", ["colombian_dsst", "british-serviceman", "stateless-applicant"])
def test_it_shows_no_raw_value_code_on_an_english_page(
    client: TestClient, csrf: Csrf, member: str
) -> None:
    facts = CAST[member]
    countries = facts.get("citizenships") or []
    for path, form in (("/check", enlistment_form), ("/check/citizenship", citizenship_form)):
        text = answer_page(client, csrf, path, form(facts, "2025-06-01"), lang="en")
        assert codes_in(text, countries) == [], f"{member} on {path}"
        assert "Colombia" in text or "CO" not in countries  # the country by its name


def test_it_catches_english_planted_in_a_page(client: TestClient, csrf: Csrf) -> None:
    text = answer_page(
        client, csrf, "/check", enlistment_form(CAST["american_volunteer"], "2026-06-01")
    )
    assert latin_in(text) == []
    assert latin_in(text.replace("Збройні Сили України", "Armed Forces of Ukraine"))


# -- the staff console's answer ----------------------------------------------------------------
def law_section(page: str) -> str:
    start = page.index(">", page.index('id="law"')) + 1
    body = page[start : page.index("</section>", start)]
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def test_it_gives_staff_the_laws_answer_in_ukrainian(console: Console, seeded: Seeded) -> None:
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    enlistment = law_section(console.get(f"/staff/cases/{case_id}", params={"lang": "uk"}).text)
    assert "Вступ" in enlistment or "вступ" in enlistment or "служ" in enlistment
    assert latin_in(enlistment) == [], latin_in(enlistment)

    seeded.advance(case_id, State.PROBATION)
    console.as_role(Role.MIGRATION_OFFICER)
    citizenship = law_section(console.get(f"/staff/cases/{case_id}", params={"lang": "uk"}).text)
    assert "громадян" in citizenship
    assert latin_in(citizenship) == [], latin_in(citizenship)
