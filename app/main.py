"""Application factory. ``app.main:app`` is the ASGI application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError

from app.api import api_router
from app.api import health as health_routes
from app.bodymap import load_geometry
from app.catalog import Catalog
from app.config import Settings, get_settings
from app.db import make_engine, prepare_database
from app.errors import install_error_handlers
from app.messages import DISCLAIMER
from app.middleware import HttpPolicyMiddleware, RateLimitMiddleware, ResponseCacheMiddleware
from app.openapi import install_openapi
from app.store import read_dataset, stored_version

log = logging.getLogger("painmap")

DESCRIPTION = f"""
Where might this pain be coming from? Painmap answers with the muscles whose
myofascial trigger points are known to refer pain to the areas you name, ranked
and explained, and serves the data behind the answer: muscles, trigger points,
body regions and conditions.

{DISCLAIMER}
"""

TAGS = [
    {"name": "muscles", "description": "Muscles, their trigger points and self-care."},
    {"name": "regions", "description": "The body-region tree that referral zones point at."},
    {"name": "conditions", "description": "Lay and clinical labels of pain."},
    {"name": "lookup", "description": "Where might this pain be coming from? Ranked answers."},
    {"name": "maps", "description": "SVG body maps of referral zones and asked areas."},
    {"name": "health", "description": "Liveness and readiness probes."},
]


async def _watch_dataset(app: FastAPI, settings: Settings) -> None:
    """Swap in a new catalog when the database gets a new dataset version
    (``painmap load`` on a shared PostgreSQL reaches every replica this way)."""
    while True:
        await asyncio.sleep(settings.reload_interval)
        try:
            version = await run_in_threadpool(stored_version, app.state.engine)
            if version and version != app.state.catalog.version:
                dataset = await run_in_threadpool(read_dataset, app.state.engine)
                app.state.catalog = await run_in_threadpool(Catalog, dataset, app.state.geometry)
                log.info("serving dataset version %s", dataset.version)
        except (SQLAlchemyError, ValueError, LookupError) as exc:
            # Database away or mid-change: keep serving what is in memory.
            log.warning("dataset check failed: %s", exc.__class__.__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = make_engine(settings.effective_database_url)
        dataset = await run_in_threadpool(prepare_database, settings, app.state.engine)
        app.state.geometry = await run_in_threadpool(load_geometry, settings.data_dir)
        app.state.catalog = await run_in_threadpool(Catalog, dataset, app.state.geometry)
        log.info("serving dataset version %s", dataset.version)
        watcher = (
            asyncio.create_task(_watch_dataset(app, settings)) if settings.reload_interval else None
        )
        try:
            yield
        finally:
            if watcher:
                watcher.cancel()
            app.state.engine.dispose()

    app = FastAPIOffline(
        title="Painmap",
        version="1.0.0",
        summary="Referred-pain lookup: which muscles' trigger points refer pain where.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.catalog = None
    install_error_handlers(app)
    install_openapi(app)

    def version() -> str | None:
        return app.state.catalog.version if app.state.catalog else None

    # Each add wraps the ones before, so requests meet them bottom-up:
    # the policy layer answers 304s and stamps headers on everything; CORS
    # decides per Origin; the cache replays compressed or plain answers.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(ResponseCacheMiddleware, version=version)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["If-None-Match", "Content-Type"],
            expose_headers=["ETag", "Link"],
        )
    if settings.rate_limit:
        app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit)
    app.add_middleware(HttpPolicyMiddleware, version=version)
    app.include_router(health_routes.router)
    app.include_router(api_router)

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    async def landing() -> str:
        return LANDING_PAGE

    return app


LANDING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Painmap</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; line-height: 1.5">
<h1>Painmap</h1>
<p>Ask where a pain might be coming from, in plain words or by body region.
Painmap answers with the muscles whose trigger points are known to refer pain there,
ranked and explained, and shows how to find and release each trigger point yourself.
It is reference information, never a diagnosis.</p>
<ul>
<li><a href="/docs">Interactive API docs</a> (or <a href="/redoc">ReDoc</a>)</li>
<li>A sample lookup:
<a href="/v1/pain-sources?q=pain+between+my+shoulder+blades">pain between my shoulder blades</a></li>
<li>A body map: <a href="/v1/body-map.svg?muscle=infraspinatus">where infraspinatus refers pain</a></li>
<li>The data: <a href="/v1/muscles">muscles</a> · <a href="/v1/regions">body regions</a> ·
<a href="/v1/conditions">conditions</a></li>
</ul>
</body></html>
"""

app = create_app()
