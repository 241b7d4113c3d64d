"""The three decisions on the generated evaluation set, tests/data/screening_eval.csv.

The set is made by bench/screening_pairs.py from Faker's name lists and published
transliteration schemes applied by libraries, with traps by construction, and split once by
seed into a tuning part and a held-out part. Run with `-s` to see the figures per part and
category; docs/screening.md quotes them. The fresh traps (another seed, one part) judge the
rules on pairs never tuned on.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from guardpath.screening.keys import name_keys
from guardpath.screening.score import MATCH, REVIEW, Identity, Profile, decide, profile

SET = Path(__file__).parent.parent / "data" / "screening_eval.csv"
SOUND_SET = Path(__file__).parent.parent / "data" / "screening_eval_sound.csv"
"""English names typed in Cyrillic by sound (bench/screening_pairs_sound.py), split on its own."""
BELARUSIAN_SET = Path(__file__).parent.parent / "data" / "screening_eval_belarusian.csv"
"""Russian names against their Belarusian forms (bench/screening_pairs_belarusian.py)."""
FRESH_SET = Path(__file__).parent.parent / "data" / "screening_eval_traps_fresh.csv"
"""The traps' constructions and true typos with another seed (`bench/screening_pairs.py
--fresh-traps`), one part, `fresh`: made once after the rules and never tuned on."""


def rows(path: Path = SET) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def side(name: str, born: str) -> Profile:
    return profile(Identity((name,), (born,) if born else ()))


def figures(part: str, path: Path = SET) -> dict[str, tuple[float, float, Counter[str]]]:
    """Per category and for "all": precision of match (the pairs decided match that are the
    same person and were expected to match), recall of match (the expected matches decided
    match), and the decisions of every pair as "expected>decided" counts."""
    tallies: dict[str, Counter[str]] = {}
    for row in rows(path):
        if row["part"] != part:
            continue
        kind = decide(side(row["name_a"], row["birth_a"]), side(row["name_b"], row["birth_b"])).kind
        for name in (row["category"], "all"):
            tally = tallies.setdefault(name, Counter())
            tally[f"{row['expect']}>{kind}"] += 1
            tally["expected"] += row["expect"] == MATCH
            tally["decided"] += kind == MATCH
            tally["right"] += kind == MATCH and row["expect"] == MATCH
    out = {}
    for name, tally in tallies.items():
        precision = tally["right"] / tally["decided"] if tally["decided"] else 1.0
        recall = tally["right"] / tally["expected"] if tally["expected"] else 1.0
        out[name] = (precision, recall, tally)
    return out


def test_the_set_is_large_split_and_has_every_category() -> None:
    labelled = rows()
    assert len(labelled) >= 1000
    assert {r["part"] for r in labelled} == {"tuning", "held_out"}
    assert {r["category"] for r in labelled} == {
        "slavic", "western", "non_slavic", "order", "typos", "traps"
    }  # fmt: skip
    assert {r["expect"] for r in labelled} == {"match", "review", "no_match"}


def test_the_held_out_part_reaches_the_precision_and_recall_of_match() -> None:
    report = {part: figures(part) for part in ("tuning", "held_out")}
    for part, by_category in report.items():
        for category, (precision, recall, tally) in sorted(by_category.items()):
            decisions = {k: v for k, v in sorted(tally.items()) if ">" in k}
            print(f"\n{part} {category}: precision {precision:.3f} recall {recall:.3f} {decisions}")
    precision, recall, _ = report["held_out"]["all"]
    assert precision >= 0.97
    assert recall >= 0.95
    for category, (precision, recall, tally) in report["held_out"].items():
        if category == "traps":  # nothing there should match: count the false matches instead
            traps = sum(v for k, v in tally.items() if ">" in k)
            assert tally["decided"] <= 0.05 * traps
            continue
        assert precision >= 0.95, category
        assert recall >= 0.90, category


def test_a_possible_date_typo_is_never_a_match() -> None:
    for row in rows():
        if "one digit" in row["rule"]:
            decision = decide(
                side(row["name_a"], row["birth_a"]), side(row["name_b"], row["birth_b"])
            )
            assert decision.kind in (REVIEW, "no_match"), row


def _own_set(path: Path, label: str) -> None:
    """A set split on its own: the figures of both parts printed, the issue's per-category
    targets (precision 0.95, recall 0.90 of match) held on the held-out part."""
    for part in ("tuning", "held_out"):
        precision, recall, tally = figures(part, path)["all"]
        decisions = {k: v for k, v in sorted(tally.items()) if ">" in k}
        print(f"\n{label}, {part}: precision {precision:.3f} recall {recall:.3f} {decisions}")
    precision, recall, _ = figures("held_out", path)["all"]
    assert precision >= 0.95
    assert recall >= 0.90


def test_english_names_typed_in_cyrillic_by_sound() -> None:
    _own_set(SOUND_SET, "by sound")


def test_russian_names_against_their_belarusian_forms() -> None:
    labelled = rows(BELARUSIAN_SET)
    assert {r["part"] for r in labelled} == {"tuning", "held_out"}
    assert {r["expect"] for r in labelled} == {"match", "no_match"}
    _own_set(BELARUSIAN_SET, "belarusian")


def test_fresh_traps_are_rarely_a_match_and_fresh_typos_still_are() -> None:
    labelled = rows(FRESH_SET)
    traps = [r for r in labelled if r["category"] == "traps"]
    typos = [r for r in labelled if r["category"] == "typos"]
    assert {r["part"] for r in labelled} == {"fresh"}
    assert len(traps) >= 300
    assert len(typos) >= len(traps)
    by_category = figures("fresh", FRESH_SET)
    for category, (precision, recall, tally) in sorted(by_category.items()):
        decisions = {k: v for k, v in sorted(tally.items()) if ">" in k}
        print(f"\nfresh {category}: precision {precision:.3f} recall {recall:.3f} {decisions}")
    false_matches = by_category["traps"][2]["decided"]
    print(f"\nfresh traps: {false_matches} of {len(traps)} decided match")
    assert false_matches <= 0.05 * len(traps)
    assert by_category["all"][0] >= 0.95  # precision of match, traps and typos together
    assert by_category["typos"][1] >= 0.90  # recall of match


def test_the_same_person_shares_a_blocking_key_with_the_date_as_with_the_year() -> None:
    # Token keys carry the full birth date (screening/keys.py), so a block does not grow with
    # the register; the pair keys, without a date, still meet a birth date typed wrong.
    for path in (SET, SOUND_SET, BELARUSIAN_SET):
        for part in ("tuning", "held_out"):
            same = [
                r
                for r in rows(path)
                if r["part"] == part and r["same"] == "1" and r["birth_a"] and r["birth_b"]
            ]
            met = {"year": 0, "date": 0}
            for r in same:
                a, b = side(r["name_a"], r["birth_a"]), side(r["name_b"], r["birth_b"])
                for kind, cut in (("year", 4), ("date", 10)):
                    keys_a = name_keys(a.names, [r["birth_a"][:cut]])
                    met[kind] += bool(keys_a & name_keys(b.names, [r["birth_b"][:cut]]))
            year, date = met["year"] / len(same), met["date"] / len(same)
            print(
                f"\n{path.name} {part}: {len(same)} pairs, sharing a key: by year {year:.3f}, "
                f"by date {date:.3f}"
            )
            assert date >= year
            assert date >= 0.97
