"""The broken properties: each mutation breaks one property in one file, and names the tests
that must notice (devtools/broken_properties.py runs them). The mutations are kept by the
layer of the file they break: `adapters`, `services` and `web`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
SUBMISSION_LIMIT = "tests/cases/test_submission_limit.py"
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
    "tests/web/test_public_apply.py::"
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


def write_source(path: Path, text: str) -> None:
    """Write a module and drop its cached bytecode: a mutation and its undoing can fall in the
    same second with the same size, which the bytecode's own check would not notice."""
    path.write_text(text, encoding="utf-8")
    for cached in path.parent.glob(f"__pycache__/{path.stem}.*.pyc"):
        cached.unlink()
