"""Settings and keys at start-up: production refuses to run without real keys, development
makes its own and keeps them to the owner."""

from __future__ import annotations

import base64
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
    path.chmod(0o600)
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


# -- keys worth the name in production ---------------------------------------------------------
def keys_with(**replaced: bytes) -> dict[str, object]:
    keyring = Keyring.generate()
    keys = keyring.as_json()
    for name, raw in replaced.items():
        encoded = base64.b64encode(raw).decode()
        if name == "data_key":
            keys["data_keys"] = {keyring.active_id: encoded}
        else:
            keys[name] = encoded
    return keys


WEAK = {
    "zeros": (bytes(32), "all one byte"),
    "one-byte": (b"\xa7" * 32, "all one byte"),
    "pattern": (b"\xde\xad\xbe\xef" * 8, "a 4-byte pattern repeated"),
    "half": (bytes(range(16)) * 2, "a 16-byte pattern repeated"),
    "counting": (bytes(range(40, 72)), "a counting sequence"),
    "few-bytes": (
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10] * 3 + [11, 12]),
        "only 12 distinct bytes of 32",
    ),
}


@pytest.mark.parametrize("name", ["data_key", "index_key", "audit_key"])
@pytest.mark.parametrize("weak", list(WEAK), ids=list(WEAK))
def test_production_refuses_keys_of_low_entropy_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, weak: str
) -> None:
    raw, why = WEAK[weak]
    monkeypatch.setenv("GUARDPATH_KEYS", json.dumps(keys_with(**{name: raw})))
    shown = "data_keys" if name == "data_key" else name
    with pytest.raises(KeyringError, match=rf"GUARDPATH_KEYS: {shown}\S* is {why}"):
        load_keyring(load_settings(data_dir=tmp_path, env="production"))
    load_keyring(load_settings(data_dir=tmp_path))  # development: a test key is allowed


def test_production_refuses_the_same_key_used_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = Keyring.generate().as_json()
    keys["audit_key"] = keys["index_key"]
    monkeypatch.setenv("GUARDPATH_KEYS", json.dumps(keys))
    with pytest.raises(KeyringError, match="two keys are the same"):
        load_keyring(load_settings(data_dir=tmp_path, env="production"))


@pytest.mark.parametrize("mode", [0o666, 0o640, 0o604, 0o620])
def test_production_refuses_a_key_file_others_may_read_or_write(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "secrets" / "keys.json"
    write_key_file(Keyring.generate(), path)
    path.chmod(mode)
    settings = load_settings(env="production", data_dir=tmp_path / "data", key_file=path)
    with pytest.raises(KeyringError, match=rf"GUARDPATH_KEY_FILE: .*mode {mode:o}.*chmod 600"):
        load_keyring(settings)
    path.chmod(0o600)
    assert load_keyring(settings).as_json()


def test_production_refuses_a_key_file_in_the_data_folder_unless_told(tmp_path: Path) -> None:
    data = tmp_path / "data"
    left = load_keyring(load_settings(data_dir=data))  # development made keys.json there
    production = load_settings(env="production", data_dir=data)

    with pytest.raises(KeyringError, match=r"inside the data folder.*KEY_FILE_IN_DATA_DIR"):
        load_keyring(production)

    told = load_settings(env="production", data_dir=data, key_file_in_data_dir=True)
    assert load_keyring(told).as_json() == left.as_json()


def test_it_creates_the_database_and_its_wal_for_the_owner_only(tmp_path: Path) -> None:
    ctx = bootstrap(load_settings(data_dir=tmp_path / "data"))
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with ctx.engine.connect():
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "data").iterdir()}
    ctx.engine.dispose()
    assert {"guardpath.db", "guardpath.db-wal"} <= set(files)
    assert set(files.values()) == {0o600}, files


def test_it_tightens_a_database_file_left_readable_by_others(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "guardpath.db").touch(mode=0o644)
    (data / "guardpath.db").chmod(0o644)
    bootstrap(load_settings(data_dir=data)).engine.dispose()
    assert stat.S_IMODE((data / "guardpath.db").stat().st_mode) == 0o600
