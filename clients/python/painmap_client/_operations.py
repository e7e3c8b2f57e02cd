"""The API's operations, shared by the sync and async clients: how to ask
(path and query) and how to read the answer (the generated models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import quote

import httpx
from httpx_retries import Retry, RetryTransport
from pydantic import TypeAdapter

from painmap_client.errors import problem_error
from painmap_client.models import (
    ChoirScheme,
    ConditionDetail,
    Health,
    MuscleDetail,
    PageConditionSummary,
    PageMuscleSummary,
    PageRegionSummary,
    PainSources,
    Readiness,
    RegionDetail,
    RegionTree,
    SearchResults,
    SelfCarePage,
    TriggerPointOut,
)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Side = Literal["left", "right"]
Include = Literal["spillover", "essential"]
# Body-map figures; tests/test_client.py keeps these in step with the schema.
View = Literal["front", "back", "sole", "head", "side", "both", "all", "auto"]
Params = httpx.QueryParams

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT = 5.0  # seconds, whatever Retry-After asks


def retry_transport(
    inner: httpx.BaseTransport | httpx.AsyncBaseTransport, retries: int, backoff: float
) -> RetryTransport:
    """``inner`` retried after a connection failure or a 429/503 answer:
    ``retries`` more tries, waiting ``Retry-After`` or a doubling ``backoff``."""
    retry = Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        max_backoff_wait=MAX_RETRY_WAIT,
    )
    return RetryTransport(transport=inner, retry=retry)


class Operation(Generic[T_co]):
    """One call: the path and query to send, and the model its answer is."""

    def __init__(self, path: str, params: Params | None, adapter: TypeAdapter[T_co]) -> None:
        self.path = path
        self.params = params
        self._adapter: TypeAdapter[Any] = adapter

    def parse(self, response: httpx.Response) -> T_co:
        if response.status_code >= 400:
            raise problem_error(response)
        if self._adapter is _TEXT:  # an SVG picture, not JSON
            return self._adapter.validate_python(response.text)  # type: ignore[no-any-return]
        return self._adapter.validate_json(response.content)  # type: ignore[no-any-return]

    def at(self, url: str) -> Operation[T_co]:
        """The same call at another URL (a page's ``next`` link)."""
        return Operation(url, None, self._adapter)


class PageOf(Protocol[T_co]):
    """What the paging loops read of a list answer."""

    @property
    def next(self) -> str | None: ...

    @property
    def results(self) -> Sequence[T_co]: ...


def _params(**values: object) -> Params:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, str(item)) for item in value]
        else:
            pairs.append((key, str(value)))
    return httpx.QueryParams(tuple(pairs))


def _slug(slug: str) -> str:
    return quote(slug, safe="")  # one path segment, whatever it holds


_TEXT = TypeAdapter(str)
_PAIN_SOURCES = TypeAdapter(PainSources)
_SEARCH = TypeAdapter(SearchResults)
_MUSCLES = TypeAdapter(PageMuscleSummary)
_MUSCLE = TypeAdapter(MuscleDetail)
_TRIGGER_POINTS = TypeAdapter(list[TriggerPointOut])
_SELF_CARE = TypeAdapter(SelfCarePage)
_REGION_TREE = TypeAdapter(RegionTree)
_REGIONS = TypeAdapter(PageRegionSummary)
_CHOIR = TypeAdapter(ChoirScheme)
_REGION = TypeAdapter(RegionDetail)
_CONDITIONS = TypeAdapter(PageConditionSummary)
_CONDITION = TypeAdapter(ConditionDetail)
_HEALTH = TypeAdapter(Health)
_READINESS = TypeAdapter(Readiness)


def pain_sources(
    q: str | None,
    regions: Sequence[str],
    conditions: Sequence[str],
    side: Side | None,
    include: Include,
    limit: int,
    choir: Sequence[int],
) -> Operation[PainSources]:
    params = _params(
        q=q,
        region=list(regions),
        condition=list(conditions),
        choir=list(choir),
        side=side,
        include=include,
        limit=limit,
    )
    return Operation("/v1/pain-sources", params, _PAIN_SOURCES)


def search(q: str, limit: int) -> Operation[SearchResults]:
    return Operation("/v1/search", _params(q=q, limit=limit), _SEARCH)


def muscles(
    group: str | None, region: str | None, limit: int, offset: int
) -> Operation[PageMuscleSummary]:
    params = _params(group=group, region=region, limit=limit, offset=offset)
    return Operation("/v1/muscles", params, _MUSCLES)


def muscle(slug: str) -> Operation[MuscleDetail]:
    return Operation(f"/v1/muscles/{_slug(slug)}", None, _MUSCLE)


def trigger_points(slug: str) -> Operation[list[TriggerPointOut]]:
    return Operation(f"/v1/muscles/{_slug(slug)}/trigger-points", None, _TRIGGER_POINTS)


def self_care(slug: str) -> Operation[SelfCarePage]:
    return Operation(f"/v1/muscles/{_slug(slug)}/self-care", None, _SELF_CARE)


def region_tree() -> Operation[RegionTree]:
    return Operation("/v1/regions", None, _REGION_TREE)


def regions(limit: int, offset: int) -> Operation[PageRegionSummary]:
    return Operation("/v1/regions/flat", _params(limit=limit, offset=offset), _REGIONS)


def choir_scheme() -> Operation[ChoirScheme]:
    return Operation("/v1/regions/schemes/choir", None, _CHOIR)


def region(slug: str) -> Operation[RegionDetail]:
    return Operation(f"/v1/regions/{_slug(slug)}", None, _REGION)


def conditions(limit: int, offset: int) -> Operation[PageConditionSummary]:
    return Operation("/v1/conditions", _params(limit=limit, offset=offset), _CONDITIONS)


def condition(slug: str) -> Operation[ConditionDetail]:
    return Operation(f"/v1/conditions/{_slug(slug)}", None, _CONDITION)


def body_map(
    muscles: Sequence[str],
    regions: Sequence[str],
    q: str | None,
    view: View | None,
    side: Side | None,
) -> Operation[str]:
    params = _params(muscle=list(muscles), region=list(regions), q=q, view=view, side=side)
    return Operation("/v1/body-map.svg", params, _TEXT)


def health() -> Operation[Health]:
    return Operation("/healthz", None, _HEALTH)


def ready() -> Operation[Readiness]:
    return Operation("/readyz", None, _READINESS)
