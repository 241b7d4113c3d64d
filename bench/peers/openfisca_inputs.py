"""The OpenFisca peer's person entity, enumerations and input variables (one per fact), in
guardpath's order of enumerated values: see openfisca_enlistment for the rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY, ETERNITY
from openfisca_core.variables import Variable

Person = build_entity(
    key="person",
    plural="persons",
    label="A foreigner or stateless person applying to serve under contract",
    is_person=True,
)


# Enumerations list their members in guardpath's order (guardpath.law.facts.ENUM_FACTS), so a
# Polars Enum column's codes are already OpenFisca's indices (checked at the end of this module).
class Sex(Enum):
    male = "Male"
    female = "Female"


class StayBasis(Enum):
    permanent_residence_permit = "Permanent residence permit"
    temporary_residence_permit = "Temporary residence permit"
    visa = "Visa"
    visa_free = "Visa-free stay"
    extended_stay = "Extended stay"
    military_registration_document = "Military registration document"
    refugee = "Refugee"
    complementary_protection = "Complementary protection"
    none = "No ground of stay"


class Medical(Enum):
    fit = "Fit"
    unfit = "Unfit"


class Check(Enum):
    passed = "Passed"
    failed = "Failed"


class Formation(Enum):
    ngu = "National Guard"
    afu = "Armed Forces"
    dsst = "State Special Transport Service"


class Basis(Enum):
    contract = "Contract"
    mobilization = "Mobilisation"


class RankGroup(Enum):
    private = "Private"
    sergeant = "Sergeant or petty officer"
    officer = "Officer"


# Inputs: one variable per fact. OpenFisca names a variable by its class, in lower case.


class birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    definition_period = ETERNITY
    label = "Date of birth"


class ukrainian_citizen(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Holds Ukrainian citizenship (guardpath: 'UA' in citizenships)"


class stay_valid_until(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    definition_period = DAY
    label = "Last day of the ground of stay"


class previously_convicted(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Was previously convicted"


class female_post_vacant(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "A post that servicewomen may fill is vacant"


class sex(Variable):
    value_type = Enum
    possible_values = Sex
    default_value = Sex.male
    entity = Person
    definition_period = DAY
    label = "Sex"


class stay_basis(Variable):
    value_type = Enum
    possible_values = StayBasis
    default_value = StayBasis.none
    entity = Person
    definition_period = DAY
    label = "Ground of stay in Ukraine"


class medical(Variable):
    value_type = Enum
    possible_values = Medical
    default_value = Medical.unfit
    entity = Person
    definition_period = DAY
    label = "Conclusion of the military medical commission"


class psychological(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.failed
    entity = Person
    definition_period = DAY
    label = "Professional-psychological selection"


class physical(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.failed
    entity = Person
    definition_period = DAY
    label = "Physical-fitness standards"


class special_check(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.failed
    entity = Person
    definition_period = DAY
    label = "Special check of the Foreigner Recruitment Centre"


class formation(Variable):
    value_type = Enum
    possible_values = Formation
    default_value = Formation.ngu
    entity = Person
    definition_period = DAY
    label = "Formation applied to"


class basis(Variable):
    value_type = Enum
    possible_values = Basis
    default_value = Basis.contract
    entity = Person
    definition_period = DAY
    label = "Basis of service"


class rank_group(Variable):
    value_type = Enum
    possible_values = RankGroup
    default_value = RankGroup.private
    entity = Person
    definition_period = DAY
    label = "Rank group of the post"


ENUM_INPUTS: Mapping[str, type[Variable]] = {
    variable.__name__: variable
    for variable in (
        sex, stay_basis, medical, psychological, physical, special_check, formation, basis,
        rank_group,
    )
}  # fmt: skip
ENUMS: Mapping[str, type[Enum]] = {
    name: variable.possible_values for name, variable in ENUM_INPUTS.items()
}
