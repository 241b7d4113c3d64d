"""Encryption at rest and blind indexes, with keys kept outside the database.

Personal data is sealed with AES-256-GCM (authenticated) under the active data key; the
associated data binds each ciphertext to its table, column and row, so a sealed value copied
into another row does not open. A sealed value names its key, so rotation can proceed row by row.
Equality lookups (a passport number; a normalised name with a birth date) use keyed HMAC-SHA256
"blind indexes": the database holds only the index, which reveals nothing without the index key.
The audit chain is keyed too, so no one with the database alone can forge a consistent chain.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from guardpath.settings import PLACEHOLDERS, Settings, SettingsError

MAGIC = b"GP1"
NONCE_BYTES = 12
KEY_BYTES = 32


class KeyringError(SettingsError):
    """The keys are missing, malformed or a placeholder; the message says which and where."""


def _decode_key(name: str, text: object, where: str) -> bytes:
    if not isinstance(text, str) or text.strip().lower() in PLACEHOLDERS:
        raise KeyringError(f"{where}: {name} is missing or a placeholder; generate a real key")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise KeyringError(f"{where}: {name} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"{where}: {name} must be {KEY_BYTES} random bytes in base64")
    return raw


def new_key_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d")
    return f"k{stamp}{secrets.token_hex(3)}"


def _encode(key: bytes) -> str:
    return base64.b64encode(key).decode()


@dataclass
class Keyring:
    active_id: str
    data_keys: dict[str, bytes]
    index_key: bytes
    audit_key: bytes
    retired: list[str] = field(default_factory=list)

    # -- sealing -----------------------------------------------------------------------
    def seal(self, plaintext: bytes, context: str) -> bytes:
        """Encrypt under the active key; `context` (table.column:row) is authenticated."""
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.active_id.encode()
        body = AESGCM(self.data_keys[self.active_id]).encrypt(nonce, plaintext, context.encode())
        return MAGIC + bytes([len(key_id)]) + key_id + nonce + body

    def open(self, sealed: bytes, context: str) -> bytes:
        key_id = self.key_id_of(sealed)
        if key_id not in self.data_keys:
            raise KeyringError(f"no key {key_id!r} in the keyring to open this value")
        start = len(MAGIC) + 1 + len(key_id)
        nonce, body = sealed[start : start + NONCE_BYTES], sealed[start + NONCE_BYTES :]
        return AESGCM(self.data_keys[key_id]).decrypt(nonce, body, context.encode())

    @staticmethod
    def key_id_of(sealed: bytes) -> str:
        if not sealed.startswith(MAGIC):
            raise KeyringError("not a sealed value")
        length = sealed[len(MAGIC)]
        return sealed[len(MAGIC) + 1 : len(MAGIC) + 1 + length].decode()

    def seal_json(self, value: Any, context: str) -> bytes:
        return self.seal(json.dumps(value, sort_keys=True, default=str).encode(), context)

    def open_json(self, sealed: bytes, context: str) -> Any:
        return json.loads(self.open(sealed, context))

    # -- indexes and chains ------------------------------------------------------------
    def _mac(self, key: bytes, message: bytes) -> str:
        mac = hmac.HMAC(key, hashes.SHA256())
        mac.update(message)
        return mac.finalize().hex()

    def blind_index(self, kind: str, value: str) -> str:
        """A keyed index of a normalised value, for equality lookups only."""
        return self._mac(self.index_key, f"{kind}\0{value}".encode())

    def chain_mac(self, message: bytes) -> str:
        return self._mac(self.audit_key, message)

    # -- the key file ------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "active": self.active_id,
            "data_keys": {k: _encode(v) for k, v in self.data_keys.items()},
            "retired": self.retired,
            "index_key": _encode(self.index_key),
            "audit_key": _encode(self.audit_key),
        }

    @classmethod
    def generate(cls) -> Keyring:
        key_id = new_key_id()
        return cls(key_id, {key_id: AESGCM.generate_key(256)}, os.urandom(32), os.urandom(32))

    @classmethod
    def from_json(cls, data: object, where: str) -> Keyring:
        if not isinstance(data, dict):
            raise KeyringError(f"{where}: expected a JSON object of keys")
        keys = data.get("data_keys")
        if not isinstance(keys, dict) or not keys:
            raise KeyringError(f"{where}: data_keys is missing or empty")
        data_keys = {kid: _decode_key(f"data_keys.{kid}", v, where) for kid, v in keys.items()}
        active = data.get("active")
        if active not in data_keys:
            raise KeyringError(f"{where}: active must name one of data_keys")
        return cls(
            active_id=str(active),
            data_keys=data_keys,
            index_key=_decode_key("index_key", data.get("index_key"), where),
            audit_key=_decode_key("audit_key", data.get("audit_key"), where),
            retired=list(data.get("retired", [])),
        )

    def with_new_active_key(self) -> Keyring:
        added = self.with_new_key()
        return replace(added, active_id=added.waiting_keys()[-1])

    def with_new_key(self) -> Keyring:
        """A new data key beside the others, not yet active."""
        key_id = new_key_id()
        while key_id in self.data_keys:
            key_id = new_key_id()
        keys = {**self.data_keys, key_id: AESGCM.generate_key(256)}
        return Keyring(self.active_id, keys, self.index_key, self.audit_key, list(self.retired))

    def waiting_keys(self) -> list[str]:
        """Data keys neither active nor retired, in the order they were added: a rotation's
        target, written to the key file before the rotation is recorded and made active."""
        return [k for k in self.data_keys if k != self.active_id and k not in self.retired]


def write_key_file(keyring: Keyring, path: Path) -> None:
    """Replace the key file atomically and durably: a crash at any moment leaves the old file
    or the new one, whole, and once this returns the new one survives a power cut too (rows
    sealed under a new key are written only after it returns)."""
    temporary = _written_beside(keyring, path)
    try:
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def remove_unfinished_key_files(path: Path) -> int:
    """Delete the new key files a killed write left beside `path` (they hold keys, so they
    must not linger); only safe while no other process writes the key file, i.e. under the
    rotation lock once the key file exists. Returns how many were removed."""
    leftovers = list(path.parent.glob(f".{path.name}.*.tmp"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return len(leftovers)


def _create_key_file(keyring: Keyring, path: Path) -> bool:
    """Write the key file only if there is none, atomically; False if another process made it
    first (two fresh starts must not each seal data under a key that the other one replaced)."""
    temporary = _written_beside(keyring, path)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    _sync_folder(path.parent)
    return True


def new_key_file(path: Path) -> Keyring | None:
    """Fresh keys in a new key file at `path` (owner-only), or None if a file is already there:
    a key file is never replaced by this, since the data sealed under it would be lost."""
    keyring = Keyring.generate()
    return keyring if _create_key_file(keyring, path) else None


def _written_beside(keyring: Keyring, path: Path) -> Path:
    """The keys in a new file beside `path`, readable by the owner only, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(keyring.as_json(), handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _sync_folder(folder: Path) -> None:
    """Make a rename or link in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_keyring(settings: Settings) -> Keyring:
    """The keys from GUARDPATH_KEYS or the key file. In development a missing key file is
    created; in production missing, placeholder or weak keys stop start-up, and so does a key
    file that others may read or that lies in the data folder."""
    if settings.production and settings.keys is None and settings.key_path.exists():
        _check_production_key_file(settings)
    keyring = _load_keyring(settings)
    if settings.production:
        where = "GUARDPATH_KEYS" if settings.keys is not None else str(settings.key_path)
        check_key_strength(keyring, where)
    return keyring


def _check_production_key_file(settings: Settings) -> None:
    path = settings.key_path
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyringError(
            f"GUARDPATH_KEY_FILE: {path} is readable or writable by group or others (mode "
            f"{mode:o}); production needs it owner-only: run `chmod 600 {path}`"
        )
    inside = path.resolve().is_relative_to(settings.data_dir.resolve())
    if inside and not settings.key_file_in_data_dir:
        raise KeyringError(
            f"GUARDPATH_KEY_FILE: {path} is inside the data folder {settings.data_dir}, which "
            "copies and backups of the database take along (a development key file left "
            "there?); keep production keys elsewhere, or set GUARDPATH_KEY_FILE_IN_DATA_DIR=true "
            "to accept this explicitly"
        )


def weakness(key: bytes) -> str | None:
    """Why `key` is not worth the name, or None: one byte repeated, a short pattern repeated,
    a counting sequence, or few distinct bytes (32 random bytes show about 30)."""
    for period in (1, 2, 4, 8, 16):
        if key == key[:period] * (len(key) // period):
            return "all one byte" if period == 1 else f"a {period}-byte pattern repeated"
    steps = {(b - a) % 256 for a, b in itertools.pairwise(key)}
    if len(steps) == 1:
        return "a counting sequence"
    if len(set(key)) < 16:
        return f"only {len(set(key))} distinct bytes of 32"
    return None


def check_key_strength(keyring: Keyring, where: str) -> None:
    """Production: every key random-looking, and no key used twice."""
    named = {f"data_keys.{kid}": key for kid, key in keyring.data_keys.items()}
    named |= {"index_key": keyring.index_key, "audit_key": keyring.audit_key}
    for name, key in named.items():
        why = weakness(key)
        if why is not None:
            raise KeyringError(
                f"{where}: {name} is {why}, not a random key; generate real keys for production"
            )
    if len(set(named.values())) < len(named):
        raise KeyringError(f"{where}: two keys are the same; each must be its own random key")


def _load_keyring(settings: Settings) -> Keyring:
    if settings.keys is not None:
        text = settings.keys.get_secret_value()
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise KeyringError("GUARDPATH_KEYS: not JSON (the key file's content)") from None
        return Keyring.from_json(data, "GUARDPATH_KEYS")
    path = settings.key_path
    if not path.exists():
        if settings.production:
            raise KeyringError(
                f"GUARDPATH_KEY_FILE: no key file at {path}; production needs real keys "
                "(GUARDPATH_KEYS or GUARDPATH_KEY_FILE)"
            )
        keyring = Keyring.generate()
        if _create_key_file(keyring, path):
            return keyring
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError:
        raise KeyringError(f"GUARDPATH_KEY_FILE: {path} is not JSON") from None
    return Keyring.from_json(data, str(path))


# -- normalisation for blind indexes -----------------------------------------------------
def normalise_passport(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and word order do not matter for the name index."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(sorted(letters.split()))
