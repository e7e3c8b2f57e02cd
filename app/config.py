"""Settings from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.dataset import DEFAULT_DATA_DIR

DEFAULT_SQLITE_PATH = DEFAULT_DATA_DIR.parent / "var" / "painmap.sqlite3"


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

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
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
