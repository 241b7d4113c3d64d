"""`guardpath keys new FILE`: fresh keys for production, owner-only, never over a key file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from typer.testing import CliRunner

from guardpath.adapters.crypto import Keyring
from guardpath.cli import app


def test_it_writes_fresh_keys_readable_by_the_owner_only(tmp_path: Path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"

    assert CliRunner().invoke(app, ["keys", "new", str(first)]).exit_code == 0
    assert CliRunner().invoke(app, ["keys", "new", str(second)]).exit_code == 0

    one = Keyring.from_json(json.loads(first.read_text()), "one")
    two = Keyring.from_json(json.loads(second.read_text()), "two")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert one.audit_key != two.audit_key and one.index_key != two.index_key


def test_it_never_replaces_a_key_file(tmp_path: Path) -> None:
    existing = tmp_path / "keys.json"
    existing.write_text("the keys that open last year's data")

    result = CliRunner().invoke(app, ["keys", "new", str(existing)])

    assert result.exit_code == 2
    assert "never replaced" in result.output
    assert existing.read_text() == "the keys that open last year's data"
