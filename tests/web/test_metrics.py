"""Prometheus metrics: off by default; requests by route template, method and status; the use
cases counted from the audit entries they commit; the pool and the key rotations; a token when
one is set; and never a person's details in a name or a label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from typer.testing import CliRunner

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role, State
from guardpath.cli import app as cli
from guardpath.services import cases as services
from guardpath.services.keys import rotate_keys
from guardpath.settings import Settings, load_settings
from guardpath.web.metrics import Metrics
from guardpath.web.metrics.events import count_committed
from web.staff_fixtures import (  # noqa: F401
    BASE_URL,
    COMMANDER,
    RUSSIAN,
    Accounts,
    Seeded,
    accounts_fixture,
    log_in,
    seeded_fixture,
)

from .test_api_applications import APPLICATION, SECRETS

TOKEN = "a-scraper-token-of-32-characters"
ADMIN = Actor("cli:ops", Role.ADMIN)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data", database_url=None, keys=None, key_file=None, metrics=True
    )


def scrape(
    client: TestClient, **headers: str
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by name and sorted labels."""
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_it_serves_no_metrics_unless_they_are_turned_on(tmp_path: Path) -> None:
    from guardpath.adapters.migrate import upgrade
    from guardpath.bootstrap import bootstrap
    from guardpath.web.app import create_app

    plain = bootstrap(load_settings(data_dir=tmp_path / "plain", database_url=None))
    upgrade(plain.engine)
    with TestClient(create_app(ctx=plain)) as client:
        assert client.get("/metrics").status_code == 404
    assert plain.on_commit == []


def test_it_counts_requests_by_route_template_method_and_status(client: TestClient) -> None:
    client.get("/api/v1/applications/GP-0000000001", headers={"X-Resume-Code": "X"})
    client.get("/api/v1/applications/GP-0000000002", headers={"X-Resume-Code": "X"})
    client.get("/no/such/page")

    samples = scrape(client)

    route = "/api/v1/applications/{reference}"
    assert (
        value(samples, "guardpath_http_requests_total", route=route, method="GET", status="404")
        == 2
    )
    assert (
        value(samples, "guardpath_http_request_duration_seconds_count", route=route, method="GET")
        == 2
    )
    assert (
        value(
            samples, "guardpath_http_requests_total", route="unmatched", method="GET", status="404"
        )
        == 1
    )
    assert not any("GP-000000000" in str(labels) for _, labels in samples)


def test_it_counts_a_request_refused_by_a_limit(client: TestClient) -> None:
    huge = {**APPLICATION, "padding": "x" * 70_000}
    assert client.post("/api/v1/applications", json=huge).status_code == 413

    samples = scrape(client)

    labels = {"route": "/api/v1/applications", "status": "413"}
    assert value(samples, "guardpath_limits_refused_total", **labels) == 1


def test_it_counts_submissions_and_decisions_from_what_was_committed(
    client: TestClient, seeded: Seeded, ctx: Context
) -> None:
    assert client.post("/api/v1/applications", json=APPLICATION).status_code == 201
    approved = seeded.submit()
    seeded.advance(approved, State.APPROVED)
    rejected = seeded.submit()
    services.reject(ctx, COMMANDER, rejected, reason="did not come to the interview")

    samples = scrape(client)

    assert value(samples, "guardpath_submissions_total") == 3
    assert value(samples, "guardpath_decisions_total", step="approve", outcome="approved") == 1
    assert value(samples, "guardpath_decisions_total", step="reject", outcome="rejected") == 1
    assert (
        value(
            samples,
            "guardpath_decisions_total",
            step="start_document_review",
            outcome="document_review",
        )
        == 0
    )


def test_it_counts_nothing_of_a_transaction_rolled_back(client: TestClient, ctx: Context) -> None:
    entry = audit.Entry(ctx.clock(), ADMIN.id, "admin", "submit_application", "case-1", {})
    with ctx.unit_of_work() as uow:
        uow.audit(entry)  # and no commit

    assert value(scrape(client), "guardpath_submissions_total") == 0


def test_it_labels_events_only_with_names_from_the_code() -> None:
    metrics = Metrics()
    at = datetime(2025, 3, 1, tzinfo=UTC)

    def entry(action: str, **details: object) -> audit.Entry:
        return audit.Entry(at, "someone", "recruiter", action, "case-1", dict(details))

    count_committed(
        metrics,
        [
            entry("download_paper", paper="contract", reference="GP-SECRET"),
            entry("download_paper", paper="Kavalenka's passport"),
            entry("screen_applicant", duplicate_candidates=2, watchlist_matches=None),
            entry("screen_watchlist", entries=10, matches=1),
            entry("citizenship_granted", to="in_service"),
            entry("login_failed"),
            entry("record_medical_result", **{"from": "medical", "to": "rejected"}),
        ],
    )
    text = metrics.exposition().decode()

    assert 'guardpath_papers_rendered_total{paper="contract"} 1.0' in text
    assert 'guardpath_papers_rendered_total{paper="other"} 1.0' in text
    assert 'guardpath_screening_matches_total{source="duplicates"} 2.0' in text
    assert 'guardpath_screening_matches_total{source="watchlist"} 1.0' in text
    assert 'guardpath_decisions_total{outcome="granted",step="citizenship_granted"} 1.0' in text
    assert 'guardpath_decisions_total{outcome="rejected",step="record_medical_result"} 1.0' in text
    assert 'guardpath_staff_logins_total{result="failed"} 1.0' in text
    assert "SECRET" not in text and "Kavalenka" not in text


def test_it_follows_the_connection_pool(client: TestClient, ctx: Context) -> None:
    with ctx.engine.connect():
        held = scrape(client)
    returned = scrape(client)

    assert value(held, "guardpath_db_connections_in_use") >= 1
    assert value(returned, "guardpath_db_connections_in_use") == 0
    assert value(returned, "guardpath_db_connections_idle") >= 1
    assert value(returned, "guardpath_db_pool_size") == ctx.engine.pool.size()  # type: ignore[attr-defined]


def test_it_reads_the_key_rotations_from_the_database(client: TestClient, ctx: Context) -> None:
    assert value(scrape(client), "guardpath_key_rotations_total") == 0

    rotate_keys(ctx, ADMIN)
    samples = scrape(client)

    assert value(samples, "guardpath_key_rotations_total") == 1
    assert value(samples, "guardpath_key_rotations_running") == 0


@pytest.fixture
def guarded(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    from guardpath.adapters.migrate import upgrade
    from guardpath.bootstrap import bootstrap
    from guardpath.web.app import create_app

    with_token = settings.model_copy(
        update={"metrics_token": load_settings(metrics_token=TOKEN).metrics_token}
    )
    context = bootstrap(with_token)
    upgrade(context.engine)
    with TestClient(create_app(ctx=context)) as client:
        yield client
    context.engine.dispose()


def test_it_asks_for_the_token_when_one_is_set(guarded: TestClient) -> None:
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert scrape(guarded, Authorization=f"Bearer {TOKEN}")


@pytest.mark.parametrize("token", ["", "changeme", "short-token"])
def test_it_refuses_a_token_anyone_could_guess(
    token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GUARDPATH_METRICS_TOKEN", token)

    result = CliRunner().invoke(cli, ["serve", "--port", "1"])

    assert result.exit_code == 2
    assert "GUARDPATH_METRICS_TOKEN: must be a random secret" in result.output
    with pytest.raises(ValidationError, match="random secret of at least 24"):
        load_settings(metrics_token=token)


def test_it_names_no_personal_data_in_the_metrics(
    app, seeded: Seeded, accounts: Accounts, ctx: Context
) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        made = client.post("/api/v1/applications", json=APPLICATION).json()
        reference, code = made["reference"], made["resume_code"]
        client.get(f"/api/v1/applications/{reference}", headers={"X-Resume-Code": code})
        client.get(f"/api/v1/applications/{reference}", headers={"X-Resume-Code": "WRONG"})
        client.get(f"/status?reference={reference}")
        case_id = seeded.submit(RUSSIAN)
        seeded.advance(case_id, State.APPROVED)
        username = accounts.ensure(Role.COMMANDER)
        assert (
            log_in(
                client, username, "correct horse battery staple", accounts.code(username)
            ).status_code
            == 303
        )
        client.get(f"/staff/cases/{case_id}")
        client.get(f"/staff/cases/{case_id}/papers/en/contract.pdf")
        text = client.get("/metrics").text

    person = RUSSIAN["person"]
    cast = [*SECRETS, APPLICATION["person"]["birth_date"], reference, code, case_id, username]
    cast += [
        person["given_names"],
        person["surname"],
        person["native_name"],
        person["passport_number"],
    ]
    cast += [person["email"], person["birth_date"]]
    for detail in cast:
        assert detail not in text, detail
    # The journey really happened, so there was something to leak:
    assert "guardpath_submissions_total 2.0" in text
    assert 'guardpath_staff_logins_total{result="ok"} 1.0' in text
    assert 'guardpath_papers_rendered_total{paper="contract"} 1.0' in text
