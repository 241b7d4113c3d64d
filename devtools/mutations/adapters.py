"""Mutations of the adapters layer (src/guardpath/adapters/)."""

from __future__ import annotations

from mutations.model import (
    API,
    AUDIT,
    CHECKPOINTS,
    CRASH,
    ENCRYPTION,
    ROWS,
    SETTINGS,
    Mutation,
)

DEFERRED_COMMIT = """    ) -> None:
        if getattr(self, "_later", False) and kind is None:

            def later() -> None:
                self._transaction.commit()
                self.conn.close()

            __import__("threading").Timer(0.05, later).start()
            return
        if self._transaction.is_active:
            self._transaction.rollback()
"""


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "seal-stores-plaintext",
        "personal data encrypted at rest",
        "src/guardpath/adapters/crypto.py",
        (
            (
                "AESGCM(self.data_keys[self.active_id]).encrypt(nonce, plaintext, "
                "context.encode())",
                "plaintext",
            ),
            (
                "return AESGCM(self.data_keys[key_id]).decrypt(nonce, body, context.encode())",
                "return body",
            ),
        ),
        (
            f"{ENCRYPTION}::test_it_leaves_no_one_readable_in_the_sqlite_file_its_wal_or_a_backup",
            f"{ENCRYPTION}::test_it_leaves_no_one_readable_in_any_postgresql_column",
            f"{API}::test_it_keeps_nothing_of_the_person_in_clear_in_the_database",
        ),
    ),
    Mutation(
        "seal-ignores-its-row",
        "a sealed value opens only in its own row",
        "src/guardpath/adapters/crypto.py",
        (
            ("encrypt(nonce, plaintext, context.encode())", 'encrypt(nonce, plaintext, b"")'),
            ("decrypt(nonce, body, context.encode())", 'decrypt(nonce, body, b"")'),
        ),
        (
            "tests/reliability/test_security_claims.py::"
            "test_a_sealed_identity_moved_to_another_persons_row_does_not_open",
        ),
    ),
    Mutation(
        "audit-mac-unchecked",
        "keyed audit chain",
        "src/guardpath/adapters/audit.py",
        (("        if own != row.hash:\n", "        if False:\n"),),
        (
            f"{AUDIT}::test_it_finds_a_changed_detail_by_its_position",
            f"{AUDIT}::test_it_finds_a_changed_actor_by_its_position",
            f"{AUDIT}::test_it_finds_a_removed_entry_in_the_middle",
            f"{AUDIT}::test_it_finds_two_entries_swapped_under_their_positions",
            f"{AUDIT}::test_it_finds_a_forged_entry_appended_without_the_key",
            "tests/test_cli_cases.py::test_it_verifies_the_audit_chain",
        ),
    ),
    Mutation(
        "row-mac-unchecked",
        "every decision bound to the chain",
        "src/guardpath/adapters/row_seals.py",
        (
            (
                '            elif row["mac"] != own or own != expected:\n',
                "            elif False:\n",
            ),
        ),
        (
            f"{ROWS}::test_it_finds_a_case_moved_from_rejected_to_approved",
            f"{ROWS}::test_it_finds_a_history_entry_rewritten",
            f"{ROWS}::test_it_finds_an_analyst_made_admin",
            f"{ROWS}::test_it_finds_an_older_version_of_a_row_put_back",
            "tests/test_cli_cases.py::test_it_names_a_case_edited_in_the_database_and_exits_1",
        ),
    ),
    Mutation(
        "row-deletions-unseen",
        "every decision bound to the chain",
        "src/guardpath/adapters/row_seals.py",
        (("        if mac != DELETED and key not in seen:\n", "        if False:\n"),),
        (f"{ROWS}::test_it_finds_a_row_deleted_outside_guardpath",),
    ),
    Mutation(
        "row-insertions-unseen",
        "every decision bound to the chain",
        "src/guardpath/adapters/row_seals.py",
        (("            if expected is None or expected == DELETED:\n", "            if False:\n"),),
        (f"{ROWS}::test_it_finds_a_row_inserted_outside_guardpath",),
    ),
    Mutation(
        "checkpoint-ignored",
        "signed checkpoints",
        "src/guardpath/adapters/checkpoints.py",
        (("    if found is None or found.seq < point.position:\n", "    if False:\n"),),
        CHECKPOINTS,
    ),
    Mutation(
        "checkpoint-signature-unchecked",
        "signed checkpoints",
        "src/guardpath/adapters/checkpoints.py",
        (("        key.verify(signature, point.message())\n", "        pass\n"),),
        ("tests/test_cli_cases.py::test_it_refuses_a_checkpoint_whose_position_was_changed",),
    ),
    Mutation(
        "weak-keys-accepted",
        "keys worth the name",
        "src/guardpath/adapters/crypto.py",
        (("        check_key_strength(keyring, where)\n", "        pass\n"),),
        (
            f"{SETTINGS}::test_production_refuses_keys_of_low_entropy_naming_them",
            f"{SETTINGS}::test_production_refuses_the_same_key_used_twice",
        ),
    ),
    Mutation(
        "loose-key-file-accepted",
        "keys worth the name",
        "src/guardpath/adapters/crypto.py",
        (("    if mode & 0o077:\n", "    if False:\n"),),
        (f"{SETTINGS}::test_production_refuses_a_key_file_others_may_read_or_write",),
    ),
    Mutation(
        "key-file-in-data-folder-accepted",
        "keys worth the name",
        "src/guardpath/adapters/crypto.py",
        (("    if inside and not settings.key_file_in_data_dir:\n", "    if False:\n"),),
        (f"{SETTINGS}::test_production_refuses_a_key_file_in_the_data_folder_unless_told",),
    ),
    Mutation(
        "database-readable-by-others",
        "database files owner-only",
        "src/guardpath/adapters/database.py",
        (
            ("os.O_RDWR | os.O_CREAT, 0o600)", "os.O_RDWR | os.O_CREAT, 0o644)"),
            ("                path.chmod(0o600)\n", "                pass\n"),
        ),
        (
            f"{SETTINGS}::test_it_creates_the_database_and_its_wal_for_the_owner_only",
            f"{SETTINGS}::test_it_tightens_a_database_file_left_readable_by_others",
        ),
    ),
    Mutation(
        "sensitive-facts-in-clear",
        "sensitive facts sealed",
        "src/guardpath/adapters/sealing.py",
        (
            (
                "    clear = {k: v for k, v in facts.items() if k not in SEALED_FACTS}\n",
                "    clear = dict(facts)\n",
            ),
            ("    hidden = IDENTITY_FACTS | SEALED_FACTS\n", "    hidden = IDENTITY_FACTS\n"),
        ),
        (
            "tests/cases/test_sealed_facts.py::"
            "test_it_leaves_no_medical_conviction_or_stay_fact_in_the_files_or_a_backup",
        ),
    ),
    Mutation(
        "commit-does-nothing",
        "crash consistency: 201 only after the commit",
        "src/guardpath/adapters/unit_of_work.py",
        (
            (
                "        self._transaction.commit()\n"
                "        entries, self._entries = self._entries, []\n",
                "        pass\n        entries, self._entries = self._entries, []\n",
            ),
        ),
        (CRASH,),
    ),
    Mutation(
        "answer-before-commit",
        "crash consistency: 201 only after the commit",
        "src/guardpath/adapters/unit_of_work.py",
        (
            (
                "        self._transaction.commit()\n"
                "        entries, self._entries = self._entries, []\n",
                "        self._later = True  # mutation: answer first, commit 50 ms later\n"
                "        entries, self._entries = self._entries, []\n",
            ),
            (
                "    ) -> None:\n"
                "        if self._transaction.is_active:\n"
                "            self._transaction.rollback()\n",
                DEFERRED_COMMIT,
            ),
        ),
        (CRASH,),
    ),
)
