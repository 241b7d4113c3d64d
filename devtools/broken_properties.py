"""Break each security and reliability property once, and show that its tests notice.

The committed tree (HEAD) is copied into a temporary folder, so the working tree is never
touched. The tests that guard the properties (docs/security.md names them) first run there
unmutated, each to its end, and must pass. Then each mutation breaks one property in the copy,
by replacing exact text (each old text must be found exactly once; a mutation that has to change
a pair of lines, such as sealing and opening, replaces each), and its guarding tests run again,
stopping at the first failure, with the copy's code first on the path. A mutation is *caught*
when a test fails that passed unmutated; a failure of a test that also failed unmutated proves
nothing. A table of the results follows; the exit status is 1 if a mutation was not caught or a
guarding test failed unmutated.

    .venv/bin/python devtools/broken_properties.py [--only NAME] [--list] [--dry-run]

`--only` (repeatable) runs the named mutations; `--list` names them all; `--dry-run` checks that
every mutation still applies to HEAD, without running a test.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RUN_TIMEOUT = 1800.0
"""Seconds one pytest run may take; the crash test's ten trials are the slowest part."""
PYTEST = ("-m", "pytest", "-x", "-q", "-p", "no:cacheprovider")
RESULTS = "broken-properties-results.xml"
"""pytest's JUnit report, written in the copy: the counts and the first failure's message."""
EVIDENCE_CHARACTERS = 160
WIDTH = 200
"""Columns of the table when the output is not a terminal (a log file, a pipe)."""

ENCRYPTION = "tests/cases/test_encryption.py"
AUDIT = "tests/cases/test_audit.py"
API = "tests/web/test_api_applications.py"
LOGIN = "tests/web/test_staff_login.py"
LOCKOUT = "tests/web/test_staff_lockout.py"
CSRF = "tests/web/test_staff_csrf.py"
BACKUP = "tests/test_backup.py"
BACKUP_REFUSALS = "tests/test_backup_refusals.py"
DIFFERENCING = "tests/test_statistics_differencing.py"
KEYS = "tests/test_keys.py"
RACING = "tests/reliability/test_racing_officers.py"
FUZZ = (
    "tests/reliability/test_api_fuzz.py::"
    "test_every_operation_answers_without_server_error_and_as_its_schema_says",
    "tests/reliability/test_api_fuzz.py::test_a_check_on_a_boundary_day_answers_as_its_schema_says",
    "tests/reliability/test_api_fuzz.py::"
    "test_an_application_born_on_a_boundary_day_answers_as_its_schema_says",
)
CRASH = (
    "tests/reliability/test_crash_consistency.py::"
    "test_a_killed_server_keeps_every_acknowledged_application_exactly_once"
)
ROWS = "tests/cases/test_row_seals.py"
LIFECYCLE = "tests/web/test_staff_lifecycle.py"
SETTINGS = "tests/cases/test_settings.py"
CHECKPOINTS = (
    "tests/test_cli_cases.py::test_it_finds_the_newest_entries_removed_after_a_checkpoint",
    "tests/test_cli_cases.py::test_it_finds_a_chain_rewritten_under_a_checkpoint",
)
KEYED_BACKUP = (f"{BACKUP_REFUSALS}::test_it_refuses_an_edited_backup_whose_digest_was_recomputed",)
NEW_SESSION = "tests/web/test_staff_session.py::test_it_gives_a_new_session_at_every_login"
BACKUP_ROUND_TRIP = (
    f"{BACKUP}::test_it_restores_sqlite_into_a_new_sqlite_identically",
    f"{BACKUP}::test_it_round_trips_sqlite_to_postgresql_and_back",
    f"{BACKUP}::test_it_writes_a_header_with_the_counts_and_keys_it_needs",
)
ROTATION = (
    f"{KEYS}::test_it_rotates_every_sealed_value_to_a_new_key_that_opens",
    f"{KEYS}::test_it_knows_every_sealed_column_of_the_schema",
)
ROTATION_STEPS = ("tests/test_key_rotation_steps.py",)
ROTATION_KILLED = (
    "tests/reliability/test_interrupted_commands.py::"
    "test_a_rotation_killed_half_way_keeps_every_value_readable_and_resumes",
)
NO_PERSONAL_DATA_IN_LOGS = (
    "tests/web/test_staff_logs.py::test_it_writes_no_personal_data_to_the_logs",
    "tests/reliability/test_no_personal_data.py",
    f"{API}::test_it_writes_no_personal_data_to_the_logs",
    "tests/web/test_public_pages.py::"
    "test_it_seals_the_draft_and_logs_nothing_of_the_person_through_the_pages",
)


@dataclass(frozen=True)
class Mutation:
    """One property broken in one file: each (old, new) pair replaces text found once."""

    name: str
    claim: str
    path: str
    edits: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]

    def apply_to(self, tree: Path) -> str:
        """Break the property in `tree`; returns the file's original text, to put back."""
        target = tree / self.path
        original = text = target.read_text(encoding="utf-8")
        for old, new in self.edits:
            found = text.count(old)
            if found != 1:
                raise SystemExit(
                    f"mutation {self.name}: {old.strip()!r} is in {self.path} {found} times, "
                    "not once; update the mutation to the committed code"
                )
            text = text.replace(old, new)
        write_source(target, text)
        return original


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
        "require-admits-every-role",
        "role-scoped access",
        "src/guardpath/web/staff/session.py",
        (("        if staff.role not in roles:\n", "        if False:\n"),),
        (
            "tests/web/test_roles.py::test_it_admits_exactly_the_declared_roles_on_every_route",
            "tests/web/test_staff_analyst.py::test_it_refuses_an_analyst_a_case_page",
            "tests/web/test_staff_analyst.py::test_it_refuses_an_analyst_the_search",
        ),
    ),
    Mutation(
        "csrf-any-token",
        "CSRF token on every staff form",
        "src/guardpath/web/staff/csrf.py",
        (
            (
                "    if not same_secret(staff.csrf, given if isinstance(given, str) else None):\n",
                "    if False:\n",
            ),
        ),
        (
            f"{CSRF}::test_it_refuses_a_step_without_the_sessions_token",
            f"{CSRF}::test_it_refuses_another_sessions_token",
            f"{CSRF}::test_it_refuses_a_logout_without_the_token",
            f"{CSRF}::test_it_refuses_a_search_without_the_token",
        ),
    ),
    Mutation(
        "login-form-token-unchecked",
        "CSRF token on the login form",
        "src/guardpath/web/staff/auth.py",
        (
            (
                '    if not same_secret(request.cookies.get(LOGIN_COOKIE, ""), csrf)'
                " or not csrf:\n",
                "    if False:\n",
            ),
        ),
        (f"{LOGIN}::test_it_refuses_a_login_form_without_its_token",),
    ),
    Mutation(
        "login-reuses-the-session-token",
        "session renewed at login",
        "src/guardpath/services/staff.py",
        (
            (
                "    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)\n",
                "    token, csrf = replacing or secrets.token_urlsafe(32),"
                " secrets.token_urlsafe(32)\n",
            ),
        ),
        (NEW_SESSION,),
    ),
    Mutation(
        "login-keeps-the-old-session",
        "session renewed at login",
        "src/guardpath/web/staff/auth.py",
        (("replacing=session_token(request)", "replacing=None"),),
        (NEW_SESSION,),
    ),
    Mutation(
        "login-throttle-off",
        "throttling of failed logins per address",
        "src/guardpath/web/staff/auth.py",
        (
            (
                "            (LOGINS_PER_CLIENT, client),\n"
                "            (LOGINS_PER_USERNAME, subject(username.strip().lower(), client)),\n",
                "",
            ),
        ),
        (
            f"{LOCKOUT}::test_it_slows_an_address_after_five_failures_on_one_username",
            f"{LOCKOUT}::test_it_slows_down_one_address_that_keeps_failing_across_usernames",
        ),
    ),
    Mutation(
        "account-lockout-off",
        "account locked after five failures",
        "src/guardpath/services/staff.py",
        (
            (
                "        locked = user.locked_until is not None "
                "and now < _utc(user.locked_until)\n",
                "        locked = False\n",
            ),
        ),
        (
            f"{LOCKOUT}::test_it_locks_the_account_after_five_failures",
            f"{LOCKOUT}::test_it_unlocks_the_account_after_fifteen_minutes",
        ),
    ),
    Mutation(
        "resume-code-throttle-off",
        "throttling of resume-code guesses",
        "src/guardpath/services/status.py",
        (
            (
                "        (STATUS_GUESSES_PER_CLIENT, client),\n"
                "        (STATUS_GUESSES_PER_REFERENCE, subject(reference, client)),\n",
                "",
            ),
        ),
        (
            f"{API}::test_it_throttles_guesses_at_one_reference_with_retry_after",
            f"{API}::test_it_throttles_unknown_references_exactly_like_real_ones",
            f"{API}::test_it_throttles_one_client_guessing_across_references",
        ),
    ),
    Mutation(
        "stale-version-ignored",
        "optimistic concurrency",
        "src/guardpath/services/cases.py",
        (
            (
                "    stale = expected_version is not None and expected_version != case.version\n",
                "    stale = False\n",
            ),
        ),
        (
            f"{RACING}::test_twenty_officers_rejecting_one_case_at_once_make_one_rejection",
            f"{RACING}::test_ten_approvals_and_ten_rejections_of_one_case_at_once_make_one_decision",
        ),
    ),
    Mutation(
        "commit-does-nothing",
        "crash consistency: 201 only after the commit",
        "src/guardpath/services/unit_of_work.py",
        (
            (
                "    def commit(self) -> None:\n        self._transaction.commit()\n",
                "    def commit(self) -> None:\n        pass\n",
            ),
        ),
        (CRASH,),
    ),
    Mutation(
        "answer-before-commit",
        "crash consistency: 201 only after the commit",
        "src/guardpath/services/unit_of_work.py",
        (
            (
                "    def commit(self) -> None:\n"
                "        self._transaction.commit()\n"
                "        entries, self._entries = self._entries, []\n",
                "    def commit(self) -> None:\n"
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
    Mutation(
        "submission-split-in-two-commits",
        "crash consistency: nothing half-written",
        "src/guardpath/services/cases.py",
        (
            (
                '"create_case", case.id, {}))\n',
                '"create_case", case.id, {}))\n'
                "        uow.commit()\n"
                "        uow._transaction = uow.conn.begin()\n",
            ),
        ),
        (CRASH,),
    ),
    Mutation(
        "request-log-path-and-query",
        "no personal data in logs",
        "src/guardpath/web/requests.py",
        (
            (
                '        return str(getattr(route, "path", "unmatched"))\n',
                '        return scope["path"] + "?" + scope["query_string"].decode()\n',
            ),
        ),
        NO_PERSONAL_DATA_IN_LOGS,
    ),
    Mutation(
        "backup-writes-no-contracts",
        "backup round trip",
        "src/guardpath/services/backup.py",
        (
            (
                "    for table in TABLES:\n        for row in table_rows(conn, table):\n",
                '    for table in (t for t in TABLES if t.name != "contracts"):\n'
                "        for row in table_rows(conn, table):\n",
            ),
        ),
        BACKUP_ROUND_TRIP,
    ),
    Mutation(
        "backup-table-list-lacks-contracts",
        "backup round trip",
        "src/guardpath/services/backup_file.py",
        (
            (
                "TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)",
                "TABLES: tuple[Table, ...] = tuple("
                't for t in metadata.sorted_tables if t.name != "contracts")',
            ),
        ),
        BACKUP_ROUND_TRIP,
    ),
    Mutation(
        "check-fails-after-2030",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/checks.py",
        (
            (
                "    facts = parse_facts(body.facts)\n",
                "    facts = parse_facts(body.facts)\n"
                "    if body.on.year > 2030:\n"
                '        raise RuntimeError("no law known after 2030")\n',
            ),
        ),
        FUZZ,
    ),
    Mutation(
        "check-fails-on-29-february",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/checks.py",
        (
            (
                "    facts = parse_facts(body.facts)\n",
                "    facts = parse_facts(body.facts)\n"
                "    if (body.on.month, body.on.day) == (2, 29):\n"
                '        raise RuntimeError("a leap day")\n',
            ),
        ),
        FUZZ,
    ),
    Mutation(
        "application-fails-for-a-russian",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/applications.py",
        (
            (
                "    submitted = submit_application(ctx, APPLICANT, body)\n",
                '    if "RU" in body.person.citizenships:\n'
                '        raise RuntimeError("a Russian citizen")\n'
                "    submitted = submit_application(ctx, APPLICANT, body)\n",
            ),
        ),
        FUZZ,
    ),
    Mutation(
        "rotation-skips-a-column",
        "key rotation re-seals everything",
        "src/guardpath/services/keys.py",
        (
            (
                "for column in SEALED_COLUMNS)\n        if moved == 0:",
                "for column in SEALED_COLUMNS[:-1])\n        if moved == 0:",
            ),
        ),
        ROTATION,
    ),
    Mutation(
        "rotation-list-lacks-drafts",
        "key rotation re-seals everything",
        "src/guardpath/services/keys.py",
        (
            (
                '    SealedColumn(drafts, "sealed", lambda row: draft_context(row.id)),\n',
                "",
            ),
        ),
        ROTATION,
    ),
    Mutation(
        "rotation-makes-a-spare-key",
        "a rotation killed between any two writes reruns with one new key",
        "src/guardpath/services/keys.py",
        (("    if not waiting:\n", "    if True:\n"),),
        ROTATION_STEPS,
    ),
    Mutation(
        "rotation-activates-before-recording",
        "a rotation killed between any two writes reruns with one new key",
        "src/guardpath/services/keys.py",
        (
            (
                "    target = waiting[-1]\n",
                "    target = waiting[-1]\n    _activate(ctx, target)\n",
            ),
        ),
        ROTATION_STEPS,
    ),
    Mutation(
        "rotation-activates-in-memory-only",
        "a rotation killed half-way leaves the key file and the database agreeing",
        "src/guardpath/services/keys.py",
        (
            (
                "        ctx.keyring = replace(ctx.keyring, active_id=target)\n"
                "        write_key_file(ctx.keyring, ctx.settings.key_path)\n",
                "        ctx.keyring = replace(ctx.keyring, active_id=target)\n",
            ),
        ),
        ROTATION_KILLED,
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
        "backup-mac-unchecked",
        "keyed backups",
        "src/guardpath/services/backup_file.py",
        (
            (
                '        mac = data.get("mac")\n',
                "        mac = closing_mac(self.keyring, self.digest.hexdigest())\n",
            ),
        ),
        KEYED_BACKUP,
    ),
    Mutation(
        "restore-commits-unverified",
        "restores all or nothing",
        "src/guardpath/services/backup.py",
        (
            (
                "        if not report.ok:\n            raise BackupError",
                "        if False:\n            raise BackupError",
            ),
        ),
        (
            f"{BACKUP_REFUSALS}::test_it_restores_nothing_when_the_restored_records_do_not_verify",
            f"{BACKUP_REFUSALS}::test_it_restores_nothing_when_an_audit_entry_was_edited",
        ),
    ),
    Mutation(
        "demo-accounts-in-production",
        "demo accounts never work in production",
        "src/guardpath/services/staff.py",
        (
            (
                "        demo = ctx.settings.production and "
                "is_demo_account(user.username, secret)\n",
                "        demo = False\n",
            ),
            ("    if found:\n        names", "    if False:\n        names"),
        ),
        (f"{LIFECYCLE}::test_production_refuses_a_database_that_ran_the_demo",),
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
        "src/guardpath/adapters/repository.py",
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
        "disabled-account-keeps-its-session",
        "staff lifecycle",
        "src/guardpath/services/staff.py",
        (
            ("        or row.disabled_at is not None\n", ""),
            (
                "            reseal(uow.conn, ctx.keyring, staff_users, where, "
                '{"disabled_at": now})\n        ended = _end_sessions_of(uow.conn, user.id)\n',
                "            reseal(uow.conn, ctx.keyring, staff_users, where, "
                '{"disabled_at": now})\n        ended = 0\n',
            ),
        ),
        (f"{LIFECYCLE}::test_disabling_an_account_ends_its_session_at_once_and_refuses_its_login",),
    ),
    Mutation(
        "no-idle-timeout",
        "staff lifecycle",
        "src/guardpath/services/staff.py",
        (("        or now - _utc(row.last_seen_at) >= idle\n", ""),),
        (
            f"{LIFECYCLE}::test_a_session_ends_after_thirty_idle_minutes",
            f"{LIFECYCLE}::test_the_idle_timeout_is_a_setting",
        ),
    ),
    Mutation(
        "statistics-count-the-month-in-progress",
        "statistics not differenced",
        "src/guardpath/services/statistics.py",
        (
            (
                "    last = min(filters.end or through, through).replace(day=1)\n",
                "    last = (filters.end or date.max).replace(day=1)\n",
            ),
        ),
        (
            f"{DIFFERENCING}::test_two_cumulative_queries_a_day_apart_no_longer_reveal_one_application",
            "tests/test_statistics_service.py::"
            "test_it_leaves_out_the_month_in_progress_and_cases_never_submitted",
        ),
    ),
    Mutation(
        "font-glyphs-logged",
        "no personal data in logs",
        "src/guardpath/papers/pdf.py",
        (('logging.getLogger("fontTools").setLevel(logging.WARNING)\n', ""),),
        ("tests/test_papers_scripts.py::test_it_sets_a_native_name_in_its_own_script",),
    ),
    Mutation(
        "statistics-exact-counts",
        "statistics not differenced",
        "src/guardpath/services/statistics.py",
        (("    return count // BASE * BASE\n", "    return count\n"),),
        (
            f"{DIFFERENCING}::test_two_cumulative_queries_a_day_apart_no_longer_reveal_one_application",
        ),
    ),
)


# -- the copy --------------------------------------------------------------------------------
@contextmanager
def committed_tree() -> Iterator[Path]:
    """HEAD, extracted into a new temporary folder that is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="guardpath-broken-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_source(path: Path, text: str) -> None:
    """Write a module and drop its cached bytecode: a mutation and its undoing can fall in the
    same second with the same size, which the bytecode's own check would not notice."""
    path.write_text(text, encoding="utf-8")
    for cached in path.parent.glob(f"__pycache__/{path.stem}.*.pyc"):
        cached.unlink()


def environment(tree: Path) -> dict[str, str]:
    """The copy's code first on the path, for pytest and the servers it starts."""
    return {**os.environ, "PYTHONPATH": str(tree / "src")}


def imported_from(tree: Path) -> Path:
    """Where `import guardpath` finds the package when tests run in the copy."""
    done = subprocess.run(
        [sys.executable, "-c", "import guardpath; print(guardpath.__file__)"],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


# -- running the tests -----------------------------------------------------------------------
TIMED_OUT = -1
"""The status of a run stopped at RUN_TIMEOUT."""


@dataclass(frozen=True)
class Run:
    """One pytest run: its exit status, time, counts, and each failing test with its message."""

    status: int
    seconds: float
    counts: str = ""
    failures: tuple[tuple[str, str], ...] = ()

    @property
    def first_failure(self) -> str:
        return self.failures[0][0] if self.failures else ""

    def failing(self) -> frozenset[str]:
        return frozenset(test for test, _ in self.failures)


def node_id(case: ElementTree.Element) -> str:
    """A JUnit test case as pytest's node id (module-level tests, as this project writes)."""
    module = case.get("classname", "").replace(".", "/")
    return f"{module}.py::{case.get('name', '')}"


def problems(suite: ElementTree.Element) -> Iterator[tuple[str, str]]:
    for case in suite.iter("testcase"):
        found = case.find("failure")
        found = found if found is not None else case.find("error")
        if found is not None:
            yield node_id(case), " ".join(found.get("message", "").split())


def read_results(xml: Path) -> tuple[str, tuple[tuple[str, str], ...]]:
    """From pytest's JUnit report: the counts, and the failing tests with their messages."""
    root = ElementTree.parse(xml).getroot() if xml.exists() else None
    suite = root.find("testsuite") if root is not None else None
    if suite is None:
        return "no report", ()
    number = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    bad = number["failures"] + number["errors"]
    passed = number["tests"] - bad - number["skipped"]
    return f"{passed} passed, {bad} failed, {number['skipped']} skipped", tuple(problems(suite))


def run_tests(tree: Path, tests: Sequence[str], *, stop_at_first: bool = True) -> Run:
    xml = tree / RESULTS
    xml.unlink(missing_ok=True)
    options = PYTEST if stop_at_first else tuple(o for o in PYTEST if o != "-x")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, *options, f"--junit-xml={xml}", *tests],
            cwd=tree,
            env=environment(tree),
            capture_output=True,
            check=False,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return Run(TIMED_OUT, time.perf_counter() - started, f"timed out at {RUN_TIMEOUT:.0f} s")
    return Run(done.returncode, time.perf_counter() - started, *read_results(xml))


def try_mutation(tree: Path, mutation: Mutation) -> Run:
    original = mutation.apply_to(tree)
    try:
        return run_tests(tree, mutation.tests)
    finally:
        write_source(tree / mutation.path, original)


# -- judging and reporting -------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """A mutation, its run, and the tests that already failed unmutated (which prove nothing)."""

    mutation: Mutation
    run: Run
    failing_unmutated: frozenset[str]

    @property
    def caught(self) -> bool:
        return self.run.status == 1 and self.run.first_failure not in self.failing_unmutated

    @property
    def verdict(self) -> str:
        status = self.run.status
        if self.caught:
            return "[green]caught[/green]"
        if status == 0:
            return "[bold red]NOT caught[/bold red]"
        if status == 1:
            return "[yellow]no verdict: its failing test fails unmutated too[/yellow]"
        if status == TIMED_OUT:
            return "[red]timed out[/red]"
        return f"[red]no verdict: pytest exit status {status}[/red]"

    @property
    def evidence(self) -> str:
        """The first failing test and its message, shortened; else the counts."""
        if not self.run.failures:
            return self.run.counts
        test, message = self.run.failures[0]
        return f"{test.rsplit('::', 1)[-1]}: {message}"[:EVIDENCE_CHARACTERS]


def results_table(results: Sequence[Result]) -> Table:
    table = Table(title="Each property broken once")
    for column in ("property", "mutation", "caught?", "seconds", "how"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    for result in results:
        run = result.run
        mutation = result.mutation
        table.add_row(
            mutation.claim, mutation.name, result.verdict, f"{run.seconds:.0f}", result.evidence
        )
    return table


# -- the command -----------------------------------------------------------------------------
def chosen(names: Sequence[str] | None) -> list[Mutation]:
    if not names:
        return list(MUTATIONS)
    known = {m.name: m for m in MUTATIONS}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"--only: no mutation {', '.join(unknown)}; see --list")
    return [known[name] for name in dict.fromkeys(names)]


def every_test(mutations: Sequence[Mutation]) -> list[str]:
    return list(dict.fromkeys(test for m in mutations for test in m.tests))


def check_the_copy(tree: Path, console: Console) -> None:
    package = imported_from(tree)
    console.print(f"guardpath imported from {package}")
    if not package.is_relative_to(tree):
        raise SystemExit("the tests would import guardpath from outside the copy; stopping")


def dry_run(tree: Path, mutations: Sequence[Mutation], console: Console) -> None:
    for mutation in mutations:
        write_source(tree / mutation.path, mutation.apply_to(tree))
    console.print(f"all {len(mutations)} mutations apply to HEAD")


def baseline(tree: Path, mutations: Sequence[Mutation], console: Console) -> Run:
    """Every guarding test once, unmutated and to the end: each must pass."""
    console.print("unmutated: running every guarding test once; each must pass ...")
    run = run_tests(tree, every_test(mutations), stop_at_first=False)
    console.print(f"unmutated: {run.counts} ({run.seconds:.0f} s)")
    if run.status not in (0, 1):
        raise SystemExit(f"the unmutated tests did not run (pytest exit status {run.status})")
    for test, message in run.failures:
        console.print(f"[red]fails unmutated[/red] {test}: {message[:EVIDENCE_CHARACTERS]}")
    return run


def break_each(
    tree: Path, mutations: Sequence[Mutation], unmutated: Run, console: Console
) -> list[Result]:
    results = []
    for mutation in mutations:
        result = Result(mutation, try_mutation(tree, mutation), unmutated.failing())
        console.print(
            f"{mutation.name}: {result.verdict} ({result.run.seconds:.0f} s) {result.evidence}"
        )
        results.append(result)
    return results


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--only", action="append", metavar="NAME", help="run this mutation")
    parser.add_argument("--list", action="store_true", help="name every mutation and stop")
    parser.add_argument("--dry-run", action="store_true", help="check the mutations apply")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    console = Console(width=None if sys.stdout.isatty() else WIDTH)
    mutations = chosen(arguments.only)
    if arguments.list:
        for mutation in mutations:
            console.print(f"{mutation.name:36} {mutation.claim}", soft_wrap=True)
        return 0
    started = time.perf_counter()
    with committed_tree() as tree:
        check_the_copy(tree, console)
        if arguments.dry_run:
            dry_run(tree, mutations, console)
            return 0
        unmutated = baseline(tree, mutations, console)
        results = break_each(tree, mutations, unmutated, console)
    console.print(results_table(results))
    caught = sum(result.caught for result in results)
    console.print(
        f"{caught} of {len(results)} caught; {len(unmutated.failures)} guarding tests failed "
        f"unmutated; {time.perf_counter() - started:.0f} s in all"
    )
    return 0 if caught == len(results) and unmutated.status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
