"""The versioned API: one thin router per resource, and the lookup's own
routes (``lookup_routes``), which the app matches before any router."""

from fastapi import APIRouter

from app.api import conditions, lookup, maps, muscles, regions
from app.api.errors import V1_RESPONSES

api_router = APIRouter(prefix="/v1", responses=V1_RESPONSES)
api_router.include_router(lookup.router)
api_router.include_router(muscles.router)
api_router.include_router(regions.router)
api_router.include_router(conditions.router)
api_router.include_router(maps.router)

# FastAPI matches a request to an included router again at every level of
# inclusion (about 0.1 ms of a new question's 0.7): the lookup, asked most,
# is one of the app's own routes instead.
lookup_routes = lookup.pain_sources_router.routes
