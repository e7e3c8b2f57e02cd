"""HEAD and conditional GET (If-None-Match, 304) on the kinds of answer the
API gives: records, lists, lookups, pages of self-care and SVG maps. In
process: these are the app's rules, not the server's."""

from __future__ import annotations

import httpx
import pytest

from app.data.dataset import Dataset

ROUTES = [
    "/v1/conditions/tennis-elbow",
    "/v1/conditions",
    "/v1/muscles/soleus/self-care",
    "/v1/pain-sources?q=heel+hurts+in+the+morning",
    "/v1/body-map.svg?muscle=infraspinatus",
    "/v1/search?q=trap",
]
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize("path", ROUTES)
def test_head_is_get_without_the_body(app_client: httpx.Client, path: str) -> None:
    get = app_client.get(path, headers=IDENTITY)
    head = app_client.head(path, headers=IDENTITY)
    assert get.status_code == head.status_code == 200
    assert head.content == b"" and get.content
    for name in ("content-type", "content-length", "etag", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name
    assert int(head.headers["content-length"]) == len(get.content)


@pytest.mark.parametrize("path", ROUTES)
def test_matching_etag_gives_304_without_a_body(
    app_client: httpx.Client, dataset: Dataset, path: str
) -> None:
    etag = f'W/"{dataset.version}"'
    assert app_client.get(path).headers["etag"] == etag
    for method in ("GET", "HEAD"):
        response = app_client.request(method, path, headers={"If-None-Match": etag})
        assert response.status_code == 304, method
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == "public, max-age=300"
        assert "content-type" not in response.headers


def test_if_none_match_forms(app_client: httpx.Client, dataset: Dataset) -> None:
    path = "/v1/muscles/soleus/trigger-points"
    strong = f'"{dataset.version}"'
    for value in (strong, f'"old", W/{strong}', f' "a" ,{strong} ', "*"):
        assert app_client.get(path, headers={"If-None-Match": value}).status_code == 304, value
    for value in ('W/"old-version"', f'"{dataset.version}x"', ""):
        stale = app_client.get(path, headers={"If-None-Match": value})
        assert stale.status_code == 200, value
        assert stale.json()


def test_304_keeps_vary_for_caches(app_client: httpx.Client, dataset: Dataset) -> None:
    # GZip marks answers big enough to compress with Vary: Accept-Encoding.
    path = "/v1/regions"
    assert "accept-encoding" in app_client.get(path).headers["vary"].lower()
    response = app_client.get(path, headers={"If-None-Match": f'W/"{dataset.version}"'})
    assert response.status_code == 304
    assert "accept-encoding" in response.headers["vary"].lower()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/conditions/no-such-condition", 404),
        ("/v1/muscles/solues/self-care", 404),
        ("/v1/pain-sources", 422),
        ("/v1/body-map.svg?view=sideways", 422),
    ],
)
def test_errors_stay_errors_for_head_and_if_none_match(
    app_client: httpx.Client, path: str, status: int
) -> None:
    get = app_client.get(path, headers=IDENTITY)
    assert get.status_code == status, get.text
    head = app_client.head(path, headers={**IDENTITY, "If-None-Match": "*"})
    assert head.status_code == status and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert "etag" not in head.headers and "etag" not in get.headers


def test_no_etag_outside_the_versioned_api(app_client: httpx.Client) -> None:
    for path in ("/healthz", "/"):
        response = app_client.get(path, headers={"If-None-Match": "*"})
        assert response.status_code == 200, path
        assert "etag" not in response.headers, path
        head = app_client.head(path)
        assert head.status_code == 200 and head.content == b"", path
