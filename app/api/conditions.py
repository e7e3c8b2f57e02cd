"""``/v1/conditions``: lay and clinical labels of pain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.api.deps import CatalogDep, PageDep, paginate
from app.api.errors import problem_responses
from app.api.schemas import ConditionDetail, ConditionSummary, Page

router = APIRouter(prefix="/conditions", tags=["conditions"])


@router.get(
    "",
    response_model=Page[ConditionSummary],
    summary="List conditions",
    description="Conditions (tension headache, tennis elbow, …) alphabetically, paginated.",
    responses=problem_responses(422),
)
async def list_conditions(
    catalog: CatalogDep, page: PageDep, request: Request, response: Response
) -> Page[ConditionSummary]:
    return paginate(catalog.condition_summaries, page, request, response)


@router.get(
    "/{slug}",
    response_model=ConditionDetail,
    summary="Get a condition",
    description="A condition with its synonyms, the regions it involves and the muscles most "
    "associated with it.",
    responses=problem_responses(404, 422),
)
async def get_condition(
    slug: Annotated[str, Path(max_length=100, examples=["tension-type-headache"])],
    catalog: CatalogDep,
) -> ConditionDetail:
    catalog.require("condition", [slug])
    return catalog.condition_details[slug]
