"""The foreigners' enlistment rules of guardpath, written again in OpenFisca, as a peer to time.

Written the way OpenFisca's documentation recommends: a person entity from `build_entity`, one
`Variable` class per fact and per condition, dated logic as `formula_YYYY_MM_DD`, parameters as a
`ParameterNode` loaded from YAML (openfisca_parameters/), all in a `TaxBenefitSystem`.

Where the peer differs from guardpath, and why:

- OpenFisca has no unknown (three-valued) facts: every variable has a value, a missing input takes
  the variable's default. So the peer cannot say which facts keep a decision open and has no
  "undetermined"; it agrees with guardpath only on people whose facts are all known.
- No explanation tree, citations or open questions: a calculation gives one array per variable.
- Lists are not a value type of a variable, so `citizenships` becomes one boolean,
  `ukrainian_citizen`; the peer decides the foreigners' branch only (`foreigner_may_enlist` is
  false for a Ukrainian citizen, whose bases guardpath reports through another branch).
- The DSST's opening date is unknown in guardpath from 2023-01-12 to 2024-10-29; the peer, which
  has no unknown parameter, reads it as closed before 2024-10-30 and open from then.
- guardpath's officer posts (from 2024-10-30) are two exceptions by formation; both say yes, so
  the peer's dated formula opens officer posts in every formation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DAY
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from guardpath.law.facts import ENUM_FACTS
from peers.openfisca_inputs import (
    ENUM_INPUTS,
    ENUMS,
    Basis,
    Check,
    Formation,
    Medical,
    Person,
    RankGroup,
    Sex,
    birth_date,
    female_post_vacant,
    previously_convicted,
    stay_valid_until,
    ukrainian_citizen,
)

PARAMETERS = Path(__file__).parent / "openfisca_parameters"


# Conditions: one variable per rule of enlistment/foreigners/ (the names guardpath uses).


def _among(values: Any, names: list[str]) -> Any:
    """Whether each enum value is one of `names`. The documented fancy indexing of a parameter
    node by an enum array builds a node per row in Python; a lookup per member stays in NumPy,
    which gives the peer its best figure."""
    table = np.array([member.name in names for member in values.possible_values])
    return table[np.asarray(values)]


class formation_open(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "The formation accepts foreigners and stateless persons"
    reference = "Law 2232-XII, Art. 21-1; Decree 84/2024; Law 4019-IX"

    def formula(person, period, parameters):
        applied = person("formation", period)
        is_open = parameters(period).enlistment.foreigners.open
        return (
            ((applied == Formation.afu) & is_open.afu)
            | ((applied == Formation.ngu) & is_open.ngu)
            | ((applied == Formation.dsst) & is_open.dsst)
        )


class voluntary_contract(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Voluntary contract only: foreigners are never mobilised or conscripted"
    reference = "Law 2232-XII, Art. 21-1"

    def formula(person, period, parameters):
        return person("basis", period) == Basis.contract


class lawful_stay(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Is in Ukraine on lawful grounds on the date"
    reference = "Law 2232-XII, Art. 21-1; Decree 84/2024"

    def formula(person, period, parameters):
        stay = parameters(period).enlistment.foreigners.stay
        ground = person("stay_basis", period)
        until = person("stay_valid_until", period)
        not_ended = until >= np.datetime64(period.start.date)
        lasting = _among(ground, stay.without_end_date)
        return _among(ground, stay.lawful_bases) & (lasting | not_ended)


class not_convicted(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Not previously convicted"
    reference = "Law 2232-XII, Art. 21-1"

    def formula(person, period, parameters):
        return np.logical_not(person("previously_convicted", period))


class age(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Age in whole years on the date"

    def formula(person, period, parameters):
        # As OpenFisca's country template computes it, plus guardpath's reading of 29 February
        # (guardpath.law.dates): in a common year that birthday falls on 28 February.
        birth = person("birth_date", period)
        on = period.start.date
        years = birth.astype("datetime64[Y]").astype(int) + 1970
        months = birth.astype("datetime64[M]").astype(int) % 12 + 1
        days = (birth - birth.astype("datetime64[M]")).astype(int) + 1
        birthday = months * 100 + days
        common_year = not (on.year % 4 == 0 and (on.year % 100 != 0 or on.year % 400 == 0))
        if common_year:
            birthday = np.where(birthday == 229, 228, birthday)
        return on.year - years - (on.month * 100 + on.day < birthday)


class age_within_limits(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Within the age limits for contract service"
    reference = "Law 2232-XII, Art. 22"

    def formula(person, period, parameters):
        limits = parameters(period).enlistment.common.age
        special = parameters(period).special_period.in_force
        years = person("age", period)
        oldest = limits.max_special_period if special else limits.max
        return (years >= limits.min) & (years <= oldest)


class medical_fit(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Fit for service by the military medical commission (VLK)"
    reference = "Law 2232-XII, Art. 21-1"

    def formula(person, period, parameters):
        return person("medical", period) == Medical.fit


class psychological_passed(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Passed professional-psychological selection"
    reference = "Law 2232-XII, Art. 21-1"

    def formula(person, period, parameters):
        return person("psychological", period) == Check.passed


class physical_passed(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Passed the physical-fitness standards"
    reference = "Law 2232-XII, Art. 21-1"

    def formula(person, period, parameters):
        return person("physical", period) == Check.passed


class special_check_passed(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Passed the special check of the Foreigner Recruitment Centre"
    reference = "Law 4019-IX"

    def formula(person, period, parameters):
        # No special check before Law 4019-IX: nothing to pass (guardpath: not applicable).
        return np.ones(person.count, dtype=bool)

    def formula_2024_10_30(person, period, parameters):
        return person("special_check", period) == Check.passed


class rank_group_open(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "The post's rank group is open to foreigners"
    reference = "Law 2232-XII, Art. 21-1; Law 4019-IX"

    def formula(person, period, parameters):
        rank = person("rank_group", period)
        return (rank == RankGroup.private) | (rank == RankGroup.sergeant)

    def formula_2024_10_30(person, period, parameters):
        # Officer posts opened in the AFU, DSST and NGU alike: every rank group is open.
        return np.ones(person.count, dtype=bool)


class women(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "A woman is accepted in the NGU where a post servicewomen may fill is vacant"
    reference = "Decree 84/2024"

    def formula(person, period, parameters):
        asked = (person("sex", period) == Sex.female) & (
            person("formation", period) == Formation.ngu
        )
        return np.logical_not(asked) | person("female_post_vacant", period)


class foreigner_may_enlist(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "A foreigner or stateless person may serve under contract"
    reference = "Law 2232-XII, Art. 21-1; Decree 84/2024"

    def formula(person, period, parameters):
        met = np.logical_not(person("ukrainian_citizen", period))
        for condition in CONDITIONS:
            met = met & person(condition, period)
        return met


RULES: Mapping[str, str] = {
    "formation_open": "enlistment.foreigners.formation_open",
    "voluntary_contract": "enlistment.foreigners.voluntary_contract",
    "lawful_stay": "enlistment.foreigners.lawful_stay",
    "not_convicted": "enlistment.foreigners.not_convicted",
    "age_within_limits": "enlistment.common.age",
    "medical_fit": "enlistment.foreigners.medical",
    "psychological_passed": "enlistment.foreigners.psychological",
    "physical_passed": "enlistment.foreigners.physical",
    "special_check_passed": "enlistment.foreigners.special_check",
    "rank_group_open": "enlistment.foreigners.rank_group",
    "women": "enlistment.foreigners.women",
}
"""Each condition variable of the peer and the guardpath rule it stands for."""
CONDITIONS = tuple(RULES)
ROOT = "foreigner_may_enlist"


def tax_benefit_system() -> TaxBenefitSystem:
    system = TaxBenefitSystem([Person])
    system.add_variables(
        birth_date,
        ukrainian_citizen,
        stay_valid_until,
        previously_convicted,
        female_post_vacant,
        *ENUM_INPUTS.values(),
        formation_open,
        voluntary_contract,
        lawful_stay,
        not_convicted,
        age,
        age_within_limits,
        medical_fit,
        psychological_passed,
        physical_passed,
        special_check_passed,
        rank_group_open,
        women,
        foreigner_may_enlist,
    )
    system.parameters = ParameterNode("", directory_path=str(PARAMETERS))
    return system


# One person: OpenFisca's situation JSON, built from guardpath's facts object.


def situation(raw: Mapping[str, Any], on: date) -> dict[str, Any]:
    """The situation of one person, from guardpath's facts contract (every fact known)."""
    day = on.isoformat()
    inputs: dict[str, Any] = {
        "birth_date": {"ETERNITY": raw["birth_date"]},
        "ukrainian_citizen": {day: "UA" in raw["citizenships"]},
        "stay_valid_until": {day: raw.get("stay_valid_until") or "1970-01-01"},
        "previously_convicted": {day: raw["previously_convicted"]},
        "female_post_vacant": {day: bool(raw.get("female_post_vacant"))},
    }
    for name in ENUMS:
        inputs[name] = {day: raw[name]}
    return {"persons": {"volunteer": inputs}}


def decide_one(system: TaxBenefitSystem, raw: Mapping[str, Any], on: date) -> bool:
    """Build the simulation for one person and calculate: what P1 times for the peer."""
    simulation = SimulationBuilder().build_from_entities(system, situation(raw, on))
    return bool(simulation.calculate(ROOT, on.isoformat())[0])


# A population: NumPy arrays from guardpath's table of people.


def input_arrays(people: pl.DataFrame) -> dict[str, np.ndarray]:
    """Each input variable as a NumPy array. A missing fact becomes the variable's default, as
    OpenFisca would do with an input not given: the peer cannot tell unknown from known."""
    epoch = pl.date(1970, 1, 1)
    arrays = {
        "ukrainian_citizen": people["citizenships"].list.contains("UA").fill_null(False),
        "previously_convicted": people["previously_convicted"].fill_null(False),
        "female_post_vacant": people["female_post_vacant"].fill_null(False),
    }
    out = {name: series.to_numpy() for name, series in arrays.items()}
    for name in ("birth_date", "stay_valid_until"):
        out[name] = people.select(pl.col(name).fill_null(epoch)).to_series().to_numpy()
    for name in ENUMS:
        default = ENUM_INPUTS[name].default_value.index
        out[name] = people[name].to_physical().fill_null(default).cast(pl.Int16).to_numpy()
    return out


def simulate(system: TaxBenefitSystem, arrays: Mapping[str, np.ndarray], on: date) -> Simulation:
    """build_default_simulation for the count, then set_input per variable from NumPy arrays."""
    count = len(arrays["birth_date"])
    simulation = SimulationBuilder().build_default_simulation(system, count)
    day = on.isoformat()
    for name, values in arrays.items():
        simulation.set_input(name, "ETERNITY" if name == "birth_date" else day, values)
    return simulation


def evaluate_file(system: TaxBenefitSystem, source: Path, on: date, out: Path) -> int:
    """Parquet of people in, Parquet with a column per condition and the outcome out: P2's peer."""
    people = pl.read_parquet(source)
    simulation = simulate(system, input_arrays(people), on)
    day = on.isoformat()
    columns = {name: simulation.calculate(name, day) for name in (ROOT, *CONDITIONS)}
    pl.DataFrame({"id": people["id"].to_numpy(), **columns}).write_parquet(out)
    return people.height


def _check_enum_order() -> None:
    for name, enum in ENUMS.items():
        members = tuple(member.name for member in enum)
        if members != ENUM_FACTS[name]:
            raise AssertionError(f"{name}: {members} is not guardpath's order {ENUM_FACTS[name]}")


_check_enum_order()
