"""The database schema as SQLAlchemy Core tables. The same tables on SQLite and PostgreSQL.

Personal data never sits here in clear: `persons.sealed` holds the person's identity as one
authenticated ciphertext, free-text reasons and uploaded documents are sealed too, and equality
lookups go through keyed blind indexes. Citizenship and formation stay in clear, because the
statistics count by them and they identify no one alone.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from guardpath.adapters.types import UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

persons = Table(
    "persons",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sealed", LargeBinary, nullable=False),
    Column("key_id", String(32), nullable=False, index=True),
    Column("passport_index", String(64), nullable=False, index=True),
    Column("name_index", String(64), nullable=False, index=True),
    Column("citizenships", String(64), nullable=False),
    Column("sex", String(8), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
    # The staff queues' case-to-citizenship join reads this index, never the sealed rows.
    Index("ix_persons_id_citizenships", "id", "citizenships"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("person_id", String(36), ForeignKey("persons.id"), nullable=False, index=True),
    Column("formation", String(8), nullable=False),
    Column("state", String(24), nullable=False),
    Column("facts", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("submitted_on", Date),
    Column("resume_code_hash", String(255)),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
    Index("ix_cases_state_formation", "state", "formation"),
)

contracts = Table(
    "contracts",
    metadata,
    Column("case_id", String(36), ForeignKey("cases.id"), primary_key=True),
    Column("signed_on", Date, nullable=False),
    Column("rank_group", String(16), nullable=False),
    Column("years", Integer, nullable=False),
    Column("probation_months", Integer, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("probation_ends_on", Date, nullable=False),
    Column("law_version", String(32), nullable=False),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
)

service_periods = Table(
    "service_periods",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False, index=True),
    Column("formation", String(8), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
)

citizenship_applications = Table(
    "citizenship_applications",
    metadata,
    Column("case_id", String(36), ForeignKey("cases.id"), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("route", String(32), nullable=False),
    Column("prepared_on", Date, nullable=False),
    Column("earliest_date", Date),
    Column("obligations", JSON, nullable=False),
    Column("law_version", String(32), nullable=False),
    Column("decided_on", Date),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
)

case_history = Table(
    "case_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("action", String(48), nullable=False),
    Column("from_state", String(24)),
    Column("to_state", String(24), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("role", String(24), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("reason_sealed", LargeBinary),
    Column("key_id", String(32)),
    Column("answer", JSON),
    Column("law_version", String(32)),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
    UniqueConstraint("case_id", "seq"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=True, index=True),
    Column("draft_id", String(36), ForeignKey("drafts.id"), nullable=True, index=True),
    Column("kind", String(32), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("role", String(24), nullable=False),
    Column("action", String(48), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("rows", JSON),  # the MACs of the rows written with the entry
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("sealed", LargeBinary, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

staff_users = Table(
    "staff_users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("totp_sealed", LargeBinary, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("role", String(24), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime()),
    Column("last_totp_step", BigInteger),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime()),
    Column("disabled_at", UtcDateTime()),
    Column("mac", String(64)),  # guardpath.adapters.row_seals
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("staff_users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
)

key_rotation = Table(
    "key_rotation",
    metadata,
    Column("target_key_id", String(32), primary_key=True),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("rows_done", Integer, nullable=False),
    Column("note", Text),
)

# Identity screening: blocking keys of each person's names and birth year, as keyed blind
# indexes only (see guardpath.screening.keys); the people sharing a key are compared.
screening_keys = Table(
    "screening_keys",
    metadata,
    Column("person_id", String(36), ForeignKey("persons.id"), primary_key=True),
    Column("key_hash", String(64), primary_key=True, index=True),
)

# Name search from the console: a keyed blind index of each part of each of a person's names,
# folded across scripts and spellings (see guardpath.adapters.name_tokens), so part of a name
# in either script finds the person while the names stay sealed.
name_tokens = Table(
    "name_tokens",
    metadata,
    Column("person_id", String(36), ForeignKey("persons.id"), primary_key=True),
    Column("token_hash", String(64), primary_key=True, index=True),
)

# Statistics: how many cases there are per state and per citizenship, by formation and intake
# day and month, kept in the transaction of every change to a case (guardpath.adapters.case_counts),
# so the analysts' page sums a few thousand counters instead of reading every case.
case_counts = Table(
    "case_counts",
    metadata,
    Column("dimension", String(16), primary_key=True),
    Column("span", String(8), primary_key=True),
    Column("period", Date, primary_key=True),
    Column("formation", String(8), primary_key=True),
    Column("item", String(24), primary_key=True),
    Column("n", Integer, nullable=False),
)

# Limits and throttles: how many times each subject (a client address, a reference and a client,
# a username and a client; keyed blind indexes, never in clear) hit a rule in one fixed window,
# shared by every worker and host. Rows live until `expires` (epoch seconds), then are purged.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("rule", String(32), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("window", BigInteger, primary_key=True, autoincrement=False),
    Column("hits", Integer, nullable=False),
    Column("expires", BigInteger, nullable=False, index=True),
)

# Screening: a vetting officer's decision on a pair of cases sent for review (migration 0008),
# remembered so the pair is not asked again. Case ids only: the names stay sealed in persons.
screening_reviews = Table(
    "screening_reviews",
    metadata,
    Column("case_a", String(36), ForeignKey("cases.id"), primary_key=True),
    Column("case_b", String(36), ForeignKey("cases.id"), primary_key=True),
    Column("same_person", Boolean, nullable=False),
    Column("officer_id", String(64), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=False),
)
