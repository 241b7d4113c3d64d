"""Watch-lists: read strictly, indexed with the blocking keys, screened."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from guardpath.adapters.tables import audit_log
from guardpath.bootstrap import Context
from guardpath.cases.transitions import NotPermitted
from guardpath.screening.score import Identity
from guardpath.screening.watchlist import WatchEntry, WatchlistError, WatchlistIndex
from guardpath.services.watchlist import load_watchlist, screen_case, screen_name, use_watchlist

from .conftest import RECRUITER, VETTING, Submit

ZHURAVLEV = {
    "id": "os-zhuravlev",
    "schema": "Person",
    "properties": {
        "name": ["Maxim Zhuravlev"],
        "alias": ["Журавлёв Максим Александрович"],
        "birthDate": ["1991-03-04"],
        "nationality": ["ru"],
    },
}
COMPANY = {"id": "os-co", "schema": "Company", "properties": {"name": ["Zhuravlev LLC"]}}


def write_lines(path: Path, *entities: object) -> Path:
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entities]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_it_reads_followthemoney_persons_and_skips_other_schemas(tmp_path: Path) -> None:
    index = load_watchlist(write_lines(tmp_path / "list.jsonl", ZHURAVLEV, COMPANY))

    assert len(index) == 1
    [match] = screen_name(index, "Максим Журавльов", None)
    assert match.entry.id == "os-zhuravlev"


def test_it_reads_a_csv_with_aliases_and_partial_dates(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "name,aliases,birth_date,country\n"
        "Maxim Zhuravlev,Журавлёв Максим;Maksim Jouravlev,1991,ru\n"
        "Ivan Petrenko,,1975-06-01,ua\n",
        encoding="utf-8",
    )
    index = load_watchlist(path)

    matches = screen_name(index, "Maksym Zhuravlov", None)
    assert [m.entry.id for m in matches] == ["row-2"]
    assert screen_name(index, "Ivan Petrenko", None)[0].entry.id == "row-3"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('["a list"]', "line 2: expected an entity object"),
        ('{"id": "x", "schema": "Person", "properties": {}, "colour": 1}', "unknown key 'colour'"),
        ('{"schema": "Person", "properties": {"name": ["A B"]}}', "line 2: id must be"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "A B"}}', "properties.name must"),
        ('{"id": "x", "schema": "Person", "properties": {"alias": ["A"]}}', "at least one name"),
        (
            '{"id": "x", "schema": "Person", "properties": {"name": ["A"], '
            '"birthDate": ["1970-13-01"]}}',
            "line 2: birthDate: '1970-13-01' is not a date",
        ),
        (json.dumps(ZHURAVLEV), "line 2: id 'os-zhuravlev' already on line 1"),
    ],
)
def test_it_refuses_a_bad_entity_naming_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_lines(tmp_path / "list.jsonl", ZHURAVLEV, line)
    with pytest.raises(WatchlistError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_watchlist(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,aliases,birth_date\nA B,,\n", "line 1: missing column 'country'"),
        ("name,aliases,birth_date,country,notes\n", "line 1: unknown column 'notes'"),
        ("name,aliases,birth_date,country\nA B,,1970,ua\n,,1970,ua\n", "line 3: name must"),
        ("name,aliases,birth_date,country\nA B,,04.03.1991,ua\n", "line 2: birth_date: '04"),
        ("name,aliases,birth_date,country\nA B,,1970,ua,extra\n", "line 2: more cells"),
    ],
)
def test_it_refuses_a_bad_csv_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WatchlistError, match=message):
        load_watchlist(path)


def test_it_refuses_a_file_of_another_kind(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError, match=r"expected a \.csv or a \.jsonl"):
        load_watchlist(write_lines(tmp_path / "list.xml", "<list/>"))


@pytest.mark.integration
def test_the_vetting_officer_screens_a_case_and_new_applicants_are_screened(
    tmp_path: Path, ctx: Context, submit: Submit
) -> None:
    index = load_watchlist(write_lines(tmp_path / "list.jsonl", ZHURAVLEV))
    use_watchlist(ctx, index)
    try:
        case = submit("Максим", "Журавльов", "1991-03-04", "FB654321")
    finally:
        use_watchlist(ctx, None)

    assert [m.entry.id for m in screen_case(ctx, VETTING, case.id, index)] == ["os-zhuravlev"]
    with pytest.raises(NotPermitted):
        screen_case(ctx, RECRUITER, case.id, index)
    with ctx.engine.connect() as conn:
        details = {r.action: r.details for r in conn.execute(select(audit_log))}
    assert details["screen_applicant"]["watchlist_matches"] == 1
    assert details["screen_watchlist"] == {"entries": 1, "matches": 1}


GIVEN = [
    "Ivan",
    "Oleksandr",
    "Serhii",
    "Andrii",
    "Dmytro",
    "Maksym",
    "Yurii",
    "Mykhailo",
    "Oleh",
    "Taras",
    "Bohdan",
    "Vasyl",
    "Petro",
    "Mohammad",
    "Ahmed",
    "Ali",
    "Hassan",
    "John",
    "Michael",
    "David",
    "Robert",
    "James",
    "Viktor",
    "Igor",
    "Alexei",
    "Nikolai",
    "Sergei",
    "Vladimir",
    "Dmitri",
    "Yevgeny",
    "Anatoly",
    "Boris",
    "Gennady",
    "Leonid",
    "Pavel",
    "Roman",
    "Ruslan",
    "Artem",
]
STEMS = [
    "Kova",
    "Shev",
    "Petr",
    "Bond",
    "Tkach",
    "Melny",
    "Kravch",
    "Lysen",
    "Honch",
    "Kuzn",
    "Smirn",
    "Sokol",
    "Zhuk",
    "Volk",
]
ENDINGS = ["enko", "chuk", "ov", "ev", "in", "yuk", "ko", "ak", "ets", "sky", "ovich", "ich", "yan"]


def synthetic_list(size: int, seed: int = 1) -> list[WatchEntry]:
    """Common names on purpose: many entries share tokens, the hard case for blocking."""
    rng = random.Random(seed)
    entries = []
    for number in range(size):
        name = f"{rng.choice(GIVEN)} {rng.choice(STEMS)}{rng.choice(ENDINGS)}"
        births: tuple[str, ...] = ()
        if rng.random() > 0.3:
            births = (
                f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            )
        aliases = (" ".join(reversed(name.split())),) if rng.random() < 0.3 else ()
        entries.append(WatchEntry(f"e{number}", Identity((name, *aliases), births)))
    return entries


def test_it_finds_the_listed_man_among_10_000_common_names() -> None:
    # How fast, on 100,000 entries, is bench/screening.py's to say: no timing in tests.
    planted = WatchEntry("planted", Identity(("Maxim Zhuravlev",), ("1991-03-04",)))
    index = WatchlistIndex.build([*synthetic_list(10_000), planted])

    matches = index.screen(Identity(("Максим Журавльов",), ("1991-03-04",)))

    assert [m.entry.id for m in matches] == ["planted"]
