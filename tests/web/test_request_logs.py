"""Structured logs: one line per request with its route template, status, duration and id; the
id returned to the client; JSON when asked; and no personal data, not even in a traceback."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.logs import JsonFormatter, TextFormatter, configure_logging
from guardpath.settings import Settings, load_settings
from guardpath.web.app import create_app

from .test_api_applications import APPLICATION, SECRETS


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the request logger writes, through the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("guardpath.web")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_it_logs_a_request_as_one_json_object_with_its_route_template_and_id(
    client: TestClient, json_lines: io.StringIO
) -> None:
    made = client.post("/api/v1/applications", json=APPLICATION).json()
    answer = client.get(f"/api/v1/applications/{made['reference']}", headers={"X-Resume-Code": "X"})

    logged = records(json_lines)[-1]
    assert answer.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])
    assert logged["request_id"] == answer.headers["X-Request-ID"]
    assert logged["route"] == "/api/v1/applications/{reference}"
    assert (logged["method"], logged["status"], logged["level"]) == ("GET", 404, "info")
    assert isinstance(logged["duration_ms"], float)
    everything = json_lines.getvalue()
    for secret in [*SECRETS, made["reference"], made["resume_code"]]:
        assert secret not in everything


def test_it_gives_every_request_an_id_of_its_own(client: TestClient) -> None:
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3


def test_it_makes_its_own_id_when_the_client_is_no_trusted_proxy(
    client: TestClient, json_lines: io.StringIO
) -> None:
    answer = client.get("/healthz", headers={"X-Request-ID": "chosen-by-the-client"})

    assert answer.headers["X-Request-ID"] != "chosen-by-the-client"
    assert records(json_lines)[-1]["request_id"] == answer.headers["X-Request-ID"]


def test_it_logs_the_probes_at_debug_and_people_at_info(
    client: TestClient, json_lines: io.StringIO
) -> None:
    client.get("/healthz")
    client.get("/readyz")
    client.get("/")

    levels = [(r["route"], r["level"]) for r in records(json_lines)]
    assert levels == [("/healthz", "debug"), ("/readyz", "debug"), ("/", "info")]


@pytest.mark.parametrize("formatter", [JsonFormatter(), TextFormatter()])
def test_it_keeps_a_tracebacks_frames_but_not_its_message(formatter: logging.Formatter) -> None:
    name = SECRETS[0]
    try:
        raise ValueError(f"no such applicant: {name}")
    except ValueError:
        record = logging.LogRecord("guardpath.web", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
        written = formatter.format(record)

    assert name not in written
    assert "builtins.ValueError" in written
    assert "test_it_keeps_a_tracebacks_frames_but_not_its_message" in written


@pytest.fixture
def root_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    server = logging.getLogger("uvicorn.error")
    server_state = (list(server.handlers), server.propagate, server.level)
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    server.handlers[:], server.propagate = server_state[0], server_state[1]
    server.setLevel(server_state[2])


def test_it_writes_the_servers_own_lines_as_json_too(
    root_restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(load_settings(log_format="json", log_level="info"))
    logging.getLogger("uvicorn.error").info("Started server process")
    logging.getLogger("guardpath.web").debug("not written at info")

    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["Started server process"]
    assert json.loads(lines[0])["logger"] == "uvicorn.error"


def test_it_writes_readable_lines_by_default(
    root_restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(load_settings())
    logging.getLogger("guardpath.web").info("GET / 200 1.0ms id=x")

    assert capsys.readouterr().err.rstrip().endswith("INFO guardpath.web GET / 200 1.0ms id=x")


@pytest.fixture
def behind_proxy(settings: Settings, ctx: Context) -> FastAPI:
    proxied = settings.model_copy(update={"trusted_proxies": ("10.0.0.0/24",)})
    return create_app(ctx=replace(ctx, settings=proxied))


def test_it_takes_a_trusted_proxys_request_id_and_client_address(
    behind_proxy: FastAPI, json_lines: io.StringIO
) -> None:
    headers = {
        "X-Request-ID": "0123456789abcdef0123456789abcdef",
        "X-Forwarded-For": "198.51.100.7",
        "X-Forwarded-Proto": "https",
    }
    local = {"base_url": "http://localhost", "client": ("10.0.0.5", 40000)}
    with TestClient(behind_proxy, **local) as proxy:  # type: ignore[arg-type]
        answer = proxy.get("/staff/login", headers=headers)
        plain = proxy.get("/staff/login", headers={"X-Forwarded-Proto": "http"})

    assert answer.headers["X-Request-ID"] == headers["X-Request-ID"]
    assert records(json_lines)[-2]["request_id"] == headers["X-Request-ID"]
    # The scheme is the proxy's word too: https gets a Secure cookie, plain http on
    # localhost (a developer's machine) does not.
    assert "secure" in answer.headers["set-cookie"].lower()
    assert "secure" not in plain.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("peer", "given"),
    [
        ("10.0.1.5", "0123456789abcdef0123456789abcdef"),  # not a trusted proxy
        ("10.0.0.5", "short"),  # too short to be a proxy's id
        ("10.0.0.5", "line\nbreak-injected-into-the-log"),
    ],
)
def test_it_makes_its_own_id_for_anyone_else_or_an_id_out_of_shape(
    behind_proxy: FastAPI, peer: str, given: str
) -> None:
    with TestClient(behind_proxy, client=(peer, 40000)) as client:
        answer = client.get("/healthz", headers={"X-Request-ID": given})

    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])
    assert answer.headers["X-Request-ID"] != given


@pytest.fixture
def failing(app: FastAPI) -> Iterator[TestClient]:
    """The app with two routes that fail as a bug would, quoting a person in the error."""

    def boom() -> None:
        raise RuntimeError(f"cannot seal the record of {SECRETS[0]}")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_it_names_the_request_id_on_the_error_page_and_nothing_of_the_error(
    failing: TestClient, json_lines: io.StringIO
) -> None:
    page = failing.get("/boom")

    request_id = page.headers["X-Request-ID"]
    assert page.status_code == 500
    assert f'<code class="request-id">{request_id}</code>' in page.text
    assert SECRETS[0] not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    logged = records(json_lines)[-1]
    assert (logged["request_id"], logged["route"], logged["status"]) == (request_id, "/boom", 500)


def test_it_names_the_request_id_in_the_apis_500(failing: TestClient) -> None:
    answer = failing.get("/api/v1/boom")

    assert answer.status_code == 500
    assert answer.json()["request_id"] == answer.headers["X-Request-ID"]
    assert SECRETS[0] not in answer.text


def test_it_says_the_error_page_in_ukrainian_too(failing: TestClient) -> None:
    page = failing.get("/boom", params={"lang": "uk"})

    assert "Щось пішло не так" in page.text
