"""HTTP concerns in one place, as plain ASGI middleware (cheaper than
Starlette's BaseHTTPMiddleware): caching headers and 304s, security headers,
request ids, structured access logs and an in-memory response cache."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("painmap.access")

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CACHE_CONTROL = "public, max-age=300"

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
# JSON and SVG need nothing from anywhere; the docs pages run their own
# scripts and styles (Swagger UI and ReDoc inline a little of both).
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Body maps style their shapes with an inline stylesheet.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


class HttpPolicyMiddleware:
    """Adds ETag/Cache-Control to successful reads of the versioned API and
    answers ``304 Not Modified`` to a matching ``If-None-Match`` without
    running the route; sets security headers and a request id everywhere."""

    def __init__(self, app: ASGIApp, version: Callable[[], str | None]) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_headers = Headers(scope=scope)
        request_id = request_headers.get(REQUEST_ID_HEADER, "")
        if not _VALID_REQUEST_ID.match(request_id):
            request_id = uuid.uuid4().hex
        cacheable = scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/v1/")
        version = self.version() if cacheable else None
        etag = f'W/"{version}"' if version else None
        status_seen = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", _csp(headers.get("content-type", "")))
                headers[REQUEST_ID_HEADER] = request_id
                if etag and status_seen == 200:
                    headers["etag"] = etag
                    headers["cache-control"] = CACHE_CONTROL
            await send(message)

        try:
            if etag and _matches(request_headers.get("if-none-match"), etag):
                await _not_modified(send_with_headers, etag)
                status_seen = 304
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            _log_access(scope, request_id, status_seen, started)


def _csp(content_type: str) -> str:
    if content_type.startswith("text/html"):
        return PAGE_CSP
    if content_type.startswith("image/svg+xml"):
        return SVG_CSP
    return API_CSP


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


async def _not_modified(send: Callable[[Message], Any], etag: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 304,
            "headers": [
                (b"etag", etag.encode()),
                (b"cache-control", CACHE_CONTROL.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _log_access(scope: Scope, request_id: str, status: int, started: float) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client") or ("", 0)
    access_log.info(
        json.dumps(
            {
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "client": client[0],
            },
            separators=(",", ":"),
        )
    )


CacheKey = tuple[str, str, bytes, bool]


class ResponseCacheMiddleware:
    """Keeps successful ``GET /v1/…`` responses in memory, keyed by dataset
    version, path, query and whether the client takes gzip. Every such
    response is a pure function of those, so a repeated question is answered
    without routing, validation or serialisation; a new dataset version
    starts a fresh cache."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str | None],
        max_bytes: int = 16 * 1024 * 1024,
        max_entry_bytes: int = 512 * 1024,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[CacheKey, tuple[Message, bytes]] = OrderedDict()
        self._bytes = 0
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.version() if scope["type"] == "http" else None
        if version is None or scope["method"] != "GET" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        gzip = "gzip" in Headers(scope=scope).get("accept-encoding", "")
        key = (version, scope["path"], scope["query_string"], gzip)
        cached = self._entries.get(key)
        if cached is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            start, body = cached
            await send(dict(start))  # a copy: the policy layer adds headers to it
            await send({"type": "http.response.body", "body": body})
            return

        start_message: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start_message
            if message["type"] == "http.response.start":
                start_message = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start_message is not None:
                    self._store(key, start_message, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: CacheKey, start: Message, body: bytes) -> None:
        if start["status"] != 200 or len(body) > self.max_entry_bytes:
            return
        if key[0] != next(iter(self._entries), key)[0]:
            self._entries.clear()  # a new dataset version: the old answers are stale
            self._bytes = 0
        self._entries[key] = (start, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self._bytes -= len(evicted)


class RateLimitMiddleware:
    """Per-client token bucket on ``/v1/…``: ``per_minute`` requests a minute
    on average, bursts up to the same number; beyond it a 429 problem with
    ``Retry-After``. Health probes and docs are never limited."""

    MAX_CLIENTS = 10_000

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            wait = max(1, round((1 - tokens) / self.refill_per_second + 0.5))
            await _too_many_requests(send, scope["path"], wait)
            return
        if len(self._buckets) >= self.MAX_CLIENTS and client not in self._buckets:
            self._forget_idle(now)
        self._buckets[client] = (tokens - 1, now)
        await self.app(scope, receive, send)

    def _forget_idle(self, now: float) -> None:
        # Clients whose bucket has refilled completely carry no state worth keeping.
        full_after = self.capacity / self.refill_per_second
        self._buckets = {
            client: (tokens, last)
            for client, (tokens, last) in self._buckets.items()
            if now - last < full_after
        }


async def _too_many_requests(send: Send, path: str, wait: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Too Many Requests",
            "status": 429,
            "detail": f"Rate limit reached; retry in {wait} s.",
            "instance": path,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(wait).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
