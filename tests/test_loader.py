"""Strict legislation files: every error names the file and the key; the tree has a version hash."""

from __future__ import annotations

from typing import Any

import pytest

from guardpath.law.loader import LegislationError, load

PATH = "enlistment/foreigners/age/max.yaml"


def citation(**extra: Any) -> dict[str, Any]:
    return {
        "act": "law_1",
        "provision": {"en": "Art. 22", "uk": "ст. 22"},
        "href": "https://example.org/1",
        "verified": True,
        **extra,
    }


def error_of(law_tree: Any) -> LegislationError:
    with pytest.raises(LegislationError) as error:
        law_tree.load()
    return error.value


def small_law(law_tree: Any) -> None:
    law_tree.write(PATH, law_tree.parameter({"2015-01-01": 40}, unit="year"))
    law_tree.write(
        "enlistment/index.yaml",
        law_tree.rule(all=["age"]),
    )
    law_tree.write(
        "enlistment/age.yaml",
        law_tree.rule(condition="age(birth_date) <= param('enlistment.foreigners.age.max')"),
    )


def test_it_loads_a_small_tree_naming_rules_and_parameters_after_their_paths(law_tree: Any) -> None:
    small_law(law_tree)
    legislation = law_tree.load()
    assert set(legislation.rules) == {"enlistment", "enlistment.age"}
    assert set(legislation.parameters) == {"enlistment.foreigners.age.max"}
    assert legislation.rules["enlistment"].children == ("enlistment.age",)
    assert legislation.parameters["enlistment.foreigners.age.max"].values[0].value == 40


def test_it_refuses_an_unknown_top_level_key(law_tree: Any) -> None:
    law_tree.write(PATH, {**law_tree.parameter({"2015-01-01": 40}, unit="year"), "comment": "x"})
    error = error_of(law_tree)
    assert error.path == PATH
    assert str(error) == f"{PATH}: unknown key 'comment' (at comment)"


def test_it_refuses_an_unknown_key_inside_a_rules_citation(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", law_tree.rule(condition="True", citations=[citation(page=3)]))
    error = error_of(law_tree)
    assert error.path == "enlistment.yaml"
    assert "unknown key 'page'" in str(error)
    assert "citations.0.page" in str(error)


def test_it_refuses_an_unknown_key_inside_a_dated_value(law_tree: Any) -> None:
    value = {"value": 40, "citations": [citation()], "comment": "x"}
    law_tree.write(PATH, law_tree.parameter({"2015-01-01": value}, unit="year"))
    error = error_of(law_tree)
    assert str(error).startswith(f"{PATH}: unknown key 'comment'")
    assert "values.2015-01-01.comment" in str(error)


def test_it_refuses_an_unknown_key_inside_a_dated_values_citation(law_tree: Any) -> None:
    value = {"value": 40, "citations": [citation(page=3)]}
    law_tree.write(PATH, law_tree.parameter({"2015-01-01": value}, unit="year"))
    assert "unknown key 'page' (at values.2015-01-01.citations.0.page)" in str(error_of(law_tree))


def test_it_refuses_an_unknown_key_inside_an_exception(law_tree: Any) -> None:
    exception = law_tree.exception("women", when="sex == 'female'", then=False, unless="x")
    law_tree.write("enlistment.yaml", law_tree.rule(condition="True", exceptions=[exception]))
    assert "unknown key 'unless' (at exceptions.0.unless)" in str(error_of(law_tree))


def test_it_refuses_a_file_without_a_kind(law_tree: Any) -> None:
    content = law_tree.rule(condition="True")
    del content["kind"]
    law_tree.write("enlistment.yaml", content)
    error = error_of(law_tree)
    assert error.path == "enlistment.yaml"
    assert "missing or unknown 'kind'" in str(error)


def test_it_refuses_an_unknown_kind(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", {**law_tree.rule(condition="True"), "kind": "statute"})
    assert "missing or unknown 'kind'" in str(error_of(law_tree))


def test_it_refuses_a_kind_that_is_a_list(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", {**law_tree.rule(condition="True"), "kind": ["rule"]})
    assert "missing or unknown 'kind'" in str(error_of(law_tree))


def test_it_refuses_a_file_that_is_not_yaml_text(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", "kind: rule\nlabel: [unclosed\n")
    assert str(error_of(law_tree)).startswith("enlistment.yaml: not valid YAML")


def test_it_refuses_a_missing_required_key(law_tree: Any) -> None:
    content = law_tree.rule(condition="True")
    del content["citations"]
    law_tree.write("enlistment.yaml", content)
    assert str(error_of(law_tree)) == "enlistment.yaml: missing key 'citations' (at citations)"


def test_it_refuses_a_rule_without_citations(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", law_tree.rule(condition="True", citations=[]))
    assert "citations" in str(error_of(law_tree))


def test_it_refuses_a_citation_whose_verified_is_not_a_boolean(law_tree: Any) -> None:
    law_tree.write(
        "enlistment.yaml", law_tree.rule(condition="True", citations=[citation(verified="yes")])
    )
    assert "citations.0.verified" in str(error_of(law_tree))


def test_it_refuses_a_rule_with_two_bodies(law_tree: Any) -> None:
    law_tree.write("enlistment.yaml", law_tree.rule(condition="True", all=["age"]))
    assert "exactly one of condition, all, any" in str(error_of(law_tree))


def test_it_refuses_a_rule_referring_to_a_nonexistent_child(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("enlistment/index.yaml", law_tree.rule(all=["age", "language"]))
    error = error_of(law_tree)
    assert error.path == "enlistment/index.yaml"
    assert "refers to the rule 'enlistment.language', which does not exist" in str(error)


def test_it_refuses_an_absolute_reference_to_a_nonexistent_rule(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("enlistment/index.yaml", law_tree.rule(all=["/common.age"]))
    assert "'common.age', which does not exist" in str(error_of(law_tree))


def test_it_resolves_a_plain_files_children_beside_it(law_tree: Any) -> None:
    law_tree.write("enlistment/foreigners.yaml", law_tree.rule(any=["medical", "/enlistment.age"]))
    law_tree.write("enlistment/medical.yaml", law_tree.rule(condition="medical == 'fit'"))
    law_tree.write("enlistment/age.yaml", law_tree.rule(condition="age(birth_date) >= 18"))
    rule = law_tree.load().rules["enlistment.foreigners"]
    assert rule.children == ("enlistment.medical", "enlistment.age")


def test_it_refuses_rules_that_refer_to_each_other_in_a_cycle(law_tree: Any) -> None:
    law_tree.write("enlistment/index.yaml", law_tree.rule(all=["age"]))
    law_tree.write("enlistment/age.yaml", law_tree.rule(any=["/enlistment"]))
    assert "enlistment" in str(error_of(law_tree))


def test_it_refuses_a_null_parameter_value_without_an_open_question(law_tree: Any) -> None:
    law_tree.write(PATH, law_tree.parameter({"2023-01-12": None}))
    error = error_of(law_tree)
    assert error.path == PATH
    assert "a null (unknown) value must name its open_question" in str(error)
    assert "values.2023-01-12" in str(error)


def test_it_accepts_a_null_parameter_value_with_an_existing_open_question(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("open_questions.yaml", law_tree.open_questions("law_2863_in_force"))
    value = {"value": None, "citations": [citation()], "open_question": "law_2863_in_force"}
    law_tree.write(PATH, law_tree.parameter({"2023-01-12": value}, unit="year"))
    assert law_tree.load().parameters["enlistment.foreigners.age.max"].values[0].value is None


def test_it_refuses_an_open_question_that_no_answer_can_reach(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("enlistment/unread.yaml", law_tree.parameter({"2015-01-01": 3}, unit="year"))
    law_tree.write(
        "open_questions.yaml",
        law_tree.open_questions("orphan", affects=("enlistment.unread",)),
    )
    error = error_of(law_tree)
    assert error.path == "open_questions.yaml"
    assert "orphan is reachable from no rule" in str(error)


def test_it_accepts_an_open_question_reached_through_a_rule(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("open_questions.yaml", law_tree.open_questions("q", affects=("enlistment.age",)))
    assert "q" in law_tree.load().open_questions


def test_every_open_question_of_the_real_legislation_is_reachable() -> None:
    from guardpath.law.loader import DEFAULT_ROOT

    legislation = load(DEFAULT_ROOT)  # the check runs in the loader: loading is the assertion
    assert "law_1941_served_or_serve" in legislation.open_questions


def test_pending_facts_are_data_and_must_be_facts_of_the_contract(law_tree: Any) -> None:
    small_law(law_tree)
    label = {"en": "After an application", "uk": "Після подання заяви"}
    pending = {
        "kind": "pending_facts",
        "label": label,
        "description": {"en": "x", "uk": "х"},
        "facts": ["medical"],
    }
    law_tree.write("pending_facts.yaml", pending)
    assert law_tree.load().pending.facts == frozenset({"medical"})
    law_tree.write("pending_facts.yaml", {**pending, "facts": ["blood_type"]})
    error = error_of(law_tree)
    assert error.path == "pending_facts.yaml"
    assert "'blood_type' is not a fact of the contract" in str(error)


def test_it_refuses_an_open_question_that_is_not_listed(law_tree: Any) -> None:
    law_tree.write("open_questions.yaml", law_tree.open_questions("something_else"))
    value = {"value": None, "citations": [citation()], "open_question": "law_2863_in_force"}
    law_tree.write(PATH, law_tree.parameter({"2023-01-12": value}))
    error = error_of(law_tree)
    assert error.path == PATH
    assert "'law_2863_in_force', not in open_questions.yaml" in str(error)


def test_it_refuses_an_exception_with_an_unknown_consequence_and_no_open_question(
    law_tree: Any,
) -> None:
    exception = law_tree.exception("russian_citizens", when="'RU' in citizenships", then=None)
    law_tree.write("citizenship.yaml", law_tree.rule(condition="True", exceptions=[exception]))
    assert "must name its open_question" in str(error_of(law_tree))


def test_it_refuses_an_open_question_affecting_nothing_that_exists(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write(
        "open_questions.yaml", law_tree.open_questions("q", affects=("enlistment.language",))
    )
    error = error_of(law_tree)
    assert error.path == "open_questions.yaml"
    assert "affects unknown 'enlistment.language'" in str(error)


@pytest.mark.parametrize("name", ["notes.txt", "max.yml", "age.json"])
def test_it_refuses_a_file_that_is_not_yaml(law_tree: Any, name: str) -> None:
    small_law(law_tree)
    law_tree.write(f"enlistment/{name}", "kind: rule\n")
    error = error_of(law_tree)
    assert error.path == f"enlistment/{name}"
    assert "only .yaml files belong here" in str(error)


def test_it_ignores_legal_test_cases_and_readmes(law_tree: Any) -> None:
    small_law(law_tree)
    before = law_tree.load()
    law_tree.write("enlistment/age.cases.yaml", "- this is not: [a legislation file\n")
    law_tree.write("enlistment/README.md", "# Enlistment\n")
    after = law_tree.load()
    assert after.version == before.version
    assert after.files == before.files


def test_it_keeps_the_version_when_nothing_changes(law_tree: Any) -> None:
    small_law(law_tree)
    first = law_tree.load().version
    small_law(law_tree)
    assert law_tree.load().version == first
    assert len(first) == 16


@pytest.mark.parametrize("path", [PATH, "enlistment/index.yaml", "enlistment/age.yaml"])
def test_it_changes_the_version_when_any_file_changes(law_tree: Any, path: str) -> None:
    small_law(law_tree)
    before = law_tree.load().version
    file = law_tree.root / path
    file.write_text(file.read_text(encoding="utf-8") + "# amended\n", encoding="utf-8")
    assert law_tree.load().version != before


def test_it_changes_the_version_when_a_file_is_added_or_renamed(law_tree: Any) -> None:
    small_law(law_tree)
    versions = {law_tree.load().version}
    law_tree.write("enlistment/medical.yaml", law_tree.rule(condition="medical == 'fit'"))
    versions.add(law_tree.load().version)
    (law_tree.root / "enlistment/medical.yaml").rename(law_tree.root / "enlistment/fitness.yaml")
    versions.add(law_tree.load().version)
    assert len(versions) == 3


def test_it_loads_the_real_legislation_with_a_version() -> None:
    legislation = load()
    assert "enlistment" in legislation.rules
    assert "citizenship" in legislation.rules
    assert len(legislation.version) == 16


# -- Ukrainian throughout: every text has its Ukrainian, every act its entry in acts.yaml ------
def test_it_refuses_a_label_without_its_ukrainian_text(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write(
        "enlistment/age.yaml",
        law_tree.rule(condition="True", label=None) | {"label": {"en": "Of age"}},
    )
    error = error_of(law_tree)
    assert error.path == "enlistment/age.yaml"
    assert "has no Ukrainian text" in str(error) and "(at label)" in str(error)


def test_it_refuses_a_description_in_english_only(law_tree: Any) -> None:
    small_law(law_tree)
    parameter = law_tree.parameter({"2015-01-01": 40}, unit="year")
    law_tree.write(PATH, {**parameter, "description": "Oldest age at signing."})
    error = error_of(law_tree)
    assert error.path == PATH
    assert "needs its text in English and Ukrainian" in str(error)
    assert "(at description)" in str(error)


def test_it_refuses_a_citation_whose_provision_has_no_ukrainian(law_tree: Any) -> None:
    small_law(law_tree)
    cited = citation(provision={"en": "Art. 22", "uk": ""})
    law_tree.write("enlistment/age.yaml", law_tree.rule(condition="True", citations=[cited]))
    error = error_of(law_tree)
    assert error.path == "enlistment/age.yaml"
    assert "citations.0.provision.uk" in str(error)


def test_it_refuses_an_open_question_in_english_only(law_tree: Any) -> None:
    small_law(law_tree)
    questions = law_tree.open_questions("q")
    questions["questions"][0]["question"] = {"en": "Is it so?"}
    law_tree.write("open_questions.yaml", questions)
    error = error_of(law_tree)
    assert error.path == "open_questions.yaml"
    assert "has no Ukrainian text" in str(error) and "questions.0.question" in str(error)


def test_it_refuses_a_citation_of_an_act_not_in_the_registry(law_tree: Any) -> None:
    small_law(law_tree)
    cited = citation(act="law_9999_ix")
    law_tree.write("enlistment/age.yaml", law_tree.rule(condition="True", citations=[cited]))
    error = error_of(law_tree)
    assert error.path == "enlistment/age.yaml"
    assert "citations[0].act: the act 'law_9999_ix' is not in acts.yaml" in str(error)


def test_it_refuses_an_act_without_its_ukrainian_title(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write("acts.yaml", {"kind": "acts", "acts": {"law_1": {"title": {"en": "Law 1"}}}})
    error = error_of(law_tree)
    assert error.path == "acts.yaml"
    assert "has no Ukrainian text" in str(error) and "(at acts.law_1.title)" in str(error)


def test_it_names_an_act_by_its_title_in_each_language(law_tree: Any) -> None:
    small_law(law_tree)
    law_tree.write(
        "acts.yaml",
        {
            "kind": "acts",
            "acts": {
                "test_act": {"title": {"en": "Test Act", "uk": "Тестовий акт"}},
                "law_1": {"title": {"en": 'Law 1 "On age"', "uk": "Закон України «Про вік»"}},
                "law_2": {
                    "title": {"en": "Law 2", "uk": "Закон № 2"},
                    "amending": {
                        "en": "as amended by Law 2",
                        "uk": "зі змінами, внесеними Законом № 2",
                    },
                },
            },
        },
    )
    cited = citation(amended_by="law_2")
    law_tree.write("enlistment/age.yaml", law_tree.rule(condition="True", citations=[cited]))
    found = law_tree.load().rules["enlistment.age"].citations[0]
    assert found.title("en") == 'Law 1 "On age", as amended by Law 2, Art. 22'
    assert found.title("uk") == "Закон України «Про вік», зі змінами, внесеними Законом № 2, ст. 22"
    assert found.as_json("uk")["act_id"] == "law_1"
