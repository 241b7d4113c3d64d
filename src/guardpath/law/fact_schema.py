"""The JSON schema of what `parse_facts` accepts (guardpath.law.facts), for the API's and the
application form's facts fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from guardpath.law.facts import BOOL_FACTS, COUNTRY_CODES, DATE_FACTS, ENUM_FACTS

# Only the description gets more precise: the fields stay plain strings and objects, so that an
# unknown code or fact gets the validators' own message, and schema-driven tests (the API
# fuzzing) generate real countries, facts and dates instead of empty lists and objects.
Schema = dict[str, Any]
"""A piece of JSON schema."""
COUNTRY: Final[Schema] = {"type": "string", "enum": sorted(COUNTRY_CODES)}
DATE: Final[Schema] = {"type": "string", "format": "date"}


def _choice(values: Iterable[str]) -> Schema:
    return {"type": "string", "enum": list(values)}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


SERVICE_PERIOD: Final[Schema] = {
    "type": "object",
    "properties": {
        "formation": _choice(ENUM_FACTS["formation"]),
        "basis": _choice(ENUM_FACTS["basis"]),
        "start": DATE,
        "end": _nullable(DATE),
    },
    "required": ["formation", "basis", "start"],
    "additionalProperties": False,
}
LISTS: Final[dict[str, Schema]] = {
    "citizenships": {"type": "array", "items": COUNTRY},
    "service_periods": {"type": "array", "items": SERVICE_PERIOD},
}


def fact_schema(name: str) -> Schema:
    """One fact of the contract as `parse_facts` takes it; null (unknown) as well."""
    if name in ENUM_FACTS:
        return _nullable(_choice(ENUM_FACTS[name]))
    if name in DATE_FACTS:
        return _nullable(DATE)
    if name in BOOL_FACTS:
        return _nullable({"type": "boolean"})
    return _nullable(LISTS[name])


def facts_schema(names: Iterable[str]) -> Schema:
    """A facts object of these facts and no other (`json_schema_extra` of a facts field)."""
    return {
        "properties": {name: fact_schema(name) for name in names},
        "additionalProperties": False,
    }
