"""QueryModelRoute answers exactly as FastAPI's own parameter handling would:
the same values, the same 422 errors, the same OpenAPI parameters, for the
lookup's query model."""

from __future__ import annotations

import asyncio
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.routing import APIRoute

from app.api.lookup import PainSourcesQuery
from app.api.querymodel import QueryModelRoute

QUERIES = [
    "q=temple",
    "q=neck&limit=3&limit=2",  # a repeated single value: the last one counts
    "region=temple&region=neck&include=essential&limit=4",
    "choir=112&choir=207&side=left",
    "q=&region=",
    "q=neck&limit=",
    "junk=1&q=neck",
    "limit=0",
    "limit=abc",
    "limit=1.5",
    "limit=101",
    "side=up&include=x",
    "choir=999",
    "choir=abc",
    "q=" + "a" * 600,
    "&".join(["region=temple"] * 11),
    "",
]


def _app(route_class: type[APIRoute]) -> FastAPI:
    router = APIRouter(route_class=route_class)

    @router.get("/echo")
    async def echo(request: Request, asked: Annotated[PainSourcesQuery, Query()]) -> Response:
        return Response(asked.model_dump_json(), media_type="application/json")

    app = FastAPI()
    app.include_router(router)
    return app


async def _answers(app: FastAPI) -> list[tuple[int, object]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = []
        for query in QUERIES:
            response = await client.get(f"/echo?{query}")
            answers.append((response.status_code, response.json()))
        return answers


def test_values_and_errors_match_fastapis_own_handling() -> None:
    ours = asyncio.run(_answers(_app(QueryModelRoute)))
    fastapis = asyncio.run(_answers(_app(APIRoute)))
    assert ours == fastapis
    statuses = [status for status, _ in ours]
    assert statuses.count(200) >= 5 and statuses.count(422) >= 8  # both kinds were tried
    assert ours[1][1]["limit"] == 2 and ours[3][1]["choir"] == [112, 207]


def test_the_openapi_document_is_unchanged() -> None:
    assert _app(QueryModelRoute).openapi() == _app(APIRoute).openapi()


def test_an_endpoint_without_one_query_model_is_refused() -> None:
    router = APIRouter(route_class=QueryModelRoute)
    with pytest.raises(TypeError, match="exactly one query model"):

        @router.get("/bad")
        async def bad(request: Request, q: str) -> Response:
            return Response()
