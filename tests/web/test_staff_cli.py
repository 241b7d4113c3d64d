"""`guardpath staff add USERNAME --role ROLE` asks for the password and prints the TOTP secret
and its otpauth URI once."""

from __future__ import annotations

import re

import pyotp
import pytest
from typer.testing import CliRunner

from guardpath.cli import app
from guardpath.services.staff import log_in

PASSWORD = "a long enough password"


@pytest.fixture
def run(ctx, monkeypatch):
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(ctx.settings.data_dir))

    def invoke(*args: str, password: str = PASSWORD):
        return CliRunner().invoke(app, ["staff", "add", *args], input=f"{password}\n{password}\n")

    return invoke


def test_it_adds_an_account_that_can_log_in_with_the_printed_secret(run, ctx):
    result = run("olena", "--role", "recruiter")

    assert result.exit_code == 0, result.output
    secret = re.search(r"^  ([A-Z2-7]{32})$", result.stdout, re.M).group(1)
    assert f"otpauth://totp/guardpath:olena?secret={secret}&issuer=guardpath" in result.stdout
    code = pyotp.TOTP(secret).at(ctx.clock())
    assert log_in(ctx, "olena", PASSWORD, code).role.value == "recruiter"


def test_it_gives_applicants_no_staff_account(run):
    result = run("someone", "--role", "applicant")

    assert result.exit_code == 2
    assert "--role: expected one of" in result.stderr
    assert "applicants have no staff access" in result.stderr


def test_it_refuses_a_taken_username_and_a_short_password(run):
    assert run("olena", "--role", "recruiter").exit_code == 0

    taken = run("olena", "--role", "commander")
    short = run("taras", "--role", "commander", password="short")

    assert taken.exit_code == 2
    assert "USERNAME: 'olena' is taken" in taken.stderr
    assert short.exit_code == 2
    assert "password: at least 12 characters" in short.stderr
