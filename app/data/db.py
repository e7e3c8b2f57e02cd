"""Engines, the embedded SQLite build, and reading the dataset for serving."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.config import Settings
from app.data import tables
from app.data.dataset import Dataset, dataset_version, load_dataset
from app.data.store import read_dataset, stored_version, write_dataset

log = logging.getLogger("painmap.db")

MAX_BACKOFF = 15.0  # seconds between two start-up tries, at most
# Row counts of an embedded build, kept beside the tables: a file that
# holds the right version but lost rows is rebuilt.
MANIFEST_TABLE = "painmap_build_manifest"


class DatabaseUnusable(RuntimeError):
    """The configured database cannot be read (corrupt file, wrong schema, …)."""


class BuildFailed(RuntimeError):
    """The embedded SQLite file could not be written (read-only folder, full
    disk, a directory in the way, …); the message says which and where."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # No pool for a file: each use opens the file anew, so a rebuild that
        # ``painmap load`` moves into place is what the next check reads.
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            **({} if in_memory else {"poolclass": NullPool}),
        )

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


def database_ready(engine: Engine) -> bool:
    """The database answers and holds a dataset (a garbage SQLite file
    answers ``SELECT 1`` but not this)."""
    table = tables.DatasetInfo.__tablename__
    try:
        with engine.connect() as connection:
            row = connection.execute(text(f"SELECT version FROM {table} WHERE id = 1")).first()
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
        engine = make_engine(f"sqlite:///{temporary}")
        try:
            write_dataset(engine, dataset)
        finally:
            engine.dispose()
        _write_manifest(temporary)
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


def _table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {
        table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
        for table in tables.SQLModel.metadata.sorted_tables
    }


def _write_manifest(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            counts = json.dumps(_table_counts(connection), sort_keys=True)
            connection.execute(f"CREATE TABLE {MANIFEST_TABLE} (counts TEXT NOT NULL)")
            connection.execute(f"INSERT INTO {MANIFEST_TABLE} (counts) VALUES (?)", (counts,))
    finally:
        connection.close()


def _missing_rows(path: Path) -> str | None:
    """Why an embedded file's tables differ from what its build wrote, or None."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute(f"SELECT counts FROM {MANIFEST_TABLE}").fetchone()
        built = json.loads(row[0]) if row else {}
        now = _table_counts(connection)
    except sqlite3.Error as exc:
        return f"no build record ({exc})"
    finally:
        connection.close()
    changed = [name for name, count in built.items() if now.get(name) != count]
    if not built or changed:
        return "rows missing or changed in " + (", ".join(changed) or "every table")
    return None


def ensure_embedded_sqlite(settings: Settings) -> None:
    """Build the SQLite file from data/ unless it already holds this version,
    whole."""
    path = settings.sqlite_path
    wanted = dataset_version(settings.data_dir)
    if path.is_dir():
        raise BuildFailed(f"cannot build the SQLite file {path}: a directory is in the way")
    if path.exists():
        engine = make_engine(settings.effective_database_url)
        try:
            if stored_version(engine) == wanted:
                problem = _missing_rows(path)
                if problem is None:
                    return
                log.warning("rebuilding SQLite file %s: %s", path, problem)
        except DatabaseError as exc:
            # Only a cache of data/: rebuild rather than fail.
            log.warning("rebuilding unreadable SQLite file %s: %s", path, _reason(exc))
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
    else:
        wait_for_database(engine, settings.db_connect_attempts, settings.db_connect_backoff)
    try:
        if stored_version(engine) is None:
            log.info("database holds no dataset yet: loading %s", settings.data_dir)
            load_into(engine, settings.data_dir)
        return read_dataset(engine)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        raise DatabaseUnusable(
            f"cannot read the database: {exc.__class__.__name__}: {exc}"
        ) from exc
