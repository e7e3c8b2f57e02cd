"""``/healthz`` and ``/readyz``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.db import database_reachable
from app.errors import problem_responses
from app.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=Health,
    summary="Liveness",
    description="Answers 200 while the process runs; it checks nothing else.",
)
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    description="200 when the dataset is loaded in memory and the database answers; 503 "
    "otherwise (lookups may still answer from memory while the database is away).",
    responses={503: {"model": Readiness, "description": "Not ready"}, **problem_responses()},
)
async def readyz(request: Request) -> JSONResponse:
    catalog = getattr(request.app.state, "catalog", None)
    reachable = await run_in_threadpool(database_reachable, request.app.state.engine)
    ready = catalog is not None and reachable
    body = Readiness(
        status="ready" if ready else "unavailable",
        database="ok" if reachable else "unreachable",
        dataset_version=catalog.version if catalog else None,
        muscles=len(catalog.muscle_details) if catalog else 0,
    )
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
