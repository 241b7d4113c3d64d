"""Signed checkpoints of the audit chain: its head (position, MAC, time) signed with Ed25519.

The chain alone cannot show that its newest entries were removed: a shorter chain still
verifies. A checkpoint kept elsewhere (a daily file on another machine, a printout, a message to
another system) can: `verify_against` fails if the chain no longer holds the checkpoint's entry
as it was. The signing key is a PEM file outside the database (GUARDPATH_CHECKPOINT_KEY_FILE),
so whoever can write the database cannot forge a checkpoint of a rewritten chain without it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection

from guardpath.adapters import audit
from guardpath.adapters.tables import audit_log
from guardpath.settings import Settings, SettingsError

FORMAT = "guardpath-checkpoint"


class CheckpointError(SettingsError):
    """No usable signing key, or a file that is not a valid checkpoint; the message says which."""


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: str
    at: str

    def message(self) -> bytes:
        body = {"format": FORMAT, "position": self.position, "hash": self.hash, "at": self.at}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def load_signing_key(settings: Settings, *, create: bool) -> Ed25519PrivateKey:
    """The checkpoint key; in development a missing one is generated (owner-only) if `create`."""
    path = settings.checkpoint_key_path
    if not path.exists():
        if settings.production or not create:
            raise CheckpointError(
                f"GUARDPATH_CHECKPOINT_KEY_FILE: no checkpoint key at {path}; create one outside "
                f"the data folder with `openssl genpkey -algorithm ed25519 -out {path}` "
                "(readable by its owner only) and keep a copy of its public key elsewhere"
            )
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    if settings.production and path.stat().st_mode & 0o077:
        raise CheckpointError(
            f"GUARDPATH_CHECKPOINT_KEY_FILE: {path} is readable or writable by others "
            f"(mode {path.stat().st_mode & 0o777:o}); run `chmod 600 {path}`"
        )
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise CheckpointError(
            f"GUARDPATH_CHECKPOINT_KEY_FILE: {path} is not an unencrypted PEM private key"
        ) from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"GUARDPATH_CHECKPOINT_KEY_FILE: {path} is not an Ed25519 key")
    return loaded


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def make_checkpoint(conn: Connection, key: Ed25519PrivateKey, now: datetime) -> dict[str, Any]:
    """The signed head of the chain as it stands, as a JSON-ready object."""
    head = conn.execute(audit.LAST_ENTRY).first()
    if head is None:
        raise CheckpointError("the audit chain is empty: there is nothing to checkpoint yet")
    point = Checkpoint(int(head.seq), str(head.hash), now.isoformat())
    return {
        "format": FORMAT,
        "position": point.position,
        "hash": point.hash,
        "at": point.at,
        "public_key": public_hex(key.public_key()),
        "signature": key.sign(point.message()).hex(),
    }


def read_checkpoint(path: Path, key: Ed25519PublicKey) -> Checkpoint:
    """The checkpoint in `path`, if its signature is the checkpoint key's."""
    where = f"--checkpoint: {str(path)!r}"
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise CheckpointError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError(f"{where}: not a JSON checkpoint") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"{where}: not a guardpath checkpoint")
    try:
        point = Checkpoint(int(data["position"]), str(data["hash"]), str(data["at"]))
        signature = bytes.fromhex(str(data["signature"]))
    except (KeyError, ValueError, TypeError):
        raise CheckpointError(f"{where}: position, hash, at or signature is missing") from None
    try:
        key.verify(signature, point.message())
    except InvalidSignature:
        raise CheckpointError(
            f"{where}: its signature is not the checkpoint key's (forged, altered, or made with "
            "another GUARDPATH_CHECKPOINT_KEY_FILE)"
        ) from None
    return point


def verify_against(conn: Connection, point: Checkpoint) -> list[audit.Problem]:
    """What the chain lost or rewrote up to the checkpoint's entry."""
    found = conn.execute(audit.LAST_ENTRY.where(audit_log.c.seq <= point.position)).first()
    if found is None or found.seq < point.position:
        held = 0 if found is None else int(found.seq)
        return [
            audit.Problem(
                held + 1,
                "removed",
                f"entries {held + 1}–{point.position} are missing: the checkpoint of {point.at} "
                f"recorded the chain up to position {point.position}",
            )
        ]
    if found.hash != point.hash:
        return [
            audit.Problem(
                point.position,
                "rewritten",
                f"entry {point.position} is not the one the checkpoint of {point.at} signed: "
                "the chain up to it was rewritten",
            )
        ]
    return []
