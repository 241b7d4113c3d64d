"""The cast of example people, in one place for every test that needs one of them.

Three shapes, because three doors let people in:
- applications as the public form and the API send them (`application`, `Cast`);
- the facts of a check, as `guardpath check` reads them (`american_volunteer`);
- roster rows of members already serving, as a unit's CSV holds them (`american_private`, ...).

Each call returns a fresh copy: a test may change what it gets without touching the others.
"""

from __future__ import annotations

import csv
import random
from copy import deepcopy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from guardpath.law.facts import Facts, parse_facts
from guardpath.services.applications import ApplicationIn
from guardpath.services.roster import COLUMNS

CONSENTS = {"data_processing": True, "verification": True}

# -- applications ------------------------------------------------------------------------------
APPLICATIONS: dict[str, dict[str, Any]] = {
    # A US veteran of 34 volunteering for the National Guard as a private.
    "american": {
        "person": {
            "given_names": "John",
            "surname": "Miller",
            "birth_date": "1990-05-10",
            "sex": "male",
            "citizenships": ["US"],
            "passport_number": "561234789",
            "email": "john.miller@example.com",
        },
        "facts": {"prior_military_service": True, "state_award": False},
        "formation": "ngu",
        "consents": CONSENTS,
    },
    # A stateless man of 29 under complementary protection, for the Armed Forces as a sergeant.
    "stateless": {
        "person": {
            "given_names": "Ruslan",
            "surname": "Bekov",
            "birth_date": "1995-05-10",
            "sex": "male",
            "citizenships": [],
            "passport_number": "TD 0012345",
        },
        "facts": {"prior_military_service": False},
        "formation": "afu",
        "consents": CONSENTS,
    },
    # A Belarusian volunteer for the National Guard, who will earn a state award.
    "belarusian": {
        "person": {
            "given_names": "Siarhei",
            "surname": "Kavalenka",
            "native_name": "Сяргей Каваленка",
            "birth_date": "1988-05-10",
            "sex": "male",
            "citizenships": ["BY"],
            "passport_number": "MP3456789",
        },
        "facts": {"prior_military_service": False},
        "formation": "ngu",
        "consents": CONSENTS,
    },
    # A Georgian woman of 28 for a National Guard post that servicewomen may fill.
    "georgian": {
        "person": {
            "given_names": "Nino",
            "surname": "Beridze",
            "birth_date": "1996-05-10",
            "sex": "female",
            "citizenships": ["GE"],
            "passport_number": "15AB09876",
        },
        "facts": {"prior_military_service": False},
        "formation": "ngu",
        "consents": CONSENTS,
    },
    # A Russian serviceman who crossed over: his exposure means persecution of his family.
    "russian": {
        "person": {
            "given_names": "Maksym",
            "surname": "Zhuravlov",
            "native_name": "Максим Журавльов",
            "birth_date": "1991-07-23",
            "sex": "male",
            "citizenships": ["RU"],
            "passport_number": "AB1234567",
            "email": "m.zhuravlov@example.org",
            "phone": "+380 67 123 4567",
        },
        "facts": {"prior_military_service": True},
        "formation": "ngu",
        "consents": CONSENTS,
    },
}


def application(who: str, **person: Any) -> dict[str, Any]:
    """A copy of `who`'s application as sent, with `person` fields changed (None drops one)."""
    raw = deepcopy(APPLICATIONS[who])
    raw["person"] |= person
    raw["person"] = {k: v for k, v in raw["person"].items() if v is not None}
    return raw


class Cast:
    """Applications from the cast, validated as the services receive them."""

    def data(self, who: str, **person: Any) -> dict[str, Any]:
        return application(who, **person)

    def application(self, who: str, **person: Any) -> ApplicationIn:
        return ApplicationIn.model_validate(application(who, **person))

    def american(self, **person: Any) -> ApplicationIn:
        return self.application("american", **person)

    def stateless(self, **person: Any) -> ApplicationIn:
        return self.application("stateless", **person)

    def belarusian(self, **person: Any) -> ApplicationIn:
        return self.application("belarusian", **person)

    def georgian(self, **person: Any) -> ApplicationIn:
        return self.application("georgian", **person)

    def russian(self, **person: Any) -> ApplicationIn:
        return self.application("russian", **person)


# -- the facts of a check ----------------------------------------------------------------------
AMERICAN_VOLUNTEER: dict[str, Any] = {
    "birth_date": "1990-05-01",
    "sex": "male",
    "citizenships": ["US"],
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2030-01-01",
    "previously_convicted": False,
    "medical": "fit",
    "psychological": "passed",
    "physical": "passed",
    "special_check": "passed",
    "formation": "ngu",
    "basis": "contract",
    "rank_group": "private",
    "prior_military_service": False,
    "state_award": False,
}


def american_volunteer(**overrides: Any) -> Facts:
    """An American man with complete facts, applying to the NGU under contract."""
    return parse_facts({**AMERICAN_VOLUNTEER, **overrides})


# -- roster rows -------------------------------------------------------------------------------
def american_private(**overrides: Any) -> dict[str, Any]:
    """A serving American private, past probation."""
    row = {
        "given_names": "James Michael",
        "surname": "Smith",
        "native_name": "",
        "birth_date": "1990-05-01",
        "sex": "male",
        "citizenships": "US",
        "passport_number": "A1234567",
        "formation": "ngu",
        "rank_group": "private",
        "contract_start": "2024-03-01",
        "contract_years": "3",
        "service_start": "2024-03-05",
        "service_end": "",
        "state_award": "false",
    }
    return {**row, **overrides}


def belarusian_with_award(**overrides: Any) -> dict[str, Any]:
    """A Belarusian sergeant with a state award, discharged, native name in Cyrillic."""
    return american_private(
        **{
            "given_names": "Aliaksandr",
            "surname": "Kavaliou",
            "native_name": "Аляксандр Кавалёў",
            "citizenships": "BY",
            "passport_number": "MP7654321",
            "formation": "afu",
            "rank_group": "sergeant",
            "contract_start": "2022-04-01",
            "contract_years": "5",
            "service_start": "2022-04-01",
            "service_end": "2025-12-31",
            "state_award": "true",
            **overrides,
        }
    )


def stateless_recruit(**overrides: Any) -> dict[str, Any]:
    """A stateless woman who signed a month ago: still on probation."""
    return american_private(
        **{
            "given_names": "Nino",
            "surname": "Beridze",
            "sex": "female",
            "citizenships": "",
            "passport_number": "TD-000111",
            "contract_start": "2026-06-01",
            "service_start": "2026-06-02",
            "state_award": "",
            **overrides,
        }
    )


def roster_rows() -> list[dict[str, Any]]:
    """The three members of the example roster."""
    return [american_private(), belarusian_with_award(), stateless_recruit()]


ROSTER_DAY = date(2026, 7, 1)
"""The day the generated rosters are written on: service ended before it is over."""
NAMES = ("James", "Oliver", "Giorgi", "Piotr", "Juan Carlos", "Lukas", "Tomas", "Erik", "Nino")
SURNAMES = ("Smith", "Brown", "Beridze", "Kowalski", "Rodríguez", "Müller", "Tamm", "Nielsen")
COUNTRIES = ("US", "GB", "CA", "GE", "PL", "CO", "BR", "FR", "DE", "LT", "US;GB", "", "BY")


def good_rows(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` plausible members: every formation and rank, some discharged, some on probation."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
        start = date(2016, 7, 1) + timedelta(days=rng.randrange(0, 3600))
        start = max(start, date(born.year + 19, 1, 1))
        served_from = start + timedelta(days=rng.randrange(0, 10))
        end = served_from + timedelta(days=rng.randrange(30, 2000))
        rank = rng.choice(("private", "sergeant", "officer"))
        rows.append(
            {
                "given_names": rng.choice(NAMES),
                "surname": rng.choice(SURNAMES),
                "native_name": "",
                "birth_date": born.isoformat(),
                "sex": rng.choice(("male", "male", "female")),
                "citizenships": rng.choice(COUNTRIES),
                "passport_number": f"P{seed:02d}{i:07d}",
                "formation": rng.choice(("ngu", "afu", "dsst")),
                "rank_group": rank,
                "contract_start": start.isoformat(),
                "contract_years": str(rng.choice((3, 5)) if rank == "sergeant" else 3),
                "service_start": served_from.isoformat(),
                "service_end": end.isoformat() if end < ROSTER_DAY and rng.random() < 0.3 else "",
                "state_award": rng.choice(("true", "false", "")),
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
