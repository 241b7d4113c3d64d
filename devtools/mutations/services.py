"""Mutations of the services layer (src/guardpath/services/)."""

from __future__ import annotations

from mutations.model import (
    API,
    BACKUP_REFUSALS,
    BACKUP_ROUND_TRIP,
    CRASH,
    DIFFERENCING,
    KEYED_BACKUP,
    LIFECYCLE,
    NEW_SESSION,
    RACING,
    ROTATION,
    ROTATION_KILLED,
    ROTATION_STEPS,
    SUBMISSION_LIMIT,
    Mutation,
)

MUTATIONS: tuple[Mutation, ...] = (
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
        "src/guardpath/services/cases/applying.py",
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
        "submission-split-in-two-commits",
        "crash consistency: nothing half-written",
        "src/guardpath/services/cases/applying.py",
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
        "backup-writes-no-contracts",
        "backup round trip",
        "src/guardpath/adapters/backup_store.py",
        (
            (
                "        for table in TABLES:\n"
                "            for row in table_rows(self.conn, table):\n",
                '        for table in (t for t in TABLES if t.name != "contracts"):\n'
                "            for row in table_rows(self.conn, table):\n",
            ),
        ),
        BACKUP_ROUND_TRIP,
    ),
    Mutation(
        "backup-table-list-lacks-contracts",
        "backup round trip",
        "src/guardpath/adapters/backup_store.py",
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
        "src/guardpath/adapters/key_rotation.py",
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
        "demo-accounts-log-in-in-production",
        "demo accounts never work in production",
        "src/guardpath/services/staff.py",
        (
            (
                "        demo = ctx.settings.production and "
                "is_demo_account(user.username, secret)\n",
                "        demo = False\n",
            ),
        ),
        (f"{LIFECYCLE}::test_production_refuses_a_database_that_ran_the_demo",),
    ),
    Mutation(
        "demo-accounts-start-in-production",
        "demo accounts never work in production",
        "src/guardpath/services/demo_accounts.py",
        (("    if found:\n        names", "    if False:\n        names"),),
        (f"{LIFECYCLE}::test_production_refuses_a_database_that_ran_the_demo",),
    ),
    Mutation(
        "disabled-account-keeps-its-session",
        "staff lifecycle",
        "src/guardpath/services/staff.py",
        (
            ("        or found.disabled_at is not None\n", ""),
            (
                "            uow.staff.set_disabled(user.id, now)\n"
                "        ended = uow.sessions.end_all_of(user.id)\n",
                "            uow.staff.set_disabled(user.id, now)\n        ended = 0\n",
            ),
        ),
        (f"{LIFECYCLE}::test_disabling_an_account_ends_its_session_at_once_and_refuses_its_login",),
    ),
    Mutation(
        "no-idle-timeout",
        "staff lifecycle",
        "src/guardpath/services/staff.py",
        (("        or now - found.last_seen_at >= idle\n", ""),),
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
    Mutation(
        "refused-submission-not-counted",
        "a submission refused by its limit is counted, and writes nothing else",
        "src/guardpath/services/cases/applying.py",
        (("            take(ctx, limited)\n", "            pass\n"),),
        (SUBMISSION_LIMIT,),
    ),
    Mutation(
        "submissions-limit-one-too-many",
        "submissions sent at once never get past the limit",
        "src/guardpath/services/limits.py",
        (("        if hits > limit.count:\n", "        if hits > limit.count + 1:\n"),),
        (SUBMISSION_LIMIT,),
    ),
)
