"""A person's facts: the stable contract (version 1) of design.md.

A key that is missing or null is unknown. Validation names the field and what it accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from guardpath.law.countries import country_codes
from guardpath.law.dates import parse_date

SEX: Final = ("male", "female")
STAY_BASES: Final = (
    "permanent_residence_permit",
    "temporary_residence_permit",
    "visa",
    "visa_free",
    "extended_stay",
    "military_registration_document",
    "refugee",
    "complementary_protection",
    "none",
)
MEDICAL: Final = ("fit", "unfit")
PASSED: Final = ("passed", "failed")
FORMATIONS: Final = ("ngu", "afu", "dsst")
BASES: Final = ("contract", "mobilization")
RANK_GROUPS: Final = ("private", "sergeant", "officer")

ENUM_FACTS: Final[dict[str, tuple[str, ...]]] = {
    "sex": SEX,
    "stay_basis": STAY_BASES,
    "medical": MEDICAL,
    "psychological": PASSED,
    "physical": PASSED,
    "special_check": PASSED,
    "formation": FORMATIONS,
    "basis": BASES,
    "rank_group": RANK_GROUPS,
}
DATE_FACTS: Final = ("birth_date", "stay_valid_until")
BOOL_FACTS: Final = (
    "previously_convicted",
    "female_post_vacant",
    "prior_military_service",
    "state_award",
)
FACT_NAMES: Final = (
    "birth_date",
    "sex",
    "citizenships",
    "stay_basis",
    "stay_valid_until",
    "previously_convicted",
    "medical",
    "psychological",
    "physical",
    "special_check",
    "formation",
    "basis",
    "rank_group",
    "female_post_vacant",
    "prior_military_service",
    "service_periods",
    "state_award",
)
COUNTRY_CODES: Final = country_codes()


class TableError(ValueError):
    """Bad data in a table of people, named by row and field."""

    def __init__(self, row: int | None, field: str, message: str) -> None:
        where = f"row {row}, {field}" if row is not None else field
        super().__init__(f"{where}: {message}")
        self.row = row
        self.field = field
        self.message = message


class FactError(ValueError):
    """A fact that is not of the accepted form; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ServicePeriod:
    formation: str
    basis: str
    start: date
    end: date | None

    def as_json(self) -> dict[str, str | None]:
        return {
            "formation": self.formation,
            "basis": self.basis,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
        }


Facts = dict[str, Any]
"""Validated facts: dates as `date`, lists as tuples, unknown facts absent."""


def _accepted(values: tuple[str, ...]) -> str:
    return "one of " + ", ".join(values)


def _enum(field: str, value: object, accepted: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in accepted:
        raise FactError(field, f"{value!r} is not accepted; expected {_accepted(accepted)}")
    return value


def _date(field: str, value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise FactError(field, f"{value!r} is not a date; expected YYYY-MM-DD")
    try:
        return parse_date(value)
    except ValueError as error:
        raise FactError(field, str(error)) from None


def _bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise FactError(field, f"{value!r} is not accepted; expected true or false")
    return value


def _country(field: str, value: object) -> str:
    if not isinstance(value, str) or value not in COUNTRY_CODES:
        raise FactError(
            field, f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. US, UA, GB)"
        )
    return value


def _citizenships(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise FactError("citizenships", "expected a list of ISO 3166-1 alpha-2 codes ([] if none)")
    try:
        if COUNTRY_CODES.issuperset(value):  # the common case: every code known
            return tuple(sorted(set(value)))
    except TypeError:  # an unhashable item, reported below
        pass
    codes = [_country(f"citizenships[{i}]", code) for i, code in enumerate(value)]
    return tuple(sorted(set(codes)))


def _period(index: int, value: object) -> ServicePeriod:
    field = f"service_periods[{index}]"
    if isinstance(value, ServicePeriod):
        return value
    if not isinstance(value, dict):
        raise FactError(field, "expected an object {formation, basis, start, end}")
    unknown = sorted(set(value) - {"formation", "basis", "start", "end"})
    if unknown:
        raise FactError(
            f"{field}.{unknown[0]}", "unknown key; expected formation, basis, start, end"
        )
    for key in ("formation", "basis", "start"):
        if value.get(key) is None:
            raise FactError(f"{field}.{key}", "is required")
    start = _date(f"{field}.start", value["start"])
    end = None if value.get("end") is None else _date(f"{field}.end", value["end"])
    if end is not None and end < start:
        raise FactError(f"{field}.end", f"{end} is before the start {start}")
    return ServicePeriod(
        formation=_enum(f"{field}.formation", value["formation"], FORMATIONS),
        basis=_enum(f"{field}.basis", value["basis"], BASES),
        start=start,
        end=end,
    )


def _periods(value: object) -> tuple[ServicePeriod, ...]:
    if not isinstance(value, list | tuple):
        raise FactError("service_periods", "expected a list of {formation, basis, start, end}")
    if not value:
        return ()
    return tuple(sorted((_period(i, p) for i, p in enumerate(value)), key=lambda p: p.start))


def parse_facts(raw: object) -> Facts:
    """Validate a facts object; unknown facts (missing or null) are left out.

    Objects with the same keys in the same order (a form, an API client, a table's rows) share
    a parser generated for those keys, each fact's common case inline; anything else, and every
    error, takes the general path below, so the messages are the same."""
    if type(raw) is dict:
        keys = tuple(raw)
        parser = _GENERATED.get(keys)
        if parser is not None:
            return parser(raw)
        if len(_GENERATED) < MAX_GENERATED and raw.keys() <= FACT_SET:
            parser = _GENERATED[keys] = _generate(keys)
            return parser(raw)
    return _parse_general(raw)


def _parse_general(raw: object) -> Facts:
    if not isinstance(raw, dict):
        raise FactError("facts", "expected a JSON object of facts")
    if not raw.keys() <= FACT_SET:
        unknown = sorted(raw.keys() - FACT_SET)
        raise FactError(unknown[0], "unknown fact; accepted facts are " + ", ".join(FACT_NAMES))
    return {name: PARSERS[name](value) for name, value in raw.items() if value is not None}


MAX_GENERATED: Final = 64
_GENERATED: dict[tuple[str, ...], Callable[[dict[str, Any]], Facts]] = {}


def _inline(name: str) -> list[str]:
    """The lines parsing fact `name` from `v` into `out`: the common case inline, the rest by
    the fact's own parser (which accepts or reports exactly as parse_facts always has)."""
    slow = f"out[{name!r}] = P[{name!r}](v)"
    if name in ENUM_FACTS:  # only a str can be in the set; an unhashable v raises TypeError
        return [
            f"if v in A_{name}:",
            f"    out[{name!r}] = v",
            "else:",
            f"    {slow}",
        ]
    if name in BOOL_FACTS:
        return [f"out[{name!r}] = v if v is True or v is False else P[{name!r}](v)"]
    if name in DATE_FACTS:
        return [
            'if type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-":',
            "    try:",
            f"        out[{name!r}] = fromisoformat(v)",
            "    except ValueError:",
            f"        {slow}",
            "else:",
            f"    {slow}",
        ]
    if name == "citizenships":  # every code known, as _citizenships's common case
        return [
            "if type(v) is list and COUNTRY_CODES.issuperset(v):",
            f"    out[{name!r}] = tuple(sorted(set(v)))",
            "else:",
            f"    {slow}",
        ]
    if name == "service_periods":
        return [f"out[{name!r}] = () if type(v) is list and not v else P[{name!r}](v)"]
    return [slow]


def _generate(keys: tuple[str, ...]) -> Callable[[dict[str, Any]], Facts]:
    """A parser for objects with these keys; a TypeError on its common paths (an unhashable
    value) sends the object to the general path, which reports it."""
    lines = ["def parse(raw):", "    out = {}", "    try:"]
    for name in keys:
        lines += [f"        v = raw[{name!r}]", "        if v is not None:"]
        lines += [f"            {line}" for line in _inline(name)]
    if not keys:
        lines.append("        pass")
    lines += ["    except TypeError:", "        return general(raw)", "    return out"]
    namespace: dict[str, Any] = {
        "P": PARSERS,
        "fromisoformat": date.fromisoformat,
        "general": _parse_general,
        "COUNTRY_CODES": COUNTRY_CODES,
    }
    namespace.update({f"A_{name}": frozenset(values) for name, values in ENUM_FACTS.items()})
    exec(compile("\n".join(lines) + "\n", f"<facts parser {len(keys)}>", "exec"), namespace)
    parser: Callable[[dict[str, Any]], Facts] = namespace["parse"]
    return parser


def parse_fact(name: str, value: object) -> object:
    if name not in PARSERS:
        raise FactError(name, "unknown fact")
    return PARSERS[name](value)


def _enum_parser(name: str) -> Callable[[object], object]:
    accepted = ENUM_FACTS[name]
    allowed = frozenset(accepted)

    def parse(value: object) -> object:
        if isinstance(value, str) and value in allowed:
            return value
        return _enum(name, value, accepted)

    return parse


def _date_parser(name: str) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:  # the common case, without building a message; _date reports the rest
                return date.fromisoformat(value)
            except ValueError:
                pass
        return _date(name, value)

    return parse


def _bool_parser(name: str) -> Callable[[object], object]:
    def parse(value: object) -> object:
        return value if value is True or value is False else _bool(name, value)

    return parse


PARSERS: Final[dict[str, Callable[[object], object]]] = {
    **{name: _enum_parser(name) for name in ENUM_FACTS},
    **{name: _date_parser(name) for name in DATE_FACTS},
    **{name: _bool_parser(name) for name in BOOL_FACTS},
    "citizenships": _citizenships,
    "service_periods": _periods,
}
FACT_SET: Final = frozenset(FACT_NAMES)


def facts_as_json(facts: Facts) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in FACT_NAMES:
        if name not in facts:
            continue
        out[name] = fact_as_json(facts[name])
    return out


def fact_as_json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [fact_as_json(item) for item in value]
    if isinstance(value, ServicePeriod):
        return value.as_json()
    return value


def check_born_by(facts: Facts, on: date) -> None:
    """A question is asked about a person already born on its date: a birth date after it is a
    slip (2090 for 1990), and an answer about someone not yet born would mislead."""
    born = facts.get("birth_date")
    if isinstance(born, date) and born > on:
        raise FactError(
            "birth_date", f"{born} is after the date asked, {on}; expected a birth date by then"
        )
