"""Faults: the database goes away under a running service and comes back.
A real TCP proxy sits between the service and PostgreSQL so the test can cut
and restore the connection. Skipped without PostgreSQL (.ci/run has one)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from app.data.dataset import Dataset
from app.data.db import make_db_engine
from app.data.store import write_dataset
from tests.support import LiveServer, embedded_settings, postgres_url

pytestmark = pytest.mark.postgres


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database; ``cut()`` drops every
    connection and refuses new ones until ``restore()``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.sockets.clear()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def proxied(dataset: Dataset) -> Iterator[tuple[str, TcpProxy]]:
    """A loaded PostgreSQL reached through a proxy: (DATABASE_URL, proxy)."""
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    engine = make_db_engine(url)
    write_dataset(engine, dataset)
    engine.dispose()
    parts = urlsplit(url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    credentials = parts.netloc.rsplit("@", 1)[0]
    yield urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}")), proxy
    proxy.close()


def _wait_for(http: httpx.Client, path: str, status: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while http.get(path).status_code != status:
        assert time.monotonic() < deadline, f"{path} never answered {status}"
        time.sleep(0.2)


def test_database_outage_and_recovery(proxied: tuple[str, TcpProxy], tmp_path: Path) -> None:
    url, proxy = proxied
    settings = embedded_settings(tmp_path).model_copy(
        update={"database_url": url, "reload_interval": 0.3}
    )
    with LiveServer(settings) as live, httpx.Client(base_url=live.url, timeout=10) as http:
        assert http.get("/readyz").status_code == 200
        proxy.cut()
        _wait_for(http, "/readyz", 503)
        body = http.get("/readyz").json()
        assert body["status"] == "unavailable" and body["database"] == "unreachable"
        # Lookups and resources keep answering from memory, uncached ones too.
        answer = http.get("/v1/pain-sources", params={"q": "outage probe: pain in my heel"})
        assert answer.status_code == 200 and answer.json()["results"]
        assert http.get("/v1/muscles/soleus").status_code == 200
        assert http.get("/healthz").status_code == 200
        proxy.restore()
        _wait_for(http, "/readyz", 200)
