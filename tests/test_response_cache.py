"""The response cache on a small FastAPI app of known answer sizes: least
recently used entries go first when the byte bound is reached, the bound
holds, and what must not be kept is not."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException, Response

from app.api.middleware import ENTRY_OVERHEAD, ResponseCacheMiddleware

BODY_BYTES = 4000
# Room for three answers of BODY_BYTES with their keys and headers, not four.
MAX_BYTES = 3 * (ENTRY_OVERHEAD + BODY_BYTES) + 2000


class CachedApp:
    """A FastAPI app behind the response cache, recording each request that
    reached its route (a cache hit does not)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.calls: list[str] = []
        self.version = "v1"
        app = FastAPI()

        @app.get("/v1/items/{slug}")
        async def item(slug: str, size: int = BODY_BYTES) -> Response:
            self.calls.append(slug)
            if slug == "missing":
                raise HTTPException(404)
            return Response(b"x" * size, media_type="text/plain")

        app.add_middleware(
            ResponseCacheMiddleware, version=lambda: self.version, max_bytes=max_bytes
        )
        self.app = app

    @property
    def cache(self) -> ResponseCacheMiddleware:
        layer: Any = self.app.middleware_stack
        while not isinstance(layer, ResponseCacheMiddleware):
            layer = layer.app
        return layer

    def run(self, *slugs: str, **params: int) -> list[int]:
        """GET /v1/items/<slug> for each slug in turn; their statuses."""

        async def go() -> list[int]:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                responses = [await http.get(f"/v1/items/{slug}", params=params) for slug in slugs]
            return [response.status_code for response in responses]

        return asyncio.run(go())

    def cached_paths(self) -> list[str]:
        return [key[1] for key in self.cache._entries]


def test_least_recently_used_answers_are_evicted_first() -> None:
    served = CachedApp()
    assert served.run("a", "b", "c") == [200] * 3
    assert served.cached_paths() == ["/v1/items/a", "/v1/items/b", "/v1/items/c"]
    served.run("a")  # a hit: a becomes the most recently used
    assert served.calls == ["a", "b", "c"]
    served.run("d")  # no room for four: b, the least recently used, goes
    assert served.cached_paths() == ["/v1/items/c", "/v1/items/a", "/v1/items/d"]
    served.calls.clear()
    served.run("a", "c", "d", "b")
    assert served.calls == ["b"]  # only the evicted one reached the route again
    assert served.cached_paths() == ["/v1/items/c", "/v1/items/d", "/v1/items/b"]


def test_the_byte_bound_holds_and_counts_what_is_kept() -> None:
    served = CachedApp()
    for n in range(20):
        served.run(f"item-{n}", size=BODY_BYTES + 97 * n)
        cache = served.cache
        kept = sum(size for _, _, size in cache._entries.values())
        assert cache.bytes == kept <= MAX_BYTES
        assert len(cache._entries) <= 3
    assert len(served.cache._entries) >= 2  # it evicts what it must, not more
    calls = len(served.calls)
    served.run("item-19", size=BODY_BYTES + 97 * 19)  # the newest is kept
    assert len(served.calls) == calls and served.cache.hits == 1


def test_answers_too_big_or_unsuccessful_are_not_kept() -> None:
    served = CachedApp()
    served.run("huge", "huge", size=600 * 1024)  # over max_entry_bytes (512 KiB)
    served.run("missing", "missing")
    assert served.calls == ["huge", "huge", "missing", "missing"]
    assert served.cache._entries == {} and served.cache.bytes == 0


def test_a_new_dataset_version_starts_a_fresh_cache() -> None:
    served = CachedApp()
    served.run("a", "b", "a")
    assert served.calls == ["a", "b"]
    served.version = "v2"
    served.run("a", "b")
    assert served.calls == ["a", "b", "a", "b"]
    assert {key[0] for key in served.cache._entries} == {"v2"}
    assert served.cache.bytes == sum(size for _, _, size in served.cache._entries.values())


def test_a_zero_byte_budget_keeps_nothing() -> None:
    served = CachedApp(max_bytes=0)
    served.run("a", "a")
    assert served.calls == ["a", "a"] and served.cache.bytes == 0
