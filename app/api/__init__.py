"""The versioned API: one thin router per resource."""

from fastapi import APIRouter

from app.api import conditions, lookup, maps, muscles, regions
from app.api.errors import problem_responses

# Every /v1 operation can answer these: 429 past PAINMAP_RATE_LIMIT (the rate
# limiter covers /v1 only), 503 while the dataset is not loaded yet.
api_router = APIRouter(prefix="/v1", responses=problem_responses(429, 503))
# Routes are matched in order: the lookup, asked most, first.
api_router.include_router(lookup.pain_sources_router)
api_router.include_router(lookup.router)
api_router.include_router(muscles.router)
api_router.include_router(regions.router)
api_router.include_router(conditions.router)
api_router.include_router(maps.router)
