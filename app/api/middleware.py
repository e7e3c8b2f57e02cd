"""HTTP concerns in one place, as plain ASGI middleware (cheaper than
Starlette's BaseHTTPMiddleware). From the outside in:

1. :class:`HttpPolicyMiddleware`: request ids, security headers, HEAD,
   Accept-Encoding, relative redirects, access logs and metrics;
2. CORS (Starlette's, when origins are configured), so that every answer
   below it, 429s and 304s included, carries the CORS headers;
3. :class:`RateLimitMiddleware` (when a limit is set), before any answer is
   made, conditional ones included;
4. :class:`ConditionalMiddleware`: ETag and Cache-Control on successful
   reads, and 304 where the answer would have been that 200;
5. :class:`ResponseCacheMiddleware`: repeated questions answered from memory;
6. GZip, then the routes.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from starlette.datastructures import Headers
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import REQUEST_ID

access_log = logging.getLogger("painmap.access")
log = logging.getLogger("painmap.http")

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CACHE_CONTROL = "public, max-age=300"
CACHE_CONTROL_RAW = CACHE_CONTROL.encode()

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
# JSON and SVG need nothing from anywhere.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Body maps style their shapes with an inline stylesheet.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
# Our own pages run no inline script: scripts only from this origin.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI and ReDoc (served offline) inline a little script and style.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

Metrics = Any  # app.api.metrics.Metrics, or None when metrics are off
ROUTE_KEY = "painmap.route"  # scope key: the API path template of the request


class HttpPolicyMiddleware:
    """Sets security headers and a request id on every answer, answers HEAD
    like GET without the body, honours ``q=0`` in Accept-Encoding, keeps
    redirects relative (never built from the Host header), and logs each
    request as one JSON line (and counts it, when metrics are on)."""

    def __init__(self, app: ASGIApp, metrics: Metrics = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id, accept = "", ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = value.decode("latin-1")
            elif name == b"accept-encoding":
                accept = value.decode("latin-1")
        if not _VALID_REQUEST_ID.match(request_id):
            request_id = uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        head = scope["method"] == "HEAD"
        inner = _normalised(scope, accept)
        status_seen = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                message = {**message, "headers": _stamped(message, scope["path"], request_id)}
            elif head and message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(inner, receive, send_with_headers)
        finally:
            _log_access(scope, request_id, status_seen, started)
            if self.metrics is not None:
                self.metrics.observe(scope["method"], _route_template(inner), status_seen, started)
            REQUEST_ID.reset(token)


_SECURITY_RAW = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


def _stamped(start: Message, path: str, request_id: str) -> list[tuple[bytes, bytes]]:
    """A response's headers with the security headers it lacks, its request
    id, and a relative Location. One pass: this runs on every answer."""
    headers = []
    names = set()
    content_type = b""
    for name, value in start.get("headers", ()):
        if name == b"x-request-id":
            continue
        if name == b"location":
            value = _relative(value.decode("latin-1")).encode("latin-1")
        elif name == b"content-type":
            content_type = value
        names.add(name)
        headers.append((name, value))
    headers += [(name, value) for name, value in _SECURITY_RAW if name not in names]
    if b"content-security-policy" not in names:
        headers.append((b"content-security-policy", _csp(path, content_type).encode()))
    headers.append((b"x-request-id", request_id.encode("latin-1")))
    return headers


def _normalised(scope: Scope, accept: str) -> Scope:
    """The scope the application sees: HEAD as GET, and an Accept-Encoding
    that refuses gzip (``gzip;q=0``) removed, since Starlette's GZip
    middleware only looks for the word."""
    inner = scope
    if scope["method"] == "HEAD":
        inner = {**inner, "method": "GET"}
    if "q=" in accept and "gzip" in accept.lower() and not accepts_gzip(accept):
        headers = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        inner = {**inner, "headers": headers}
    return inner


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding value (RFC 9110 §12.5.3) names gzip with a
    weight above zero (the only form Starlette's GZip middleware answers)."""
    if not accept_encoding:
        return False
    value = accept_encoding.lower()
    if "gzip" not in value:
        return False
    if "q=" not in value:
        return True
    for item in value.split(","):
        coding, _, params = item.partition(";")
        if coding.strip() != "gzip":
            continue
        for param in params.split(";"):
            name, _, weight = param.strip().partition("=")
            if name == "q":
                try:
                    return float(weight) > 0
                except ValueError:
                    return False
        return True
    return False


def _csp(path: str, content_type: bytes) -> str:
    if content_type.startswith(b"text/html"):
        return DOCS_CSP if path.startswith(DOCS_PATHS) else PAGE_CSP
    if content_type.startswith(b"image/svg+xml"):
        return SVG_CSP
    return API_CSP


def _relative(location: str) -> str:
    """Our redirects stay on this site: drop the scheme and host that
    Starlette copies from the request's Host header."""
    parts = urlsplit(location)
    if not parts.scheme and not parts.netloc:
        return location
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def _route_template(scope: Scope) -> str:
    """The path template answering (for metrics): what the cache layer found
    for the versioned API, else what the router chose, else "none"."""
    if ROUTE_KEY in scope:
        return str(scope[ROUTE_KEY])
    route = scope.get("route")
    return getattr(route, "path", None) or "none"


def _log_access(scope: Scope, request_id: str, status: int, started: float) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client") or ("", 0)
    fields = {
        "request_id": request_id,
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "client": client[0],
    }
    access_log.info(json.dumps(fields, separators=(",", ":")), extra=fields)


class ConditionalMiddleware:
    """Adds ``ETag`` (the dataset version) and ``Cache-Control`` to the
    successful reads of the versioned API, and answers ``304 Not Modified``
    to a matching ``If-None-Match``, but only where the answer is that
    successful read: an error stays an error."""

    def __init__(self, app: ASGIApp, version: Callable[[], str | None]) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.version() if scope["type"] == "http" else None
        if (
            version is None
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith("/v1/")
        ):
            await self.app(scope, receive, send)
            return
        etag = f'W/"{version}"'
        wanted = _matches(Headers(scope=scope).get("if-none-match"), etag)
        not_modified = False

        async def conditional_send(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200:
                caching = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL_RAW)]
                headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name not in (b"etag", b"cache-control")
                ]
                if wanted:
                    not_modified = True
                    vary = [(name, value) for name, value in headers if name == b"vary"]
                    message = {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": caching + vary,
                    }
                else:
                    message = {**message, "headers": headers + caching}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, conditional_send)


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


CacheKey = tuple[str, str, bytes, bool]
# What an entry costs beyond the bytes it holds: the key tuple, the start
# message dict, the header tuples and the OrderedDict's node (measured).
ENTRY_OVERHEAD = 1024


class ResponseCacheMiddleware:
    """Keeps successful ``GET /v1/…`` responses in memory, keyed by dataset
    version, path, the query parameters the route accepts and whether the
    client takes gzip; bounded by ``max_bytes``, keys and headers counted.

    Parameters a route does not accept are dropped before the application
    sees them, so ``?q=heel&junk=1`` is the same request, and the same cache
    entry, as ``?q=heel``: a client cannot make entries up. A new dataset
    version starts a fresh cache."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str | None],
        max_bytes: int = 16 * 1024 * 1024,
        max_entry_bytes: int = 512 * 1024,
        metrics: Metrics = None,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.metrics = metrics
        self._entries: OrderedDict[CacheKey, tuple[Message, bytes, int]] = OrderedDict()
        self._routes: ApiRoutes | None = None
        self.bytes = 0
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.version() if scope["type"] == "http" else None
        if version is None or scope["method"] != "GET" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        if self._routes is None:
            self._routes = ApiRoutes(scope["app"])
        found = self._routes.match(scope["path"])
        if found is None:  # 404 or a redirect: nothing worth keeping
            await self.app(scope, receive, send)
            return
        template, accepted = found
        scope[ROUTE_KEY] = template
        query = canonical_query(scope["query_string"], accepted)
        scope["query_string"] = query  # the application sees only what it accepts
        if self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        key = (
            version,
            scope["path"],
            query,
            accepts_gzip(Headers(scope=scope).get("accept-encoding")),
        )
        cached = self._entries.get(key)
        if cached is not None:
            self.hits += 1
            if self.metrics is not None:
                self.metrics.cache_hits.inc()
            self._entries.move_to_end(key)
            start, body, _ = cached
            await send(dict(start))  # a copy: outer layers add headers to it
            await send({"type": "http.response.body", "body": body})
            return
        if self.metrics is not None:
            self.metrics.cache_misses.inc()

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
        if self._entries and key[0] != next(iter(self._entries))[0]:
            self._entries.clear()  # a new dataset version: the old answers are stale
            self.bytes = 0
        size = (
            ENTRY_OVERHEAD
            + len(key[1])
            + len(key[2])
            + len(body)
            + sum(len(name) + len(value) for name, value in start["headers"])
        )
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.bytes -= previous[2]
        self._entries[key] = (start, body, size)
        self.bytes += size
        while self.bytes > self.max_bytes and self._entries:
            _, (_, _, evicted) = self._entries.popitem(last=False)
            self.bytes -= evicted


class ApiRoutes:
    """The GET operations of the versioned API, as the OpenAPI document
    describes them: path template and the names of their query parameters."""

    def __init__(self, app: Any) -> None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        self.routes = [
            (
                compile_path(path)[0],
                path,
                frozenset(
                    p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"
                ),
            )
            for path, item in schema["paths"].items()
            if path.startswith("/v1/") and "get" in item
        ]

    def match(self, path: str) -> tuple[str, frozenset[str]] | None:
        for pattern, template, accepted in self.routes:
            if pattern.match(path):
                return template, accepted
        return None


def canonical_query(query_string: bytes, accepted: frozenset[str]) -> bytes:
    """The parts of a query string whose names are in ``accepted``, sorted by
    name (the order of one name's repeats kept), each byte-for-byte as sent."""
    kept = []
    for part in query_string.split(b"&"):
        if not part:
            continue
        name = unquote_plus(part.split(b"=", 1)[0].decode("latin-1"))
        if name in accepted:
            kept.append((name, part))
    kept.sort(key=lambda item: item[0])
    return b"&".join(part for _, part in kept)


class RateLimitMiddleware:
    """Per-client limit on ``/v1/…``: ``per_minute`` requests in any minute
    (the ``limits`` package's sliding-window counter), beyond it a 429
    problem with ``Retry-After``. Health probes and docs are never limited.

    The client is the connection's peer, or the address a trusted proxy
    forwarded (uvicorn's ``forwarded_allow_ips``, from
    ``PAINMAP_TRUSTED_PROXIES``); IPv6 clients count by /64 network. The
    counters live where ``storage`` says: this process's memory (bounded),
    or Redis shared by every process and replica. If the storage cannot be
    reached, requests are let through and a warning is logged."""

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        storage: str = "memory://",
        metrics: Metrics = None,
    ) -> None:
        from limits import RateLimitItemPerMinute
        from limits.aio.strategies import SlidingWindowCounterRateLimiter

        from app.api.ratelimit import client_key, make_storage

        self.app = app
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = SlidingWindowCounterRateLimiter(make_storage(storage))
        self.client_key = client_key
        self.metrics = metrics
        self._storage_down_until = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        if time.monotonic() < self._storage_down_until:
            await self.app(scope, receive, send)
            return
        key = self.client_key(scope)
        try:
            allowed = await self.limiter.hit(self.item, key)
            wait = 0 if allowed else await self._wait(key)
        except Exception as exc:  # the shared storage is away: serve, do not fail
            self._storage_down_until = time.monotonic() + 5
            log.warning("rate-limit storage unavailable (%s): not limiting for 5 s", exc)
            allowed = True
        if allowed:
            await self.app(scope, receive, send)
            return
        if self.metrics is not None:
            self.metrics.rate_limited.inc()
        await _too_many_requests(send, scope["path"], wait)

    async def _wait(self, key: str) -> int:
        stats = await self.limiter.get_window_stats(self.item, key)
        return max(1, math.ceil(stats.reset_time - time.time()))


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
