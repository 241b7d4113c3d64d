"""Sealing personal data for the tables: the one path from a person to a `persons` row, what
of an answer is kept in clear, and the contexts and blind indexes that bind sealed values to
their rows. The repositories and the bulk roster import both go through here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from guardpath.adapters.crypto import Keyring, normalise_name, normalise_passport
from guardpath.cases.facts import SEALED_FACTS
from guardpath.cases.model import Person

PERSON_FIELDS = (
    "given_names",
    "surname",
    "native_name",
    "birth_date",
    "passport_number",
    "email",
    "phone",
    "address",
)


IDENTITY_FACTS = frozenset({"birth_date"})
SEALED_FACT = "(sealed with the person)"
HISTORY_SEALED = b"\x00guardpath-history-1\x00"
"""Marks a history entry's sealed value holding its reason and its answer's sealed facts as
JSON; entries written before hold the reason's text alone."""


def answer_at_rest(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The law's answer as the history keeps it in clear: every fact a rule used except those
    that identify the person (kept sealed in `persons`; the answer can be rebuilt from there and
    the law version) and the sensitive ones (kept sealed with the entry, see `sealed_facts_of`)."""
    if answer is None:
        return None
    return {**answer, "reasons": [_reason_at_rest(r) for r in answer.get("reasons", [])]}


def _reason_at_rest(reason: dict[str, Any]) -> dict[str, Any]:
    kept = dict(reason)
    hidden = IDENTITY_FACTS | SEALED_FACTS
    if isinstance(reason.get("facts"), dict):
        kept["facts"] = {
            name: SEALED_FACT if name in hidden and value is not None else value
            for name, value in reason["facts"].items()
        }
    kept["children"] = [_reason_at_rest(c) for c in reason.get("children", [])]
    return kept


def sealed_facts_of(answer: dict[str, Any] | None) -> dict[str, Any]:
    """The sensitive facts an answer's rules used, to be sealed with its history entry."""
    found: dict[str, Any] = {}

    def walk(reason: dict[str, Any]) -> None:
        for name, value in (reason.get("facts") or {}).items():
            if name in SEALED_FACTS and value is not None:
                found[name] = value
        for child in reason.get("children", []):
            walk(child)

    for reason in (answer or {}).get("reasons", []):
        walk(reason)
    return found


def _answer_restored(answer: dict[str, Any] | None, facts: dict[str, Any]) -> Any:
    if answer is None or not facts:
        return answer

    def restore(reason: dict[str, Any]) -> dict[str, Any]:
        kept = dict(reason)
        if isinstance(reason.get("facts"), dict):
            kept["facts"] = {
                name: facts.get(name, value) if value == SEALED_FACT else value
                for name, value in reason["facts"].items()
            }
        kept["children"] = [restore(c) for c in reason.get("children", [])]
        return kept

    return {**answer, "reasons": [restore(r) for r in answer.get("reasons", [])]}


def split_facts(facts: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the facts kept in clear on the case, those sealed with the person)."""
    clear = {k: v for k, v in facts.items() if k not in SEALED_FACTS}
    return clear, {k: v for k, v in facts.items() if k in SEALED_FACTS}


def person_context(person_id: str) -> str:
    return f"persons.sealed:{person_id}"


def document_context(document_id: str) -> str:
    return f"documents.sealed:{document_id}"


def draft_context(draft_id: str) -> str:
    return f"drafts.sealed:{draft_id}"


def totp_context(user_id: str) -> str:
    return f"staff_users.totp_sealed:{user_id}"


def reason_context(case_id: str, seq: int) -> str:
    return f"case_history.reason:{case_id}:{seq}"


def passport_index(keyring: Keyring, number: str) -> str:
    return keyring.blind_index("passport", normalise_passport(number))


def name_index(keyring: Keyring, name: str, birth_date: date) -> str:
    return keyring.blind_index("name", f"{normalise_name(name)}|{birth_date.isoformat()}")


def sealed_person(keyring: Keyring, person: Person, facts: dict[str, Any] | None = None) -> bytes:
    """The person's identity and the case's sensitive facts, as one sealed value."""
    identity: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    identity["birth_date"] = person.birth_date.isoformat()
    if facts:
        identity["case_facts"] = facts
    return keyring.seal_json(identity, person_context(person.id))


def person_row(
    keyring: Keyring,
    person: Person,
    at: datetime,
    facts: dict[str, Any] | None = None,
    passport: str | None = None,
) -> dict[str, Any]:
    """The `persons` row of `person` (without its MAC): the identity and the case's sensitive
    `facts` sealed as one value, the blind indexes, and what stays in clear. `passport` is the
    passport's blind index when the caller has it already."""
    full_name = f"{person.given_names} {person.surname}"
    return {
        "id": person.id,
        "sealed": sealed_person(keyring, person, facts),
        "key_id": keyring.active_id,
        "passport_index": passport or passport_index(keyring, person.passport_number),
        "name_index": name_index(keyring, full_name, person.birth_date),
        "citizenships": ",".join(person.citizenships),
        "sex": person.sex,
        "created_at": at,
    }
