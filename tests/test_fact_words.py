"""The facts and their values in words come from the catalogues: every word has its Ukrainian
(context `fact` in facts.po), and the words a person reads are the ones the tables say."""

from __future__ import annotations

from babel.messages.pofile import read_po

from guardpath import fact_words, words
from guardpath.catalogues import LOCALES
from guardpath.fact_words import fact_label, value_words


def catalogue(name: str) -> dict[tuple[str | None, str], str]:
    with (LOCALES / "uk" / "LC_MESSAGES" / name).open("rb") as handle:
        return {(m.context, str(m.id)): str(m.string) for m in read_po(handle) if m.id}


def test_every_fact_word_has_its_ukrainian_and_the_catalogue_no_other() -> None:
    facts = catalogue("facts.po")

    assert {key for key, text in facts.items() if text} == {
        (fact_words.CONTEXT, message) for message in fact_words.WORDS
    }


def test_every_unit_of_the_law_listing_has_its_ukrainian() -> None:
    cli = catalogue("cli.po")

    assert all((words.CLI, unit) in cli for unit in words.UNIT_NAMES.values())
    assert all((words.CLI_UNIT, unit) in cli for unit in words.UNITS.values())


def test_a_fact_and_its_values_read_in_either_language() -> None:
    period = {"formation": "ngu", "basis": "contract", "start": "2023-01-01", "end": None}

    assert fact_label("birth_date", "en") == "date of birth"
    assert fact_label("birth_date", "uk") == "дата народження"
    assert (
        value_words(period, "en")
        == "National Guard of Ukraine, contract, 2023-01-01 – still serving"
    )
    assert value_words(period, "uk") == (
        "Національна гвардія України, контракт, 2023-01-01 – досі служить"
    )
    assert value_words([], "uk", "citizenships") == "немає (особа без громадянства)"
    assert value_words(None, "uk") == "невідомо"
    assert value_words("none", "en", "stay_basis") == "no lawful basis"
    assert value_words("tourist", "uk", "stay_basis") == "tourist"  # not a code: as it is


def test_every_word_of_the_public_forms_has_its_ukrainian() -> None:
    public = {**catalogue("base.po"), **catalogue("public.po")}
    messages = {*words.FORM_FACTS.values()}
    messages |= {text for choices in words.FORM_CHOICES.values() for text in choices.values()}

    assert len(messages) > 40
    assert sorted(m for m in messages if not public.get((None, m))) == []
