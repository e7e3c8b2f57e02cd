"""``/v1/muscles``: the muscles, their trigger points and self-care."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import CatalogDep, PageDep, paginate
from app.api.errors import problem_responses
from app.api.schemas import MuscleDetail, MuscleSummary, Page, SelfCarePage, TriggerPointOut
from app.data.files import MuscleGroup

router = APIRouter(prefix="/muscles", tags=["muscles"])

SlugPath = Annotated[
    str, Path(max_length=100, description="The muscle's slug.", examples=["infraspinatus"])
]


async def valid_muscle(slug: SlugPath, catalog: CatalogDep) -> MuscleDetail:
    catalog.require("muscle", [slug])
    return catalog.muscle_details[slug]


MuscleDep = Annotated[MuscleDetail, Depends(valid_muscle)]


@router.get(
    "",
    response_model=Page[MuscleSummary],
    summary="List muscles",
    description="All muscles in the dataset, alphabetically, paginated. Filter by body `group` "
    "or by `region` (muscles with a trigger point referring to that region or any region below it).",
    responses=problem_responses(404, 422),
)
async def list_muscles(
    catalog: CatalogDep,
    page: PageDep,
    request: Request,
    response: Response,
    group: Annotated[MuscleGroup | None, Query(description="Body group.")] = None,
    region: Annotated[
        str | None, Query(max_length=100, description="Region slug the muscles refer pain to.")
    ] = None,
) -> Page[MuscleSummary]:
    if region is not None:
        catalog.require("region", [region])
    items = catalog.muscles(group=group.value if group else None, region=region)
    return paginate(items, page, request, response)


@router.get(
    "/{slug}",
    response_model=MuscleDetail,
    summary="Get a muscle",
    description="The full record: attachments, action, innervation, description, sources, and "
    "every trigger point with its referral zones (essential first).",
    responses=problem_responses(404, 422),
)
async def get_muscle(muscle: MuscleDep) -> MuscleDetail:
    return muscle


@router.get(
    "/{slug}/trigger-points",
    response_model=list[TriggerPointOut],
    summary="List a muscle's trigger points",
    description="The trigger points of one muscle, each with location, body-map point and zones.",
    responses=problem_responses(404, 422),
)
async def list_trigger_points(muscle: MuscleDep) -> list[TriggerPointOut]:
    return muscle.trigger_points


@router.get(
    "/{slug}/self-care",
    response_model=SelfCarePage,
    summary="How to find and release a muscle's trigger points",
    description="For each trigger point: how to find it, how to treat it yourself, a gentle "
    "stretch, what keeps it going and the cautions that apply (including those of the region "
    "it lies in). Reference information, not a diagnosis or treatment plan.",
    responses=problem_responses(404, 422),
)
async def get_self_care(muscle: MuscleDep, catalog: CatalogDep) -> SelfCarePage:
    return catalog.self_care_pages[muscle.slug]
