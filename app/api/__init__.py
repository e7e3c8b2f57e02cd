"""The versioned API: one thin router per resource."""

from fastapi import APIRouter

from app.api import conditions, lookup, maps, muscles, regions

api_router = APIRouter(prefix="/v1")
api_router.include_router(muscles.router)
api_router.include_router(regions.router)
api_router.include_router(conditions.router)
api_router.include_router(lookup.router)
api_router.include_router(maps.router)
