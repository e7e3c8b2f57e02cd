"""Shared fixtures: the real dataset; the real app in process (httpx over
ASGI) for route tests; and the same app served by uvicorn on loopback for
tests about HTTP itself (httpx talks to it over TCP, as clients do). The
helpers behind them are in tests/support.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.data.dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from tests.support import AppInProcess, LiveServer, embedded_settings


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppInProcess]:
    """The app on the embedded SQLite default, its lifespan run once."""
    with AppInProcess(embedded_settings(tmp_path_factory.mktemp("app"))) as running:
        yield running


@pytest.fixture(scope="session")
def app_client(running_app: AppInProcess) -> Iterator[httpx.Client]:
    """An httpx client that calls the app in process: for route tests."""
    with running_app.client(timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def server(running_app: AppInProcess) -> Iterator[LiveServer]:
    """The same app on uvicorn (its lifespan already run): one dataset load
    serves both kinds of test."""
    with LiveServer(running_app.settings, app=running_app.app, lifespan=False) as live:
        yield live


@pytest.fixture(scope="session")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_sqlite(running_app: AppInProcess) -> Path:
    """The embedded SQLite file the session's app built, for served processes
    to copy (it is only read once built)."""
    assert running_app.settings is not None
    return running_app.settings.sqlite_path
