"""The HTTP server's own limits: what ASGI middleware cannot do, because it
only runs once a whole request has arrived.

uvicorn (with httptools) parses requests; :class:`PainmapHttpProtocol` adds
around it what uvicorn lacks for a public service:

- a deadline for receiving a whole request, counted from the connection's
  start or from the first byte after the previous answer, so idle and
  slow-sending ("slowloris") connections are closed (uvicorn's keep-alive
  timeout is reset by every byte and does not run before a first request);
- a bound on the request line and headers (431), checked as bytes arrive,
  so a huge header is never held in memory;
- a cap on the connections one process holds: past it the longest-idle
  connection is closed, so probes and real clients still get in while idle
  sockets pile up, and file descriptors never run out;
- problem+json answers with the security headers for requests that cannot be
  parsed (uvicorn's own are plain text).

:func:`uvicorn_options` gives ``painmap serve`` (and so the Docker image,
which runs it) these settings.
"""

from __future__ import annotations

import json
import logging
import resource
import time
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.api.middleware import API_CSP, SECURITY_HEADERS
from app.config import Settings, get_settings
from app.logs import log_config

log = logging.getLogger("painmap.server")

# Descriptors kept free beyond the connection cap: the database pool, data
# files, the listening socket, logs.
RESERVED_DESCRIPTORS = 64


@dataclass(frozen=True)
class ServerLimits:
    header_timeout: float = 10.0
    max_header_bytes: int = 16 * 1024
    max_connections: int = 1000

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerLimits:
        return cls(
            header_timeout=settings.header_timeout,
            max_header_bytes=settings.max_header_bytes,
            max_connections=min(settings.max_connections, open_file_limit() - RESERVED_DESCRIPTORS),
        )


def open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit and
    return it (the usual soft limit, 1024, is below a public server's needs)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


class _Tally:
    """Counts an event and logs it at most once per ``every`` seconds, so an
    attack leaves a few clear lines instead of one per connection."""

    def __init__(self, message: str, every: float = 10.0) -> None:
        self.message = message
        self.every = every
        self.count = 0
        self.total = 0
        self._logged = 0.0

    def add(self, **fields: object) -> None:
        self.count += 1
        self.total += 1
        now = time.monotonic()
        if now - self._logged >= self.every:
            log.warning(self.message, self.count, *fields.values())
            self.count = 0
            self._logged = now


TIMED_OUT = _Tally("closed %d connection(s) that sent no whole request within %s s")
SHED = _Tally("connection limit %d reached: closed %d idle connection(s)")
REFUSED = _Tally("closed %d connection(s): request line and headers over %d bytes")


class PainmapHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a request deadline, a head-size
    bound, a connection cap and problem answers for unparsable requests."""

    limits: ClassVar[ServerLimits | None] = None  # None: from the settings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = type(self).limits or _default_limits()
        self._deadline: Any = None
        self._awaiting_head = True
        self._head_bytes = 0
        self._head_size = 0
        self._too_large = False
        self._idle_since = 0.0

    @classmethod
    def configured(cls, limits: ServerLimits) -> type[PainmapHttpProtocol]:
        """A subclass with these limits (for servers run in-process, e.g. tests)."""
        return type(cls.__name__, (cls,), {"limits": limits})

    # Connection life
    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._idle_since = self.loop.time()
        self._arm()
        if len(self.connections) > self._limits.max_connections:
            self._shed()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._deadline is None:
            self._arm()  # the first byte of a request: its clock starts
        if self._awaiting_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if (
            self._awaiting_head
            and self._head_bytes > self._limits.max_header_bytes
            and not self.transport.is_closing()
        ):
            # Still no end of the headers: refuse before holding any more.
            self._too_large = True
            self.send_400_response("")

    # Parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_head = True
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._grow(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._grow(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()  # the whole request is in
        self._awaiting_head = True

    def handle_websocket_upgrade(self) -> None:
        self._disarm()
        super().handle_websocket_upgrade()

    def on_response_complete(self) -> None:
        self._idle_since = self.loop.time()
        super().on_response_complete()

    # Limits
    def _grow(self, size: int) -> None:
        self._head_size += size
        if self._head_size > self._limits.max_header_bytes:
            self._too_large = True
            raise ValueError("request head too large")  # httptools stops parsing

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self._limits.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            TIMED_OUT.add(timeout=self._limits.header_timeout)
            self.transport.close()

    def _idle(self) -> bool:
        return (self.cycle is None or self.cycle.response_complete) and not self.pipeline

    def _shed(self) -> None:
        """Over the cap: close the connection idle the longest (one waiting
        for a request, never one being answered); if none is idle, this one."""
        idle = [
            connection
            for connection in self.connections
            if isinstance(connection, PainmapHttpProtocol)
            and connection is not self
            and connection._idle()
            and not connection.transport.is_closing()
        ]
        victim = min(idle, key=lambda c: c._idle_since) if idle else self
        SHED.add(limit=self._limits.max_connections)
        victim.transport.close()

    # Answers the application never sees
    def send_400_response(self, msg: str) -> None:
        if self._too_large:
            REFUSED.add(limit=self._limits.max_header_bytes)
            status, title = 431, "Request Header Fields Too Large"
            detail = f"The request line and headers exceed {self._limits.max_header_bytes} bytes."
        else:
            status, title = 400, "Bad Request"
            detail = "The request could not be parsed as HTTP/1.1."
        self._disarm()
        self.transport.write(raw_problem(status, title, detail))
        self.transport.close()


def raw_problem(status: int, title: str, detail: str) -> bytes:
    """A whole HTTP/1.1 problem+json response, connection closing, with the
    headers every other answer carries."""
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail}
    ).encode()
    headers = {
        "content-type": "application/problem+json",
        "content-length": str(len(body)),
        "connection": "close",
        **SECURITY_HEADERS,
        "content-security-policy": API_CSP,
        "x-request-id": uuid.uuid4().hex,
    }
    head = f"HTTP/1.1 {status} {title}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


_DEFAULT_LIMITS: ServerLimits | None = None


def _default_limits() -> ServerLimits:
    global _DEFAULT_LIMITS
    if _DEFAULT_LIMITS is None:
        _DEFAULT_LIMITS = ServerLimits.from_settings(get_settings())
    return _DEFAULT_LIMITS


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn settings for a public service: ``painmap serve`` runs with
    them, and so does the Docker image (its command is ``painmap serve``)."""
    trusted = settings.trusted_proxies
    return {
        "http": "app.server:PainmapHttpProtocol",
        # The standard loop, not uvloop: with answers that take a millisecond
        # of CPU, uvloop keeps serving the connections that just spoke while
        # others wait many rounds (MagicStack/uvloop#123). Measured with
        # bench/load.py, new questions at 32 connections: p99 about 8x the
        # median on uvloop, 1.5x on asyncio, at the same throughput.
        "loop": "asyncio",
        "timeout_keep_alive": settings.keep_alive_timeout,
        # X-Forwarded-For/-Proto only from the configured proxies; none by default.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": ",".join(trusted) if trusted else None,
        "server_header": False,
        "log_level": settings.log_level,
        "log_config": log_config(settings.log_level),
        "access_log": False,  # app.api.middleware logs each request as one JSON line
    }
