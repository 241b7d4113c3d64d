"""The rule language: a small, safe subset of Python expressions. Anything else is refused."""

from __future__ import annotations

import ast
from datetime import date

import pytest

from guardpath.law.language import MARTIAL_LAW, Builder, LanguageError, parse
from guardpath.law.loader import LegislationError

PARAMETERS = {
    "enlistment.common.age.max": "int",
    "enlistment.foreigners.stay.lawful_bases": "list",
    MARTIAL_LAW: "bool",
}
VALUES = {
    "enlistment.common.age.max": 40,
    "enlistment.foreigners.stay.lawful_bases": ("visa", "visa_free"),
    MARTIAL_LAW: True,
}


def refused(source: str, parameters: dict[str, str] = PARAMETERS) -> str:
    with pytest.raises(LanguageError) as error:
        parse(source, parameters)
    return str(error.value)


def evaluate(source: str, facts: dict[str, object], on: date = date(2024, 3, 1)) -> object:
    builder = Builder(on, lambda name, _on: VALUES[name], ((date(2022, 2, 24), None),))
    return builder.build(parse(source, PARAMETERS)).value(facts)


@pytest.mark.parametrize(
    "source",
    [
        "18 <= age(birth_date) <= param('enlistment.common.age.max')",
        "'UA' not in citizenships and stay_basis in ['visa', 'visa_free']",
        "stay_basis in param('enlistment.foreigners.stay.lawful_bases')",
        "served('afu', 'contract', 3) or served_in_martial_law('ngu', 'contract', 1)",
        "stay_valid_until >= on",
        "(60 if martial_law() else 40) >= age(birth_date)",
        "not previously_convicted == True",
    ],
)
def test_it_accepts_the_forms_the_legislation_uses(source: str) -> None:
    assert isinstance(parse(source, PARAMETERS), ast.expr)


def test_it_evaluates_a_chained_comparison_as_a_conjunction() -> None:
    source = "18 <= age(birth_date) <= param('enlistment.common.age.max')"
    assert evaluate(source, {"birth_date": date(1984, 3, 1)}) is True
    assert evaluate(source, {"birth_date": date(1983, 3, 1)}) is False
    assert evaluate(source, {}) is None


@pytest.mark.parametrize("name", ["nationality", "age", "today", "True_", "param"])
def test_it_refuses_an_unknown_name(name: str) -> None:
    assert "unknown name" in refused(f"{name} == 'x'")


@pytest.mark.parametrize(
    "source",
    ["len(citizenships) > 1", "eval('1')", "__import__('os')", "sex()", "max(1, 2) > 1"],
)
def test_it_refuses_an_unknown_function(source: str) -> None:
    assert "unknown function" in refused(source)


def test_it_refuses_a_method_call() -> None:
    assert "unknown function" in refused("citizenships.count('UA') > 0")


def test_it_refuses_param_of_a_nonexistent_parameter() -> None:
    message = refused("age(birth_date) <= param('enlistment.common.age.maximum')")
    assert "param('enlistment.common.age.maximum') names no parameter" in message


def test_it_refuses_param_of_a_name_instead_of_a_literal() -> None:
    assert "expected a literal" in refused("param(sex)")


def test_it_refuses_martial_law_without_its_parameter() -> None:
    assert MARTIAL_LAW in refused("martial_law()", parameters={"enlistment.common.age.max"})


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("age(birth_date, on) > 18", "age() takes 1"),
        ("age(birth_date=birth_date) > 18", "age() takes 1"),
        ("served('afu', 'contract') ", "served() takes 3"),
        ("martial_law(on)", "martial_law() takes 0"),
        ("served('navy', 'contract', 3)", "served(): expected a formation among"),
        ("served(['afu', 'ngu'], 'contract', 3)", "served(): expected a formation among"),
        ("served('afu', 'conscription', 3)", "served(): the basis is one of"),
        ("served('afu', 'contract', '3')", "served(): years must be a whole number"),
        ("serving('afu')", "serving() takes 2"),
        ("serving([], 'contract')", "serving(): expected a formation or a list of formations"),
        ("serving(['afu', 'navy'], 'contract')", "serving(): expected a formation or a list"),
        ("served_in_martial_law(['afu'], 'draft', 1)", "the basis is one of"),
    ],
)
def test_it_refuses_a_known_function_called_wrongly(source: str, says: str) -> None:
    assert says in refused(source)


@pytest.mark.parametrize(
    "source",
    [
        "birth_date.year > 2000",
        "(lambda: True)()",
        "citizenships[0] == 'US'",
        "age(birth_date) + 1 > 18",
        "age(birth_date) - 1 > 18",
        "age(birth_date) * 2 > 18",
        "-age(birth_date) < 0",
        "{'US'}",
        "{'a': 1}",
        "[c for c in citizenships]",
        "f'{sex}' == 'male'",
        "(x := 1)",
        "sex is 'male'",
        "sex is not None",
    ],
)
def test_it_refuses_syntax_outside_the_language(source: str) -> None:
    assert refused(source)


def test_it_refuses_what_python_cannot_parse() -> None:
    assert "cannot parse" in refused("age(birth_date >")


def test_it_refuses_in_with_a_literal_on_the_right() -> None:
    assert "'in' takes a list" in refused("'U' in 'UA'")


@pytest.mark.parametrize(
    "source",
    ["stay_basis in citizenships", "'UA' in birth_date", "age(sex) > 18", "age(18) > 18"],
)
def test_it_refuses_at_parse_what_cannot_be_built_or_evaluated(source: str) -> None:
    refused(source)


def test_it_names_the_file_and_key_when_a_legislation_expression_is_refused(law_tree) -> None:
    law_tree.write("enlistment/index.yaml", law_tree.rule(condition="nationality == 'US'"))
    with pytest.raises(LegislationError) as error:
        law_tree.load()
    assert error.value.path == "enlistment/index.yaml"
    assert str(error.value).startswith(
        "enlistment/index.yaml: condition: unknown name 'nationality'"
    )


def test_it_names_the_exception_whose_when_is_refused(law_tree) -> None:
    exception = law_tree.exception("women", when="sex.lower() == 'female'", then=True)
    law_tree.write("enlistment.yaml", law_tree.rule(condition="True", exceptions=[exception]))
    with pytest.raises(LegislationError, match=r"^enlistment\.yaml: exceptions\.women\.when: "):
        law_tree.load()
