"""Demo cases: who the invented volunteers are (countries, plausible names, passports), and when
the formations open."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

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
