"""The database side: data/ → one stored document → memory, exactly;
all-or-nothing writes; the embedded build; the guard that replaces an older
layout; and what start-up does with bad input."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.data.dataset import DataError, load_dataset
from app.data.db import (
    DatabaseUnusable,
    build_sqlite,
    ensure_embedded_sqlite,
    make_db_engine,
    prepare_database,
)
from app.data.store import read_dataset, stored_version, to_document, write_dataset
from app.data.tables import dataset_table
from app.domain import Dataset
from app.main import create_app
from tests.support import embedded_settings


def assert_round_trip(engine: Engine, dataset: Dataset) -> None:
    """What is read back equals what was written, down to the order of every
    list and mapping (the document's JSON text is the same)."""
    write_dataset(engine, dataset)
    again = read_dataset(engine)
    assert again == dataset
    assert to_document(again).model_dump_json() == to_document(dataset).model_dump_json()
    assert again.neighbours and again.lexicon and again.cautions  # nothing left out
    write_dataset(engine, dataset)  # loading twice is the same
    assert read_dataset(engine) == dataset
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(dataset_table)).scalar() == 1


def test_round_trip_is_exact(tmp_path: Path, dataset: Dataset) -> None:
    assert_round_trip(make_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"), dataset)


def refuse_version(engine: Engine, version: str) -> None:
    """A trigger that makes the database refuse to store ``version``: the
    write fails after the old row was deleted, inside its transaction."""
    if engine.dialect.name == "postgresql":
        statements = [
            "CREATE OR REPLACE FUNCTION painmap_refuse() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
            "CREATE TRIGGER painmap_refuse BEFORE INSERT ON painmap_dataset FOR EACH ROW"
            f" WHEN (NEW.version = '{version}') EXECUTE FUNCTION painmap_refuse()",
        ]
    else:
        statements = [
            "CREATE TRIGGER painmap_refuse BEFORE INSERT ON painmap_dataset"
            f" WHEN NEW.version = '{version}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def assert_failed_write_changes_nothing(engine: Engine, dataset: Dataset) -> None:
    write_dataset(engine, dataset)
    refuse_version(engine, "refused")
    with pytest.raises(DBAPIError, match="refused by the test"):
        write_dataset(engine, dataclasses.replace(dataset, version="refused"))
    assert stored_version(engine) == dataset.version
    assert read_dataset(engine) == dataset


def test_failed_write_leaves_previous_data_untouched(tmp_path: Path, dataset: Dataset) -> None:
    assert_failed_write_changes_nothing(
        make_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"), dataset
    )


def create_legacy_tables(engine: Engine) -> None:
    """The table-per-record layout of earlier releases, in miniature: linked
    by foreign keys and holding rows, as a database loaded by one would."""
    statements = [
        "CREATE TABLE region (id INTEGER PRIMARY KEY, slug VARCHAR NOT NULL,"
        " parent_id INTEGER REFERENCES region (id))",
        "CREATE TABLE muscle (id INTEGER PRIMARY KEY, slug VARCHAR NOT NULL)",
        "CREATE TABLE trigger_point (id INTEGER PRIMARY KEY,"
        " muscle_id INTEGER NOT NULL REFERENCES muscle (id),"
        " site_id INTEGER NOT NULL REFERENCES region (id))",
        "CREATE TABLE referral_zone (id INTEGER PRIMARY KEY,"
        " trigger_point_id INTEGER NOT NULL REFERENCES trigger_point (id),"
        " region_id INTEGER NOT NULL REFERENCES region (id), kind VARCHAR NOT NULL)",
        "CREATE TABLE dataset_info (id INTEGER PRIMARY KEY, version VARCHAR NOT NULL,"
        " loaded_at VARCHAR NOT NULL)",
        "INSERT INTO region VALUES (1, 'head', NULL), (2, 'temple', 1)",
        "INSERT INTO muscle VALUES (1, 'temporalis')",
        "INSERT INTO trigger_point VALUES (1, 1, 2)",
        "INSERT INTO referral_zone VALUES (1, 1, 2, 'essential')",
        "INSERT INTO dataset_info VALUES (1, 'old', '2026-01-01')",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def assert_legacy_layout_is_replaced(engine: Engine, settings: Settings, dataset: Dataset) -> None:
    create_legacy_tables(engine)
    assert stored_version(engine) is None  # an older layout holds no dataset we read
    assert prepare_database(settings, engine) == dataset  # start-up loads data/ instead
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables == {"painmap_dataset"}


def test_an_older_table_layout_is_replaced(tmp_path: Path, dataset: Dataset) -> None:
    url = f"sqlite:///{tmp_path / 'explicit.sqlite3'}"
    settings = embedded_settings(tmp_path).model_copy(update={"database_url": url})
    assert_legacy_layout_is_replaced(make_db_engine(url), settings, dataset)


def test_embedded_build_happens_once_per_version(tmp_path: Path, data_copy: Path) -> None:
    settings = embedded_settings(tmp_path, data_copy)
    ensure_embedded_sqlite(settings)
    built = settings.sqlite_path.stat().st_mtime_ns
    ensure_embedded_sqlite(settings)
    assert settings.sqlite_path.stat().st_mtime_ns == built
    path = data_copy / "muscles" / "soleus.yaml"
    path.write_text(path.read_text() + "\n# edited\n")
    ensure_embedded_sqlite(settings)
    engine = make_db_engine(settings.effective_database_url)
    assert stored_version(engine) == load_dataset(data_copy).version


def test_corrupt_embedded_file_is_rebuilt(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path)
    settings.sqlite_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    ensure_embedded_sqlite(settings)
    assert stored_version(make_db_engine(settings.effective_database_url)) is not None


@pytest.mark.parametrize(
    "document",
    [
        '{"version": "d9e',  # cut short
        '{"version": "x", "muscles": []}',  # written by another release
    ],
)
def test_a_damaged_embedded_document_is_rebuilt(
    tmp_path: Path, dataset: Dataset, document: str
) -> None:
    settings = embedded_settings(tmp_path)
    ensure_embedded_sqlite(settings)
    with sqlite3.connect(settings.sqlite_path) as connection:
        connection.execute("UPDATE painmap_dataset SET document = ?", (document,))
    engine = make_db_engine(settings.effective_database_url)
    assert prepare_database(settings, engine) == dataset
    assert read_dataset(engine) == dataset  # the file itself was rebuilt


def _start(settings: Settings) -> None:
    app = create_app(settings)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            pass

    asyncio.run(run())


def test_start_up_fails_on_a_bad_data_file(tmp_path: Path, data_copy: Path) -> None:
    path = data_copy / "muscles" / "soleus.yaml"
    data = yaml.safe_load(path.read_text())
    data["trigger_points"][0]["essential"] = ["nowhere"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(DataError, match=r"soleus\.yaml.*essential.*nowhere"):
        _start(embedded_settings(tmp_path, data_copy))
    assert not (tmp_path / "painmap.sqlite3").exists()


def test_start_up_fails_in_one_line_on_a_corrupt_explicit_database(tmp_path: Path) -> None:
    path = tmp_path / "explicit.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    settings = embedded_settings(tmp_path).model_copy(update={"database_url": f"sqlite:///{path}"})
    with pytest.raises(DatabaseUnusable) as raised:
        _start(settings)
    assert str(raised.value) == (
        f"cannot read the database sqlite:///{path}: file is not a database"
    )


def test_a_build_that_fails_half_way_leaves_the_live_file(tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "db.sqlite3"
    build_sqlite(target, dataset)

    def small_disk() -> None:
        # Writing past 256 KiB fails as on a full disk (EFBIG, not a signal);
        # the document alone is about 1 MB.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "load"],
        env={**env, "PAINMAP_SQLITE_PATH": str(target)},
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1 and "disk is full" in result.stderr, result.stderr
    assert read_dataset(make_db_engine(f"sqlite:///{target}")) == dataset
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]
