"""The backup file: its format, header and closing MAC, values as JSON by column type, and
reading it back line by line with every check (see guardpath.services.backup)."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guardpath.adapters import audit
from guardpath.adapters.backup_store import TABLE_NAMES
from guardpath.adapters.crypto import Keyring

FORMAT = "guardpath-backup"
FORMAT_VERSION = 2
"""2: the closing line carries a MAC under the audit key."""
Progress = Callable[[int, int], None]
"""Called as rows go by with (rows so far, rows in all)."""


class BackupError(ValueError):
    """A backup that cannot be made, or a file that cannot be restored; nothing was changed."""


class NotEmpty(BackupError):
    """The target database holds data; a restore would mix two databases."""


@dataclass(frozen=True)
class Header:
    schema_revision: str
    law_version: str
    created_at: str
    tables: dict[str, int]
    key_ids: list[str]
    fingerprint: dict[str, str]
    engine: str

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class Restored:
    header: Header
    rows: int
    report: audit.Report = field(default_factory=audit.Report)


# -- the keys a backup depends on ----------------------------------------------------------------
def fingerprint(keyring: Keyring) -> dict[str, str]:
    """Short MACs of a constant: equal when the index and audit keys are, revealing neither."""
    return {
        "index_key": keyring.blind_index("backup-fingerprint", FORMAT)[:16],
        "audit_key": keyring.chain_mac(FORMAT.encode())[:16],
    }


# -- lines and the closing MAC ---------------------------------------------------------------
def json_line(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def closing_mac(keyring: Keyring, sha256: str) -> str:
    """The backup's MAC: its digest under the audit key, in a domain of its own."""
    return keyring.chain_mac(f"{FORMAT}\0{FORMAT_VERSION}\0{sha256}".encode())


# -- reading a backup ----------------------------------------------------------------------------
class Reader:
    """The lines of a backup file, checked as they come: JSON, then the closing line's digest."""

    def __init__(self, path: Path, keyring: Keyring) -> None:
        self.path = path
        self.keyring = keyring
        self.digest = hashlib.sha256()
        self.number = 0

    def fail(self, message: str) -> BackupError:
        where = f" (line {self.number})" if self.number else ""
        return BackupError(
            f"FILE: {str(self.path)!r} is not a whole guardpath backup{where}: {message}"
        )

    def lines(self) -> Iterator[dict[str, Any]]:
        try:
            with gzip.open(self.path, "rb") as handle:
                for raw in handle:
                    self.number += 1
                    data = self._parse(raw)
                    if data.get("end") is True:
                        self._close(data, handle)
                        return
                    self.digest.update(raw)
                    yield data
        except FileNotFoundError:
            raise BackupError(f"FILE: no file {str(self.path)!r}") from None
        except IsADirectoryError:
            raise BackupError(f"FILE: {str(self.path)!r} is a folder, not a backup") from None
        except (OSError, EOFError, zlib.error) as error:
            raise self.fail(f"it is cut short or not gzip ({error})") from None
        raise self.fail("it ends before its closing line (cut short?)")

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if not raw.endswith(b"\n"):
            raise self.fail("the last line is cut short")
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self.fail("a line is not JSON") from None
        if not isinstance(data, dict):
            raise self.fail("a line is not a JSON object")
        return data

    def _close(self, data: dict[str, Any], handle: gzip.GzipFile) -> None:
        if data.get("sha256") != self.digest.hexdigest():
            raise self.fail("its content does not match its checksum (changed or damaged)")
        mac = data.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(
            mac, closing_mac(self.keyring, self.digest.hexdigest())
        ):
            raise self.fail(
                "its MAC does not match (altered, or made with another audit key); nothing "
                "was restored"
            )
        if data.get("rows") != self.number - 2:
            raise self.fail("its row count does not match its closing line")
        if handle.read(1):
            raise self.fail("there is data after its closing line")


def read_header(data: dict[str, Any], reader: Reader) -> Header:
    if data.get("format") != FORMAT:
        raise reader.fail("its first line is not a guardpath backup header")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"FILE: backup format version {data.get('format_version')!r}; this guardpath reads "
            f"version {FORMAT_VERSION}"
        )
    try:
        fields = {name: data[name] for name in Header.__dataclass_fields__}
        header = Header(**fields)
    except KeyError as missing:
        raise reader.fail(f"its header lacks {missing}") from None
    if not isinstance(header.tables, dict) or set(header.tables) != set(TABLE_NAMES):
        raise reader.fail("its header does not list the tables of this schema")
    if not isinstance(header.key_ids, list) or not isinstance(header.fingerprint, dict):
        raise reader.fail("its header's key_ids or fingerprint is malformed")
    return header
