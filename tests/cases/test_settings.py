"""Settings and keys at start-up: production refuses to run without real keys, development
makes its own and keeps them to the owner."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from guardpath.adapters.crypto import Keyring, KeyringError, load_keyring, write_key_file
from guardpath.bootstrap import bootstrap
from guardpath.settings import SettingsError, load_settings


def test_it_stops_production_without_a_key_file_naming_guardpath_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDPATH_ENV", "production")
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(tmp_path))
    with pytest.raises(KeyringError, match="GUARDPATH_KEY_FILE") as error:
        bootstrap()
    assert str(tmp_path / "keys.json") in str(error.value)
    assert isinstance(error.value, SettingsError)
    assert not (tmp_path / "keys.json").exists()


def test_it_stops_production_when_the_named_key_file_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDPATH_ENV", "production")
    monkeypatch.setenv("GUARDPATH_KEY_FILE", str(tmp_path / "elsewhere" / "keys.json"))
    with pytest.raises(KeyringError, match=r"GUARDPATH_KEY_FILE: no key file at .*elsewhere"):
        load_keyring(load_settings(data_dir=tmp_path))


@pytest.mark.parametrize("env", ["production", "development"])
def test_it_refuses_a_placeholder_in_guardpath_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    monkeypatch.setenv("GUARDPATH_ENV", env)
    monkeypatch.setenv("GUARDPATH_KEYS", "changeme")
    with pytest.raises(KeyringError, match="GUARDPATH_KEYS"):
        load_keyring(load_settings(data_dir=tmp_path))
    assert not (tmp_path / "keys.json").exists()


@pytest.mark.parametrize("key", ["data_keys.k1", "index_key", "audit_key"])
def test_it_refuses_a_changeme_key_inside_the_keys_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    keys = Keyring.generate().as_json()
    keys["data_keys"] = {"k1": keys["data_keys"][keys["active"]]}
    keys["active"] = "k1"
    if key == "data_keys.k1":
        keys["data_keys"]["k1"] = "changeme"
    else:
        keys[key] = "changeme"
    monkeypatch.setenv("GUARDPATH_ENV", "production")
    monkeypatch.setenv("GUARDPATH_KEYS", json.dumps(keys))
    with pytest.raises(KeyringError, match=f"GUARDPATH_KEYS: {key} is missing or a placeholder"):
        load_keyring(load_settings(data_dir=tmp_path))


def test_it_refuses_a_changeme_key_in_the_key_file_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    keys = Keyring.generate().as_json() | {"index_key": "changeme"}
    path.write_text(json.dumps(keys))
    with pytest.raises(KeyringError, match=f"{path}: index_key is missing or a placeholder"):
        load_keyring(load_settings(env="production", key_file=path))


def test_it_runs_production_with_a_real_key_file(tmp_path: Path) -> None:
    keyring = Keyring.generate()
    write_key_file(keyring, tmp_path / "secrets" / "keys.json")
    settings = load_settings(env="production", key_file=tmp_path / "secrets" / "keys.json")
    assert load_keyring(settings).as_json() == keyring.as_json()


def test_it_creates_development_keys_readable_by_the_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(data))
    settings = load_settings()
    assert not settings.production
    first = load_keyring(settings)
    path = data / "keys.json"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(load_settings()).as_json() == first.as_json()  # kept, not regenerated
    assert first.active_id in json.loads(path.read_text())["data_keys"]


def test_it_refuses_a_database_url_that_is_not_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDPATH_DATABASE_URL", "guardpath.db")
    with pytest.raises(ValueError, match="GUARDPATH_DATABASE_URL"):
        load_settings()


def test_it_refuses_an_unknown_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDPATH_ENV", "staging")
    with pytest.raises(ValueError, match="env"):
        load_settings()
