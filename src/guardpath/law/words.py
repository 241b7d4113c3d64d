"""The facts and their values in words, in English and Ukrainian: a country by its name, a
formation by its name, a stay basis in words, never an internal code such as `ngu`.

Country names come from pycountry's own data and gettext catalogues (ISO 3166-1, through
guardpath.law.countries), not from a table here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from guardpath.law.countries import country_name as country_name
from guardpath.law.text import Text

FACTS: Final[Mapping[str, Text]] = {
    "birth_date": Text("date of birth", "дата народження"),
    "sex": Text("sex", "стать"),
    "citizenships": Text("citizenship", "громадянство"),
    "stay_basis": Text("basis of stay", "підстава перебування"),
    "stay_valid_until": Text("stay lawful until", "перебування законне до"),
    "previously_convicted": Text("previously convicted", "раніше судимий"),
    "medical": Text("military medical commission", "військово-лікарська комісія"),
    "psychological": Text(
        "professional-psychological selection", "професійно-психологічний відбір"
    ),
    "physical": Text("physical fitness test", "перевірка фізичної підготовленості"),
    "special_check": Text("special check", "спеціальна перевірка"),
    "formation": Text("formation", "військове формування"),
    "basis": Text("basis of service", "підстава служби"),
    "rank_group": Text("rank group", "склад посади"),
    "female_post_vacant": Text(
        "a post open to servicewomen is vacant",
        "є вакантна посада для військовослужбовців-жінок",
    ),
    "prior_military_service": Text("prior military service", "попередня військова служба"),
    "service_periods": Text("periods of service", "періоди служби"),
    "state_award": Text("state award", "державна нагорода"),
}

VALUES: Final[Mapping[str, Text]] = {
    "male": Text("male", "чоловіча"),
    "female": Text("female", "жіноча"),
    "permanent_residence_permit": Text(
        "permanent residence permit", "посвідка на постійне проживання"
    ),
    "temporary_residence_permit": Text(
        "temporary residence permit", "посвідка на тимчасове проживання"
    ),
    "visa": Text("visa", "віза"),
    "visa_free": Text("visa-free stay", "безвізове перебування"),
    "extended_stay": Text("extended stay", "продовжений строк перебування"),
    "military_registration_document": Text(
        "military registration document", "військово-обліковий документ"
    ),
    "refugee": Text("refugee status", "статус біженця"),
    "complementary_protection": Text("complementary protection", "додатковий захист"),
    "none": Text("no lawful basis", "немає законної підстави"),
    "fit": Text("fit", "придатний"),
    "unfit": Text("unfit", "непридатний"),
    "passed": Text("passed", "пройдено"),
    "failed": Text("not passed", "не пройдено"),
    "ngu": Text("National Guard of Ukraine", "Національна гвардія України"),
    "afu": Text("Armed Forces of Ukraine", "Збройні Сили України"),
    "dsst": Text("State Special Transport Service", "Державна спеціальна служба транспорту"),
    "contract": Text("contract", "контракт"),
    "mobilization": Text("mobilisation", "мобілізація"),
    "private": Text("private", "рядовий склад"),
    "sergeant": Text("sergeant or petty officer", "сержантський і старшинський склад"),
    "officer": Text("officer", "офіцерський склад"),
}
"""Every value of an enumerated fact (design.md's contract), each code once."""

YES = Text("yes", "так")
NO = Text("no", "ні")
UNKNOWN = Text("unknown", "невідомо")
STATELESS = Text("none (stateless)", "немає (особа без громадянства)")
STILL_SERVING = Text("still serving", "досі служить")


def fact_label(name: str, language: str) -> str:
    label = FACTS.get(name)
    return label.get(language) if label else name


def value_words(value: Any, language: str, fact: str | None = None) -> str:
    """A fact's or a parameter's value as a person reads it, in the language."""
    if value is None:
        return UNKNOWN.get(language)
    if isinstance(value, bool):
        return (YES if value else NO).get(language)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return _service_period(value, language)
    if isinstance(value, list | tuple):
        if not value and fact == "citizenships":
            return STATELESS.get(language)
        return "; ".join(value_words(item, language, fact) for item in value)
    if isinstance(value, str):
        if fact == "citizenships" or (len(value) == 2 and value.isupper()):
            return country_name(value, language)
        word = VALUES.get(value)
        return word.get(language) if word else value
    return str(value)


def _service_period(period: Mapping[str, Any], language: str) -> str:
    end = period.get("end") or STILL_SERVING.get(language)
    parts = (
        value_words(period.get("formation"), language),
        value_words(period.get("basis"), language),
        f"{period.get('start')} – {end}",
    )
    return ", ".join(parts)
