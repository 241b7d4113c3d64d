"""The screening matcher beside OpenSanctions' (nomenklatura's logic-v2, the yente default), on
the same labelled pairs: tests/data/screening_eval.csv (by category and part), the English
names typed by sound, tests/data/screening_eval_sound.csv, and the Russian names against their
Belarusian forms, tests/data/screening_eval_belarusian.csv (each by part), and the older
tests/data/name_pairs.csv.

nomenklatura is not a dependency of guardpath (it brings followthemoney, rigour and PyICU,
which builds from source against ICU: Debian's libicu-dev and pkg-config), so it is the
optional extra `versus`, locked in requirements-versus.lock, and this runs from an
environment of its own:

    apt-get install libicu-dev pkg-config
    python3 -m venv .venv-versus
    .venv-versus/bin/pip install --require-hashes -r requirements-versus.lock
    .venv-versus/bin/pip install --no-deps -e .
    .venv-versus/bin/python bench/screening_versus.py

OpenSanctions' score counts a match from 0.70 (yente's default threshold); ours is `decide`'s
match (review and no match are not a match). Both see the same names and birth dates.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from followthemoney import model  # type: ignore[import-not-found]
from nomenklatura.matching import LogicV2  # type: ignore[import-not-found]

from guardpath.screening.score import MATCH, Identity, decide, profile

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
OPENSANCTIONS_THRESHOLD = 0.70


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def entity(key: str, name: str, born: str) -> object:
    person = model.make_entity("Person")
    person.id = key
    person.add("name", name)
    if born:
        person.add("birthDate", born)
    return person


def theirs(row: dict[str, str]) -> bool:
    config = LogicV2.default_config()
    a = entity("a", row["name_a"], row["birth_a"])
    b = entity("b", row["name_b"], row["birth_b"])
    return LogicV2.compare(a, b, config).score >= OPENSANCTIONS_THRESHOLD


def ours(row: dict[str, str]) -> bool:
    def side(name: str, born: str) -> object:
        return profile(Identity((name,), (born,) if born else ()))

    return (
        decide(side(row["name_a"], row["birth_a"]), side(row["name_b"], row["birth_b"])).kind
        == MATCH
    )


def line(label: str, tally: Counter[str]) -> str:
    cells = []
    for who in ("ours", "theirs"):
        tp, fp, fn = tally[f"{who}tp"], tally[f"{who}fp"], tally[f"{who}fn"]
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        cells += [f"{precision:.3f}", f"{recall:.3f}", str(fp)]
    return f"| {label} | {tally['n']} | " + " | ".join(cells) + " |"


def main() -> None:
    print(
        "| rows | pairs | ours P | ours R | ours false"
        " | OpenSanctions P | OpenSanctions R | OpenSanctions false |"
    )
    print("|---|---|---|---|---|---|---|---|")
    tallies: dict[str, Counter[str]] = {}
    # Sets split on their own: not in "all".
    own = read("screening_eval_sound.csv") + read("screening_eval_belarusian.csv")
    for row in read("screening_eval.csv") + own:
        expected = row["expect"] == "match"
        same = row["same"] == "1"
        got = {"ours": ours(row), "theirs": theirs(row)}
        labels = [f"{row['part']} {row['category']}"]
        labels += [] if row in own else [f"{row['part']} all"]
        for label in labels:
            tally = tallies.setdefault(label, Counter())
            tally["n"] += 1
            for who, predicted in got.items():
                tally[f"{who}tp"] += predicted and expected
                tally[f"{who}fp"] += predicted and not same
                tally[f"{who}fn"] += expected and not predicted
    for label in sorted(tallies):
        print(line(label, tallies[label]))
    old = Counter[str]()
    for row in read("name_pairs.csv"):
        same = row["label"] == "1"
        old["n"] += 1
        for who, predicted in (("ours", ours(row)), ("theirs", theirs(row))):
            old[f"{who}tp"] += predicted and same
            old[f"{who}fp"] += predicted and not same
            old[f"{who}fn"] += same and not predicted
    print(line("name_pairs.csv (regression)", old))


if __name__ == "__main__":
    main()
