"""P3's peer: a bare Starlette endpoint that stores an application with nothing else.

`POST /api/v1/applications` takes the JSON guardpath takes, `json.loads` it and inserts one
`persons` row and one `cases` row, shaped as guardpath's, in one transaction on guardpath's own
engine (`make_engine`: SQLite in WAL with `synchronous=FULL` and `BEGIN IMMEDIATE`, or the
PostgreSQL URL) over a database made by guardpath's migrations. No validation, no encryption
(the person's JSON goes into `sealed` as it came, about the size of guardpath's ciphertext),
no blind indexes beyond a plain SHA-256, no history, no screening, no audit chain.

The insert is blocking, so it runs in Starlette's thread pool, as guardpath's synchronous route
does in FastAPI's. Served like `guardpath serve`: one uvicorn worker, the default loop, no
access log, on the settings guardpath reads (`GUARDPATH_DATA_DIR`, `GUARDPATH_DATABASE_URL`).

    python bench/peers/bare_submissions.py PORT [WORKERS]
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import uvicorn
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from guardpath.adapters.database import make_engine
from guardpath.adapters.tables import cases, persons
from guardpath.settings import load_settings


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _rows(application: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    person, now = application["person"], datetime.now(UTC)
    person_id = str(uuid.uuid4())
    person_row = {
        "id": person_id,
        "sealed": json.dumps(person, sort_keys=True).encode(),
        "key_id": "bare",
        "passport_index": _digest(person["passport_number"]),
        "name_index": _digest(f"{person['given_names']} {person['surname']}"),
        "citizenships": ",".join(person["citizenships"]),
        "sex": person["sex"],
        "created_at": now,
    }
    case_row = {
        "id": str(uuid.uuid4()),
        "reference": "GP-" + secrets.token_hex(5).upper(),
        "person_id": person_id,
        "formation": application.get("formation", "ngu"),
        "state": "submitted",
        "facts": application.get("facts", {}),
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "submitted_on": now.date(),
        "resume_code_hash": None,
    }
    return person_row, case_row


def _insert(engine: Engine, person_row: dict[str, Any], case_row: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(persons.insert().values(person_row))
        conn.execute(cases.insert().values(case_row))


def create_app(engine: Engine) -> Starlette:
    async def submit(request: Request) -> JSONResponse:
        person_row, case_row = _rows(json.loads(await request.body()))
        await run_in_threadpool(_insert, engine, person_row, case_row)
        return JSONResponse(
            {"reference": case_row["reference"], "status": "submitted"}, status_code=201
        )

    return Starlette(routes=[Route("/api/v1/applications", submit, methods=["POST"])])


def app_from_environment() -> Starlette:
    """One worker's app, when served with several workers."""
    return create_app(make_engine(load_settings()))


def main(port: int, workers: int = 1) -> None:
    options: dict[str, Any] = {"host": "127.0.0.1", "port": port, "access_log": False}
    if workers == 1:
        uvicorn.run(app_from_environment(), log_level="info", **options)
        return
    factory = "bare_submissions:app_from_environment"
    uvicorn.run(factory, factory=True, workers=workers, log_level="info", **options)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1)
