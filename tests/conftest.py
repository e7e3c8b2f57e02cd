"""Shared fixtures: the real dataset, and the real app served by uvicorn on
loopback (httpx talks to it over TCP, as clients do)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from app.config import Settings
from app.dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from app.main import create_app


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


class LiveServer:
    """A uvicorn server on 127.0.0.1 with a free port, in a background thread."""

    def __init__(self, settings: Settings | None = None, app: ASGIApp | None = None) -> None:
        self.settings = settings
        self.app = app if app is not None else create_app(settings)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server failed to start")
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not start in 30 s")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def embedded_settings(tmp: Path, data_dir: Path = DEFAULT_DATA_DIR, **extra: object) -> Settings:
    """Settings for the embedded SQLite default, isolated in ``tmp``."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=None,
        data_dir=data_dir,
        sqlite_path=tmp / "painmap.sqlite3",
        reload_interval=0,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = embedded_settings(tmp_path_factory.mktemp("server"))
    with LiveServer(settings) as live:
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


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres://")) else None
