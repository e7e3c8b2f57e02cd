"""Settings from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.paths import DEFAULT_DATA_DIR, PACKAGED_DATA_DIR

# A checkout builds it in its git-ignored var/; an installed wheel's data sits in
# site-packages, often read-only, so there it goes to the user's cache instead.
DEFAULT_SQLITE_PATH = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "painmap" / "painmap.sqlite3"
    if DEFAULT_DATA_DIR == PACKAGED_DATA_DIR
    else DEFAULT_DATA_DIR.parent / "var" / "painmap.sqlite3"
)
RATE_LIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PAINMAP_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "PAINMAP_DATABASE_URL"),
        description="SQLAlchemy URL; unset means a SQLite file built from data/.",
    )
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="The curated data/ folder.")
    sqlite_path: Path = Field(
        default=DEFAULT_SQLITE_PATH, description="Where the embedded SQLite file is built."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated origins allowed by CORS; none by default.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    rate_limit: int = Field(
        default=0,
        ge=0,
        description="Requests a minute each client address may make to /v1 (0 = no limit).",
    )
    reload_interval: float = Field(
        default=30.0,
        ge=0,
        description="Seconds between checks of the database for a new dataset version (0 = never).",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For/-Proto are believed; none by default, '*' trusts every peer.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (per process) or a "
        "redis://host:port/db URL shared by every process and replica.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client has to send a whole request once connected (or after "
        "its previous answer); slower or idle connections are closed.",
    )
    keep_alive_timeout: int = Field(
        default=5, ge=1, description="Seconds an idle keep-alive connection stays open."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Open connections one process holds; beyond it the longest-idle is closed.",
    )
    max_header_bytes: int = Field(
        default=16 * 1024,
        ge=1024,
        description="Bytes of request line and headers a request may have (else 431).",
    )
    cache_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=0,
        description="Bytes the in-memory response cache may hold, keys included (0 = no cache).",
    )
    metrics: bool = Field(default=False, description="Serve Prometheus metrics at /metrics.")
    db_connect_attempts: int = Field(
        default=10, ge=1, description="Tries to reach the database at start-up."
    )
    db_connect_backoff: float = Field(
        default=0.5,
        ge=0,
        description="Seconds before the second try at start-up; doubled each time, at most 15.",
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for item in value:
            if item != "*":
                ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _check_storage(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in RATE_LIMIT_SCHEMES:
            raise ValueError(
                f"unsupported rate-limit storage {value!r}: use memory:// or redis://host:port"
            )
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _normalise_url(cls, value: object) -> object:
        # Hosted PostgreSQL often hands out postgres:// URLs; we drive it with psycopg 3.
        if isinstance(value, str):
            value = value.strip() or None
            if value and value.startswith(("postgres://", "postgresql://")):
                value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def uses_embedded_sqlite(self) -> bool:
        return self.database_url is None


@lru_cache
def get_settings() -> Settings:
    return Settings()
