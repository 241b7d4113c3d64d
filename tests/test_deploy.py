"""docs/deploy.md, run: nginx terminating TLS in front of `guardpath serve --workers 2` on
PostgreSQL, with the page's own settings, systemd unit, commands and nginx site.

Only what cannot be the same on a test machine is changed, each change asserted to find its
text: the paths move into a temporary folder, the ports to free loopback ports, the database
to a fresh test database, the certificate to a self-signed one made here. nginx runs from a
temporary prefix (no system configuration is read or touched) and is stopped at the end.

The client talks to nginx from 127.0.0.2 and 127.0.0.3 (loopback addresses too), nginx to
guardpath from 127.0.0.1, the one trusted proxy: so the address the limits count is seen to be
the client's, neither nginx's nor one the client wrote into X-Forwarded-For.

The page read back, the host and the processes are in deploy_support.py.
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import subprocess

import httpx
import pyotp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy_support import (  # noqa: F401 (the fixtures host, installed and site)
    FAILURES_PER_CLIENT,
    NGINX,
    PASSWORD,
    PROGRAM,
    Host,
    Site,
    gp_commands,
    host_fixture,
    installed_fixture,
    page,
    site_fixture,
    unit_lines,
)
from serving import GUARDPATH, serve_env
from web.test_api_applications import APPLICATION, SECRETS
from web.test_public_pages import AMERICAN

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(NGINX is None, reason="Debian's nginx is not installed"),
]


# -- the walk ------------------------------------------------------------------------------------
def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def secure_cookie(answer: httpx.Response, name: str) -> str:
    cookies = [c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(cookies) == 1, answer.headers.get_list("set-cookie")
    attributes = {part.strip().split("=")[0].lower() for part in cookies[0].split(";")[1:]}
    assert {"secure", "httponly"} <= attributes, cookies[0]
    return cookies[0]


def guess(client: httpx.Client, forwarded_for: str) -> int:
    """A wrong resume code for a reference no one has, claiming another client address."""
    reference = "GP-" + secrets.token_hex(5).upper()
    headers = {"X-Resume-Code": "AAAA-BBBB-CCCC-DDDD", "X-Forwarded-For": forwarded_for}
    return client.get(f"/api/v1/applications/{reference}", headers=headers).status_code


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_it_serves_the_public_pages_an_application_and_the_staff_console_behind_nginx(
    site: Site, host: Host
) -> None:
    with site.browser("127.0.0.2") as browser:
        # The public self-check, with nginx's request id and HSTS.
        home = browser.get("/")
        assert home.status_code == 200
        assert home.headers["strict-transport-security"].startswith("max-age=")
        request_id = home.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        form = browser.get("/check")
        answer = browser.post("/check", data={**AMERICAN, "csrf": csrf_of(form.text)})
        assert answer.status_code == 200
        assert 'class="outcome eligible"' in answer.text

        # An application, and its status with the resume code.
        made = browser.post("/api/v1/applications", json=APPLICATION)
        assert made.status_code == 201, made.text
        reference, code = made.json()["reference"], made.json()["resume_code"]
        status = browser.get(f"/api/v1/applications/{reference}", headers={"X-Resume-Code": code})
        assert status.json()["status"] == "submitted"

        # A staff login: every cookie Secure, the session one with the __Host- prefix.
        login = browser.get("/staff/login")
        secure_cookie(login, "gp_login")
        username, secret = staff_account(host)
        signed_in = browser.post(
            "/staff/login",
            data={
                "username": username,
                "password": PASSWORD,
                "code": pyotp.TOTP(secret).now(),
                "csrf": csrf_of(login.text),
            },
        )
        assert signed_in.status_code == 303, signed_in.text
        assert "samesite=strict" in secure_cookie(signed_in, "__Host-gp_staff").lower()
        console = browser.get("/staff")
        assert console.status_code == 200 and "/staff/logout" in console.text

        # The client address the limits count: 127.0.0.2's, whatever it writes.
        spoofed = [guess(browser, f"203.0.113.{n + 1}") for n in range(FAILURES_PER_CLIENT + 1)]
    assert spoofed[:FAILURES_PER_CLIENT] == [404] * FAILURES_PER_CLIENT
    assert spoofed[-1] == 429, "the forwarded-for header chose the address the limit counts"
    with site.browser("127.0.0.3") as neighbour:
        assert guess(neighbour, "203.0.113.1") == 404, "all clients shared nginx's address"
        assert neighbour.get("/metrics").status_code == 404  # not through nginx

    # Plain http is sent to https.
    moved = httpx.get(f"{site.http}/status", timeout=30)
    assert moved.status_code == 301
    assert moved.headers["location"].startswith("https://")

    # nginx's request id is the one guardpath logged; every line of its log is JSON.
    assert f"127.0.0.2 {request_id} 200" in site.nginx_log.read_text()
    logged = [json.loads(line) for line in site.serve_log.read_text().splitlines()]
    assert any(e.get("request_id") == request_id and e.get("route") == "/" for e in logged)

    # The metrics, from the service itself, summed over both workers.
    assert httpx.get(f"{site.backend}/metrics", timeout=30).status_code == 401
    scraped = httpx.get(
        f"{site.backend}/metrics", headers={"Authorization": f"Bearer {host.token}"}, timeout=30
    ).text
    found = samples(scraped)
    route = "/api/v1/applications/{reference}"
    looked_up = sum(
        v
        for (name, labels), v in found.items()
        if name == "guardpath_http_requests_total" and ("route", route) in labels
    )
    assert looked_up == FAILURES_PER_CLIENT + 3  # the status, the guesses, the neighbour's
    assert found[("guardpath_submissions_total", ())] == 1
    assert found[("guardpath_staff_logins_total", (("result", "ok"),))] == 1

    for detail in [*SECRETS, APPLICATION["person"]["birth_date"], reference, code]:
        assert detail not in scraped
        assert detail not in site.serve_log.read_text()


def staff_account(host: Host) -> tuple[str, str]:
    """The page's first staff account: its name and the TOTP secret it printed."""
    (args,) = [a for a in gp_commands() if a[:2] == ["staff", "add"]]
    return args[2], host.totp_secret


def test_it_runs_the_backup_timers_commands_and_the_upgrade_backup(installed: Host) -> None:
    host = installed
    for line in unit_lines("/etc/systemd/system/guardpath-backup.service", "ExecStart"):
        command = host.path(line.replace("%%", "%"))
        done = subprocess.run(
            shlex.split(command.replace(PROGRAM, str(GUARDPATH))),
            env=serve_env(host.settings()),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    (upgrade,) = [a for a in gp_commands() if a[0] == "backup"]
    host.run(upgrade)

    made = sorted(p.name for p in (host.root / "backups").iterdir())
    assert len(made) == 2 and "before-upgrade.jsonl.gz" in made
    assert re.fullmatch(
        r"guardpath-\d{8}T\d{6}Z\.jsonl\.gz", made[1 - made.index("before-upgrade.jsonl.gz")]
    )
