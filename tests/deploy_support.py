"""docs/deploy.md on a test machine (tests/test_deploy.py): the page's blocks read back, a host
in a temporary folder with the page's commands, and nginx and guardpath started and stopped."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from guardpath.services.limits import STATUS_GUESSES_PER_CLIENT
from postgres_support import fresh_database
from serving import GUARDPATH, free_port, serve_env

FAILURES_PER_CLIENT = STATUS_GUESSES_PER_CLIENT.count
"""Wrong resume codes one client may send (for any references) before it is answered 429."""
ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy.md"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
DEADLINE = 300.0
"""Seconds a server may take to answer at first. The wait ends at the first answer, so this only
catches a hang; at a load of 20 on two cores a server took over 40 s to start."""
PASSWORD = "a staff password long enough"
PROGRAM = "/opt/guardpath/.venv/bin/guardpath"


# -- the page ----------------------------------------------------------------------------------
def page() -> str:
    return DEPLOY.read_text(encoding="utf-8")


def block(name: str) -> str:
    """The fenced block that starts with the comment `# name`, without that line."""
    for body in re.findall(r"```\w*\n(.*?)```", page(), flags=re.S):
        first, _, rest = body.partition("\n")
        if first.strip() == f"# {name}":
            return rest
    raise AssertionError(f"docs/deploy.md has no block for {name}")


def gp_commands() -> list[list[str]]:
    """The page's `gp ...` commands (guardpath as the service's user, with its settings)."""
    shell = re.findall(r"```sh\n(.*?)```", page(), flags=re.S)
    lines = [line.strip() for body in shell for line in body.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("gp ")]


def unit_lines(unit: str, key: str) -> list[str]:
    return [
        line.split("=", 1)[1] for line in block(unit).splitlines() if line.startswith(f"{key}=")
    ]


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced, which must be there: a change of the page cannot slip by."""
    assert old in text, f"docs/deploy.md no longer has {old!r}"
    return text.replace(old, new)


# -- the machine ---------------------------------------------------------------------------------
@dataclass
class Host:
    """The page's paths, moved into a temporary folder, and its settings."""

    root: Path
    database_url: str
    token: str = field(default_factory=lambda: secrets.token_hex(32))
    totp_secret: str = ""

    def path(self, text: str) -> str:
        for real, here in {
            "/etc/guardpath": "etc",
            "/var/lib/guardpath": "data",
            "/var/backups/guardpath": "backups",
            "/etc/ssl/guardpath": "tls",
        }.items():
            text = text.replace(real, str(self.root / here))
        return text

    def settings(self) -> dict[str, str]:
        found = dict(
            line.split("=", 1)
            for line in block("/etc/guardpath/guardpath.env").splitlines()
            if line.strip() and not line.startswith("#")
        )
        assert "GUARDPATH_DATABASE_URL" in found and "GUARDPATH_METRICS_TOKEN" in found
        found |= {
            "GUARDPATH_DATABASE_URL": self.database_url,
            "GUARDPATH_METRICS_TOKEN": self.token,
        }
        return {name: self.path(value) for name, value in found.items()}

    def run(self, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(GUARDPATH), *(self.path(a) for a in args)],
            env=serve_env(self.settings()),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            start_new_session=True,  # no terminal: the password prompt reads standard input
        )
        assert done.returncode == 0, f"guardpath {' '.join(args)}: {done.stdout}{done.stderr}"
        return done


@pytest.fixture(name="host")
def host_fixture(tmp_path: Path) -> Iterator[Host]:
    with fresh_database("guardpath_deploy") as url:
        for folder in ("etc", "data", "backups", "tls", "nginx"):
            (tmp_path / folder).mkdir(mode=0o700)
        yield Host(tmp_path, url)


def certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1, as the page's fullchain.pem and privkey.pem."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "guardpath test")])
    now = dt.datetime.now(dt.UTC)
    made = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    chain = folder / "fullchain.pem"
    chain.write_bytes(made.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain


# -- processes -----------------------------------------------------------------------------------
def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, **client: Any) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=30, **client).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {DEADLINE} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the whole group: uvicorn's workers too
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class Site:
    https: str
    http: str
    backend: str
    trust: ssl.SSLContext
    serve_log: Path
    nginx_log: Path

    def browser(self, address: str) -> httpx.Client:
        """A client at loopback `address`, trusting the self-signed certificate."""
        transport = httpx.HTTPTransport(verify=self.trust, local_address=address)
        return httpx.Client(base_url=self.https, transport=transport, timeout=60)


@pytest.fixture(name="installed")
def installed_fixture(host: Host) -> Host:
    """The page's first commands: the keys, the schema, the first staff account."""
    first = gp_commands()[:3]
    assert [args[:2] for args in first] == [["keys", "new"], ["db", "upgrade"], ["staff", "add"]]
    for args in first:
        done = host.run(args, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    secret = re.search(r"^\s+([A-Z2-7]{16,})$", done.stdout, flags=re.M)
    assert secret, done.stdout
    host.totp_secret = secret.group(1)
    return host


@pytest.fixture(name="site")
def site_fixture(installed: Host) -> Iterator[Site]:
    host = installed
    app_port, tls_port, http_port = free_port(), free_port(), free_port()

    # The service, as the unit starts it.
    for line in unit_lines("/etc/systemd/system/guardpath.service", "ExecStartPre"):
        host.run(shlex.split(replaced(line, PROGRAM, "")))
    (start,) = unit_lines("/etc/systemd/system/guardpath.service", "ExecStart")
    args = shlex.split(replaced(replaced(start, PROGRAM + " ", ""), "8000", str(app_port)))
    assert args[:1] == ["serve"] and "--workers" in args
    serve_log = host.root / "serve.log"
    with serve_log.open("wb") as errors:
        service = subprocess.Popen(
            [str(GUARDPATH), *args],
            env=serve_env(host.settings()),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
    nginx = None
    try:
        backend = f"http://127.0.0.1:{app_port}"
        wait_for(f"{backend}/healthz", service, serve_log)
        nginx, nginx_log = start_nginx(host, app_port, tls_port, http_port)
        trust = ssl.create_default_context(cafile=str(host.root / "tls" / "fullchain.pem"))
        https = f"https://127.0.0.1:{tls_port}"
        wait_for(f"{https}/healthz", nginx, host.root / "nginx" / "error.log", verify=trust)
        yield Site(https, f"http://127.0.0.1:{http_port}", backend, trust, serve_log, nginx_log)
    finally:
        if nginx is not None:
            stop(nginx)
        stop(service)


def start_nginx(
    host: Host, app_port: int, tls_port: int, http_port: int
) -> tuple[subprocess.Popen[bytes], Path]:
    certificate(host.root / "tls")
    prefix = host.root / "nginx"
    site = block("/etc/nginx/sites-available/guardpath")
    for old, new in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("listen [::]:80;", ""),  # loopback IPv4 only: the test machine may have no IPv6
        ("listen [::]:443 ssl http2;", ""),
    ]:
        site = replaced(site, old, new)
    (prefix / "site.conf").write_text(host.path(site))
    access = prefix / "access.log"
    (prefix / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    log_format withid '$remote_addr $request_id $status';
    access_log {access} withid;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""
    )
    command = [
        str(NGINX),
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
    ]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    return process, access
