"""The same code on a real PostgreSQL (DATABASE_URL=postgresql+psycopg://…).
Skipped when no PostgreSQL URL is set; .ci/run sets one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from app.cli import main as cli
from app.data.dataset import load_dataset
from app.data.db import make_db_engine
from app.data.store import write_dataset
from app.data.tables import LEGACY_TABLES, dataset_table
from app.domain import Dataset
from tests.support import LiveServer, embedded_settings, postgres_url
from tests.test_store import (
    assert_failed_write_changes_nothing,
    assert_legacy_layout_is_replaced,
    assert_round_trip,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine() -> Iterator[Engine]:
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    engine = make_db_engine(url)
    with engine.begin() as connection:  # an empty database, whatever ran before
        for name in (*LEGACY_TABLES, dataset_table.name):
            connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    yield engine
    engine.dispose()


def test_round_trip_is_exact(engine: Engine, dataset: Dataset) -> None:
    assert_round_trip(engine, dataset)
    # A json column, not jsonb: the text is kept as written, key order included.
    with engine.connect() as connection:
        kind = connection.execute(text("SELECT pg_typeof(document) FROM painmap_dataset"))
        assert kind.scalar() == "json"


def test_failed_write_rolls_back(engine: Engine, dataset: Dataset) -> None:
    assert_failed_write_changes_nothing(engine, dataset)


def test_an_older_table_layout_is_replaced(
    engine: Engine, tmp_path: Path, dataset: Dataset
) -> None:
    assert_legacy_layout_is_replaced(engine, _pg_settings(tmp_path), dataset)


def _pg_settings(tmp: Path, data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    base = embedded_settings(tmp) if data_dir is None else embedded_settings(tmp, data_dir)
    return base.model_copy(update={"database_url": postgres_url(), "reload_interval": 0.2})


def test_service_loads_an_empty_database_and_serves(
    engine: Engine, tmp_path: Path, dataset: Dataset
) -> None:
    with LiveServer(_pg_settings(tmp_path)) as live, httpx.Client(base_url=live.url) as http:
        ready = http.get("/readyz").json()
        assert ready["status"] == "ready" and ready["dataset_version"] == dataset.version
        body = http.get("/v1/pain-sources", params={"region": "heel"}).json()
        assert body["results"]
    assert not (tmp_path / "painmap.sqlite3").exists()  # PostgreSQL, not the embedded file


def test_replicas_agree_and_follow_a_new_load(
    engine: Engine,
    tmp_path: Path,
    data_copy: Path,
    dataset: Dataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_dataset(engine, dataset)
    with (
        LiveServer(_pg_settings(tmp_path / "a")) as one,
        LiveServer(_pg_settings(tmp_path / "b")) as two,
        httpx.Client() as http,
    ):
        for path in ("/v1/muscles/soleus", "/v1/pain-sources?q=pain+in+my+heel", "/v1/regions"):
            assert http.get(one.url + path).json() == http.get(two.url + path).json()
        old_etag = http.get(one.url + "/v1/muscles/soleus").headers["etag"]
        assert http.get(two.url + "/v1/muscles/soleus").headers["etag"] == old_etag

        soleus = data_copy / "muscles" / "soleus.yaml"
        soleus.write_text(soleus.read_text().replace("name: Soleus", "name: Soleus muscle", 1))
        monkeypatch.setenv("DATABASE_URL", postgres_url() or "")
        assert cli(["--data-dir", str(data_copy), "load"]) == 0
        new_version = load_dataset(data_copy).version

        deadline = time.monotonic() + 10
        for replica in (one, two):
            while http.get(replica.url + "/readyz").json()["dataset_version"] != new_version:
                assert time.monotonic() < deadline, "a replica never picked up the new dataset"
                time.sleep(0.1)
            response = http.get(replica.url + "/v1/muscles/soleus")
            assert response.json()["name"] == "Soleus muscle"
            assert response.headers["etag"] == f'W/"{new_version}"' != old_etag
