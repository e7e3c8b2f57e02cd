"""The typed client (painmap-client, clients/python/) end to end against a
real uvicorn on loopback, sync and async."""

from __future__ import annotations

import asyncio
import typing

import httpx
import pytest
from painmap_client import AsyncPainmapClient, NotFoundError, PainmapClient, ProblemError
from painmap_client.models import MuscleDetail, PainSources
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.data.dataset import Dataset
from tests.conftest import LiveServer


def test_lookup_and_resources(server: LiveServer, dataset: Dataset) -> None:
    with PainmapClient(server.url) as painmap:
        answer = painmap.pain_sources("pain between my shoulder blades", limit=3)
        assert isinstance(answer, PainSources) and len(answer.results) == 3
        assert answer.query.regions[0].slug == "interscapular"
        clinic = painmap.pain_sources(choir=[112, 207], limit=3)
        assert clinic.results and clinic.query.regions
        muscle = painmap.muscle(answer.results[0].muscle.slug)
        assert isinstance(muscle, MuscleDetail) and muscle.trigger_points
        assert painmap.trigger_points(muscle.slug) == muscle.trigger_points
        assert painmap.self_care(muscle.slug).muscle.slug == muscle.slug
        assert painmap.region("heel").slug == "heel"
        assert painmap.region_tree().count == len(dataset.regions)
        assert painmap.choir_scheme().count == 74
        assert painmap.search("soleus").results[0].slug == "soleus"
        picture = painmap.body_map(muscles=["soleus"], view="back", side="left")
        assert picture.startswith("<svg") and 'class="r essential"' in picture
        assert painmap.health().status == "ok"
        assert painmap.ready().dataset_version == dataset.version


def test_iterators_walk_every_page(server: LiveServer, dataset: Dataset) -> None:
    with PainmapClient(server.url) as painmap:
        assert [m.slug for m in painmap.iter_muscles(page_size=9)] == [
            m.slug for m in sorted(dataset.muscles.values(), key=lambda m: m.name.casefold())
        ]
        regions = [r.slug for r in painmap.iter_regions(page_size=50)]
        assert sorted(regions) == sorted(dataset.regions)
        conditions = list(painmap.iter_conditions(page_size=7))
        assert len(conditions) == len(dataset.conditions)
        foot = list(painmap.iter_muscles(group="foot"))
        assert foot and all(m.group == "foot" for m in foot)
        second = painmap.regions(limit=10, offset=10)
        assert [r.slug for r in second.results] == regions[10:20]


def test_problems_raise_typed_errors(server: LiveServer) -> None:
    with PainmapClient(server.url) as painmap:
        with pytest.raises(NotFoundError) as missing:
            painmap.muscle("soleos")
        assert missing.value.problem.suggestions
        assert missing.value.problem.suggestions[0]["slug"] == "soleus"
        with pytest.raises(NotFoundError):
            painmap.muscle("../regions/heel")  # one path segment, never a way elsewhere
        with pytest.raises(ProblemError) as invalid:
            painmap.pain_sources("heel", limit=1000)
        assert invalid.value.status == 422 and invalid.value.problem.errors


def test_async_client(server: LiveServer, dataset: Dataset) -> None:
    async def run() -> None:
        async with AsyncPainmapClient(server.url) as painmap:
            answer, muscle = await asyncio.gather(
                painmap.pain_sources(regions=["heel"], include="essential"),
                painmap.muscle("soleus"),
            )
            assert "soleus" in [r.muscle.slug for r in answer.results]
            assert muscle.name == dataset.muscles["soleus"].name
            slugs = [m.slug async for m in painmap.iter_muscles(page_size=50)]
            assert len(slugs) == len(dataset.muscles)
            regions = [r.slug async for r in painmap.iter_regions(page_size=60)]
            assert sorted(regions) == sorted(dataset.regions)
            with pytest.raises(NotFoundError):
                await painmap.region("nowhere")
            assert "<title" in await painmap.body_map(regions=["heel"])

    asyncio.run(run())


def _flaky_app(failures: int, status: int = 503) -> tuple[Starlette, dict[str, int]]:
    """A loopback server that answers ``status`` ``failures`` times, then is
    healthy; and its count of calls."""
    calls = {"n": 0}

    async def healthz(request: Request) -> JSONResponse:
        calls["n"] += 1
        if calls["n"] <= failures:
            return JSONResponse(
                {"type": "about:blank", "title": "Try Again Later", "status": status},
                status_code=status,
                headers={"Retry-After": "0"},
            )
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/healthz", healthz)]), calls


def test_retries_on_503_and_429() -> None:
    app, calls = _flaky_app(2)
    with LiveServer(app=app) as flaky, PainmapClient(flaky.url, retries=2, backoff=0.01) as pm:
        assert pm.health().status == "ok" and calls["n"] == 3
    app, calls = _flaky_app(1, status=429)
    with LiveServer(app=app) as limited, PainmapClient(limited.url, backoff=0.01) as pm:
        assert pm.health().status == "ok" and calls["n"] == 2
    app, calls = _flaky_app(5)
    with LiveServer(app=app) as down, PainmapClient(down.url, retries=1, backoff=0.01) as pm:
        with pytest.raises(ProblemError) as caught:
            pm.health()
        assert caught.value.status == 503 and calls["n"] == 2


def test_async_client_retries_on_503() -> None:
    async def health(url: str, retries: int) -> str:
        async with AsyncPainmapClient(url, retries=retries, backoff=0.01) as painmap:
            return (await painmap.health()).status

    app, calls = _flaky_app(2)
    with LiveServer(app=app) as flaky:
        assert asyncio.run(health(flaky.url, retries=2)) == "ok" and calls["n"] == 3
    app, calls = _flaky_app(5)
    with LiveServer(app=app) as down:
        with pytest.raises(ProblemError) as caught:
            asyncio.run(health(down.url, retries=1))
        assert caught.value.status == 503 and calls["n"] == 2


def test_connection_failures_are_retried_then_raised() -> None:
    with (
        PainmapClient("http://127.0.0.1:9", timeout=0.5, retries=0) as painmap,
        pytest.raises(httpx.TransportError),
    ):
        painmap.health()

    async def run() -> None:
        async with AsyncPainmapClient("http://127.0.0.1:9", retries=2, backoff=0.01) as painmap:
            with pytest.raises(httpx.ConnectError):
                await painmap.health()

    asyncio.run(run())


CLIENT_METHODS = {
    "/v1/pain-sources": "pain_sources",
    "/v1/search": "search",
    "/v1/muscles": "muscles",
    "/v1/muscles/{slug}": "muscle",
    "/v1/muscles/{slug}/trigger-points": "trigger_points",
    "/v1/muscles/{slug}/self-care": "self_care",
    "/v1/regions": "region_tree",
    "/v1/regions/flat": "regions",
    "/v1/regions/schemes/choir": "choir_scheme",
    "/v1/regions/{slug}": "region",
    "/v1/conditions": "conditions",
    "/v1/conditions/{slug}": "condition",
    "/v1/body-map.svg": "body_map",
    "/healthz": "health",
    "/readyz": "ready",
}


def test_client_covers_every_endpoint(client: httpx.Client) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert paths == set(CLIENT_METHODS)
    for method in CLIENT_METHODS.values():
        assert callable(getattr(PainmapClient, method)) and callable(
            getattr(AsyncPainmapClient, method)
        )


def test_choices_match_the_documented_parameters(client: httpx.Client) -> None:
    """The client's Literal choices (side, include, view) are the schema's."""
    paths = client.get("/openapi.json").json()["paths"]
    calls = {"/v1/pain-sources": "pain_sources", "/v1/body-map.svg": "body_map"}
    for path, method in calls.items():
        hints = typing.get_type_hints(getattr(PainmapClient, method))
        for parameter in paths[path]["get"]["parameters"]:
            schema = parameter["schema"]
            choices = [s["enum"] for s in schema.get("anyOf", [schema]) if "enum" in s]
            if not choices:
                continue
            name = parameter["name"]
            offered = {a for a in typing.get_args(hints[name]) if a is not type(None)}
            offered = {c for a in offered for c in (typing.get_args(a) or (a,))}
            assert offered == set(choices[0]), f"{method}({name}=…)"
