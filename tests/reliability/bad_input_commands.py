"""The bad-input catalogue: the CLI's and the roster importer's cases."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from openpyxl import Workbook

from cast import american_private
from guardpath.cli import app as cli_app
from guardpath.services.roster import COLUMNS

from .bad_input_world import RUNNER, TOMORROW, Bad, Refusal, Send, World, roster_text


# -- the CLI -------------------------------------------------------------------------------------
def command(*args: str, files: dict[str, bytes] | None = None) -> Send:
    """`guardpath ARGS` on the world's data folder, after writing FILES into a folder of its
    own; any --out it names must not be written."""

    def send(world: World) -> Refusal:
        folder = world.files / f"run-{len(list(world.files.iterdir()))}"
        folder.mkdir()
        for name, content in (files or {}).items():
            (folder / name).write_bytes(content)
        argv = [arg.replace("{dir}", str(folder)) for arg in args]
        data = {"GUARDPATH_DATA_DIR": str(world.ctx.settings.data_dir)}
        result = RUNNER.invoke(cli_app, argv, env=data)
        assert not (folder / "out.parquet").exists(), "a refused evaluation wrote its output"
        return Refusal(result.exit_code, " ".join(result.output.split()))

    return send


def check_command(facts: bytes, on: str = "2025-01-01") -> Send:
    return command(
        "check", "enlistment", "{dir}/facts.json", "--on", on, files={"facts.json": facts}
    )


def evaluate_command(name: str, content: bytes) -> Send:
    argv = ("evaluate", f"{{dir}}/{name}", "-q", "enlistment", "--on", "2025-01-01")
    return command(*argv, "--out", "{dir}/out.parquet", files={name: content})


def facts_json(**facts: Any) -> bytes:
    return json.dumps(facts).encode()


def people_csv(header: str, row: str, encoding: str = "utf-8") -> bytes:
    return f"{header}\n{row}\n".encode(encoding)


CLI = [
    Bad(
        "cli-check-malformed-json",
        check_command(b'{"birth_date": '),
        2,
        ("FACTS", "not valid JSON", "JSON object of facts"),
    ),
    Bad(
        "cli-check-a-list-for-an-object", check_command(b"[]"), 2, ("facts", "JSON object of facts")
    ),
    Bad(
        "cli-check-facts-in-utf-16",
        check_command(facts_json(sex="male").decode().encode("utf-16")),
        2,
        ("FACTS", "UTF-8"),
    ),
    Bad(
        "cli-check-2023-02-29-birth-date",
        check_command(facts_json(birth_date="2023-02-29")),
        2,
        ("birth_date", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-check-birth-date-after-the-date-asked",
        check_command(facts_json(birth_date="2090-05-10")),
        2,
        ("birth_date", "after the date asked"),
    ),
    Bad(
        "cli-check-2023-02-29-as-the-date-asked",
        check_command(facts_json(), "2023-02-29"),
        2,
        ("--on", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-check-unknown-country-XX",
        check_command(facts_json(citizenships=["XX"])),
        2,
        ("citizenships[0]", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "cli-check-citizenships-as-text",
        check_command(facts_json(citizenships="US")),
        2,
        ("citizenships", "list"),
    ),
    Bad(
        "cli-check-sex-not-accepted",
        check_command(facts_json(sex="Male")),
        2,
        ("sex", "male, female"),
    ),
    Bad(
        "cli-evaluate-csv-in-cp1251",
        evaluate_command(
            "people.csv", people_csv("birth_date,stay_basis", "1990-05-10,віза", "cp1251")
        ),
        2,
        ("PEOPLE", "not UTF-8"),
    ),
    Bad(
        "cli-evaluate-parquet-that-is-text",
        evaluate_command("people.parquet", b"id,born\n"),
        2,
        ("PEOPLE", "not a Parquet file"),
    ),
    Bad(
        "cli-evaluate-csv-that-is-a-workbook",
        evaluate_command("people.csv", b"PK\x03\x04" + b"\x00" * 32),
        2,
        ("PEOPLE", "zip file", "CSV text"),
    ),
    Bad(
        "cli-evaluate-2023-02-29-birth-date",
        evaluate_command("people.csv", people_csv("birth_date", "2023-02-29")),
        2,
        ("row 1", "birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-evaluate-unknown-country-XX",
        evaluate_command("people.csv", people_csv("citizenships", '"[""XX""]"')),
        2,
        ("row 1", "citizenships"),
    ),
    Bad(
        "cli-evaluate-fact-of-the-wrong-type",
        evaluate_command("people.csv", people_csv("prior_military_service", "maybe")),
        2,
        ("row 1", "prior_military_service", "true or false"),
    ),
    Bad(
        "cli-evaluate-unknown-column",
        evaluate_command("people.csv", people_csv("nationality", "US")),
        2,
        ("nationality", "unknown column", "birth_date"),
    ),
]


# -- the roster importer -------------------------------------------------------------------------
def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(list(american_private().values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of_junk() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


def import_command(name: str, content: bytes) -> Send:
    return command("import", f"{{dir}}/{name}", files={name: content})


def roster(**overrides: Any) -> Send:
    return import_command("roster.csv", roster_text(**overrides).encode())


CYRILLIC_ROW = roster_text(native_name="Джеймс Сміт")
IMPORTER = [
    Bad(
        "import-csv-in-cp1251",
        import_command("roster.csv", CYRILLIC_ROW.encode("cp1251")),
        2,
        ("not UTF-8", "Windows-1251", "CSV UTF-8"),
    ),
    Bad(
        "import-csv-in-utf-16",
        import_command("roster.csv", CYRILLIC_ROW.encode("utf-16")),
        2,
        ("not UTF-8", "UTF-16", "CSV UTF-8"),
    ),
    Bad(
        "import-xlsx-that-is-a-csv",
        import_command("roster.xlsx", roster_text().encode()),
        2,
        ("not a readable XLSX workbook", "named .xlsx", ".csv"),
    ),
    Bad(
        "import-xlsx-that-is-a-zip-of-junk",
        import_command("roster.xlsx", zip_of_junk()),
        2,
        ("not a readable XLSX workbook", "CSV UTF-8"),
    ),
    Bad(
        "import-csv-that-is-a-workbook",
        import_command("roster.csv", workbook()),
        2,
        ("named .csv", "zip file", ".xlsx"),
    ),
    Bad(
        "import-2023-02-29-birth-date",
        roster(birth_date="2023-02-29"),
        2,
        ("birth_date", "not a calendar date", "February 2023 has 28 days"),
    ),
    Bad(
        "import-future-birth-date", roster(birth_date=TOMORROW), 2, ("birth_date", "in the future")
    ),
    Bad(
        "import-unknown-country-XX",
        roster(citizenships="XX"),
        2,
        ("citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "import-former-country-SU",
        roster(citizenships="SU;US"),
        2,
        ("citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad("import-over-long-surname", roster(surname="S" * 201), 2, ("surname", "at most 200")),
    Bad(
        "import-control-character-in-surname",
        roster(surname="Smi\x07th"),
        2,
        ("surname", "control"),
    ),
    Bad(
        "import-right-to-left-override-in-surname",
        roster(surname="Smi\u202eth"),
        2,
        ("surname", "invisible"),
    ),
    Bad(
        "import-mixed-scripts-in-given-names",
        roster(given_names="Jаmes Michael"),
        2,
        ("given_names", "Cyrillic and Latin", "one script"),
    ),
    Bad(
        "import-contract-years-as-words",
        roster(contract_years="three"),
        2,
        ("contract_years", "whole number from 1 to 10"),
    ),
    Bad(
        "import-unknown-column",
        import_command("roster.csv", b"nickname\nJim\n"),
        2,
        ("nickname", "unknown column", "given_names"),
    ),
]
