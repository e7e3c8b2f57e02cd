"""Shared route dependencies and the pagination helper."""

from __future__ import annotations

from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response

from app.api.catalog import Catalog
from app.api.errors import ProblemException
from app.api.schemas import Page

T = TypeVar("T")

MAX_PAGE_SIZE = 100
MAX_OFFSET = 100_000


# Dependencies and routes are ``async def``: they only read memory, and a
# thread-pool hop per call would cost more than the work itself.
async def get_catalog(request: Request) -> Catalog:
    catalog: Catalog | None = getattr(request.app.state, "catalog", None)
    if catalog is None:
        raise ProblemException(503, "The dataset is not loaded yet.", headers={"Retry-After": "5"})
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


class PageParams:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size (1-100).")] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[PageParams, Depends()]


def paginate(items: list[T], params: PageParams, request: Request, response: Response) -> Page[T]:
    """Slice ``items`` and link the neighbouring pages (body and ``Link`` header)."""
    start, end = params.offset, params.offset + params.limit

    def link(offset: int) -> str:
        kept = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")
        ]
        kept += [("limit", str(params.limit)), ("offset", str(offset))]
        return f"{request.url.path}?{urlencode(kept)}"

    next_url = link(end) if end < len(items) else None
    previous_url = link(max(start - params.limit, 0)) if start > 0 else None
    links = [f'<{u}>; rel="{rel}"' for u, rel in ((next_url, "next"), (previous_url, "prev")) if u]
    if links:
        response.headers["Link"] = ", ".join(links)
    return Page[T](count=len(items), next=next_url, previous=previous_url, results=items[start:end])
