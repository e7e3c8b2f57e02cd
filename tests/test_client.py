"""The typed client end to end against a real uvicorn on loopback."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.schemas import MuscleDetail, PainSources
from app.client import AsyncPainmapClient, NotFoundError, PainmapClient, ProblemError
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
        assert len(list(painmap.iter_regions(page_size=50))) == len(dataset.regions)
        conditions = list(painmap.iter_conditions(page_size=7))
        assert len(conditions) == len(dataset.conditions)
        foot = list(painmap.iter_muscles(group="foot"))
        assert foot and all(m.group == "foot" for m in foot)


def test_problems_raise_typed_errors(server: LiveServer) -> None:
    with PainmapClient(server.url) as painmap:
        with pytest.raises(NotFoundError) as missing:
            painmap.muscle("soleos")
        assert missing.value.problem.suggestions[0]["slug"] == "soleus"
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
            with pytest.raises(NotFoundError):
                await painmap.region("nowhere")
            assert "<title" in await painmap.body_map(regions=["heel"])

    asyncio.run(run())


def _flaky_app(failures: int) -> Starlette:
    """A loopback server that is unavailable ``failures`` times, then healthy."""
    calls = {"n": 0}

    async def healthz(request: Request) -> JSONResponse:
        calls["n"] += 1
        if calls["n"] <= failures:
            return JSONResponse(
                {"type": "about:blank", "title": "Service Unavailable", "status": 503},
                status_code=503,
                headers={"Retry-After": "0"},
            )
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/healthz", healthz)])


def test_retries_on_503() -> None:
    with (
        LiveServer(app=_flaky_app(2)) as flaky,
        PainmapClient(flaky.url, retries=2, backoff=0.01) as painmap,
    ):
        assert painmap.health().status == "ok"
    with (
        LiveServer(app=_flaky_app(5)) as down,
        PainmapClient(down.url, retries=1, backoff=0.01) as painmap,
    ):
        with pytest.raises(ProblemError) as caught:
            painmap.health()
        assert caught.value.status == 503


def test_timeouts_are_configurable() -> None:
    with (
        PainmapClient("http://127.0.0.1:9", timeout=0.5, retries=0) as painmap,
        pytest.raises(httpx.TransportError),
    ):
        painmap.health()


CLIENT_METHODS = {
    "/v1/pain-sources": "pain_sources",
    "/v1/search": "search",
    "/v1/muscles": "muscles",
    "/v1/muscles/{slug}": "muscle",
    "/v1/muscles/{slug}/trigger-points": "trigger_points",
    "/v1/muscles/{slug}/self-care": "self_care",
    "/v1/regions": "region_tree",
    "/v1/regions/{slug}": "region",
    "/v1/conditions": "iter_conditions",
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
