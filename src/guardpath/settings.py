"""One typed settings object, read from the environment (prefix GUARDPATH_), passed in."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "placeholder", "xxx", "todo"})


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """Settings that cannot run guardpath; the message names the setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GUARDPATH_", extra="ignore")

    env: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development (missing keys are generated into the data folder) or "
        "production (a missing or placeholder key stops start-up)",
    )
    data_dir: Path = Field(
        default=Path("data"),
        description="where the SQLite database, keys in development and uploads live",
    )
    database_url: str | None = Field(
        default=None,
        description="a SQLAlchemy URL overriding the SQLite file, e.g. "
        "postgresql+psycopg://user@host/db",
    )
    key_file: Path | None = Field(
        default=None,
        description="the key file (JSON); by default data_dir/keys.json in development",
    )
    keys: SecretStr | None = Field(
        default=None,
        description="the key file's content given directly (takes precedence over key_file)",
    )

    key_file_in_data_dir: bool = Field(
        default=False,
        description="production: accept a key file inside the data folder (refused by "
        "default, since copies of the data folder would take the keys along)",
    )
    checkpoint_key_file: Path | None = Field(
        default=None,
        description="the Ed25519 private key (PEM) that signs audit checkpoints; by default "
        "data_dir/checkpoint-key.pem in development (generated); production needs it set, "
        "outside the data folder",
    )

    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=480,
        description="a staff session unused this many minutes ends (it ends after eight hours "
        "in any case)",
    )

    cookie_secure: bool | None = Field(
        default=None,
        description="send every cookie (staff and public) only over HTTPS; by default on in "
        "production and over https, off on plain http (for the staff session: only to localhost)",
    )

    recruiters_contact: str = Field(
        default="",
        max_length=200,
        description="how applicants reach the recruiters (an office's address, phone or email), "
        "shown on the public pages; empty by default, when the pages send applicants to the "
        "recruitment office where they applied",
    )

    metrics: bool = Field(
        default=False,
        description="serve Prometheus metrics at /metrics",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="when set, /metrics answers only a request with the header "
        "`Authorization: Bearer TOKEN`",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text (one readable line per event) or json (one JSON object per line)",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info",
        description="the least severe log level written; probes are logged at debug",
    )

    @field_validator("metrics_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret, shortest = value.get_secret_value(), 24
        if secret.strip().lower() in PLACEHOLDERS or len(secret) < shortest:
            raise ValueError(
                f"must be a random secret of at least {shortest} characters "
                "(e.g. from `openssl rand -hex 32`)"
            )
        return value

    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="the reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, the peer is the client",
    )

    submissions_per_hour: int = Field(
        default=10,
        ge=1,
        description="applications one client address may submit per hour (API and pages)",
    )
    draft_storage_mb: int = Field(
        default=1024,
        ge=1,
        description="the most megabytes of documents all unsent drafts together may hold",
    )
    lock_timeout: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="seconds a request waits for a database lock before it is answered 503",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError("expected addresses or networks separated by commas")
        proxies = tuple(str(item).strip() for item in items if str(item).strip())
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    f"{proxy!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)"
                ) from None
        return proxies

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and "://" not in value:
            raise ValueError("GUARDPATH_DATABASE_URL must be a URL such as sqlite:///x.db")
        return value

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "guardpath.db"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def key_path(self) -> Path:
        return self.key_file or self.data_dir / "keys.json"

    @property
    def checkpoint_key_path(self) -> Path:
        return self.checkpoint_key_file or self.data_dir / "checkpoint-key.pem"

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with `overrides` for tests and commands."""
    return Settings(**overrides)  # type: ignore[arg-type]
