"""What the no-personal-data test plants and how it searches for it: each detail under each
escaping it could take, in the data folder, a backup and the exports."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

from sqlalchemy import LargeBinary
from typer.testing import CliRunner

from cases.test_encryption import forms
from guardpath.adapters.backup_store import TABLES
from guardpath.cases.model import Role, State
from guardpath.cli import app as cli
from guardpath.settings import Settings

ADDRESS_NOTE = "Lives at вул. Сагайдачного, 14, кв. 7, Київ; papers checked"
FREE_TEXT = "Brother still serves with the Pahonia regiment near Hrodna"
SCAN = b"%PDF-1.4\n% scanned passport FZ8402615, KHMAROCHOSENKO, stamp VX-SCAN-TAG-9931\n"
MARKERS = {
    "given names": "Zoreslav",
    "surname": "Khmarochosenko",
    "full name": "Zoreslav Khmarochosenko",
    "native name": "Зореслав Хмарачосенка",
    "native surname": "Хмарачосенка",
    "birth date": "1986-10-17",
    "birth date, as pages write it": "17.10.1986",
    "passport": "FZ8402615",
    "phone": "+375 29 315 8264",
    "phone, digits": "375293158264",
    "e-mail": "zoreslav.khmara@example.net",
    "address": "Сагайдачного, 14, кв. 7",
    "note": FREE_TEXT,
    "scan": "VX-SCAN-TAG-9931",
}
ABOUT = {
    "given_names": MARKERS["given names"],
    "surname": MARKERS["surname"],
    "native_name": MARKERS["native name"],
    "birth_date": MARKERS["birth date"],
    "sex": "male",
    "citizenship": ["BY", "", ""],
    "passport_number": MARKERS["passport"],
    "email": MARKERS["e-mail"],
    "phone": MARKERS["phone"],
}
STAY = {
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2030-12-31",
    "previously_convicted": "no",
    "prior_military_service": "no",
}
STEPS: dict[State, tuple[Role, str, dict[str, str]]] = {
    State.SUBMITTED: (Role.RECRUITER, "start_document_review", {}),
    State.DOCUMENT_REVIEW: (
        Role.RECRUITER,
        "record_document_check",
        {"passed": "yes", "previously_convicted": "no", "reason": ADDRESS_NOTE}
        | {"stay_basis": "temporary_residence_permit", "stay_valid_until": "2030-12-31"},
    ),
    State.SPECIAL_CHECK: (
        Role.VETTING_OFFICER,
        "record_special_check",
        {"result": "passed", "reason": FREE_TEXT},
    ),
    State.MEDICAL: (Role.MEDICAL_OFFICER, "record_medical_result", {"result": "fit"}),
    State.PSYCHOLOGICAL: (
        Role.MEDICAL_OFFICER,
        "record_psychological_result",
        {"result": "passed"},
    ),
    State.PHYSICAL: (Role.RECRUITER, "record_physical_result", {"result": "passed"}),
    State.INTERVIEW: (Role.COMMANDER, "approve", {"rank_group": "private", "reason": FREE_TEXT}),
    State.APPROVED: (Role.COMMANDER, "sign_contract", {}),
    State.CONTRACT_SIGNED: (Role.COMMANDER, "start_service", {}),
}
"""From each state to the next, through the staff console: who, which step, the form."""
REQUEST_LINES = (
    "POST /status 200 ",
    "GET /staff/cases/{case_id} 200 ",
    "GET /staff/cases/{case_id}/documents/{document_id} 200 ",
    "POST /staff/cases/{case_id}/approve 303 ",
    "GET /staff/cases/{case_id}/papers/{lang}/{kind}.pdf 200 ",
    "GET /staff/statistics.csv 200 ",
)
"""Requests of the case as the application logs them: method, the route's template, status."""


# -- the search ---------------------------------------------------------------------------------
def variants(marker: str) -> set[bytes]:
    """Every way the marker could be written: the encodings and cases of `forms`, and escaped
    for a URL or as the repr of its UTF-8 bytes (how a log shows a path or a bytes value)."""
    found = set(forms(marker))
    for variant in {marker, marker.casefold(), marker.upper()}:
        found |= {quote(variant).encode(), quote_plus(variant).encode()}
        found.add(repr(variant.encode())[2:-1].encode())
    return found


VARIANTS = {name: variants(marker) for name, marker in MARKERS.items()}


def exposed(places: dict[str, bytes]) -> dict[str, list[str]]:
    """The markers found in each place, in any of their forms."""
    found = {
        where: [name for name, forms_of in VARIANTS.items() if any(f in blob for f in forms_of)]
        for where, blob in places.items()
    }
    return {where: names for where, names in found.items() if names}


def data_folder(settings: Settings) -> dict[str, bytes]:
    """Every file in the data folder: the database, its WAL and shared memory, the keys."""
    files = sorted(p for p in settings.data_dir.rglob("*") if p.is_file())
    names = {p.name for p in files}
    assert {"guardpath.db", "guardpath.db-wal", "guardpath.db-shm"} <= names, names
    return {f"data folder: {p.relative_to(settings.data_dir)}": p.read_bytes() for p in files}


def backup_contents(path: Path) -> dict[str, bytes]:
    """The backup as stored, as its lines read, and every binary value in it decoded."""
    lines = gzip.decompress(path.read_bytes())
    binary = {
        t.name: {c.name for c in t.columns if isinstance(c.type, LargeBinary)} for t in TABLES
    }
    values = [
        base64.b64decode(value)
        for line in lines.splitlines()
        if "row" in (data := json.loads(line))
        for column, value in data["row"].items()
        if column in binary[data["table"]] and value is not None
    ]
    assert values, "the backup holds sealed values"
    return {
        "backup file": path.read_bytes(),
        "backup lines": lines,
        "backup binary values": b"\0".join(values),
    }


def make_backup(settings: Settings, path: Path) -> dict[str, bytes]:
    """`guardpath backup PATH`, and its output with what it wrote."""
    done = CliRunner().invoke(
        cli, ["backup", str(path)], env={"GUARDPATH_DATA_DIR": str(settings.data_dir)}
    )
    assert done.exit_code == 0, done.output
    return {"backup command output": done.output.encode()} | backup_contents(path)
