"""Caching, conditional requests, security headers and request ids: the
app's own rules in process; CORS and rate limits from settings on uvicorn."""

from __future__ import annotations

import httpx

from app.data.dataset import Dataset
from tests.support import AppInProcess


def test_reads_carry_an_etag_from_the_dataset_version(
    app_client: httpx.Client, dataset: Dataset
) -> None:
    response = app_client.get("/v1/muscles/soleus")
    assert response.headers["etag"] == f'W/"{dataset.version}"'
    assert response.headers["cache-control"] == "public, max-age=300"


def test_if_none_match_gives_304_without_a_body(app_client: httpx.Client) -> None:
    etag = app_client.get("/v1/regions").headers["etag"]
    for value in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
        response = app_client.get("/v1/regions", headers={"If-None-Match": value})
        assert response.status_code == 304, value
        assert response.content == b""
        assert response.headers["etag"] == etag
    stale = app_client.get("/v1/regions", headers={"If-None-Match": 'W/"old-version"'})
    assert stale.status_code == 200 and stale.json()["count"] > 0


def test_errors_are_not_cached(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/muscles/nope")
    assert response.status_code == 404
    assert "etag" not in response.headers and "cache-control" not in response.headers


def test_large_responses_are_compressed(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/regions", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["count"] > 100  # httpx decodes it


def test_security_headers_everywhere(app_client: httpx.Client) -> None:
    for path in ("/healthz", "/v1/muscles", "/v1/nothing", "/docs"):
        headers = app_client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_request_id_is_echoed_or_made(app_client: httpx.Client) -> None:
    assert (
        app_client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = app_client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers[
        "x-request-id"
    ]
    assert made != "bad id with spaces" and len(made) == 32


def test_no_cors_by_default(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/muscles", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_repeated_reads_are_served_from_the_cache(
    running_app: AppInProcess, app_client: httpx.Client
) -> None:
    from app.api.middleware import ResponseCacheMiddleware

    cache = _find(running_app.app.middleware_stack, ResponseCacheMiddleware)
    url = "/v1/pain-sources?q=cache+probe+heel"
    first = app_client.get(url)
    hits = cache.hits
    second = app_client.get(url, headers={"X-Request-ID": "second"})
    assert cache.hits == hits + 1
    assert second.content == first.content
    assert second.headers["x-request-id"] == "second" and second.headers["etag"]
    gzipped = app_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.json() == first.json()
    missing = app_client.get("/v1/muscles/not-cached")
    assert missing.status_code == 404
    assert not any(key[1] == "/v1/muscles/not-cached" for key in cache._entries)


def _find(app, kind):  # type: ignore[no-untyped-def]
    while not isinstance(app, kind):
        app = app.app
    return app


def test_cors_origins_come_from_settings(tmp_path, built_sqlite) -> None:  # type: ignore[no-untyped-def]
    from tests.support import LiveServer, prebuilt_settings

    settings = prebuilt_settings(tmp_path, built_sqlite, cors_origins=["https://app.example"])
    with LiveServer(settings) as live, httpx.Client(base_url=live.url) as http:
        allowed = http.get("/v1/muscles", headers={"Origin": "https://app.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        other = http.get("/v1/muscles", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_access_log_is_one_json_line_per_request(app_client: httpx.Client, caplog) -> None:  # type: ignore[no-untyped-def]
    import json
    import logging

    with caplog.at_level(logging.INFO, logger="painmap.access"):
        app_client.get("/v1/regions/heel", headers={"X-Request-ID": "log-probe"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "painmap.access"]
    entry = next(line for line in lines if line["request_id"] == "log-probe")
    assert entry["path"] == "/v1/regions/heel" and entry["status"] == 200
    assert entry["method"] == "GET" and entry["duration_ms"] >= 0


def test_rate_limit_answers_429_problems(tmp_path, built_sqlite) -> None:  # type: ignore[no-untyped-def]
    from tests.support import LiveServer, prebuilt_settings

    with (
        LiveServer(prebuilt_settings(tmp_path, built_sqlite, rate_limit=5)) as live,
        httpx.Client(base_url=live.url) as http,
    ):
        statuses = [http.get("/v1/muscles/soleus").status_code for _ in range(8)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
        limited = http.get("/v1/regions")
        assert limited.headers["content-type"] == "application/problem+json"
        assert limited.json()["status"] == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.headers["x-content-type-options"] == "nosniff"
        assert http.get("/healthz").status_code == 200  # probes are never limited
