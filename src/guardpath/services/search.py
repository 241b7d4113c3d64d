"""Finding cases from the console: the queues of a role, and a search by name or passport.

Names are looked up through the keyed blind index (a normalised name with the birth date), so
a search needs the birth date: no one can list people by name alone. A name typed in Cyrillic
is also tried in Latin letters, as a Ukrainian, Russian or Belarusian passport would spell it,
so "Максим Журавльов" finds the man whose passport says "Maksym Zhuravlov". Passport numbers
ignore spaces, dashes and case, and Cyrillic letters that look like Latin ones.
Results list only cases the searcher's role may open; every search is in the audit chain, with
how it searched and how much it found, never what it searched for.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, select

from guardpath.adapters import audit
from guardpath.adapters.tables import cases, citizenship_applications, persons
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role, State
from guardpath.cases.transitions import NotPermitted
from guardpath.services.casework import QUEUES, Queue, visible_states
from guardpath.services.staff import CASE_ROLES
from guardpath.services.unit_of_work import UnitOfWork

QUEUE_LIMIT = 100


# -- transliteration -----------------------------------------------------------------------
@dataclass(frozen=True)
class Scheme:
    """A Cyrillic-to-Latin table; `initial` holds the spellings at the start of a word,
    `pairs` two-letter combinations spelt as one."""

    name: str
    letters: dict[str, str]
    initial: dict[str, str]
    pairs: dict[str, str]


_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ё": "e",
    "є": "ie", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "", "`": "",
}  # fmt: skip

# Ukrainian: the official passport romanisation, Cabinet of Ministers Resolution 55 (2010).
UKRAINIAN = Scheme(
    "uk",
    _COMMON,
    initial={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
    pairs={"зг": "zgh"},
)
# Russian: ICAO Doc 9303, in Russian passports since 2013.
RUSSIAN = Scheme(
    "ru",
    _COMMON | {"г": "g", "и": "i", "ъ": "ie", "ы": "y", "э": "e", "ё": "e"},
    initial={},
    pairs={},
)
# Russian: the older passport spelling (before 2013), still on many documents.
RUSSIAN_OLD = Scheme(
    "ru-1997",
    _COMMON | {"г": "g", "и": "i", "й": "y", "ю": "yu", "я": "ya", "ё": "e"},
    initial={},
    pairs={},
)
# Belarusian: the national romanisation used in Belarusian passports.
BELARUSIAN = Scheme(
    "be",
    _COMMON | {"и": "i", "ё": "io", "е": "e"},
    initial={"е": "ie", "ё": "io"},
    pairs={},
)
SCHEMES = (UKRAINIAN, RUSSIAN, RUSSIAN_OLD, BELARUSIAN)


APOSTROPHES = frozenset("'’ʼ`")


def has_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(ch, "") for ch in text)


def transliterate(text: str, scheme: Scheme = UKRAINIAN) -> str:
    """Latin letters for a Cyrillic text (lower case); other characters pass through."""
    text = unicodedata.normalize("NFC", text.casefold())
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        word_start = i == 0 or not (text[i - 1].isalpha() or text[i - 1] in APOSTROPHES)
        if pair in scheme.pairs:
            out.append(scheme.pairs[pair])
            i += 2
            continue
        ch = text[i]
        if word_start and ch in scheme.initial:
            out.append(scheme.initial[ch])
        else:
            out.append(scheme.letters.get(ch, ch))
        i += 1
    return "".join(out)


def _short_endings(name: str) -> str:
    # Дмитрий, Юрий: passports often end such names in a single y ("Dmitry", "Yury").
    words = name.split()
    for ending in ("iy", "yi", "ii", "yy"):
        words = [w[: -len(ending)] + "y" if w.endswith(ending) else w for w in words]
    return " ".join(words)


def name_forms(name: str) -> list[str]:
    """The spellings a name is looked up under: as typed, and for Cyrillic, in each scheme."""
    forms = [name.strip()]
    if has_cyrillic(name):
        for scheme in SCHEMES:
            latin = transliterate(name, scheme)
            forms += [latin, _short_endings(latin)]
    return list(dict.fromkeys(f for f in forms if f))


_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")


def passport_forms(number: str) -> list[str]:
    """A passport number as typed, and with Cyrillic look-alike letters in Latin."""
    upper = number.strip().upper()
    return list(dict.fromkeys(f for f in (upper, upper.translate(_LOOKALIKES)) if f))


# -- listing cases ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseRow:
    """A case in a list: nothing that names the person."""

    id: str
    reference: str
    state: State
    formation: str
    citizenships: tuple[str, ...]
    submitted_on: date | None
    updated_at: datetime


def _rows_query() -> Select[Any]:
    return select(
        cases.c.id,
        cases.c.reference,
        cases.c.state,
        cases.c.formation,
        persons.c.citizenships,
        cases.c.submitted_on,
        cases.c.updated_at,
    ).join(persons, persons.c.id == cases.c.person_id)


def _row(r: Any) -> CaseRow:
    codes = tuple(c for c in r.citizenships.split(",") if c)
    return CaseRow(
        r.id, r.reference, State(r.state), r.formation, codes, r.submitted_on, r.updated_at
    )


@dataclass(frozen=True)
class QueueList:
    queue: Queue
    total: int
    rows: list[CaseRow]


def _queue_list(conn: Connection, queue: Queue) -> QueueList:
    where: ColumnElement[bool] = cases.c.state.in_([s.value for s in queue.states])
    query = _rows_query()
    if queue.citizenship:
        table = citizenship_applications
        query = query.join(table, table.c.case_id == cases.c.id)
        where = and_(where, table.c.state.in_([s.value for s in queue.citizenship]))
    total = conn.execute(
        select(func.count()).select_from(query.where(where).subquery())
    ).scalar_one()
    found = conn.execute(query.where(where).order_by(cases.c.updated_at).limit(QUEUE_LIMIT))
    return QueueList(queue, total, [_row(r) for r in found])


def list_queues(ctx: Context, actor: Actor) -> list[QueueList]:
    """The role's queues, longest waiting first. The lists name no one, so reading them
    is not a read of a person's record."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} has no queues of cases")
    with ctx.engine.connect() as conn:
        return [_queue_list(conn, queue) for queue in QUEUES.get(actor.role, ())]


# -- searching -------------------------------------------------------------------------------
Lookup = Callable[[UnitOfWork, str], list[str]]


@dataclass(frozen=True)
class Found:
    rows: list[CaseRow]
    forms_tried: int


def _visible(conn: Connection, role: Role, person_ids: set[str]) -> list[CaseRow]:
    states = [s.value for s in visible_states(role)]
    query = _rows_query().where(cases.c.person_id.in_(person_ids), cases.c.state.in_(states))
    return [_row(r) for r in conn.execute(query.order_by(cases.c.updated_at.desc()))]


def find_by_name(ctx: Context, actor: Actor, name: str, birth_date: date) -> Found:
    """Cases of people with this name (either script, any word order) and birth date."""
    forms = name_forms(name)
    return _search(
        ctx, actor, "name", lambda uow, f: uow.cases.person_ids_by_name(f, birth_date), forms
    )


def find_by_passport(ctx: Context, actor: Actor, number: str) -> Found:
    forms = passport_forms(number)
    return _search(
        ctx, actor, "passport", lambda uow, f: uow.cases.person_ids_by_passport(f), forms
    )


def _search(ctx: Context, actor: Actor, by: str, lookup: Lookup, forms: list[str]) -> Found:
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not search for people")
    with UnitOfWork(ctx) as uow:
        person_ids = {pid for form in forms for pid in lookup(uow, form)}
        rows = _visible(uow.conn, actor.role, person_ids) if person_ids else []
        details = {"by": by, "found": len(rows)}
        uow.audit(
            audit.Entry(ctx.clock(), actor.id, actor.role.value, "search_person", "search", details)
        )
        uow.commit()
    return Found(rows, len(forms))
