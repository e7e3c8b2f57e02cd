"""The client, written once: ``_async/client.py`` is the source, and
``_sync/client.py`` is generated from it by unasync (``python -m
tests.contract`` in the Painmap repository), so edit the async one. Requests
are built and answers read in ``painmap_client._operations``; retries happen
in the transport."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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


class PainmapClient:
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
        http: httpx.Client | None = None,
    ) -> None:
        transport = op.retry_transport(httpx.HTTPTransport(), retries, backoff)
        self._http = http or httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> PainmapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, operation: Operation[T]) -> T:
        response = self._http.get(operation.path, params=operation.params)
        return operation.parse(response)

    def _pages(self, first: Operation[PageOf[T]]) -> Iterator[T]:
        """Every item of a list, following each page's ``next`` link."""
        operation: Operation[PageOf[T]] | None = first
        while operation is not None:
            page = self._call(operation)
            yield from page.results
            operation = first.at(page.next) if page.next else None

    # -- lookup ----------------------------------------------------------

    def pain_sources(
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
        return self._call(op.pain_sources(q, regions, conditions, side, include, limit, choir))

    def search(self, q: str, *, limit: int = 10) -> SearchResults:
        return self._call(op.search(q, limit))

    # -- muscles ---------------------------------------------------------

    def muscles(
        self,
        *,
        group: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> PageMuscleSummary:
        return self._call(op.muscles(group, region, limit, offset))

    def iter_muscles(
        self, *, group: str | None = None, region: str | None = None, page_size: int = 100
    ) -> Iterator[MuscleSummary]:
        return self._pages(op.muscles(group, region, page_size, 0))

    def muscle(self, slug: str) -> MuscleDetail:
        return self._call(op.muscle(slug))

    def trigger_points(self, slug: str) -> list[TriggerPointOut]:
        return self._call(op.trigger_points(slug))

    def self_care(self, slug: str) -> SelfCarePage:
        return self._call(op.self_care(slug))

    # -- regions and conditions --------------------------------------------

    def region_tree(self) -> RegionTree:
        return self._call(op.region_tree())

    def regions(self, *, limit: int = 20, offset: int = 0) -> PageRegionSummary:
        return self._call(op.regions(limit, offset))

    def iter_regions(self, *, page_size: int = 100) -> Iterator[RegionSummary]:
        return self._pages(op.regions(page_size, 0))

    def choir_scheme(self) -> ChoirScheme:
        """The CHOIR Body Map's segments and the regions each is asked as."""
        return self._call(op.choir_scheme())

    def region(self, slug: str) -> RegionDetail:
        return self._call(op.region(slug))

    def conditions(self, *, limit: int = 20, offset: int = 0) -> PageConditionSummary:
        return self._call(op.conditions(limit, offset))

    def iter_conditions(self, *, page_size: int = 100) -> Iterator[ConditionSummary]:
        return self._pages(op.conditions(page_size, 0))

    def condition(self, slug: str) -> ConditionDetail:
        return self._call(op.condition(slug))

    def body_map(
        self,
        *,
        muscles: Sequence[str] = (),
        regions: Sequence[str] = (),
        q: str | None = None,
        view: View | None = None,
        side: Side | None = None,
    ) -> str:
        """The SVG body map, as text (``view``: the service's default when None)."""
        return self._call(op.body_map(muscles, regions, q, view, side))

    # -- health ----------------------------------------------------------

    def health(self) -> Health:
        return self._call(op.health())

    def ready(self) -> Readiness:
        """Readiness; a 503 (not ready) raises :class:`ProblemError` after retries."""
        return self._call(op.ready())
