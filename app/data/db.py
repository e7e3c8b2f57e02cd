"""Database engines, the embedded SQLite build, and reading the dataset for serving."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import time
from pathlib import Path

import orjson
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.config import Settings
from app.data.dataset import dataset_version, load_dataset
from app.data.store import UnreadableDataset, read_dataset, stored_version, write_dataset
from app.data.tables import dataset_table
from app.domain import Dataset

log = logging.getLogger("painmap.db")

MAX_BACKOFF = 15.0  # seconds between two start-up tries, at most


class DatabaseUnusable(RuntimeError):
    """The configured database cannot be read (corrupt file, wrong schema, …)."""


class BuildFailed(RuntimeError):
    """The embedded SQLite file could not be written (read-only folder, full
    disk, a directory in the way, …); the message says which and where."""


def _json_text(value: object) -> str:
    """The dataset document as JSON, written in a few milliseconds."""
    return orjson.dumps(value).decode()


def make_db_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # No pool for a file: each use opens the file anew, so a rebuild that
        # ``painmap load`` moves into place is what the next check reads.
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            json_serializer=_json_text,
            **({} if in_memory else {"poolclass": NullPool}),
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        return engine
    return create_engine(
        url, pool_pre_ping=True, connect_args={"connect_timeout": 3}, json_serializer=_json_text
    )


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def database_ready(engine: Engine) -> bool:
    """The database answers and holds a dataset (a garbage SQLite file
    answers ``SELECT 1`` but not this)."""
    try:
        with engine.connect() as connection:
            row = connection.execute(select(dataset_table.c.version).limit(1)).first()
        return row is not None
    except (SQLAlchemyError, sqlite3.Error):
        return False


def _reason(exc: BaseException) -> str:
    """The first line of what the driver said, without SQLAlchemy's links."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines() or [original.__class__.__name__]
    return lines[0]


def wait_for_database(engine: Engine, attempts: int, backoff: float) -> None:
    """Start-up: try to reach the database up to ``attempts`` times, waiting
    ``backoff`` seconds after the first failure and twice as long after each
    next one (at most 15 s), with one log line per failed try."""
    where = engine.url.render_as_string(hide_password=True)
    delay = backoff
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return
        except SQLAlchemyError as exc:
            reason = _reason(exc)
            if attempt == attempts:
                raise DatabaseUnusable(
                    f"cannot reach the database {where} after {attempts} attempt(s): {reason}"
                ) from None
            log.warning(
                "database %s not reachable (attempt %d of %d): %s; retrying in %.1f s",
                where,
                attempt,
                attempts,
                reason,
                delay,
            )
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)


def build_sqlite(path: Path, dataset: Dataset) -> None:
    """Write ``dataset`` to a fresh SQLite file and move it into place
    atomically: readers never see a half-built file, and a failed build
    leaves nothing behind."""
    if path.is_dir():
        raise BuildFailed(f"cannot build the SQLite file {path}: a directory is in the way")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        engine = make_db_engine(f"sqlite:///{temporary}")
        try:
            write_dataset(engine, dataset)
        finally:
            engine.dispose()
        os.replace(temporary, path)
    except (OSError, SQLAlchemyError, sqlite3.Error) as exc:
        _discard(temporary)
        raise BuildFailed(f"cannot build the SQLite file {path}: {_build_reason(exc)}") from exc
    except BaseException:
        _discard(temporary)
        raise


def _discard(temporary: Path) -> None:
    for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _build_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return "the disk is full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"the folder is not writable ({exc.strerror})"
        return exc.strerror or str(exc)
    reason = _reason(exc)
    if "unable to open database file" in reason or "readonly" in reason:
        return f"the folder is not writable ({reason})"
    if "full" in reason or "disk I/O error" in reason:
        return f"the disk is full or failing ({reason})"
    return reason


def ensure_embedded_sqlite(settings: Settings) -> None:
    """Build the SQLite file from data/ unless it already holds this version."""
    path = settings.sqlite_path
    if path.is_dir():
        raise BuildFailed(f"cannot build the SQLite file {path}: a directory is in the way")
    if path.exists():
        engine = make_db_engine(settings.effective_database_url)
        try:
            if stored_version(engine) == dataset_version(settings.data_dir):
                return
        except DatabaseError as exc:
            # Only a cache of data/: rebuild rather than fail.
            log.warning("rebuilding unreadable SQLite file %s: %s", path, _reason(exc))
        finally:
            engine.dispose()
    _build_embedded(settings)


def _build_embedded(settings: Settings) -> None:
    log.info("building %s from %s", settings.sqlite_path, settings.data_dir)
    build_sqlite(settings.sqlite_path, load_dataset(settings.data_dir))


def load_into(engine: Engine, data_dir: Path) -> Dataset:
    """``painmap load``: validate data/ and replace the database's dataset."""
    dataset = load_dataset(data_dir)
    write_dataset(engine, dataset)
    return dataset


def prepare_database(settings: Settings, engine: Engine) -> Dataset:
    """Start-up: make sure the database holds a dataset this release reads,
    then read it. A database that holds none, or one written in another
    layout, gets data/ loaded into it."""
    if settings.uses_embedded_sqlite:
        ensure_embedded_sqlite(settings)
    else:
        wait_for_database(engine, settings.db_connect_attempts, settings.db_connect_backoff)
    try:
        if stored_version(engine) is not None:
            try:
                return read_dataset(engine)
            except UnreadableDataset as exc:
                log.warning("%s: loading %s again", exc, settings.data_dir)
        else:
            log.info("database holds no dataset yet: loading %s", settings.data_dir)
        if settings.uses_embedded_sqlite:
            _build_embedded(settings)
        else:
            load_into(engine, settings.data_dir)
        return read_dataset(engine)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnusable(f"cannot read the database {where}: {_reason(exc)}") from exc
