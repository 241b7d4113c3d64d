"""Restores refused, all or nothing: a backup cut short, altered (its digest recomputed, or
its records not verifying), made with other keys, or aimed at a database with data; the
fixtures and helpers are tests/test_backup.py's."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import persons
from guardpath.bootstrap import Context
from guardpath.services.backup import BackupError, NotEmpty, make_backup, restore_backup
from guardpath.services.backup_file import closing_mac
from guardpath.services.keys import reopen_all, rotate_keys
from guardpath.services.staff import add_staff
from test_backup import (  # noqa: F401
    ADMIN,
    _no_guardpath_environment,
    backed_up,
    context,
    counts_of,
    everything,
    lines,
    source_fixture,
    source_folder_fixture,
    target_fixture,
)


def test_it_refuses_a_cut_short_backup_and_changes_nothing(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    whole = gzip.decompress(path.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(whole[: whole.rindex(b'{"end"')]))
    torn = tmp_path / "torn.jsonl.gz"
    torn.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    for broken, problem in ((cut, "ends before its closing line"), (torn, "cut short")):
        with pytest.raises(BackupError, match=problem):
            restore_backup(target, broken)

    assert sum(counts_of(target).values()) == 0


def test_it_refuses_an_altered_backup_even_when_forced_and_keeps_the_data(
    source: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    text_lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    changed = [line.replace('"state":"rejected"', '"state":"approved"') for line in text_lines]
    assert changed != text_lines
    altered = tmp_path / "altered.jsonl.gz"
    altered.write_bytes(gzip.compress("".join(changed).encode()))
    before = everything(source)

    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(source, altered, force=True)

    assert everything(source) == before


def test_it_refuses_a_target_with_cases_unless_forced(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    with source.engine.begin() as conn:
        conn.execute(update(persons).values(sex="female"))
    changed = everything(source)

    with pytest.raises(NotEmpty, match=r"30 cases.*--force"):
        restore_backup(source, path)
    unchanged = everything(source)
    restored = restore_backup(source, path, force=True)

    assert unchanged == changed
    assert restored.report.ok
    assert {row["sex"] for row in everything(source)["persons"]} == {"male", "female"}


def test_it_refuses_a_backup_made_with_other_keys(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    stranger = context(tmp_path / "stranger")
    upgrade(stranger.engine)

    with pytest.raises(BackupError, match="other index and audit keys"):
        restore_backup(stranger, path)

    assert sum(counts_of(stranger).values()) == 0
    stranger.engine.dispose()


def test_it_refuses_a_database_without_the_schema(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    bare = context(tmp_path / "bare", key_file=source.settings.key_path)

    with pytest.raises(BackupError, match="guardpath db upgrade"):
        restore_backup(bare, path)
    bare.engine.dispose()


def test_it_never_overwrites_a_file(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    first = path.read_bytes()

    with pytest.raises(BackupError, match="exists"):
        make_backup(source, ADMIN, path)

    assert path.read_bytes() == first


def test_it_restores_a_backup_made_before_a_key_rotation(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    rotate_keys(source, ADMIN)  # the key file now has the new key, and the old one retired

    restored = restore_backup(
        context(target.settings.data_dir, key_file=source.settings.key_path), path
    )

    assert restored.report.ok
    assert reopen_all(target) == reopen_all(source)


def test_it_refuses_a_key_file_without_the_keys_the_backup_needs(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    old = source.keyring.active_id
    rotate_keys(source, ADMIN)
    keys = json.loads(source.settings.key_path.read_text())
    del keys["data_keys"][old]
    keys["retired"] = []
    pruned = tmp_path / "pruned.json"
    pruned.write_text(json.dumps(keys))

    with pytest.raises(BackupError, match=f"lacks data keys {old}"):
        restore_backup(context(target.settings.data_dir, key_file=pruned), path)

    assert sum(counts_of(target).values()) == 0


# -- keyed backups: an edit with its digest recomputed ------------------------------------------
def rewritten(path: Path, edit: Any, folder: Path, *, mac_with: Context | None = None) -> Path:
    """The backup with `edit` applied to its lines and its closing SHA-256 recomputed, as
    anyone holding the file but not the audit key can; `mac_with` also recomputes the MAC
    (someone holding the keys too)."""
    *body, _ = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    changed = [edit(line) for line in body]
    assert changed != body, "the edit changes the backup"
    digest = hashlib.sha256("".join(changed).encode()).hexdigest()
    closing: dict[str, Any] = {"end": True, "rows": len(changed) - 1, "sha256": digest}
    closing["mac"] = closing_mac(mac_with.keyring, digest) if mac_with else "0" * 64
    out = folder / "rewritten.jsonl.gz"
    out.write_bytes(gzip.compress(("".join(changed) + json.dumps(closing) + "\n").encode()))
    return out


def rejected_to_approved(line: str) -> str:
    return line.replace('"state":"rejected"', '"state":"approved"')


def analyst_to_admin(line: str) -> str:
    return line.replace('"role":"analyst"', '"role":"admin"') if "staff_users" in line else line


@pytest.mark.parametrize("edit", [rejected_to_approved, analyst_to_admin])
def test_it_refuses_an_edited_backup_whose_digest_was_recomputed(
    source: Context, target: Context, tmp_path: Path, edit: Any
) -> None:
    if edit is analyst_to_admin:
        add_staff(source, ADMIN, "olena.analyst", "analyst", "correct horse battery")
    path = rewritten(backed_up(source, tmp_path), edit, tmp_path)

    with pytest.raises(BackupError, match="its MAC does not match"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0


def test_it_restores_nothing_when_the_restored_records_do_not_verify(
    source: Context, target: Context, tmp_path: Path
) -> None:
    """Even a backup whose MAC was recomputed with the keys: the rows are checked against
    their MACs and the chain inside the restore's transaction, which is then rolled back."""
    path = rewritten(backed_up(source, tmp_path), rejected_to_approved, tmp_path, mac_with=source)

    with pytest.raises(BackupError, match=r"cases [0-9a-f-]+: edited.*nothing was restored"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0


def test_it_restores_nothing_when_an_audit_entry_was_edited(
    source: Context, target: Context, tmp_path: Path
) -> None:
    def edited_entry(line: str) -> str:
        if '"table":"audit_log","row":{"seq":2,' not in line:
            return line
        return re.sub(r'"actor_id":"[^"]*"', '"actor_id":"someone-else"', line)

    path = rewritten(backed_up(source, tmp_path), edited_entry, tmp_path, mac_with=source)

    with pytest.raises(BackupError, match=r"audit entry \d+: changed.*nothing was restored"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0
