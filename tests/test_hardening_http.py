"""HTTP semantics a public service owes its clients and its operators:
cache keys, rate limits behind proxies and browsers, conditional requests,
HEAD, redirects, compression, page policy and metrics. The server is the
real app on uvicorn on 127.0.0.1 with the options ``painmap serve`` uses."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.middleware import RateLimitMiddleware, ResponseCacheMiddleware
from app.config import Settings
from app.server import PainmapHttpProtocol, ServerLimits, uvicorn_options
from tests.support import LiveServer, prebuilt_settings

ORIGIN = "https://app.example"
# Time budgets are for plain runs: a tracer (coverage, in CI) makes every
# line of Python several times slower.
SLOWDOWN = 1 if sys.gettrace() is None else 10
CACHE_BYTES = 256 * 1024


def served(settings: Settings) -> LiveServer:
    """A LiveServer with ``painmap serve``'s uvicorn options (logging left to pytest)."""
    options = {
        key: value
        for key, value in uvicorn_options(settings).items()
        if key not in ("log_config", "log_level", "http")
    }
    options["http"] = PainmapHttpProtocol.configured(ServerLimits.from_settings(settings))
    return LiveServer(settings, options=options)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, built_sqlite: Path) -> Iterator[LiveServer]:
    settings = prebuilt_settings(
        tmp_path_factory.mktemp("hardening"),
        built_sqlite,
        cors_origins=[ORIGIN],
        metrics=True,
        cache_bytes=CACHE_BYTES,
    )
    with served(settings) as server:
        yield server


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client


def _find(app: Any, kind: type) -> Any:
    while not isinstance(app, kind):
        app = app.app
    return app


# 1. Cache entries key on the parameters a route accepts; the cache counts
# every byte it keeps and stays within its budget.
def test_unknown_parameters_share_one_cache_entry(live: LiveServer, http: httpx.Client) -> None:
    cache = _find(live.app.middleware_stack, ResponseCacheMiddleware)
    first = http.get("/v1/search", params={"q": "infra", "limit": 2, "junk": "one"})
    entries = len(cache._entries)
    for junk in ("two", "three", "x" * 5000):
        again = http.get("/v1/search", params={"limit": 2, "q": "infra", "junk": junk})
        assert again.content == first.content
    assert len(cache._entries) == entries
    # What the route never sees cannot leak into its links either.
    page = http.get("/v1/muscles", params={"limit": 2, "junk": "zzz"}).json()
    assert page["next"] == "/v1/muscles?limit=2&offset=2"


def test_cache_stays_within_its_byte_budget(live: LiveServer, http: httpx.Client) -> None:
    cache = _find(live.app.middleware_stack, ResponseCacheMiddleware)
    for offset in range(100):  # about 4 KB a page: more than the budget
        page = http.get(
            "/v1/muscles",
            params={"limit": 20, "offset": offset},
            headers={"Accept-Encoding": "identity"},
        )
        assert page.status_code == 200
    assert CACHE_BYTES / 2 < cache.bytes <= CACHE_BYTES
    assert len(cache._entries) < 100


# 5. Rate limits: browsers see the 429 (CORS), conditional requests count,
# and a forged X-Forwarded-For changes nothing unless a proxy is trusted.
def test_limits_count_conditional_requests_and_ignore_forged_addresses(
    tmp_path: Path, built_sqlite: Path
) -> None:
    settings = prebuilt_settings(tmp_path, built_sqlite, rate_limit=3, cors_origins=[ORIGIN])
    with served(settings) as server, httpx.Client(base_url=server.url) as client:
        forged = [
            client.get("/v1/muscles/soleus", headers={"X-Forwarded-For": f"203.0.113.{n}"})
            for n in range(4)
        ]
        # One client, whatever the header says: its three requests are used up ...
        assert [response.status_code for response in forged] == [200, 200, 200, 429]
        etag = forged[0].headers["etag"]
        # ... and a request that would be a 304 counts like any other.
        conditional = client.get(
            "/v1/muscles/soleus", headers={"If-None-Match": etag, "Origin": ORIGIN}
        )
        assert conditional.status_code == 429
        assert conditional.headers["access-control-allow-origin"] == ORIGIN
        assert conditional.headers["content-type"] == "application/problem+json"
        assert int(conditional.headers["retry-after"]) >= 1


def test_a_trusted_proxy_forwards_each_client_address(tmp_path: Path, built_sqlite: Path) -> None:
    # The proxy is 127.0.0.2 (any address but the old built-in 127.0.0.1).
    settings = prebuilt_settings(
        tmp_path, built_sqlite, rate_limit=3, trusted_proxies=["127.0.0.0/30"]
    )
    proxy = httpx.HTTPTransport(local_address="127.0.0.2")
    with (
        served(settings) as server,
        httpx.Client(base_url=server.url, transport=proxy) as client,
    ):
        rotating = [
            client.get(
                "/v1/muscles/soleus", headers={"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(5)
        ]
        assert rotating == [200] * 5  # five clients behind one proxy
        one = [
            client.get(
                "/v1/muscles/soleus", headers={"X-Forwarded-For": "198.51.100.7"}
            ).status_code
            for _ in range(4)
        ]
        assert one == [200, 200, 200, 429]


def test_rate_limit_state_is_bounded_and_cheap_with_many_clients() -> None:
    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def noop(message: Any) -> None:
        return None

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    limiter = RateLimitMiddleware(ok, per_minute=60)

    async def run(first: int, count: int) -> float:
        started = time.perf_counter()
        for n in range(first, first + count):
            scope = {
                "type": "http",
                "method": "GET",
                "path": "/v1/muscles",
                "client": (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 1),
                "headers": [],
            }
            await limiter(scope, receive, noop)
            if time.perf_counter() - started > 5 * SLOWDOWN:
                pytest.fail(f"{n - first} clients took over {5 * SLOWDOWN} s")
        return time.perf_counter() - started

    early = asyncio.run(run(0, 5000))
    asyncio.run(run(5000, 20_000))
    late = asyncio.run(run(25_000, 5000))  # after 25,000 distinct clients
    assert late < 3 * early + 0.05 * SLOWDOWN, (early, late)
    assert late / 5000 < 0.0002 * SLOWDOWN  # under 0.2 ms a request
    storage = limiter.limiter.storage
    assert len(storage._counters) <= storage.max_counters


# 6. 304 only for what would have been a 200, after CORS.
def test_not_modified_carries_cors_headers(http: httpx.Client) -> None:
    etag = http.get("/v1/regions").headers["etag"]
    response = http.get("/v1/regions", headers={"If-None-Match": etag, "Origin": ORIGIN})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["etag"] == etag


def test_errors_are_never_turned_into_304(http: httpx.Client) -> None:
    etag = http.get("/v1/regions").headers["etag"]
    missing = http.get("/v1/muscles/does-not-exist", headers={"If-None-Match": "*"})
    assert missing.status_code == 404 and missing.json()["status"] == 404
    invalid = http.get("/v1/muscles", params={"limit": -5}, headers={"If-None-Match": etag})
    assert invalid.status_code == 422
    assert "etag" not in missing.headers and "etag" not in invalid.headers


# 7. HEAD is answered like GET, without the body, on every GET route.
def test_head_answers_every_get_route(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    paths = [
        path.replace("{slug}", "soleus" if "muscles" in path else "heel")
        for path, item in spec["paths"].items()
        if "get" in item and "conditions/{slug}" not in path
    ]
    paths += ["/", "/docs", "/v1/pain-sources?q=heel", "/v1/search?q=trap", "/v1/muscles/nope"]
    for path in paths:
        get = http.get(path, headers={"Accept-Encoding": "identity"})
        head = http.head(path, headers={"Accept-Encoding": "identity"})
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-length") == get.headers.get("content-length"), path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path


# 8. Redirects never reflect the Host header.
def test_redirects_stay_relative_whatever_the_host_header(http: httpx.Client) -> None:
    response = http.get("/v1/muscles/", headers={"Host": "evil.example"})
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"] == "/v1/muscles"


# 12. Accept-Encoding with q=0 is a refusal; our pages run no inline script.
def test_gzip_refused_with_q_zero_is_not_sent(http: httpx.Client) -> None:
    for refusal in ("gzip;q=0", "gzip; q=0.0, identity", "br, gzip;q=0"):
        response = http.get("/v1/regions", headers={"Accept-Encoding": refusal})
        assert "content-encoding" not in response.headers, refusal
        assert response.json()["count"] > 100
    wanted = http.get("/v1/regions", headers={"Accept-Encoding": "gzip;q=0.5"})
    assert wanted.headers["content-encoding"] == "gzip"


def test_landing_page_allows_no_inline_script(http: httpx.Client) -> None:
    policy = http.get("/").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-inline" in http.get("/docs").headers["content-security-policy"]


def test_every_log_line_in_a_request_carries_its_id() -> None:
    from pythonjsonlogger.json import JsonFormatter

    from app.api.middleware import HttpPolicyMiddleware
    from app.logs import RequestIdFilter, log_config

    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        logging.getLogger("painmap.probe").warning("inside the request")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = dict(log_config("info")["formatters"]["json"])
    handler.setFormatter(JsonFormatter(**{k: v for k, v in spec.items() if k != "()"}))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("painmap.probe")
    logger.addHandler(handler)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/v1/probe",
        "headers": [(b"x-request-id", b"probe-42")],
        "client": ("127.0.0.1", 1),
    }
    try:
        asyncio.run(HttpPolicyMiddleware(endpoint)(scope, receive, send))
        logger.warning("outside any request")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["message"] == "inside the request" and inside["request_id"] == "probe-42"
    assert inside["timestamp"] and inside["level"] == "WARNING"
    assert outside["request_id"] is None and outside["timestamp"]


# /metrics: off by default; on, in the Prometheus text format.
def test_metrics_count_routes_cache_and_dataset(live: LiveServer, http: httpx.Client) -> None:
    http.get("/v1/muscles/soleus")
    http.get("/v1/muscles/soleus")
    text = http.get("/metrics").text
    version = http.get("/readyz").json()["dataset_version"]
    assert (
        'painmap_http_requests_total{method="GET",route="/v1/muscles/{slug}",status="200"}' in text
    )
    assert 'painmap_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    assert f'painmap_dataset_info{{version="{version}"}} 1.0' in text
    hits = [line for line in text.splitlines() if line.startswith("painmap_response_cache_hits")]
    assert hits and float(hits[0].split()[-1]) >= 1
    assert "painmap_rate_limited_requests_total" in text


def test_metrics_are_off_by_default(client: httpx.Client) -> None:
    assert client.get("/metrics").status_code == 404
