"""The database side: data/ → SQLite → memory round trip, all-or-nothing
loads, the embedded build and what start-up does with bad input."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from pathlib import Path

import pytest
import yaml

from app.data.dataset import DataError, Dataset, load_dataset
from app.data.db import DatabaseUnusable, build_sqlite, ensure_embedded_sqlite, make_engine
from app.data.store import read_dataset, stored_version, write_dataset
from app.main import create_app
from tests.conftest import embedded_settings


def test_round_trip_keeps_every_field(tmp_path: Path, dataset: Dataset) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    write_dataset(engine, dataset)
    again = read_dataset(engine)
    assert again.version == dataset.version
    assert again.muscles == dataset.muscles
    assert again.regions == dataset.regions
    assert again.conditions == dataset.conditions
    assert again.red_flags == dataset.red_flags
    assert again.cautions == dataset.cautions
    assert again.neighbours == dataset.neighbours and dataset.neighbours
    # Loading twice is idempotent.
    write_dataset(engine, dataset)
    assert read_dataset(engine).muscles == dataset.muscles


def _broken(dataset: Dataset) -> Dataset:
    """A dataset whose write fails part-way (a zone on a region that does not exist)."""
    slug, muscle = next(reversed(dataset.muscles.items()))
    point = muscle.trigger_points[0].model_copy(update={"essential": ["no-such-region"]})
    bad = muscle.model_copy(update={"trigger_points": [point]})
    return dataclasses.replace(dataset, muscles={**dataset.muscles, slug: bad}, version="broken")


def test_failed_load_leaves_previous_data_untouched(tmp_path: Path, dataset: Dataset) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    write_dataset(engine, dataset)
    with pytest.raises(KeyError):
        write_dataset(engine, _broken(dataset))
    assert stored_version(engine) == dataset.version
    assert read_dataset(engine).muscles == dataset.muscles


def test_embedded_build_happens_once_per_version(tmp_path: Path, data_copy: Path) -> None:
    settings = embedded_settings(tmp_path, data_copy)
    ensure_embedded_sqlite(settings)
    built = settings.sqlite_path.stat().st_mtime_ns
    ensure_embedded_sqlite(settings)
    assert settings.sqlite_path.stat().st_mtime_ns == built
    path = data_copy / "muscles" / "soleus.yaml"
    path.write_text(path.read_text() + "\n# edited\n")
    ensure_embedded_sqlite(settings)
    engine = make_engine(settings.effective_database_url)
    assert stored_version(engine) == load_dataset(data_copy).version


def test_corrupt_embedded_file_is_rebuilt(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path)
    settings.sqlite_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    ensure_embedded_sqlite(settings)
    assert stored_version(make_engine(settings.effective_database_url)) is not None


def _start(settings) -> None:  # type: ignore[no-untyped-def]
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


def test_start_up_fails_clearly_on_a_corrupt_explicit_database(tmp_path: Path) -> None:
    path = tmp_path / "explicit.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    settings = embedded_settings(tmp_path).model_copy(update={"database_url": f"sqlite:///{path}"})
    with pytest.raises(DatabaseUnusable, match="cannot read the database"):
        _start(settings)


def test_half_written_build_is_never_used(tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "db.sqlite3"
    build_sqlite(target, dataset)
    with pytest.raises(KeyError):
        build_sqlite(target, _broken(dataset))
    # The failed build wrote a temporary file, never the live one.
    with sqlite3.connect(target) as connection:
        (version,) = connection.execute("SELECT version FROM dataset_info").fetchone()
    assert version == dataset.version
