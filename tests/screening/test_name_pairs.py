"""Precision and recall on the labelled pairs in tests/data/name_pairs.csv.

The threshold was chosen on the tuning rows; every third row (index 2 mod 3) is held out and
reported apart. Run with `-s` to see the figures.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from guardpath.screening.keys import name_keys
from guardpath.screening.score import THRESHOLD, Identity, Profile, compare, profile

PAIRS = Path(__file__).parent.parent / "data" / "name_pairs.csv"


def rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def side(name: str, born: str) -> Profile:
    return profile(Identity((name,), (born,) if born else ()))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn)


def test_the_labelled_set_is_large_and_balanced_enough() -> None:
    labelled = rows()
    assert len(labelled) >= 300
    assert {r["label"] for r in labelled} == {"0", "1"}
    assert all(r["rule"] for r in labelled)
    assert sum(r["label"] == "0" for r in labelled) >= 100


def test_it_reaches_the_precision_and_recall_on_all_rows_and_on_the_held_out_rows() -> None:
    tallies = {"all": Tally(), "tuning": Tally(), "held out": Tally()}
    for number, row in enumerate(rows()):
        score = compare(side(row["name_a"], row["birth_a"]), side(row["name_b"], row["birth_b"]))
        predicted, actual = score.score >= THRESHOLD, row["label"] == "1"
        tallies["all"].add(predicted, actual)
        tallies["held out" if number % 3 == 2 else "tuning"].add(predicted, actual)
    for name, tally in tallies.items():
        print(
            f"\n{name}: precision {tally.precision:.3f}, recall {tally.recall:.3f} at {THRESHOLD}"
        )
    for tally in (tallies["all"], tallies["held out"]):
        assert tally.precision >= 0.95
        assert tally.recall >= 0.90


def test_the_blocking_keys_bring_together_nearly_every_true_pair_with_birth_dates() -> None:
    dated = [r for r in rows() if r["label"] == "1" and r["birth_a"] and r["birth_b"]]
    met = 0
    for row in dated:
        a, b = side(row["name_a"], row["birth_a"]), side(row["name_b"], row["birth_b"])
        keys_a = name_keys(a.names, [row["birth_a"][:4]])
        met += bool(keys_a & name_keys(b.names, [row["birth_b"][:4]]))
    print(f"\nblocking recall, pairs with birth dates: {met / len(dated):.3f} of {len(dated)}")
    assert met / len(dated) >= 0.98
