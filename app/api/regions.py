"""``/v1/regions``: the body-region tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.deps import CatalogDep, PageDep, paginate
from app.errors import problem_responses
from app.schemas import Page, RegionDetail, RegionSummary, RegionTree

router = APIRouter(prefix="/regions", tags=["regions"])


@router.get(
    "",
    response_model=RegionTree | Page[RegionSummary],
    summary="List body regions",
    description="By default the tree: `count` is the number of all regions and `results` holds "
    "the top-level regions with their `children` nested. With `flat=true`, a paginated flat "
    "list in tree order.",
    responses=problem_responses(422),
)
async def list_regions(
    catalog: CatalogDep,
    page: PageDep,
    request: Request,
    response: Response,
    flat: Annotated[bool, Query(description="Return a flat paginated list.")] = False,
) -> RegionTree | Page[RegionSummary]:
    if flat:
        return paginate(catalog.region_summaries, page, request, response)
    return catalog.region_tree


@router.get(
    "/{slug}",
    response_model=RegionDetail,
    summary="Get a body region",
    description="A region with its place in the tree and the muscles whose trigger points refer "
    "pain to it or to any region below it, essential referrals first.",
    responses=problem_responses(404, 422),
)
async def get_region(
    slug: Annotated[str, Path(max_length=100, examples=["temple"])], catalog: CatalogDep
) -> RegionDetail:
    catalog.require("region", [slug])
    return catalog.region_details[slug]
