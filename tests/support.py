"""Helpers the tests share (fixtures stay in conftest.py): settings isolated
in a folder, the app in process (httpx over ASGI, lifespan run), the app on
uvicorn on loopback in a thread, and ``painmap serve`` in its own process."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI
from starlette.types import ASGIApp

from app.config import Settings
from app.data.dataset import DEFAULT_DATA_DIR
from app.main import create_app


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


def prebuilt_settings(tmp: Path, built_sqlite: Path, **extra: object) -> Settings:
    """``embedded_settings`` with a copy of a SQLite file already built from
    the same data/ (the ``built_sqlite`` fixture): the app starts without
    building it again."""
    settings = embedded_settings(tmp, **extra)
    shutil.copy(built_sqlite, settings.sqlite_path)
    return settings


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres://")) else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _PortalTransport(httpx.BaseTransport):
    """A synchronous httpx transport that hands each request to
    ``httpx.ASGITransport`` on the portal's event loop, so ordinary
    ``httpx.Client`` tests can talk to the app without a socket."""

    def __init__(self, app: ASGIApp, portal: BlockingPortal) -> None:
        # Errors become 500 answers, as a server would send, not exceptions.
        self.asgi = httpx.ASGITransport(app, raise_app_exceptions=False)  # type: ignore[arg-type]
        self.portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        # A body both the sync and the async side can read.
        request = httpx.Request(
            request.method, request.url, headers=request.headers, content=request.read()
        )
        response = await self.asgi.handle_async_request(request)
        # Raw bytes: the client decodes gzip itself, as it would from a socket.
        raw = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        return httpx.Response(response.status_code, headers=response.headers, content=raw)


class AppInProcess:
    """The app with its lifespan run on an event loop in a background thread
    (anyio's blocking portal); ``client()`` gives an ``httpx.Client`` whose
    requests go straight to the app through ``httpx.ASGITransport``. For route
    tests: HTTP-level behaviour (timeouts, connection limits, the server
    protocol) needs :class:`LiveServer` or :class:`ServedProcess`."""

    def __init__(self, settings: Settings | None = None, app: FastAPI | None = None) -> None:
        self.settings = settings
        self.app = app if app is not None else create_app(settings)
        self._stack = contextlib.ExitStack()
        self.portal: BlockingPortal | None = None

    def __enter__(self) -> AppInProcess:
        with contextlib.ExitStack() as stack:
            self.portal = stack.enter_context(start_blocking_portal())
            lifespan = self.app.router.lifespan_context(self.app)
            stack.enter_context(self.portal.wrap_async_context_manager(lifespan))
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def client(self, **options: Any) -> httpx.Client:
        assert self.portal is not None, "use AppInProcess as a context manager"
        return httpx.Client(
            transport=_PortalTransport(self.app, self.portal),
            base_url="http://testserver",
            **options,
        )


class LiveServer:
    """A uvicorn server on 127.0.0.1 with a free port, in a background thread.
    ``lifespan=False`` serves an app whose lifespan already ran elsewhere
    (an :class:`AppInProcess`), so one loaded dataset serves both."""

    def __init__(
        self,
        settings: Settings | None = None,
        app: ASGIApp | None = None,
        options: dict[str, object] | None = None,
        lifespan: bool = True,
    ) -> None:
        self.settings = settings
        self.app = app if app is not None else create_app(settings)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app,  # type: ignore[arg-type]
            log_level="warning",
            lifespan="on" if lifespan else "off",
            **(options or {}),  # type: ignore[arg-type]
        )
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
