"""Shared fixtures: the real dataset, and the real app served by uvicorn on
loopback (httpx talks to it over TCP, as clients do)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from app.config import Settings
from app.data.dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from app.main import create_app


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


class LiveServer:
    """A uvicorn server on 127.0.0.1 with a free port, in a background thread."""

    def __init__(
        self,
        settings: Settings | None = None,
        app: ASGIApp | None = None,
        options: dict[str, object] | None = None,
    ) -> None:
        self.settings = settings
        self.app = app if app is not None else create_app(settings)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", **(options or {}))  # type: ignore[arg-type]
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def built_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded SQLite file built once, for served processes to copy."""
    from app.data.db import ensure_embedded_sqlite

    settings = embedded_settings(tmp_path_factory.mktemp("built"))
    ensure_embedded_sqlite(settings)
    return settings.sqlite_path


class ServedProcess:
    """``python -m app serve`` in its own process on 127.0.0.1 with a free
    port: the server, limits and logging that production runs. Settings come
    as PAINMAP_* variables; the process is stopped on exit."""

    def __init__(self, tmp: Path, sqlite: Path | None = None, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"serve-{self.port}.log"
        sqlite_path = tmp / f"served-{self.port}.sqlite3"
        if sqlite is not None:
            shutil.copy(sqlite, sqlite_path)
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PAINMAP_") and k != "DATABASE_URL"
        }
        self.env = {
            **clean,
            "PAINMAP_SQLITE_PATH": str(sqlite_path),
            "PAINMAP_PORT": str(self.port),
            "PAINMAP_RELOAD_INTERVAL": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.preexec: Callable[[], None] | None = None  # e.g. resource limits

    def __enter__(self) -> ServedProcess:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.log_path.parent,
            preexec_fn=self.preexec,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"painmap serve exited: {self.log()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("painmap serve did not start in 60 s")
            time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def rss_mb(self) -> float:
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        (line,) = [row for row in status.splitlines() if row.startswith("VmRSS:")]
        return int(line.split()[1]) / 1024

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
