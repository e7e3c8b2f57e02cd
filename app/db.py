"""Engines, the embedded SQLite build, and reading the dataset for serving."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from app.config import Settings
from app.dataset import Dataset, dataset_version, load_dataset
from app.store import read_dataset, stored_version, write_dataset

log = logging.getLogger("painmap.db")


class DatabaseUnusable(RuntimeError):
    """The configured database cannot be read (corrupt file, wrong schema, …)."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 3})


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def build_sqlite(path: Path, dataset: Dataset) -> None:
    """Write ``dataset`` to a fresh SQLite file and move it into place
    atomically: readers never see a half-built file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{temporary}")
    try:
        write_dataset(engine, dataset)
    finally:
        engine.dispose()
    os.replace(temporary, path)


def ensure_embedded_sqlite(settings: Settings) -> None:
    """Build the SQLite file from data/ unless it already holds this version."""
    path = settings.sqlite_path
    wanted = dataset_version(settings.data_dir)
    if path.exists():
        engine = make_engine(settings.effective_database_url)
        try:
            if stored_version(engine) == wanted:
                return
        except DatabaseError as exc:
            # Only a cache of data/: rebuild rather than fail.
            log.warning("rebuilding unreadable SQLite file %s: %s", path, exc)
        finally:
            engine.dispose()
    log.info("building %s from %s", path, settings.data_dir)
    build_sqlite(path, load_dataset(settings.data_dir))


def load_into(engine: Engine, data_dir: Path) -> Dataset:
    """``painmap load``: validate data/ and replace the database's dataset."""
    dataset = load_dataset(data_dir)
    write_dataset(engine, dataset)
    return dataset


def prepare_database(settings: Settings, engine: Engine) -> Dataset:
    """Start-up: make sure the database holds a dataset, then read it."""
    if settings.uses_embedded_sqlite:
        ensure_embedded_sqlite(settings)
    try:
        if stored_version(engine) is None:
            log.info("database holds no dataset yet: loading %s", settings.data_dir)
            load_into(engine, settings.data_dir)
        return read_dataset(engine)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        raise DatabaseUnusable(
            f"cannot read the database: {exc.__class__.__name__}: {exc}"
        ) from exc
