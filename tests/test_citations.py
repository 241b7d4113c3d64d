"""Every provision of the real legislation is cited, and its open questions stay visible."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from guardpath.law.citations import Citation
from guardpath.law.evaluate import decide
from guardpath.law.loader import default_legislation

LAW = default_legislation()

DOMAIN_OPEN_QUESTIONS = (
    "age_clause_84_2024",
    "special_period_contract_ngu",
    "law_920_in_force",
    "law_2863_in_force",
    "russian_citizens_exceptions",
    "criminal_record_proof",
    "enlistment_language",
)


def cited_provisions() -> Iterator[tuple[str, tuple[Citation, ...]]]:
    for name, rule in LAW.rules.items():
        yield f"rule {name}", rule.citations
        for exception in rule.exceptions:
            yield f"exception {name}/{exception.name}", exception.citations
    for name, obligation in LAW.obligations.items():
        yield f"obligation {name}", obligation.citations
    for name, parameter in LAW.parameters.items():
        for value in parameter.values:
            yield f"parameter {name} from {value.start}", value.citations


PROVISIONS = dict(cited_provisions())


def test_it_finds_every_kind_of_provision_to_check() -> None:
    kinds = {where.split()[0] for where in PROVISIONS}
    assert kinds == {"rule", "exception", "obligation", "parameter"}
    assert "parameter martial_law.in_force from 2022-02-24" in PROVISIONS


@pytest.mark.parametrize("where", sorted(PROVISIONS))
def test_it_cites_act_provision_address_and_verification(where: str) -> None:
    citations = PROVISIONS[where]
    assert citations, f"{where} has no citation"
    for citation in citations:
        for language in ("en", "uk"):
            act = citation.act_title(language)
            assert act.strip(), f"{where}: a citation without an act"
            assert citation.provision.get(language).strip(), f"{where}: {act} without a provision"
        assert citation.href.startswith("https://"), f"{where}: {citation.href} is not https"
        assert isinstance(citation.verified, bool), f"{where}: verified is not a boolean"


def unknown_values() -> list[tuple[str, str | None]]:
    found = [
        (f"parameter {name} from {value.start}", value.open_question)
        for name, parameter in LAW.parameters.items()
        for value in parameter.values
        if value.value is None
    ]
    found += [
        (f"exception {name}/{exception.name}", exception.open_question)
        for name, rule in LAW.rules.items()
        for exception in rule.exceptions
        if exception.then is None
    ]
    return found


def test_it_has_unknown_values_to_check() -> None:
    assert ("parameter citizenship.service_counts.ngu from 2023-01-12", "law_2863_in_force") in (
        unknown_values()
    )


@pytest.mark.parametrize(("where", "question"), unknown_values())
def test_it_names_an_existing_open_question_for_every_unknown_value(
    where: str, question: str | None
) -> None:
    assert question in LAW.open_questions, f"{where} names no listed open question"


@pytest.mark.parametrize("question", DOMAIN_OPEN_QUESTIONS)
def test_it_keeps_every_open_question_of_the_domain_brief_visible(question: str) -> None:
    assert question in LAW.open_questions
    assert LAW.open_questions[question].question.en.strip()
    assert LAW.open_questions[question].question.uk.strip()


def reasons_of(tree: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for reason in tree:
        yield reason
        yield from reasons_of(reason["children"])


def test_it_reports_an_unverified_citation_as_unverified_in_the_explanation(
    volunteer: Any,
) -> None:
    answer = decide("enlistment", volunteer(), date(2024, 3, 1))
    explained = json.loads(json.dumps(answer.as_json()))
    reasons = {r["rule"]: r for r in reasons_of(explained["reasons"])}
    formation_open = reasons["enlistment.foreigners.formation_open"]
    law_2863 = [c for c in formation_open["citations"] if c["act"].startswith("Law 2863-IX")]
    assert law_2863 and law_2863[0]["verified"] is False
    assert formation_open["verified"] is False
    assert reasons["enlistment.foreigners.medical"]["verified"] is True


def test_it_explains_every_rule_with_the_citations_of_the_legislation(volunteer: Any) -> None:
    answer = decide("enlistment", volunteer(), date(2024, 3, 1))
    explained = json.loads(json.dumps(answer.as_json()))
    for reason in reasons_of(explained["reasons"]):
        rule = LAW.rules[reason["rule"]]
        assert reason["citations"] == [c.as_json() for c in rule.citations]
        assert all(c["href"].startswith("https://") for c in reason["citations"])


# -- every text in Ukrainian too -----------------------------------------------------------------
ACT_NUMBER = re.compile(r"\b\d+-[IVXLC]+\b")  # an act's number is written in Latin: № 716-VIII


def ukrainian_texts() -> Iterator[tuple[str, str]]:
    """Each Ukrainian text of the legislation, with where it is."""
    for act in LAW.acts.values():
        yield f"act {act.id}", act.title.uk
        if act.amending is not None:
            yield f"act {act.id} (amending)", act.amending.uk
    for name, rule in LAW.rules.items():
        yield f"rule {name}", rule.label.uk
        if rule.description is not None:
            yield f"rule {name} description", rule.description.uk
        for exception in rule.exceptions:
            yield f"exception {name}/{exception.name}", exception.label.uk
    for name, parameter in LAW.parameters.items():
        yield f"parameter {name}", parameter.label.uk
        yield f"parameter {name} description", parameter.description.uk
    for name, obligation in LAW.obligations.items():
        yield f"obligation {name}", obligation.label.uk
        yield f"obligation {name} description", obligation.description.uk
    for qid, question in LAW.open_questions.items():
        yield f"open question {qid}", question.question.uk
    for where, citations in PROVISIONS.items():
        for citation in citations:
            yield f"{where}: {citation.act.id}", citation.provision.uk


def test_it_has_ukrainian_texts_to_check() -> None:
    wheres = {where.split()[0] for where, _text in ukrainian_texts()}
    assert wheres >= {"act", "rule", "exception", "parameter", "obligation", "open"}


@pytest.mark.parametrize(("where", "text"), list(ukrainian_texts()))
def test_it_says_every_legislation_text_in_ukrainian(where: str, text: str) -> None:
    assert re.search("[А-Яа-яІіЇїЄєҐґ]", text), f"{where}: no Ukrainian in {text!r}"
    latin = re.findall("[A-Za-z]+", ACT_NUMBER.sub(" ", text))
    assert latin == [], f"{where}: Latin script in its Ukrainian text {text!r}"
