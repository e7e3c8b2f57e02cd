"""``/healthz`` and ``/readyz``."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.api.errors import problem_responses
from app.api.schemas import Health, Readiness
from app.data.db import database_ready

router = APIRouter(tags=["health"])

# A probe answers within this many seconds, whatever the database does.
READY_TIMEOUT = 1.0


@router.get(
    "/healthz",
    response_model=Health,
    summary="Liveness",
    description="Answers 200 while the process runs; it checks nothing else.",
)
async def get_health() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    description="200 when the dataset is loaded in memory and the database answers with a "
    "dataset; 503 otherwise, within about a second even if the database hangs (lookups may "
    "still answer from memory while the database is away).",
    responses={503: {"model": Readiness, "description": "Not ready"}, **problem_responses()},
)
async def get_readiness(request: Request) -> JSONResponse:
    catalog = getattr(request.app.state, "catalog", None)
    reachable = await _database_ready(request.app)
    ready = catalog is not None and reachable
    body = Readiness(
        status="ready" if ready else "unavailable",
        database="ok" if reachable else "unreachable",
        dataset_version=catalog.version if catalog else None,
        muscles=len(catalog.muscle_details) if catalog else 0,
    )
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


async def _database_ready(app: FastAPI) -> bool:
    """Ask the database in a worker thread, one question at a time: a probe
    that arrives while the last question still hangs waits for that one,
    at most ``READY_TIMEOUT``, instead of tying up another thread."""
    db_engine = getattr(app.state, "db_engine", None)
    if db_engine is None:
        return False
    probe: asyncio.Future[bool] | None = getattr(app.state, "ready_probe", None)
    if probe is None or probe.done():
        probe = asyncio.ensure_future(run_in_threadpool(database_ready, db_engine))
        app.state.ready_probe = probe
    try:
        return await asyncio.wait_for(asyncio.shield(probe), READY_TIMEOUT)
    except TimeoutError:
        return False
