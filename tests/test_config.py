"""Settings from the environment: the database URL as hosts hand it out,
lists from comma-separated variables, and refusals that name the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, text

from app.config import Settings
from tests.support import postgres_url


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgres://u:pw@db.example:5432/painmap",
            "postgresql+psycopg://u:pw@db.example:5432/painmap",
        ),
        (
            "postgresql://u@db.example/painmap?sslmode=require",
            "postgresql+psycopg://u@db.example/painmap?sslmode=require",
        ),
        ("  postgres://u@db.example/painmap\n", "postgresql+psycopg://u@db.example/painmap"),
        ("postgresql+psycopg://u@db.example/painmap", "postgresql+psycopg://u@db.example/painmap"),
        ("sqlite:////srv/painmap.sqlite3", "sqlite:////srv/painmap.sqlite3"),
    ],
)
def test_postgres_urls_are_driven_with_psycopg(given: str, used: str) -> None:
    settings = _settings(database_url=given)
    assert settings.database_url == used
    assert settings.effective_database_url == used
    assert not settings.uses_embedded_sqlite


def test_the_environment_variable_is_rewritten_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:pw@db.example/painmap")
    assert _settings().database_url == "postgresql+psycopg://u:pw@db.example/painmap"
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("PAINMAP_DATABASE_URL", "postgres://u@other.example/painmap")
    assert _settings().database_url == "postgresql+psycopg://u@other.example/painmap"


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_url_means_the_embedded_sqlite_file(empty: str | None, tmp_path: Path) -> None:
    settings = _settings(database_url=empty, sqlite_path=tmp_path / "p.sqlite3")
    assert settings.database_url is None and settings.uses_embedded_sqlite
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'p.sqlite3'}"


def test_lists_come_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINMAP_CORS_ORIGINS", " https://a.example, ,https://b.example ")
    monkeypatch.setenv("PAINMAP_TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.7, 2001:db8::/32")
    settings = _settings()
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.trusted_proxies == ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]
    assert _settings(trusted_proxies="*").trusted_proxies == ["*"]


def test_a_bad_proxy_address_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.300"):
        _settings(trusted_proxies="10.0.0.1,10.0.0.300")


@pytest.mark.parametrize(
    "storage", ["memory://", "redis://cache:6379/0", "rediss://cache:6380", "redis+sentinel://s/m"]
)
def test_rate_limit_storage_schemes_that_work(storage: str) -> None:
    assert _settings(rate_limit_storage=storage).rate_limit_storage == storage


@pytest.mark.parametrize("storage", ["memcached://cache:11211", "cache:6379", "mongodb://m"])
def test_other_rate_limit_storage_is_refused(storage: str) -> None:
    with pytest.raises(ValidationError, match="unsupported rate-limit storage"):
        _settings(rate_limit_storage=storage)


@pytest.mark.postgres
def test_a_postgres_url_as_hosts_give_it_connects() -> None:
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    hosted = "postgres://" + url.split("://", 1)[1]  # the form Heroku and others hand out
    settings = _settings(database_url=hosted)
    engine = create_engine(settings.effective_database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()
