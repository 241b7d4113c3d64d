"""`guardpath serve` under uvicorn: X-Forwarded-For is believed from trusted proxies only,
and several worker processes serve one site."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.cli import app as cli
from guardpath.services.status import FAILURES_PER_CLIENT
from guardpath.settings import load_settings
from serving import serving


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    for name in [name for name in os.environ if name.startswith("GUARDPATH_")]:
        monkeypatch.delenv(name)
    ctx = bootstrap(load_settings(data_dir=folder, database_url=None, keys=None, key_file=None))
    upgrade(ctx.engine)
    ctx.engine.dispose()
    yield folder


def guess(http: httpx.Client, forwarded_for: str) -> int:
    """One wrong resume code for a reference no one has, as if from `forwarded_for`."""
    reference = "GP-" + secrets.token_hex(4).upper()
    headers = {"X-Resume-Code": "AAAA-BBBB-CCCC-DDDD", "X-Forwarded-For": forwarded_for}
    return http.get(f"/api/v1/applications/{reference}", headers=headers).status_code


def spoofed_guesses(url: str, count: int) -> list[int]:
    """`count` wrong guesses, each claiming another client address."""
    with httpx.Client(base_url=url, timeout=30) as http:
        return [guess(http, f"203.0.113.{n % 250 + 1}") for n in range(count)]


def test_it_ignores_x_forwarded_for_without_a_trusted_proxy(data_dir: Path) -> None:
    with serving({"GUARDPATH_DATA_DIR": str(data_dir)}) as url:
        answers = spoofed_guesses(url, FAILURES_PER_CLIENT + 1)

    assert answers[:FAILURES_PER_CLIENT] == [404] * FAILURES_PER_CLIENT
    assert answers[-1] == 429


def test_it_ignores_x_forwarded_for_from_a_peer_not_named_trusted(data_dir: Path) -> None:
    settings = {"GUARDPATH_DATA_DIR": str(data_dir), "GUARDPATH_TRUSTED_PROXIES": "10.9.8.7"}
    with serving(settings) as url:
        answers = spoofed_guesses(url, FAILURES_PER_CLIENT + 1)

    assert answers[-1] == 429


def test_it_takes_the_client_address_from_a_trusted_proxy(data_dir: Path) -> None:
    settings = {"GUARDPATH_DATA_DIR": str(data_dir), "GUARDPATH_TRUSTED_PROXIES": "127.0.0.1"}
    with serving(settings) as url:
        answers = spoofed_guesses(url, FAILURES_PER_CLIENT + 1)
        with httpx.Client(base_url=url, timeout=30) as http:
            one_client = [guess(http, "198.51.100.7") for _ in range(FAILURES_PER_CLIENT + 1)]

    assert set(answers) == {404}, "each forwarded address is a client of its own"
    assert one_client[-1] == 429, "and each is limited on its own"


def test_it_serves_one_site_from_several_workers(data_dir: Path) -> None:
    with serving({"GUARDPATH_DATA_DIR": str(data_dir)}, "--workers", "2") as url:
        answers = [httpx.get(f"{url}/api/v1/openapi.json").status_code for _ in range(10)]

    assert answers == [200] * 10


@pytest.mark.parametrize(
    ("value", "named"), [("nginx", "'nginx'"), ("10.0.0.0/33", "'10.0.0.0/33'")]
)
def test_it_refuses_a_trusted_proxy_that_is_no_address_naming_the_setting(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, value: str, named: str
) -> None:
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GUARDPATH_TRUSTED_PROXIES", value)

    result = CliRunner().invoke(cli, ["serve", "--port", "1"])

    assert result.exit_code == 2
    assert "GUARDPATH_TRUSTED_PROXIES" in result.output
    assert named in result.output


def test_it_reads_trusted_proxies_as_a_comma_separated_list() -> None:
    settings = load_settings(trusted_proxies=" 10.0.0.5, 192.168.0.0/24 ,::1,")

    assert settings.trusted_proxies == ("10.0.0.5", "192.168.0.0/24", "::1")
    assert load_settings(trusted_proxies="").trusted_proxies == ()
