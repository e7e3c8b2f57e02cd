"""The client, written once: ``_async/client.py`` is the source, and
``_sync/client.py`` is generated from it by unasync (``python -m
tests.contract`` in the Painmap repository), so edit the async one. Requests
are built and answers read in ``painmap_client._operations``; retries happen
in the transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TypeVar

import httpx

from painmap_client import _operations as op
from painmap_client._operations import DEFAULT_TIMEOUT, Include, Operation, PageOf, Side, View
from painmap_client.models import (
    ChoirScheme,
    ConditionDetail,
    ConditionSummary,
    Health,
    MuscleDetail,
    MuscleSummary,
    PageConditionSummary,
    PageMuscleSummary,
    PageRegionSummary,
    PainSources,
    Readiness,
    RegionDetail,
    RegionSummary,
    RegionTree,
    SearchResults,
    SelfCarePage,
    TriggerPointOut,
)

T = TypeVar("T")


class AsyncPainmapClient:
    """A Painmap API client; use it as a context manager, or close it.

    ``retries``: how many more tries after a connection failure or a 429 or
    503 answer, waiting ``Retry-After`` or ``backoff`` seconds doubled each
    time (at most 5 s). ``http``: an httpx client of your own, used as it is
    (its transport decides about retries)."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.2,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        transport = op.retry_transport(httpx.AsyncHTTPTransport(), retries, backoff)
        self._http = http or httpx.AsyncClient(
            base_url=base_url, timeout=timeout, transport=transport
        )

    async def __aenter__(self) -> AsyncPainmapClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, operation: Operation[T]) -> T:
        response = await self._http.get(operation.path, params=operation.params)
        return operation.parse(response)

    async def _pages(self, first: Operation[PageOf[T]]) -> AsyncIterator[T]:
        """Every item of a list, following each page's ``next`` link."""
        operation: Operation[PageOf[T]] | None = first
        while operation is not None:
            page = await self._call(operation)
            for item in page.results:
                yield item
            operation = first.at(page.next) if page.next else None

    # -- lookup ----------------------------------------------------------

    async def pain_sources(
        self,
        q: str | None = None,
        *,
        regions: Sequence[str] = (),
        conditions: Sequence[str] = (),
        side: Side | None = None,
        include: Include = "spillover",
        limit: int = 10,
        choir: Sequence[int] = (),
    ) -> PainSources:
        """``choir``: CHOIR body-map segment numbers (front 101-136, back 201-238)."""
        return await self._call(
            op.pain_sources(q, regions, conditions, side, include, limit, choir)
        )

    async def search(self, q: str, *, limit: int = 10) -> SearchResults:
        return await self._call(op.search(q, limit))

    # -- muscles ---------------------------------------------------------

    async def muscles(
        self,
        *,
        group: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> PageMuscleSummary:
        return await self._call(op.muscles(group, region, limit, offset))

    def iter_muscles(
        self, *, group: str | None = None, region: str | None = None, page_size: int = 100
    ) -> AsyncIterator[MuscleSummary]:
        return self._pages(op.muscles(group, region, page_size, 0))

    async def muscle(self, slug: str) -> MuscleDetail:
        return await self._call(op.muscle(slug))

    async def trigger_points(self, slug: str) -> list[TriggerPointOut]:
        return await self._call(op.trigger_points(slug))

    async def self_care(self, slug: str) -> SelfCarePage:
        return await self._call(op.self_care(slug))

    # -- regions and conditions --------------------------------------------

    async def region_tree(self) -> RegionTree:
        return await self._call(op.region_tree())

    async def regions(self, *, limit: int = 20, offset: int = 0) -> PageRegionSummary:
        return await self._call(op.regions(limit, offset))

    def iter_regions(self, *, page_size: int = 100) -> AsyncIterator[RegionSummary]:
        return self._pages(op.regions(page_size, 0))

    async def choir_scheme(self) -> ChoirScheme:
        """The CHOIR Body Map's segments and the regions each is asked as."""
        return await self._call(op.choir_scheme())

    async def region(self, slug: str) -> RegionDetail:
        return await self._call(op.region(slug))

    async def conditions(self, *, limit: int = 20, offset: int = 0) -> PageConditionSummary:
        return await self._call(op.conditions(limit, offset))

    def iter_conditions(self, *, page_size: int = 100) -> AsyncIterator[ConditionSummary]:
        return self._pages(op.conditions(page_size, 0))

    async def condition(self, slug: str) -> ConditionDetail:
        return await self._call(op.condition(slug))

    async def body_map(
        self,
        *,
        muscles: Sequence[str] = (),
        regions: Sequence[str] = (),
        q: str | None = None,
        view: View | None = None,
        side: Side | None = None,
    ) -> str:
        """The SVG body map, as text (``view``: the service's default when None)."""
        return await self._call(op.body_map(muscles, regions, q, view, side))

    # -- health ----------------------------------------------------------

    async def health(self) -> Health:
        return await self._call(op.health())

    async def ready(self) -> Readiness:
        """Readiness; a 503 (not ready) raises :class:`ProblemError` after retries."""
        return await self._call(op.ready())
