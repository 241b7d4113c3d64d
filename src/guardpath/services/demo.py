"""Demo cases: invented volunteers whose cases were really run through the services, 2024 to today.

Every case gets a story drawn from the seed (who, from where, which steps, how long each takes, how
it ends); the stories then run together on a fake clock, in time order, through the same service
functions staff will use, so each history, decision, contract and audit entry is real. The law
decides what it decides: an approval the law refuses becomes a rejection with the law's reason, and
a citizenship application is prepared only once the law as of that day says yes.

Nobody here is real. The same seed and end day give the same people and stories; references, ids
and ciphertexts still come from a secure random source, as in production.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Final

from sqlalchemy import Engine, event, func, select

from guardpath.adapters.database import is_sqlite, make_engine
from guardpath.adapters.tables import cases as cases_table
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, CitizenshipState, Role, State
from guardpath.cases.transitions import LawSaysNo
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn

FIRST_DAY: Final = date(2024, 1, 8)
SPECIAL_CHECK_FROM: Final = date(2024, 10, 30)  # Law 4019-IX; only to keep stories consistent
OPENS: Final = {"afu": FIRST_DAY, "ngu": date(2024, 2, 21), "dsst": date(2024, 11, 4)}
Progress = Callable[[int, int], None]
"""Called as the clock walks with (days simulated, days in all)."""


class DemoError(ValueError):
    """Demo data cannot be written here; the message says why."""


# -- who: countries and plausible names ----------------------------------------------------------
# Entries are "Latin" or "Latin=Native"; a surname "Male/Female" has a feminine form.
@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    calling: str
    men: str
    women: str
    surnames: str
    double_surname: bool = False


COUNTRIES: Final = (
    Country("US", 90, "1", "James Michael Robert David William Joseph Christopher Daniel Matthew "
            "Andrew Joshua Tyler Ryan Kevin", "Sarah Emily Jessica Ashley Megan Rachel",
            "Smith Johnson Williams Brown Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
            "Jackson Thompson Harris Clark Lewis Walker Hall Young"),
    Country("GB", 60, "44", "Oliver Harry George Jack Thomas James William Daniel Callum Liam",
            "Charlotte Emma Sophie Hannah Lucy", "Smith Jones Taylor Brown Williams Wilson Evans "
            "Roberts Walker Wright Hughes Edwards Green"),
    Country("CA", 35, "1", "Liam Noah Ethan Logan Nathan Mathieu Alexandre",
            "Olivia Chloé Émilie Sarah", "Tremblay Gagnon Roy Côté MacDonald Campbell Fraser "
            "Bouchard Wilson"),
    Country("GE", 50, "995", "Giorgi=გიორგი Davit=დავით Levan=ლევან Irakli=ირაკლი "
            "Nikoloz=ნიკოლოზ Zurab=ზურაბ Tornike=თორნიკე Mamuka=მამუკა",
            "Nino=ნინო Tamar=თამარ Mariam=მარიამ Ana=ანა", "Beridze=ბერიძე Kapanadze=კაპანაძე "
            "Gelashvili=გელაშვილი Maisuradze=მაისურაძე Lomidze=ლომიძე Tsiklauri=წიკლაური "
            "Abashidze=აბაშიძე Nozadze=ნოზაძე"),
    Country("PL", 45, "48", "Piotr Krzysztof Tomasz Paweł Michał Marcin Jakub Łukasz Kamil",
            "Anna Katarzyna Magdalena Agnieszka", "Kowalski/Kowalska Nowak "
            "Wiśniewski/Wiśniewska Wójcik Kamiński/Kamińska Lewandowski/Lewandowska "
            "Zieliński/Zielińska Szymański/Szymańska Dąbrowski/Dąbrowska Mazur"),
    Country("CO", 45, "57", "Juan Carlos Andrés Luis Jorge Camilo Santiago Diego Alejandro "
            "Jhon Yeison", "María Paola Andrea Daniela", "Rodríguez Gómez González Martínez "
            "García López Hernández Sánchez Ramírez Pérez Díaz Moreno Muñoz Rojas Vargas", True),
    Country("BR", 30, "55", "João Pedro Lucas Gabriel Rafael Matheus Thiago Bruno Felipe",
            "Ana Juliana Fernanda Camila", "Silva Santos Oliveira Souza Pereira Costa Rodrigues "
            "Almeida Nascimento Lima Carvalho Ferreira"),
    Country("FR", 25, "33", "Thomas Nicolas Julien Maxime Alexandre Antoine Guillaume Romain",
            "Camille Julie Marion Claire", "Martin Bernard Dubois Robert Richard Petit Durand "
            "Leroy Moreau Lefebvre Girard"),
    Country("DE", 25, "49", "Lukas Jonas Maximilian Felix Tobias Jan Florian Sebastian Stefan",
            "Anna Laura Lena Julia", "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker "
            "Schulz Hoffmann Koch Richter"),
    Country("LT", 20, "370", "Tomas Mantas Lukas Paulius Darius Andrius Justinas",
            "Eglė Rūta Ieva", "Kazlauskas/Kazlauskienė Petrauskas/Petrauskienė "
            "Jankauskas/Jankauskienė Stankevičius/Stankevičienė Vasiliauskas/Vasiliauskienė"),
    Country("LV", 15, "371", "Jānis Andris Mārtiņš Edgars Kristaps", "Anna Līga Ilze",
            "Bērziņš/Bērziņa Kalniņš/Kalniņa Ozoliņš/Ozoliņa Liepiņš/Liepiņa Krūmiņš/Krūmiņa"),
    Country("EE", 12, "372", "Martin Rasmus Markus Kristjan Andres", "Maria Kertu Liis",
            "Tamm Saar Sepp Mägi Kask Kukk Rebane"),
    Country("CZ", 12, "420", "Jan Jakub Tomáš Petr Martin Lukáš", "Tereza Lucie",
            "Novák/Nováková Svoboda/Svobodová Novotný/Novotná Dvořák/Dvořáková Černý/Černá "
            "Procházka/Procházková"),
    Country("SE", 10, "46", "Erik Johan Anders Lars Oskar", "Anna Emma Sara",
            "Andersson Johansson Karlsson Nilsson Eriksson Larsson"),
    Country("FI", 8, "358", "Mikko Juha Antti Jussi Ville", "Laura Anna",
            "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen"),
    Country("DK", 8, "45", "Mads Frederik Rasmus Mikkel", "Sofie Ida",
            "Nielsen Jensen Hansen Pedersen Andersen Christensen"),
    Country("NL", 10, "31", "Daan Bram Sem Lars Thijs", "Sanne Lotte",
            "de Jong/de Jong Jansen de Vries/de Vries Bakker Visser Smit"),
    Country("IE", 8, "353", "Seán Conor Ciarán Patrick Cian", "Aoife Siobhán",
            "Murphy Kelly O'Sullivan Walsh O'Brien Byrne"),
    Country("NO", 8, "47", "Ole Lars Magnus Henrik Kristian", "Ingrid Nora",
            "Hansen Johansen Olsen Larsen Andersen Berg"),
    Country("HR", 10, "385", "Ivan Marko Luka Josip Ante", "Ana Marija",
            "Horvat Kovačević Babić Marić Jurić Novak"),
    Country("RO", 8, "40", "Andrei Ion Mihai Alexandru Vasile", "Elena Ioana",
            "Popescu Ionescu Popa Munteanu Stan Dumitru"),
    Country("MD", 8, "373", "Ion Vasile Andrei Sergiu Victor", "Ana Cristina",
            "Rusu Ceban Ciobanu Turcan Lungu Cojocaru"),
    Country("IT", 8, "39", "Marco Luca Giuseppe Alessandro Andrea Matteo", "Giulia Chiara",
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo"),
    Country("ES", 8, "34", "Javier David Daniel Alejandro Pablo Sergio", "Lucía Laura",
            "García Fernández González Rodríguez López Martínez Sánchez", True),
    Country("AR", 8, "54", "Juan Martín Facundo Matías Nicolás", "Sofía Valentina",
            "González Rodríguez Gómez Fernández López Díaz Pérez Romero"),
    Country("MX", 6, "52", "José Luis Miguel Carlos Jesús", "Guadalupe Fernanda",
            "Hernández García Martínez López González Pérez", True),
    Country("AU", 12, "61", "Jack Lachlan Cooper Riley Mitchell", "Chloe Emily",
            "Smith Jones Williams Brown Wilson Taylor"),
    Country("NZ", 6, "64", "Jack James Oliver Mason Nikau", "Olivia Isla",
            "Smith Wilson Williams Brown Taylor Ngata"),
    Country("IL", 8, "972", "Yosef David Daniel Ariel Noam", "Noa Tamar",
            "Cohen Levi Mizrahi Peretz Biton Friedman"),
    Country("JP", 5, "81", "Hiroshi Takumi Kenta Daiki Yuto Shota", "Yui Aoi",
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura"),
    Country("KR", 5, "82", "Min-jun Seo-jun Ji-hoon Hyun-woo", "Ji-woo Seo-yeon",
            "Kim Lee Park Choi Jung Kang"),
    Country("NP", 5, "977", "Bikash Ramesh Suman Prakash", "Sita",
            "Gurung Thapa Rai Tamang Magar"),
    Country("ZA", 5, "27", "Pieter Johan Thabo Sipho Ruan", "Anri Lerato",
            "Botha Nkosi Dlamini Pretorius Venter"),
    Country("AZ", 5, "994", "Elvin Rashad Farid Tural Kamran", "Leyla Aysel",
            "Mammadov/Mammadova Aliyev/Aliyeva Hasanov/Hasanova Huseynov/Huseynova "
            "Guliyev/Guliyeva"),
    Country("BY", 30, "375", "Aliaksandr=Аляксандр Siarhei=Сяргей Andrei=Андрэй "
            "Dzmitry=Дзмітрый Pavel=Павел Uladzimir=Уладзімір Yauhen=Яўген Ihar=Ігар "
            "Vadzim=Вадзім", "Volha=Вольга Hanna=Ганна Tatsiana=Таццяна",
            "Kavaliou/Kavaliova=Кавалёў/Кавалёва Novik=Новік Shauchuk=Шаўчук "
            "Kazlou/Kazlova=Казлоў/Казлова Lukashevich=Лукашэвіч Marozau/Marozava=Марозаў/Марозава "
            "Karpovich=Карповіч Bandarenka=Бандарэнка Yakubovich=Якубовіч Zhuk=Жук"),
    Country("RU", 20, "7", "Aleksandr=Александр Dmitrii=Дмитрий Sergei=Сергей Andrei=Андрей "
            "Aleksei=Алексей Maksim=Максим Ilia=Илья Nikita=Никита Denis=Денис",
            "Anna=Анна Elena=Елена Olga=Ольга", "Ivanov/Ivanova=Иванов/Иванова "
            "Smirnov/Smirnova=Смирнов/Смирнова Kuznetsov/Kuznetsova=Кузнецов/Кузнецова "
            "Popov/Popova=Попов/Попова Volkov/Volkova=Волков/Волкова "
            "Sokolov/Sokolova=Соколов/Соколова Lebedev/Lebedeva=Лебедев/Лебедева "
            "Morozov/Morozova=Морозов/Морозова Novikov/Novikova=Новиков/Новикова"),
    Country("UA", 8, "380", "Oleksandr=Олександр Andrii=Андрій Dmytro=Дмитро Serhii=Сергій "
            "Mykola=Микола Taras=Тарас Yurii=Юрій Bohdan=Богдан Vasyl=Василь Ivan=Іван",
            "Olena=Олена Iryna=Ірина Nataliia=Наталія Oksana=Оксана Kateryna=Катерина",
            "Kovalenko=Коваленко Bondarenko=Бондаренко Tkachenko=Ткаченко Shevchenko=Шевченко "
            "Kravchenko=Кравченко Melnyk=Мельник Boiko=Бойко Kovalchuk=Ковальчук "
            "Oliinyk=Олійник Savchuk=Савчук Moroz=Мороз Kovalskyi/Kovalska=Ковальський/Ковальська"),
)  # fmt: skip
BY_CODE: Final = {country.code: country for country in COUNTRIES}
# A Ukrainian citizen here also holds the citizenship of the country they grew up in.
UA_SECOND: Final = ("US", "CA", "PL", "DE", "GB", "IL")
STATELESS_WEIGHT: Final = 4


def _forms(entry: str, female: bool) -> tuple[str, str | None]:
    latin, _, native = entry.partition("=")

    def pick(text: str) -> str:
        male_form, _, female_form = text.partition("/")
        return female_form if female and female_form else male_form

    return pick(latin), pick(native) if native else None


@dataclass(frozen=True)
class Someone:
    given_names: str
    surname: str
    native_name: str | None
    birth_date: date
    sex: str
    citizenships: tuple[str, ...]
    passport_number: str
    email: str
    phone: str


def invent_person(
    rng: random.Random, applies_on: date, age: int, female: bool | None = None
) -> Someone:
    codes = [c.code for c in COUNTRIES] + ["stateless"]
    weights = [c.weight for c in COUNTRIES] + [STATELESS_WEIGHT]
    code = rng.choices(codes, weights)[0]
    female = rng.random() < 0.09 if female is None else female
    names = BY_CODE["RU" if code == "stateless" else code]
    given, native_given = _forms(rng.choice((names.women if female else names.men).split()), female)
    surname, native_surname = _forms(rng.choice(names.surnames.split()), female)
    if names.double_surname:
        surname += " " + _forms(rng.choice(names.surnames.split()), female)[0]
    citizenships: tuple[str, ...] = () if code == "stateless" else (code,)
    if code == "UA":
        citizenships = tuple(sorted({"UA", rng.choice(UA_SECOND)}))
    born = applies_on - timedelta(days=365 * age + rng.randint(0, 364))
    native = f"{native_given} {native_surname}" if native_given and native_surname else None
    handle = "".join(ch for ch in f"{given}.{surname}".lower() if ch.isascii() and ch != " ")
    return Someone(
        given_names=given,
        surname=surname,
        native_name=native,
        birth_date=born,
        sex="female" if female else "male",
        citizenships=citizenships,
        passport_number=_passport(rng),
        email=f"{handle}{rng.randint(1, 99)}@example.org",
        phone=f"+{names.calling} {rng.randint(100, 999)} {rng.randint(100, 999)} "
        f"{rng.randint(1000, 9999)}",
    )


def _passport(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    return f"{letters}{rng.randint(1_000_000, 9_999_999)}"


# -- what happens: the stories -------------------------------------------------------------------
APPLYING_PATH: Final = (
    State.SUBMITTED,
    State.DOCUMENT_REVIEW,
    State.SPECIAL_CHECK,
    State.MEDICAL,
    State.PSYCHOLOGICAL,
    State.PHYSICAL,
    State.INTERVIEW,
    State.APPROVED,
    State.CONTRACT_SIGNED,
    State.PROBATION,
)
# How long a case waits in each state (days) before its next step, low to high.
WAITS: Final = {
    State.SUBMITTED: (1, 6),
    State.DOCUMENT_REVIEW: (2, 12),
    State.SPECIAL_CHECK: (7, 35),
    State.MEDICAL: (3, 14),
    State.PSYCHOLOGICAL: (1, 7),
    State.PHYSICAL: (1, 7),
    State.INTERVIEW: (2, 10),
    State.APPROVED: (2, 14),
    State.CONTRACT_SIGNED: (1, 10),
}
FAILURES: Final = {
    State.DOCUMENT_REVIEW: (
        "the passport could not be confirmed with the issuing state",
        "the criminal-record certificate was not supplied in time",
        "the documents submitted are not authentic",
    ),
    State.SPECIAL_CHECK: ("the special check found grounds to refuse",),
    State.MEDICAL: ("military medical commission: unfit for service",),
    State.PSYCHOLOGICAL: ("psychological selection: not recommended",),
    State.PHYSICAL: ("physical fitness test not passed",),
    State.INTERVIEW: (
        "interview: motivation not confirmed",
        "interview: did not accept the terms of the contract",
    ),
}
# What the law refuses at approval, found once every check has passed.
LAW_TROUBLES: Final = ("too_old", "stay_expired", "convicted", "no_female_post")
WITHDRAWALS: Final = ("family circumstances", "took up another offer", None)
DISCHARGES: Final = (
    "health: military medical commission found unfit after wounds",
    "by agreement of the parties",
    "at own request during probation",
    "contract terminated for breach of discipline",
)
DISCHARGE_AFTER: Final = (20, 420)  # days of service
AWARDS: Final = (
    "Order For Courage, III class",
    "medal For Military Service to Ukraine",
    "Order of Bohdan Khmelnytskyi, III class",
)
CITIZENSHIP_REFUSALS: Final = ("migration service: the declaration was not submitted in time",)
STAFF: Final = {
    Role.RECRUITER: 5,
    Role.VETTING_OFFICER: 2,
    Role.MEDICAL_OFFICER: 3,
    Role.COMMANDER: 4,
    Role.MIGRATION_OFFICER: 2,
}
APPLICANT: Final = Actor("applicant", Role.APPLICANT)

# Each kind of story, with its weight for the cases after the first round that shows them all.
STORIES: Final = {
    **{f"waiting:{state.value}": 2 for state in APPLYING_PATH},
    **{f"rejected:{state.value}": 3 for state in FAILURES},
    "rejected:law": 6,
    "withdrawn": 6,
    "serving": 20,
    "discharged": 8,
    "citizenship:prepared": 4,
    "citizenship:submitted": 4,
    "citizenship:granted": 20,
    "citizenship:refused": 3,
    "state_award": 6,
}


@dataclass
class Plan:
    """Everything a case will do, drawn from its own random stream before it starts."""

    story: str
    person: Someone
    formation: str
    applies_at: datetime
    waits: dict[State, int]
    staff: dict[Role, Actor]
    prior_service: bool
    rank_group: str = "private"
    years: int = 3
    stay: tuple[str, int] = ("temporary_residence_permit", 720)  # basis, days valid after check
    convicted: bool = False
    female_post_vacant: bool = True
    stop_at: State | None = None
    fail_at: State | None = None
    fail_reason: str | None = None
    withdraw_at: State | None = None
    withdraw_reason: str | None = None
    award_after: int | None = None
    award: str = AWARDS[0]
    discharge_after: int | None = None
    discharge_reason: str = DISCHARGES[0]
    citizenship: str = "granted"  # none | prepared | submitted | granted | refused
    citizenship_waits: tuple[int, int, int] = (10, 15, 90)  # to prepare, submit, decide


def _office_hours(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, clock_time(rng.randint(6, 15), rng.randint(0, 59)), UTC)


def _staff(rng: random.Random) -> dict[Role, Actor]:
    names = {
        Role.RECRUITER: "recruiter",
        Role.VETTING_OFFICER: "vetting",
        Role.MEDICAL_OFFICER: "medical",
        Role.COMMANDER: "commander",
        Role.MIGRATION_OFFICER: "migration",
    }
    return {
        role: Actor(f"{names[role]}-{rng.randint(1, n):02d}", role) for role, n in STAFF.items()
    }


def make_plan(seed: int, index: int, story: str, until: date) -> Plan:
    rng = random.Random(f"guardpath-demo:{seed}:{index}")
    waits = {state: rng.randint(*span) for state, span in WAITS.items()}
    formation = rng.choices(("afu", "ngu", "dsst"), (50, 40, 10))[0]
    applies_on = _applies_on(rng, story, waits, until)
    trouble = rng.choice(LAW_TROUBLES) if story == "rejected:law" else None
    if trouble == "no_female_post":
        formation, applies_on = "ngu", max(applies_on, OPENS["ngu"])
    if applies_on < OPENS[formation]:
        formation = "afu"
    age = rng.choice((19, 20, 22, 24, 25, 27, 28, 30, 31, 33, 35, 36, 38, 41, 44, 47, 52, 56))
    plan = Plan(
        story=story,
        person=invent_person(
            rng,
            applies_on,
            61 if trouble == "too_old" else age,
            trouble == "no_female_post" or None,
        ),
        formation=formation,
        applies_at=datetime.combine(
            applies_on, clock_time(rng.randint(0, 23), rng.randint(0, 59)), UTC
        ),
        waits=waits,
        staff=_staff(rng),
        prior_service=rng.random() < 0.55,
        rank_group="sergeant" if rng.random() < 0.2 else "private",
        citizenship_waits=(rng.randint(3, 40), rng.randint(5, 30), rng.randint(60, 160)),
        award=rng.choice(AWARDS),
        discharge_reason=rng.choice(DISCHARGES),
    )
    plan.years = 3 if plan.rank_group == "private" else rng.randint(3, 5)
    plan.stay = rng.choice(
        (
            ("temporary_residence_permit", rng.randint(365, 1095)),
            ("military_registration_document", rng.randint(365, 1095)),
            ("visa_free", rng.randint(75, 89)),
            ("permanent_residence_permit", 0),
        )
    )
    _shape(plan, rng)
    if trouble == "stay_expired":
        plan.stay = ("visa_free", rng.randint(1, 2))
    plan.convicted = trouble == "convicted"
    plan.female_post_vacant = trouble != "no_female_post"
    return plan


def _applies_on(rng: random.Random, story: str, waits: dict[State, int], until: date) -> date:
    """A day on which the story can unfold by `until`."""
    if story.startswith("waiting:"):
        stop = State(story.split(":")[1])
        steps = APPLYING_PATH[: APPLYING_PATH.index(stop)]
        return until - timedelta(days=sum(waits[s] for s in steps) + rng.randint(1, 20))
    if story in ("citizenship:granted", "citizenship:refused", "state_award"):
        latest = date(2024, 12, 20)
    elif story.startswith("citizenship:"):
        latest = date(2025, 6, 30)
    elif story == "serving":
        latest = until - timedelta(days=100)
    elif story == "discharged":
        latest = until - timedelta(days=120 + DISCHARGE_AFTER[1])
    else:
        latest = until - timedelta(days=120)
    start = SPECIAL_CHECK_FROM if story == "rejected:special_check" else FIRST_DAY
    day = start + timedelta(days=rng.randint(0, max(0, (latest - start).days)))
    return _around_the_special_check(day, waits)


def _around_the_special_check(day: date, waits: dict[State, int]) -> date:
    """Keep a case's checks on one side of 2024-10-30: a case checked before it and approved after
    would have no way back to the special check (the process has no such step)."""
    checked = day + timedelta(days=waits[State.SUBMITTED] + waits[State.DOCUMENT_REVIEW])
    to_interview = sum(
        waits[s] for s in (State.MEDICAL, State.PSYCHOLOGICAL, State.PHYSICAL, State.INTERVIEW)
    )
    if checked < SPECIAL_CHECK_FROM <= checked + timedelta(days=to_interview + 1):
        return day + (SPECIAL_CHECK_FROM - checked)
    return day


def _shape(plan: Plan, rng: random.Random) -> None:
    """The story's own turns: where it stops, fails or ends."""
    kind, _, detail = plan.story.partition(":")
    ukrainian = "UA" in plan.person.citizenships
    plan.citizenship = "none" if ukrainian else rng.choice(("granted",) * 8 + ("refused", "none"))
    if kind == "waiting":
        plan.stop_at = State(detail)
        if plan.stop_at is State.APPROVED and rng.random() < 0.4:
            plan.rank_group = "officer"  # no first-contract term for officers in the law yet
    elif kind == "rejected" and detail != "law":
        plan.fail_at = State(detail)
        plan.fail_reason = rng.choice(FAILURES[plan.fail_at])
    elif kind == "withdrawn":
        plan.withdraw_at = rng.choice(
            [s for s in APPLYING_PATH[:8] if s is not State.SPECIAL_CHECK]
        )
        plan.withdraw_reason = rng.choice(WITHDRAWALS)
    elif kind == "discharged":
        plan.discharge_after = rng.randint(*DISCHARGE_AFTER)
    elif kind == "citizenship":
        plan.citizenship = "none" if ukrainian else detail
    elif kind == "state_award":
        plan.award_after = rng.randint(40, 200)
    if kind in ("serving", "citizenship") and rng.random() < 0.12:
        plan.award_after = rng.randint(60, 400)


def plans(seed: int, n: int, until: date) -> list[Plan]:
    """One round of every story first (so every state shows), then stories by weight."""
    rng = random.Random(f"guardpath-demo:{seed}")
    kinds = list(STORIES)
    chosen = kinds[:n] + rng.choices(kinds, list(STORIES.values()), k=max(0, n - len(kinds)))
    return [make_plan(seed, index, story, until) for index, story in enumerate(chosen)]


# -- running the stories on a fake clock ---------------------------------------------------------
class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


Step = tuple[datetime, Callable[[], Case]]


class Story:
    """One case going through the services as its plan says, one step at a time."""

    def __init__(self, ctx: Context, plan: Plan, stream: str) -> None:
        self.ctx, self.plan = ctx, plan
        self.rng = random.Random(stream)
        self.case: Case | None = None
        self.citizenship_due: datetime | None = None
        self.awarded = False

    def first(self) -> Step:
        return self.plan.applies_at, self._submit

    def act(self, step: Step) -> Step | None:
        self.case = step[1]()
        return self._next()

    # -- the steps ---------------------------------------------------------------------------
    def _submit(self) -> Case:
        person, plan = self.plan.person, self.plan
        application = ApplicationIn.model_validate(
            {
                "person": {
                    "given_names": person.given_names,
                    "surname": person.surname,
                    "native_name": person.native_name,
                    "birth_date": person.birth_date,
                    "sex": person.sex,
                    "citizenships": list(person.citizenships),
                    "passport_number": person.passport_number,
                    "email": person.email,
                    "phone": person.phone,
                },
                "facts": {"prior_military_service": plan.prior_service},
                "formation": plan.formation,
                "consents": {"data_processing": True, "verification": True},
            }
        )
        return services.submit_application(self.ctx, APPLICANT, application).case

    def _staff(self, role: Role) -> Actor:
        return self.plan.staff[role]

    def _day_after(self, days: int) -> datetime:
        now = self.ctx.clock()
        moment = _office_hours(self.rng, now.date() + timedelta(days=max(days, 1)))
        return max(moment, now + timedelta(minutes=5))

    def _next(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None
        state = case.state
        if state in (State.REJECTED, State.WITHDRAWN) or state is plan.stop_at:
            return None
        if state is plan.withdraw_at:
            return self._day_after(self.rng.randint(1, 10)), self._withdraw
        if state in WAITS:
            return self._day_after(plan.waits[state]), self._applying_step(state)
        return self._serving_step()

    def _withdraw(self) -> Case:
        assert self.case is not None
        actor = APPLICANT if self.rng.random() < 0.7 else self._staff(Role.RECRUITER)
        return services.withdraw(self.ctx, actor, self.case.id, self.plan.withdraw_reason)

    def _applying_step(self, state: State) -> Callable[[], Case]:
        assert self.case is not None
        case_id, plan, ctx = self.case.id, self.plan, self.ctx
        if state is plan.fail_at and state is not State.SUBMITTED:
            return lambda: self._fail(state)
        steps: dict[State, Callable[[], Case]] = {
            State.SUBMITTED: lambda: services.start_document_review(
                ctx, self._staff(Role.RECRUITER), case_id
            ),
            State.DOCUMENT_REVIEW: self._document_check,
            State.SPECIAL_CHECK: lambda: services.record_special_check(
                ctx, self._staff(Role.VETTING_OFFICER), case_id, "passed"
            ),
            State.MEDICAL: lambda: services.record_medical_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "fit"
            ),
            State.PSYCHOLOGICAL: lambda: services.record_psychological_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "passed"
            ),
            State.PHYSICAL: lambda: services.record_physical_result(
                ctx, self._staff(Role.RECRUITER), case_id, "passed"
            ),
            State.INTERVIEW: self._approve,
            State.APPROVED: lambda: services.sign_contract(
                ctx, self._staff(Role.COMMANDER), case_id, years=plan.years
            ),
            State.CONTRACT_SIGNED: lambda: services.start_service(
                ctx, self._staff(Role.COMMANDER), case_id
            ),
        }
        return steps[state]

    def _document_check(self, passed: bool = True, reason: str | None = None) -> Case:
        assert self.case is not None
        basis, valid_days = self.plan.stay
        today = self.ctx.clock().date()
        return services.record_document_check(
            self.ctx,
            self._staff(Role.RECRUITER),
            self.case.id,
            passed=passed,
            previously_convicted=self.plan.convicted,
            stay_basis=basis,
            stay_valid_until=None if valid_days == 0 else today + timedelta(days=valid_days),
            reason=reason or "passport, stay and criminal record checked",
        )

    def _fail(self, state: State) -> Case:
        assert self.case is not None
        ctx, case_id, reason = self.ctx, self.case.id, self.plan.fail_reason
        if state is State.DOCUMENT_REVIEW:
            return self._document_check(passed=False, reason=reason)
        results: dict[State, Callable[[], Case]] = {
            State.SPECIAL_CHECK: lambda: services.record_special_check(
                ctx, self._staff(Role.VETTING_OFFICER), case_id, "failed", reason
            ),
            State.MEDICAL: lambda: services.record_medical_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "unfit", reason
            ),
            State.PSYCHOLOGICAL: lambda: services.record_psychological_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "failed", reason
            ),
            State.PHYSICAL: lambda: services.record_physical_result(
                ctx, self._staff(Role.RECRUITER), case_id, "failed", reason
            ),
        }
        if state in results:
            return results[state]()
        return services.reject(ctx, self._staff(Role.COMMANDER), case_id, reason or "refused")

    def _approve(self) -> Case:
        """Approve what the law allows; what it refuses is rejected with the law's reason."""
        assert self.case is not None
        commander, plan = self._staff(Role.COMMANDER), self.plan
        vacant = plan.female_post_vacant if plan.person.sex == "female" else None
        try:
            return services.approve(
                self.ctx,
                commander,
                self.case.id,
                rank_group=plan.rank_group,
                female_post_vacant=vacant,
            )
        except LawSaysNo as refusal:
            return services.reject(self.ctx, commander, self.case.id, str(refusal))

    # -- in service and after --------------------------------------------------------------------
    def _serving_step(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None and case.service_periods
        started = datetime.combine(case.service_periods[0].start, clock_time(9), UTC)
        options: list[Step] = []
        serving = case.state in (State.PROBATION, State.IN_SERVICE)
        if case.state is State.PROBATION and case.contract is not None:
            ends = case.contract.probation_ends_on + timedelta(days=self.rng.randint(0, 7))
            options.append((_office_hours(self.rng, ends), self._complete_probation))
        if serving and plan.award_after is not None and not self.awarded:
            options.append((started + timedelta(days=plan.award_after), self._award))
        if serving and plan.discharge_after is not None:
            options.append((started + timedelta(days=plan.discharge_after), self._discharge))
        citizenship = self._citizenship_step()
        if citizenship is not None:
            options.append(citizenship)
        if not options:
            return None
        when, action = min(options, key=lambda option: option[0])
        return max(when, self.ctx.clock() + timedelta(minutes=5)), action

    def _complete_probation(self) -> Case:
        assert self.case is not None
        return services.complete_probation(self.ctx, self._staff(Role.COMMANDER), self.case.id)

    def _award(self) -> Case:
        assert self.case is not None
        self.awarded, self.citizenship_due = True, None
        commander = self._staff(Role.COMMANDER)
        return services.record_award(self.ctx, commander, self.case.id, self.plan.award)

    def _discharge(self) -> Case:
        assert self.case is not None
        self.citizenship_due = None
        commander = self._staff(Role.COMMANDER)
        return services.discharge(self.ctx, commander, self.case.id, self.plan.discharge_reason)

    def _citizenship_step(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None
        goal = plan.citizenship
        to_prepare, to_submit, to_decide = plan.citizenship_waits
        if goal == "none":
            return None
        if case.citizenship is None:
            due = self._eligible_from()
            return None if due is None else (due + timedelta(days=to_prepare), self._prepare)
        current = case.citizenship.state
        if current is CitizenshipState.PREPARED and goal != "prepared":
            return self._day_after(to_submit), self._decide(CitizenshipState.SUBMITTED)
        if current is CitizenshipState.SUBMITTED and goal in ("granted", "refused"):
            decision = CitizenshipState(goal)
            return self._day_after(to_decide), self._decide(decision)
        return None

    def _eligible_from(self) -> datetime | None:
        """When the law, as it stands, first says yes (asked again after an award or discharge)."""
        if self.citizenship_due is None:
            assert self.case is not None
            today = self.ctx.clock().date()
            answer = services.ask_the_law(self.ctx, "citizenship", self.case, today)
            if answer.earliest_date is None:
                return None
            self.citizenship_due = _office_hours(self.rng, max(answer.earliest_date, today))
        return self.citizenship_due

    def _prepare(self) -> Case:
        assert self.case is not None
        migration = self._staff(Role.MIGRATION_OFFICER)
        try:
            return services.prepare_citizenship_application(self.ctx, migration, self.case.id)
        except LawSaysNo:
            self.plan.citizenship = "none"  # the law moved on; nobody applies
            return self.case

    def _decide(self, to: CitizenshipState) -> Callable[[], Case]:
        assert self.case is not None
        case_id, migration = self.case.id, self._staff(Role.MIGRATION_OFFICER)
        reason = CITIZENSHIP_REFUSALS[0] if to is CitizenshipState.REFUSED else None
        return lambda: services.decide_citizenship_application(
            self.ctx, migration, case_id, to, reason
        )


# -- the command's service -----------------------------------------------------------------------
@dataclass
class DemoReport:
    cases: int
    steps: int
    states: Counter[str] = field(default_factory=Counter)
    citizenship: Counter[str] = field(default_factory=Counter)
    countries: int = 0
    seconds: float = 0.0


def make_demo_data(
    ctx: Context,
    *,
    cases: int = 200,
    seed: int = 0,
    until: date | None = None,
    on_progress: Progress | None = None,
) -> DemoReport:
    """Write `cases` invented cases into an empty database, run through the services."""
    started = time.perf_counter()
    last = until or ctx.clock().date()
    _check(ctx, cases, last)
    clock = Clock(datetime.combine(FIRST_DAY, clock_time(0), UTC))
    with _demo_engine(ctx) as engine:
        demo = Context(ctx.settings, engine, ctx.keyring, ctx.legislation, clock)
        stories = [
            Story(demo, plan, f"guardpath-demo:{seed}:{index}:steps")
            for index, plan in enumerate(plans(seed, cases, last))
        ]
        steps = _run(stories, clock, last, on_progress)
    return _report(stories, steps, time.perf_counter() - started)


def _run(stories: list[Story], clock: Clock, last: date, on_progress: Progress | None) -> int:
    """Every story's steps in time order, the clock set to each step's moment; returns steps."""
    queue: list[tuple[datetime, int, int, Step]] = []
    for index, story in enumerate(stories):
        heapq.heappush(queue, (story.first()[0], index, 0, story.first()))
    end = datetime.combine(last, clock_time(23, 59), UTC)
    total_days, steps = (last - FIRST_DAY).days, 0
    while queue:
        when, index, n, step = heapq.heappop(queue)
        if when > end:
            continue
        clock.now = when
        following = stories[index].act(step)
        steps += 1
        if following is not None:
            heapq.heappush(queue, (following[0], index, n + 1, following))
        if on_progress is not None:
            on_progress((when.date() - FIRST_DAY).days, total_days)
    if on_progress is not None:
        on_progress(total_days, total_days)
    return steps


def _synchronous_normal(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def _demo_engine(ctx: Context) -> Iterator[Engine]:
    """On SQLite, an engine that does not wait for the disk at every commit: invented data can
    lose its last steps in a power cut (WAL keeps the file whole), and it halves the run time."""
    if not is_sqlite(ctx.engine):
        yield ctx.engine
        return
    engine = make_engine(ctx.settings)
    event.listen(engine, "connect", _synchronous_normal)
    try:
        yield engine
    finally:
        engine.dispose()


def _check(ctx: Context, n: int, until: date) -> None:
    if ctx.settings.production:
        raise DemoError("GUARDPATH_ENV is production: demo data is never written there")
    if n < 1:
        raise DemoError("--cases: at least 1")
    if not FIRST_DAY + timedelta(days=180) <= until <= date.today():
        raise DemoError(f"--until: a day from {FIRST_DAY + timedelta(days=180)} to today")
    with ctx.engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(cases_table)).scalar_one()
    if held:
        raise DemoError(f"the database already holds {held:,} cases; demo data needs an empty one")


def _report(stories: list[Story], steps: int, seconds: float) -> DemoReport:
    report = DemoReport(cases=0, steps=steps, seconds=seconds)
    countries: set[str] = set()
    for story in stories:
        case = story.case
        if case is None:
            continue
        report.cases += 1
        report.states[case.state.value] += 1
        if case.citizenship is not None:
            report.citizenship[case.citizenship.state.value] += 1
        countries |= set(case.person.citizenships)
    report.countries = len(countries)
    return report


def story_of(case: Case) -> dict[str, Any]:
    """What a case went through, without its random ids: for comparing two runs."""
    person = case.person
    return {
        "person": [person.given_names, person.surname, person.native_name, str(person.birth_date)],
        "state": case.state.value,
        "facts": case.facts,
        "history": [(h.action, h.to_state.value, h.at.isoformat(), h.reason) for h in case.history],
        "citizenship": case.citizenship.state.value if case.citizenship else None,
    }
