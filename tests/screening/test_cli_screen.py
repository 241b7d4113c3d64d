"""`guardpath screen`: matches with scores and reasons; bad input exits 2 naming the line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from guardpath.cli import app

runner = CliRunner(env={"COLUMNS": "200"})

ENTITY = {
    "id": "os-zhuravlev",
    "schema": "Person",
    "properties": {"name": ["Maxim Zhuravlev"], "birthDate": ["1991-03-04"]},
}


def watchlist(folder: Path, *lines: str) -> Path:
    path = folder / "list.jsonl"
    path.write_text("\n".join((json.dumps(ENTITY), *lines)) + "\n", encoding="utf-8")
    return path


def test_it_prints_the_match_with_its_score_and_reasons(tmp_path: Path) -> None:
    path = watchlist(tmp_path)
    result = runner.invoke(
        app,
        [
            "screen",
            "--watchlist",
            str(path),
            "--name",
            "Максим Журавльов",
            "--birth-date",
            "1991-03-04",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 match(es) among 1 entries" in result.stdout
    assert "os-zhuravlev" in result.stdout and "birth_date: agrees" in result.stdout


def test_it_answers_json(tmp_path: Path) -> None:
    path = watchlist(tmp_path)
    result = runner.invoke(
        app, ["screen", "--watchlist", str(path), "--name", "Zhuravlov Maksym", "--json"]
    )
    answer = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [m["id"] for m in answer["matches"]] == ["os-zhuravlev"]
    assert answer["matches"][0]["reasons"][0] == {
        "feature": "name",
        "verdict": "agrees",
        "detail": "maksym ~ maxim (1.00)",
    }


def test_it_prints_no_match_for_someone_else(tmp_path: Path) -> None:
    path = watchlist(tmp_path)
    result = runner.invoke(app, ["screen", "--watchlist", str(path), "--name", "John Miller"])
    assert result.exit_code == 0
    assert "0 match(es)" in result.stdout


def test_it_exits_2_naming_the_bad_line(tmp_path: Path) -> None:
    path = watchlist(
        tmp_path,
        '{"id": "x", "schema": "Person", "properties": {"name": ["A"], '
        '"birthDate": ["yesterday"]}}',
    )
    result = runner.invoke(app, ["screen", "--watchlist", str(path), "--name", "A"])
    assert result.exit_code == 2
    assert "--watchlist: list.jsonl line 2: birthDate: 'yesterday' is not a date" in result.stderr


def test_it_exits_2_on_a_bad_birth_date_or_a_missing_file(tmp_path: Path) -> None:
    path = watchlist(tmp_path)
    bad_date = runner.invoke(
        app, ["screen", "--watchlist", str(path), "--name", "A", "--birth-date", "04.03.1991"]
    )
    missing = runner.invoke(app, ["screen", "--watchlist", str(tmp_path / "no.csv"), "--name", "A"])
    assert bad_date.exit_code == 2 and "--birth-date" in bad_date.stderr
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
