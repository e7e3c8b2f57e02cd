"""Application factory. ``app.main:app`` is the ASGI application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from importlib.metadata import version as package_version
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError

from app.api import api_router, lookup_routes
from app.api import health as health_routes
from app.api.catalog import Catalog
from app.api.errors import install_error_handlers
from app.api.messages import DISCLAIMER
from app.api.middleware import (
    ConditionalMiddleware,
    HttpPolicyMiddleware,
    RateLimitMiddleware,
    ResponseCacheMiddleware,
)
from app.api.openapi import install_openapi, operation_id
from app.config import Settings, get_settings
from app.data.dataset import DataError
from app.data.db import make_db_engine, prepare_database
from app.data.store import read_dataset, stored_version
from app.web import router as web_routes
from app.web.bodymap import load_geometry

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
            version = await run_in_threadpool(stored_version, app.state.db_engine)
            if version and version != app.state.catalog.version:
                dataset = await run_in_threadpool(read_dataset, app.state.db_engine)
                # The body map is part of the version: read it again with the data.
                geometry = await run_in_threadpool(load_geometry, settings.data_dir, dataset)
                app.state.catalog = await run_in_threadpool(Catalog, dataset, geometry)
                app.state.geometry = geometry
                log.info("serving dataset version %s", dataset.version)
        except DataError as exc:
            log.warning("new dataset not served: %s", exc)
        except (SQLAlchemyError, ValueError, LookupError) as exc:
            # Database away or mid-change: keep serving what is in memory.
            log.warning("dataset check failed: %s", exc.__class__.__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db_engine = make_db_engine(settings.effective_database_url)
        # The dataset, the lookup index and the word lists live as long as the
        # process. Loading them makes no garbage worth a collection (measured:
        # none), so the collector rests meanwhile instead of walking the growing
        # heap (0.2 s of a 0.6 s start); then they are kept out of its full
        # passes for good, which would otherwise stall requests now and then.
        collecting = gc.isenabled()
        gc.disable()
        try:
            dataset = await run_in_threadpool(prepare_database, settings, app.state.db_engine)
            app.state.geometry = await run_in_threadpool(load_geometry, settings.data_dir, dataset)
            app.state.catalog = await run_in_threadpool(Catalog, dataset, app.state.geometry)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
        log.info("serving dataset version %s", dataset.version)
        watcher = (
            asyncio.create_task(_watch_dataset(app, settings)) if settings.reload_interval else None
        )
        try:
            yield
        finally:
            if watcher:
                watcher.cancel()
            app.state.db_engine.dispose()

    app = FastAPIOffline(
        title="Painmap",
        version=package_version("painmap"),  # one version: the distribution's
        summary="Referred-pain lookup: which muscles' trigger points refer pain where.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        # Code generators name methods after operation ids: the route
        # function's name (list_muscles, get_muscle), stable and readable.
        generate_unique_id_function=operation_id,
    )
    app.state.catalog = None
    install_error_handlers(app)
    install_openapi(app)

    def version() -> str | None:
        return app.state.catalog.version if app.state.catalog else None

    metrics = _metrics(settings, version)
    app.state.metrics = metrics
    _install_middleware(app, settings, version, metrics)
    app.router.routes.extend(lookup_routes)  # matched first, not through a router
    app.include_router(health_routes.router)
    app.include_router(api_router)
    app.include_router(web_routes.router)  # the body-map explorer at /

    if metrics is not None:

        @app.get("/metrics", include_in_schema=False)
        async def prometheus_metrics() -> Response:
            return Response(metrics.render(), media_type=metrics.content_type)

    return app


def _metrics(settings: Settings, version: Callable[[], str | None]) -> Any:
    """The Prometheus metrics, or None when they are off (prometheus_client is
    imported only by those who ask for it)."""
    if not settings.metrics:
        return None
    from app.api.metrics import Metrics

    return Metrics(version)


def _install_middleware(
    app: FastAPI, settings: Settings, version: Callable[[], str | None], metrics: Any
) -> None:
    """Each add wraps the ones before, so requests meet them bottom-up (see
    app.api.middleware): policy, CORS, rate limit, conditional, cache, gzip."""
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(
        ResponseCacheMiddleware, version=version, max_bytes=settings.cache_bytes, metrics=metrics
    )
    app.add_middleware(ConditionalMiddleware, version=version)
    if settings.rate_limit:
        app.add_middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit,
            storage=settings.rate_limit_storage,
            metrics=metrics,
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["If-None-Match", "Content-Type"],
            expose_headers=["ETag", "Link", "Retry-After", "X-Request-ID"],
        )
    app.add_middleware(HttpPolicyMiddleware, metrics=metrics)


app = create_app()
