"""Hostile but fair clients against the real server, as ``painmap serve``
runs it (its own process, its own limits), on 127.0.0.1 only. Every load
here is bounded in count and time and stops by itself."""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ServedProcess

HEADER_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, built_sqlite: Path) -> Iterator[ServedProcess]:
    tmp = tmp_path_factory.mktemp("served")
    with ServedProcess(
        tmp, built_sqlite, PAINMAP_HEADER_TIMEOUT=str(HEADER_TIMEOUT), PAINMAP_METRICS="true"
    ) as live:
        yield live


def _connect(live: ServedProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", live.port), timeout=5)


def _read_all(sock: socket.socket, seconds: float = 5) -> bytes:
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return data


def _metric(live: ServedProcess, name: str) -> float:
    text = httpx.get(live.url + "/metrics").text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


class RawClient:
    """Keep-alive GETs over one socket, parsed just enough: faster than a
    full client, so a few seconds make many thousands of requests."""

    def __init__(self, live: ServedProcess) -> None:
        self.sock = _connect(live)
        self.buffer = b""

    def get(self, target: str) -> int:
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        )
        while len(rest) < length:
            rest += self._recv()
        self.buffer = rest[length:]
        return int(head.split(b" ", 2)[1])

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


# 1. The response cache keys on what the route accepts: junk parameters
# neither make entries nor grow memory.
def test_unique_junk_parameters_do_not_grow_memory(served: ServedProcess) -> None:
    url = "/v1/regions/heel"
    warm = RawClient(served)
    for _ in range(200):
        assert warm.get(url) == 200
    warm.close()
    hits_before = _metric(served, "painmap_response_cache_hits_total")
    before = served.rss_mb()
    padding = "a" * 15_000  # within the header limit, 15 KB of key each before the fix
    counter = iter(range(10**9))
    statuses: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + 6  # before the fix: about 80 MB more in this time

    def hammer() -> None:
        client = RawClient(served)
        try:
            while time.monotonic() < stop:
                with lock:
                    n = next(counter)
                status = client.get(f"{url}?junk={n}{padding}")
                with lock:
                    statuses.append(status)
        finally:
            client.close()

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grown = served.rss_mb() - before
    assert len(statuses) > 2000 and set(statuses) == {200}, (len(statuses), set(statuses))
    assert grown < 30, f"RSS grew {grown:.0f} MB over {len(statuses)} requests"
    # They were all one question, answered from one cache entry.
    hits = _metric(served, "painmap_response_cache_hits_total") - hits_before
    assert hits >= len(statuses) - 1


# 3. Idle and slow connections are closed within the header timeout.
def test_idle_connection_is_closed_within_the_header_timeout(served: ServedProcess) -> None:
    with _connect(served) as sock:
        started = time.monotonic()
        assert _read_all(sock, 5) == b""
        assert time.monotonic() - started < HEADER_TIMEOUT + 1


def test_slowly_sent_headers_are_cut_off(served: ServedProcess) -> None:
    with _connect(served) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for _ in range(20):  # one header byte every 0.2 s, for at most 4 s
            try:
                sock.sendall(b"X")
            except OSError:
                closed = True
                break
            time.sleep(0.2)
            sock.setblocking(False)
            try:
                closed = sock.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed = True
            sock.setblocking(True)
            if closed:
                break
        assert closed, "a client trickling its headers kept the connection"
        assert time.monotonic() - started < HEADER_TIMEOUT + 1.5


def test_idle_connection_after_an_answer_is_closed(served: ServedProcess) -> None:
    with _connect(served) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        assert b"200 OK" in sock.recv(65536)
        sock.sendall(b"GET /hea")  # half a request, then nothing
        started = time.monotonic()
        assert _read_all(sock, 5) == b""
        assert time.monotonic() - started < HEADER_TIMEOUT + 1


# 4. Request headers are bounded, and refused as they arrive.
def test_a_huge_header_is_refused_with_431(served: ServedProcess) -> None:
    with _connect(served) as sock:
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
        with contextlib.suppress(OSError):  # the server stops reading; its answer is there
            sock.sendall(head)
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b"application/problem+json" in answer and b"x-content-type-options: nosniff" in answer


def test_concurrent_huge_headers_do_not_grow_memory(served: ServedProcess) -> None:
    before = served.rss_mb()

    def send_big() -> None:
        with _connect(served) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
            chunk = b"a" * 1_000_000
            try:
                for _ in range(64):
                    sock.sendall(chunk)
            except OSError:
                return

    threads = [threading.Thread(target=send_big) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    grown = served.rss_mb() - before
    assert grown < 30, f"RSS grew {grown:.0f} MB for four 64 MB headers"
    assert httpx.get(served.url + "/healthz").status_code == 200


# 12. Requests the server cannot parse get the same problem shape and headers.
def test_unparsable_request_is_a_problem_with_security_headers(served: ServedProcess) -> None:
    with _connect(served) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = _read_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"content-type: application/problem+json" in head
    assert b"x-content-type-options: nosniff" in head and b"x-request-id: " in head
    assert json.loads(body)["status"] == 400


# 12. Every log line is JSON with a timestamp; access lines carry the request id.
def test_log_lines_are_json_with_timestamps(served: ServedProcess) -> None:
    httpx.get(served.url + "/v1/muscles/soleus", headers={"X-Request-ID": "log-line-probe"})
    time.sleep(0.2)
    lines = [json.loads(line) for line in served.log().splitlines() if line.strip()]
    assert lines and all("timestamp" in line and "level" in line for line in lines)
    access = [line for line in lines if line["logger"] == "painmap.access"]
    probe = next(line for line in access if line["request_id"] == "log-line-probe")
    assert probe["path"] == "/v1/muscles/soleus" and probe["status"] == 200
    assert any(line["logger"].startswith("uvicorn") for line in lines)


# 3. With file descriptors short, idle sockets never lock probes out: past the
# connection cap the longest-idle connection is closed, and it is logged.
def test_idle_sockets_beyond_the_cap_never_lock_probes_out(
    tmp_path: Path, built_sqlite: Path
) -> None:
    def few_descriptors() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    live = ServedProcess(tmp_path, built_sqlite, PAINMAP_HEADER_TIMEOUT="30")
    live.preexec = few_descriptors
    idle: list[socket.socket] = []
    with live:
        try:
            for _ in range(300):
                idle.append(socket.create_connection(("127.0.0.1", live.port), timeout=5))
            time.sleep(0.5)
            started = time.monotonic()
            for _ in range(5):
                assert httpx.get(live.url + "/healthz", timeout=3).status_code == 200
            assert time.monotonic() - started < 5
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.2)
        assert "connection limit" in live.log()


# 3. painmap serve and the Docker image run the server with the same limits.
def test_serve_and_the_image_run_with_the_server_limits(
    tmp_path: Path, built_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging.config
    import re
    import shutil

    import uvicorn

    from app.cli import main as cli
    from app.config import Settings

    sqlite = tmp_path / "painmap.sqlite3"
    shutil.copy(built_sqlite, sqlite)
    monkeypatch.setenv("PAINMAP_SQLITE_PATH", str(sqlite))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options, app=app))
    monkeypatch.setattr(logging.config, "dictConfig", lambda config: None)
    assert cli(["serve", "--port", "8123"]) == 0
    assert seen["app"] == "app.main:app" and seen["http"] == "app.server:PainmapHttpProtocol"
    assert seen["timeout_keep_alive"] == 5 and seen["proxy_headers"] is False
    assert seen["access_log"] is False and seen["server_header"] is False

    dockerfile = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()
    assert re.search(r'^CMD \["painmap", "serve"', dockerfile, re.M)
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name, value in re.findall(r"PAINMAP_([A-Z_]+)=(\S+?)(?: \\|\n)", dockerfile):
        # Host and port are the container's; the SQLite file goes in the image's var/.
        if name not in ("HOST", "PORT", "SQLITE_PATH"):
            assert getattr(defaults, name.lower()) == type(getattr(defaults, name.lower()))(
                value
            ), name


# 4. Answers leave in turn: painmap serve runs the standard event loop, which
# answers connections in the order they spoke (uvloop, installed with
# uvicorn[standard] and uvicorn's default, lets some wait many rounds when
# each answer takes CPU; bench/load.py measures the p99 this costs).
def test_serve_runs_the_standard_event_loop_although_uvloop_is_installed() -> None:
    import asyncio

    import uvicorn

    from app.config import Settings
    from app.server import uvicorn_options

    options = uvicorn_options(Settings(_env_file=None))  # type: ignore[call-arg]
    for name in ("log_config", "log_level"):
        options.pop(name)
    default_factory = uvicorn.Config("app.main:app").get_loop_factory()
    served_factory = uvicorn.Config("app.main:app", **options).get_loop_factory()
    assert default_factory is not None and served_factory is not None
    default_loop, served_loop = default_factory(), served_factory()
    try:
        assert type(default_loop).__module__.startswith("uvloop")  # the option matters
        assert isinstance(served_loop, asyncio.SelectorEventLoop)
        assert not type(served_loop).__module__.startswith("uvloop")
    finally:
        default_loop.close()
        served_loop.close()
