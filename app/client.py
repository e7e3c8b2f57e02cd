"""Typed Python client for the Painmap API, on httpx, sync and async.

    from app.client import PainmapClient

    with PainmapClient("http://127.0.0.1:8000") as painmap:
        answer = painmap.pain_sources(q="pain between my shoulder blades")
        for result in answer.results:
            print(result.rank, result.muscle.name, result.why)

Every method returns the pydantic models the service documents; problem
responses raise :class:`ProblemError` (:class:`NotFoundError` for 404);
503 answers and connection failures are retried with backoff.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from app.api.schemas import (
    ConditionDetail,
    ConditionSummary,
    Health,
    MuscleDetail,
    MuscleSummary,
    Page,
    PainSources,
    Problem,
    Readiness,
    RegionDetail,
    RegionSummary,
    RegionTree,
    SearchResults,
    SelfCarePage,
    TriggerPointOut,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT = 5.0


class ProblemError(Exception):
    """The service answered with an RFC 9457 problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.title}: {problem.detail or ''}".strip())
        self.problem = problem
        self.status = problem.status


class NotFoundError(ProblemError):
    """An unknown slug; ``problem.suggestions`` holds close matches."""


class _Request:
    """One API call: how to send it and how to read its answer."""

    def __init__(self, path: str, params: Any, model: Any) -> None:
        self.path = path
        self.params = params
        self.text = model is str  # an SVG picture, not JSON
        self.adapter: TypeAdapter[Any] = TypeAdapter(model)

    def parse(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise _problem(response)
        if self.text:
            return response.text
        return self.adapter.validate_json(response.content)


def _problem(response: httpx.Response) -> ProblemError:
    try:
        problem = Problem.model_validate_json(response.content)
    except ValueError:
        problem = Problem(
            title=response.reason_phrase or "Error",
            status=response.status_code,
            detail=response.text[:200],
        )
    return (NotFoundError if problem.status == 404 else ProblemError)(problem)


def _params(**values: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, str(item)) for item in value]
        elif isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        else:
            pairs.append((key, str(value)))
    return pairs


class _RetryPolicy:
    """When to try again, shared by both clients: after a connection failure
    or a 429/503 answer, while retries are left; how long to wait, honouring
    ``Retry-After``."""

    def __init__(self, retries: int, backoff: float) -> None:
        self.retries = retries
        self.backoff = backoff

    def _next_wait(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before trying again, or None to stop (``response``
        is None after a connection failure)."""
        if attempt >= self.retries:
            return None
        if response is not None:
            if response.status_code not in RETRY_STATUSES:
                return None
            retry_after = response.headers.get("retry-after", "")
            if retry_after.isdigit():
                return min(float(retry_after), MAX_RETRY_WAIT)
        return min(self.backoff * 2**attempt, MAX_RETRY_WAIT)


class _Endpoints:
    """The API's operations as :class:`_Request` objects, shared by both clients."""

    @staticmethod
    def pain_sources(
        q: str | None,
        regions: Sequence[str],
        conditions: Sequence[str],
        side: Literal["left", "right"] | None,
        include: Literal["spillover", "essential"],
        limit: int,
        choir: Sequence[int] = (),
    ) -> _Request:
        params = _params(
            q=q,
            region=list(regions),
            condition=list(conditions),
            choir=list(choir),
            side=side,
            include=include,
            limit=limit,
        )
        return _Request("/v1/pain-sources", params, PainSources)

    @staticmethod
    def search(q: str, limit: int) -> _Request:
        return _Request("/v1/search", _params(q=q, limit=limit), SearchResults)

    @staticmethod
    def muscles(group: str | None, region: str | None, limit: int, offset: int) -> _Request:
        params = _params(group=group, region=region, limit=limit, offset=offset)
        return _Request("/v1/muscles", params, Page[MuscleSummary])

    @staticmethod
    def muscle(slug: str) -> _Request:
        return _Request(f"/v1/muscles/{slug}", None, MuscleDetail)

    @staticmethod
    def trigger_points(slug: str) -> _Request:
        return _Request(f"/v1/muscles/{slug}/trigger-points", None, list[TriggerPointOut])

    @staticmethod
    def self_care(slug: str) -> _Request:
        return _Request(f"/v1/muscles/{slug}/self-care", None, SelfCarePage)

    @staticmethod
    def region_tree() -> _Request:
        return _Request("/v1/regions", None, RegionTree)

    @staticmethod
    def regions(limit: int, offset: int) -> _Request:
        params = _params(flat=True, limit=limit, offset=offset)
        return _Request("/v1/regions", params, Page[RegionSummary])

    @staticmethod
    def region(slug: str) -> _Request:
        return _Request(f"/v1/regions/{slug}", None, RegionDetail)

    @staticmethod
    def conditions(limit: int, offset: int) -> _Request:
        params = _params(limit=limit, offset=offset)
        return _Request("/v1/conditions", params, Page[ConditionSummary])

    @staticmethod
    def condition(slug: str) -> _Request:
        return _Request(f"/v1/conditions/{slug}", None, ConditionDetail)

    @staticmethod
    def body_map(
        muscles: Sequence[str],
        regions: Sequence[str],
        q: str | None,
        view: Literal["front", "back", "both"],
        side: Literal["left", "right"] | None,
    ) -> _Request:
        params = _params(muscle=list(muscles), region=list(regions), q=q, view=view, side=side)
        return _Request("/v1/body-map.svg", params, str)

    @staticmethod
    def health() -> _Request:
        return _Request("/healthz", None, Health)

    @staticmethod
    def ready() -> _Request:
        return _Request("/readyz", None, Readiness)


class PainmapClient(_RetryPolicy):
    """Synchronous client. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.2,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(retries, backoff)
        self._http = http or httpx.Client(base_url=base_url, timeout=timeout)

    def __enter__(self) -> PainmapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, request: _Request) -> Any:
        attempt = 0
        while True:
            try:
                response = self._http.get(request.path, params=request.params)
            except httpx.TransportError:
                wait = self._next_wait(attempt, None)
                if wait is None:
                    raise
            else:
                wait = self._next_wait(attempt, response)
                if wait is None:
                    return request.parse(response)
            time.sleep(wait)
            attempt += 1

    def _pages(self, make: Any, page_size: int) -> Iterator[Any]:
        offset = 0
        while True:
            page = self._call(make(page_size, offset))
            yield from page.results
            offset += page_size
            if page.next is None:
                return

    # -- lookup ----------------------------------------------------------

    def pain_sources(
        self,
        q: str | None = None,
        *,
        regions: Sequence[str] = (),
        conditions: Sequence[str] = (),
        side: Literal["left", "right"] | None = None,
        include: Literal["spillover", "essential"] = "spillover",
        limit: int = 10,
        choir: Sequence[int] = (),
    ) -> PainSources:
        """``choir``: CHOIR body-map segment numbers (front 101-136, back 201-238)."""
        return self._call(
            _Endpoints.pain_sources(q, regions, conditions, side, include, limit, choir)
        )

    def search(self, q: str, *, limit: int = 10) -> SearchResults:
        return self._call(_Endpoints.search(q, limit))

    # -- muscles ---------------------------------------------------------

    def muscles(
        self,
        *,
        group: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[MuscleSummary]:
        return self._call(_Endpoints.muscles(group, region, limit, offset))

    def iter_muscles(
        self, *, group: str | None = None, region: str | None = None, page_size: int = 100
    ) -> Iterator[MuscleSummary]:
        return self._pages(
            lambda limit, offset: _Endpoints.muscles(group, region, limit, offset), page_size
        )

    def muscle(self, slug: str) -> MuscleDetail:
        return self._call(_Endpoints.muscle(slug))

    def trigger_points(self, slug: str) -> list[TriggerPointOut]:
        return self._call(_Endpoints.trigger_points(slug))

    def self_care(self, slug: str) -> SelfCarePage:
        return self._call(_Endpoints.self_care(slug))

    # -- regions and conditions -------------------------------------------

    def region_tree(self) -> RegionTree:
        return self._call(_Endpoints.region_tree())

    def iter_regions(self, *, page_size: int = 100) -> Iterator[RegionSummary]:
        return self._pages(_Endpoints.regions, page_size)

    def region(self, slug: str) -> RegionDetail:
        return self._call(_Endpoints.region(slug))

    def iter_conditions(self, *, page_size: int = 100) -> Iterator[ConditionSummary]:
        return self._pages(_Endpoints.conditions, page_size)

    def condition(self, slug: str) -> ConditionDetail:
        return self._call(_Endpoints.condition(slug))

    def body_map(
        self,
        *,
        muscles: Sequence[str] = (),
        regions: Sequence[str] = (),
        q: str | None = None,
        view: Literal["front", "back", "both"] = "both",
        side: Literal["left", "right"] | None = None,
    ) -> str:
        """The SVG body map, as text."""
        return self._call(_Endpoints.body_map(muscles, regions, q, view, side))

    # -- health ----------------------------------------------------------

    def health(self) -> Health:
        return self._call(_Endpoints.health())

    def ready(self) -> Readiness:
        """Readiness; a 503 (not ready) raises :class:`ProblemError` after retries."""
        return self._call(_Endpoints.ready())


class AsyncPainmapClient(_RetryPolicy):
    """Asynchronous client with the same methods as :class:`PainmapClient`."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.2,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(retries, backoff)
        self._http = http or httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def __aenter__(self) -> AsyncPainmapClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, request: _Request) -> Any:
        attempt = 0
        while True:
            try:
                response = await self._http.get(request.path, params=request.params)
            except httpx.TransportError:
                wait = self._next_wait(attempt, None)
                if wait is None:
                    raise
            else:
                wait = self._next_wait(attempt, response)
                if wait is None:
                    return request.parse(response)
            await asyncio.sleep(wait)
            attempt += 1

    async def _pages(self, make: Any, page_size: int) -> AsyncIterator[Any]:
        offset = 0
        while True:
            page = await self._call(make(page_size, offset))
            for item in page.results:
                yield item
            offset += page_size
            if page.next is None:
                return

    async def pain_sources(
        self,
        q: str | None = None,
        *,
        regions: Sequence[str] = (),
        conditions: Sequence[str] = (),
        side: Literal["left", "right"] | None = None,
        include: Literal["spillover", "essential"] = "spillover",
        limit: int = 10,
        choir: Sequence[int] = (),
    ) -> PainSources:
        """``choir``: CHOIR body-map segment numbers (front 101-136, back 201-238)."""
        return await self._call(
            _Endpoints.pain_sources(q, regions, conditions, side, include, limit, choir)
        )

    async def search(self, q: str, *, limit: int = 10) -> SearchResults:
        return await self._call(_Endpoints.search(q, limit))

    async def muscles(
        self,
        *,
        group: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[MuscleSummary]:
        return await self._call(_Endpoints.muscles(group, region, limit, offset))

    def iter_muscles(
        self, *, group: str | None = None, region: str | None = None, page_size: int = 100
    ) -> AsyncIterator[MuscleSummary]:
        return self._pages(
            lambda limit, offset: _Endpoints.muscles(group, region, limit, offset), page_size
        )

    async def muscle(self, slug: str) -> MuscleDetail:
        return await self._call(_Endpoints.muscle(slug))

    async def trigger_points(self, slug: str) -> list[TriggerPointOut]:
        return await self._call(_Endpoints.trigger_points(slug))

    async def self_care(self, slug: str) -> SelfCarePage:
        return await self._call(_Endpoints.self_care(slug))

    async def region_tree(self) -> RegionTree:
        return await self._call(_Endpoints.region_tree())

    def iter_regions(self, *, page_size: int = 100) -> AsyncIterator[RegionSummary]:
        return self._pages(_Endpoints.regions, page_size)

    async def region(self, slug: str) -> RegionDetail:
        return await self._call(_Endpoints.region(slug))

    def iter_conditions(self, *, page_size: int = 100) -> AsyncIterator[ConditionSummary]:
        return self._pages(_Endpoints.conditions, page_size)

    async def condition(self, slug: str) -> ConditionDetail:
        return await self._call(_Endpoints.condition(slug))

    async def body_map(
        self,
        *,
        muscles: Sequence[str] = (),
        regions: Sequence[str] = (),
        q: str | None = None,
        view: Literal["front", "back", "both"] = "both",
        side: Literal["left", "right"] | None = None,
    ) -> str:
        return await self._call(_Endpoints.body_map(muscles, regions, q, view, side))

    async def health(self) -> Health:
        return await self._call(_Endpoints.health())

    async def ready(self) -> Readiness:
        return await self._call(_Endpoints.ready())


__all__ = ["AsyncPainmapClient", "NotFoundError", "PainmapClient", "ProblemError"]
