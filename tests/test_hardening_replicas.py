"""Several processes behind one front: a rate limit shared through Redis,
start-up that waits for PostgreSQL, and readiness that stays quick when
PostgreSQL hangs. Redis tests run where a redis-server binary is installed
(apt-get install redis-server); PostgreSQL tests where DATABASE_URL points
at one (.ci/run starts it). Everything stays on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from app.api.middleware import RateLimitMiddleware
from app.data.dataset import Dataset
from app.data.db import make_db_engine
from app.data.store import write_dataset
from tests.support import LiveServer, ServedProcess, embedded_settings, free_port, postgres_url
from tests.test_faults import TcpProxy

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if REDIS is None:
        pytest.skip("no redis-server installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _statuses(limiters: list[RateLimitMiddleware], requests: int) -> list[int]:
    """Requests from one client, sent to each limiter in turn (as a load
    balancer spreads them over replicas); the status of each answer."""

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    async def run() -> list[int]:
        statuses: list[int] = []

        async def send(message: Any) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        for n in range(requests):
            scope = {
                "type": "http",
                "method": "GET",
                "path": "/v1/muscles/soleus",
                "headers": [],
                "client": ("192.0.2.10", 40000 + n),
            }
            await limiters[n % len(limiters)](scope, receive, send)
        return statuses

    return asyncio.run(run())


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


# 5. Replicas (or workers) share one limit through Redis: each has its own
# limiter and its own connection, as separate processes do.
@pytest.mark.redis
def test_replicas_share_one_rate_limit_through_redis(redis_url: str) -> None:
    replicas = [RateLimitMiddleware(_ok, per_minute=4, storage=redis_url) for _ in range(2)]
    statuses = _statuses(replicas, 10)
    assert statuses.count(200) == 4 and statuses.count(429) == 6, statuses
    alone = [RateLimitMiddleware(_ok, per_minute=4) for _ in range(2)]
    assert _statuses(alone, 10).count(200) == 8  # memory:// counts per process


def test_unreachable_rate_limit_storage_lets_requests_through(caplog) -> None:  # type: ignore[no-untyped-def]
    url = f"redis://127.0.0.1:{free_port()}/0"
    limiter = RateLimitMiddleware(_ok, per_minute=2, storage=url)
    with caplog.at_level(logging.WARNING, logger="painmap.http"):
        statuses = _statuses([limiter], 5)
    assert statuses == [200] * 5  # limits off while the storage is away, never a 500
    assert any("rate-limit storage unavailable" in r.getMessage() for r in caplog.records)


# 9. PostgreSQL: start-up waits for it; /readyz stays quick when it hangs.
@pytest.fixture
def loaded_postgres(request: pytest.FixtureRequest) -> str:
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    dataset: Dataset = request.getfixturevalue("dataset")
    engine = make_db_engine(url)
    write_dataset(engine, dataset)
    engine.dispose()
    return url


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    credentials = parts.netloc.rsplit("@", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{port}"))


@pytest.mark.postgres
def test_start_up_waits_for_postgresql_to_come_up(
    loaded_postgres: str, tmp_path: Path, built_sqlite: Path
) -> None:
    parts = urlsplit(loaded_postgres)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    proxy.cut()
    threading.Timer(4.0, proxy.restore).start()
    try:
        with ServedProcess(
            tmp_path,
            built_sqlite,
            DATABASE_URL=_through(loaded_postgres, proxy.port),
            PAINMAP_DB_CONNECT_ATTEMPTS="10",
            PAINMAP_DB_CONNECT_BACKOFF="0.3",
        ) as live:
            assert httpx.get(live.url + "/readyz").status_code == 200
            log = live.log()
        assert "not reachable (attempt 1 of 10)" in log and "Traceback" not in log
    finally:
        proxy.close()


class FreezingProxy(TcpProxy):
    """A TcpProxy that can stop passing bytes on while keeping every
    connection open: the database seems to hang."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.flowing = threading.Event()
        self.flowing.set()
        super().__init__(target)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:  # type: ignore[override]
        source.settimeout(None)  # idle is not an error here: only a hang is simulated
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        except OSError:
            pass


@pytest.mark.postgres
def test_readyz_answers_quickly_while_postgresql_hangs(
    loaded_postgres: str, tmp_path: Path
) -> None:
    parts = urlsplit(loaded_postgres)
    proxy = FreezingProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    settings = embedded_settings(tmp_path).model_copy(
        update={"database_url": _through(loaded_postgres, proxy.port)}
    )
    try:
        with LiveServer(settings) as live, httpx.Client(base_url=live.url, timeout=10) as http:
            assert http.get("/readyz").status_code == 200
            proxy.flowing.clear()
            for _ in range(3):
                started = time.monotonic()
                assert http.get("/readyz").status_code == 503
                assert time.monotonic() - started < 1.6
            assert http.get("/v1/pain-sources", params={"q": "heel"}).status_code == 200
            proxy.flowing.set()
            deadline = time.monotonic() + 15
            while http.get("/readyz").status_code != 200:
                assert time.monotonic() < deadline, "readiness never recovered"
                time.sleep(0.2)
    finally:
        proxy.flowing.set()
        proxy.close()
